/*
 * Anonymous struct and union members in initializers: without braces they take
 * one item (a union's first member), so the items after them go on to the next
 * named member; designators reach their members by name.
 */
#include <stdio.h>

struct an {
	int a;
	union {
		int b;
		char c;
	};
	int d;
	struct {
		short e, f;
	};
	int g;
};

static struct an s1 = { 1, 2, 3, 4, 5, 6 };
static struct an s2 = { .c = 'z', .f = 9, 10 };

int
main(void)
{
	struct an l1 = { 11, 12, 13, 14, 15, 16 };
	struct an l2 = { .d = 1, .e = 2, 3, 4 };

	printf("%d %d %d %d %d %d\n", s1.a, s1.b, s1.d, s1.e, s1.f, s1.g);
	printf("%d %d %d %d\n", s2.c, s2.f, s2.g, s2.a);
	printf("%d %d %d %d %d %d\n", l1.a, l1.b, l1.d, l1.e, l1.f, l1.g);
	printf("%d %d %d %d\n", l2.d, l2.e, l2.f, l2.g);
	return (0);
}
