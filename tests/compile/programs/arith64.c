#include <stdio.h>
int main(void) {
	long long a = 123456789012345LL, b = -987654321LL;
	unsigned long long u = 18446744073709551615ULL;
	printf("%lld %lld %lld\n", a + b, a - b, a * 3);
	printf("%lld %lld\n", a / b, a % b);
	printf("%llu %llx\n", u, u / 3);
	printf("%llu\n", u >> 1);
	printf("%d %d\n", a > b, (unsigned long long)b > (unsigned long long)a);
	int i = -5; long long w = i; unsigned int ui = 4000000000U; long long w2 = ui;
	printf("%lld %lld\n", w, w2);
	long long sh = 1; sh <<= 40; printf("%lld %lld\n", sh, sh >> 38);
	printf("%d\n", (int)(a & 0xffff));
	unsigned long long m = 0x123456789abcdefULL; printf("%llx %llx\n", m * 16, ~m);
	long long fact = 1; for (i = 1; i <= 20; i++) fact *= i; printf("%lld\n", fact);
	return 0;
}
