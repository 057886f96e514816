#include <stdio.h>
struct desc {
	unsigned lo_limit:16;
	unsigned lo_base:24;
	unsigned type:5;
	unsigned dpl:2;
	unsigned p:1;
	unsigned hi_limit:4;
	unsigned xx:2;
	unsigned def32:1;
	unsigned gran:1;
	unsigned hi_base:8;
};
struct flags { int neg:4; unsigned u:3; unsigned :0; unsigned after:9; };
int main(void) {
	struct desc d = { 0xffff, 0x123456, 0x1a, 3, 1, 0xf, 0, 1, 1, 0xab };
	unsigned *w = (unsigned *)&d;
	printf("%d %x %x\n", (int)sizeof(d), w[0], w[1]);
	printf("%x %x %x %x %x\n", d.lo_base, d.type, d.dpl, d.hi_base, d.gran);
	d.dpl = 0; d.type = 0x12; d.hi_base = 0x1ff;
	printf("%x %x %x %x\n", w[0], w[1], d.type, d.hi_base);
	struct flags f; f.neg = -3; f.u = 9; f.after = 300;
	printf("%d %u %u %d\n", f.neg, f.u, f.after, (int)sizeof(f));
	f.neg = 7; f.neg++; printf("%d\n", f.neg);
	return 0;
}
