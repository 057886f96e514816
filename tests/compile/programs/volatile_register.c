#include <stdio.h>
static volatile int ticks;
int main(void) {
	register int i; register unsigned acc = 0;
	const int limit = 1000;
	for (i = 0; i < limit; i++) { ticks++; acc += i ^ ticks; }
	volatile char buf[4] = { 'v', 'o', 'l', 0 };
	printf("%d %u %c%c%c\n", ticks, acc, buf[0], buf[1], buf[2]);
	return 0;
}
