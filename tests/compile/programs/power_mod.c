#include <stdio.h>
static unsigned long long powmod(unsigned long long b, unsigned long long e, unsigned long long m) {
	unsigned long long r = 1; b %= m;
	while (e) { if (e & 1) r = r * b % m; b = b * b % m; e >>= 1; }
	return r;
}
static int is_prime(unsigned n) { unsigned d; if (n < 2) return 0; for (d = 2; d * d <= n; d++) if (n % d == 0) return 0; return 1; }
int main(void) {
	printf("%llu %llu %llu\n", powmod(2, 10, 1000), powmod(3, 200, 1000000007ULL), powmod(7, 12345, 65521));
	int c = 0; unsigned n; for (n = 1000000; n < 1000200; n++) c += is_prime(n);
	printf("%d\n", c);
	return 0;
}
