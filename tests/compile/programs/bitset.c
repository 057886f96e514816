#include <stdio.h>
#include <string.h>
#define NBITS 1000
static unsigned int bits[(NBITS + 31) / 32];
#define SET(n) (bits[(n) >> 5] |= 1U << ((n) & 31))
#define TST(n) ((bits[(n) >> 5] >> ((n) & 31)) & 1)
#define CLR(n) (bits[(n) >> 5] &= ~(1U << ((n) & 31)))
int main(void) {
	int i, n = 0;
	memset(bits, 0, sizeof(bits));
	for (i = 0; i < NBITS; i += 7) SET(i);
	for (i = 0; i < NBITS; i += 21) CLR(i);
	for (i = 0; i < NBITS; i++) n += TST(i);
	printf("%d %x %x\n", n, bits[0], bits[31]);
	return 0;
}
