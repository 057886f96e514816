#include <stdio.h>
union word { unsigned int w; unsigned short h[2]; unsigned char b[4]; };
struct tagged { int tag; union { int i; char c[4]; } u; };
int main(void) {
	union word x;
	x.w = 0x11223344;
	printf("%x %x %x %x\n", x.h[0], x.h[1], x.b[0], x.b[3]);
	x.b[1] = 0xaa; printf("%x\n", x.w);
	struct tagged t = { 1, { 0x41424344 } };
	printf("%c%c %d\n", t.u.c[0], t.u.c[3], (int)sizeof(t));
	union word y = x; y.h[1] = 0; printf("%x %x\n", y.w, x.w);
	return 0;
}
