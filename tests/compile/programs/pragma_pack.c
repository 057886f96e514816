/*
 * `#pragma pack`: pack(1) around a struct lays it out packed (bit-fields may then
 * straddle bytes, a 27-bit field across five), push and pop restore the previous
 * packing, and pack(2) caps member alignment at two.
 */
#include <stdio.h>
#include <string.h>

#pragma pack(push)
#pragma pack(1)
struct p1 {
	unsigned f0 : 25;
	unsigned short f1;
	unsigned f2 : 6;
	signed f3 : 12;
	signed f4 : 18;
	unsigned f5 : 27;
	char c;
	int i;
};
#pragma pack(pop)

struct normal {
	char c;
	int i;
};

#pragma pack(2)
struct p2 {
	char c;
	int i;
	short s;
};
#pragma pack()

static struct p1 g = { 0x1abcdef, 0xbeef, 45, -1000, -100000, 0x5a5a5a5, 'g', -7 };

int
main(void)
{
	struct p1 l = { 0x0123456, 0x1234, 3, 1000, 131000, 0x7ffffff, 'l', 70000 };
	unsigned char bytes[sizeof(struct p1)];
	unsigned sum = 0;
	size_t k;

	printf("%d %d %d\n", (int)sizeof(struct p1), (int)sizeof(struct normal), (int)sizeof(struct p2));
	printf("%x %x %d %d %d %x %c %d\n", g.f0, g.f1, g.f2, g.f3, g.f4, g.f5, g.c, g.i);
	printf("%x %x %d %d %d %x %c %d\n", l.f0, l.f1, l.f2, l.f3, l.f4, l.f5, l.c, l.i);
	l.f5 = 0x2345678;
	l.f4 = -131072;
	l.f3 += 24;
	g.f5 ^= 0x7ffffff;
	printf("%x %d %d %x %d\n", l.f5, l.f4, l.f3, g.f5, l.f2);
	memcpy(bytes, &l, sizeof(bytes));
	for (k = 0; k < sizeof(bytes); k++)
		sum = sum * 31 + bytes[k];
	printf("%u\n", sum);
	return (0);
}
