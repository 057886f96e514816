#include <stdio.h>
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static unsigned ack(unsigned m, unsigned n) {
	if (m == 0) return n + 1;
	if (n == 0) return ack(m - 1, 1);
	return ack(m - 1, ack(m, n - 1));
}
int main(void) {
	int i;
	for (i = 0; i < 20; i++) printf("%d ", fib(i));
	printf("\nack(2,3)=%u ack(3,3)=%u\n", ack(2, 3), ack(3, 3));
	return fib(10) % 256;
}
