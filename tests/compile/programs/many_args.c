#include <stdio.h>
static long long mix(char a, short b, int c, long long d, unsigned char e, int f, long long g, int h) {
	return a + b * 2 + c * 3 + d * 4 + e * 5 + f * 6 + g * 7 + h * 8;
}
static int eight(int a, int b, int c, int d, int e, int f, int g, int h) { return a - b + c - d + e - f + g - h; }
int main(void) {
	printf("%lld\n", mix(-1, -2, 3, 10000000000LL, 200, -6, -7, 8));
	printf("%d\n", eight(1, 2, 3, 4, 5, 6, 7, 8));
	return 0;
}
