#include <stdio.h>
int main(void) {
	unsigned char a = 200, b = 100;
	unsigned short s1 = 60000, s2 = 60000;
	printf("%d %d\n", a + b, (unsigned char)(a + b));
	printf("%u\n", (unsigned)(s1 * s2));
	char c = -1; unsigned u = c; printf("%u\n", u);
	printf("%d\n", -1 < 0u);
	printf("%d\n", (unsigned char)-1 > 0);
	long long ll = 1; printf("%lld\n", ll << 35 | 0x80000000U);
	int i = -7; printf("%d %u\n", i / 2, (unsigned)i / 2);
	printf("%d\n", (int)(sizeof(char) + sizeof(short) * 10 + sizeof(int) * 100 + sizeof(long long) * 1000));
	return 0;
}
