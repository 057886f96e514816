#include <stdio.h>
static int popcount(unsigned x) { int n = 0; while (x) { x &= x - 1; n++; } return n; }
static unsigned rotl(unsigned x, int k) { return (x << k) | (x >> (32 - k)); }
static unsigned rev(unsigned x) { unsigned r = 0; int i; for (i = 0; i < 32; i++) { r = (r << 1) | (x & 1); x >>= 1; } return r; }
int main(void) {
	printf("%d %d %d\n", popcount(0), popcount(0xff), popcount(0xffffffffU));
	printf("%x %x\n", rotl(0x80000001U, 1), rotl(0x12345678, 8));
	printf("%x\n", rev(1));
	printf("%x %x %x\n", 0xf0f0 & 0x0ff0, 0xf0f0 | 0x0f0f, 0xffff ^ 0x0f0f);
	printf("%x %d\n", ~0u, ~5);
	unsigned m = 0x12345678; printf("%x %x\n", (m >> 12) & 0xff, m & -m);
	return 0;
}
