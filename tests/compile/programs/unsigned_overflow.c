#include <stdio.h>
int main(void) {
	unsigned int u = 4294967295U; unsigned char uc = 250; unsigned short us = 65530;
	u++; uc += 10; us += 10;
	printf("%u %u %u\n", u, uc, us);
	u = 0; u--; printf("%u %x\n", u, u);
	unsigned a = 3000000000U, b = 2000000000U;
	printf("%u %u\n", a + b, a * 3);
	printf("%d\n", (int)(a > b));
	int neg = -1; printf("%d\n", (unsigned)neg > 5U);
	printf("%u\n", (unsigned)-5 / 2);
	unsigned char c = 200; int x = c * 2; printf("%d\n", x);
	signed char sc = (signed char)200; printf("%d\n", sc);
	return 0;
}
