/*
 * Enums are unsigned int when no enumerator is negative (gcc), so an enum
 * bit-field holds values up to its width unsigned; with a negative enumerator it
 * is signed. Bit-fields inside nested structs keep their place in initializers.
 */
#include <stdio.h>

enum color { RED = 1, GREEN, BIG = 200 };
enum sgn { NEG = -1, POS = 1 };

struct bf {
	enum color c : 8;
	enum sgn s : 4;
	unsigned pad : 20;
};

struct outer {
	int x;
	struct {
		unsigned lo : 4, hi : 4;
		int sv : 5;
	} in;
};

static struct outer so = { 1, { 9, 3, -7 } };

int
main(void)
{
	struct bf b;
	struct outer lo = { 2, { 15, 1, -16 } };
	enum color e = RED;

	b.c = 152;
	b.s = NEG;
	printf("%d %d %d\n", b.c, b.s, b.c > 100);
	printf("%d %d\n", e - 2 > 0, (int)sizeof(enum color));
	printf("%d %d %d %d\n", so.x, so.in.lo, so.in.hi, so.in.sv);
	printf("%d %d %d %d\n", lo.x, lo.in.lo, lo.in.hi, lo.in.sv);
	return (0);
}
