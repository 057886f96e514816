#include <stdio.h>
int main(void) {
	long long a = (signed char)200, b = (unsigned char)200, c = (short)-2, d = (unsigned short)-2;
	unsigned long long e = (signed char)-1, f = (unsigned)-1, g = -1;
	long long h = (int)0x80000000U, i = 0x80000000U;
	printf("%lld %lld %lld %lld\n", a, b, c, d);
	printf("%llu %llu %llu\n", e, f, g);
	printf("%lld %lld\n", h, i);
	int j = (char)(signed char)-3 * 2; unsigned k = (unsigned char)-3 + 0u;
	printf("%d %u %d\n", j, k, (int)(long long)-7 / 2);
	return 0;
}
