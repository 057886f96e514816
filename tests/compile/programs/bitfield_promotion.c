/*
 * Integer promotion of bit-fields: a field narrower than int (unsigned ones and
 * enum ones included) has the type int in expressions, because int holds all its
 * values, so it compares and divides as signed; a 32-bit unsigned field stays
 * unsigned. (Found by Csmith, seed 885: `(-10L) >= s.f4` with `unsigned f4 : 18`.)
 */
#include <stdio.h>

enum small { S0, S1, S2 };

struct bits {
	unsigned a : 18;
	unsigned b : 32;
	unsigned char c : 3;
	unsigned short d : 16;
	enum small e : 2;
	int f : 5;
};

int
main(void)
{
	struct bits x = { 5, 5, 5, 65535, S2, -3 };
	int m = -10;

	printf("%d %d %d %d\n", m >= x.a, m >= x.b, x.a - 6 < 0, x.b - 6 < 0);
	printf("%d %d %d %d\n", x.c - 6 < 0, x.d + 1 > 65535, x.e - 3 < 0, x.f < 0);
	printf("%d %d %d\n", (x.a - 7) / 2, (int)((x.b - 7) / 2 > 0), -x.a);
	printf("%d %d\n", (x.a > -1) + (x.b > -1), x.a * -1 < 0);
	return (0);
}
