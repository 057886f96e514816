#include <stdio.h>
static void factor(unsigned n) {
	unsigned d;
	printf("%u =", n);
	for (d = 2; d * d <= n; d++) while (n % d == 0) { printf(" %u", d); n /= d; }
	if (n > 1) printf(" %u", n);
	printf("\n");
}
static unsigned gcd(unsigned a, unsigned b) { return b ? gcd(b, a % b) : a; }
int main(void) {
	factor(360); factor(97); factor(1001); factor(2147483647U); factor(4294967290U); factor(123456789);
	printf("%u %u\n", gcd(1071, 462), gcd(17, 5));
	return 0;
}
