#include <stdio.h>
int main(void) {
	int a = 10; unsigned b = 7; char c = 5; long long d = 3;
	a += 5; a -= 2; a *= 3; a /= 2; a %= 7; printf("%d\n", a);
	b <<= 4; b >>= 1; b |= 1; b &= 0x3f; b ^= 0xff; printf("%u\n", b);
	c *= 30; printf("%d\n", c);
	d <<= 33; d += a; printf("%lld\n", d);
	int arr[4] = { 1, 2, 3, 4 }, *p = arr;
	p += 2; *p *= 10; p[-1] += 100; printf("%d %d %d\n", arr[1], arr[2], *p);
	int i = 0; arr[i++] += 5; printf("%d %d\n", i, arr[0]);
	int x = 5, y = x++ + ++x; printf("%d %d\n", x, y);
	return 0;
}
