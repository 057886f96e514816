/*
 * `union __attribute__((packed)) tag` (the attribute between the keyword and the
 * tag) and the same for a struct: the layout is packed as gcc lays it out.
 */
#include <stdio.h>

union __attribute__((packed)) pu {
	char c;
	int i;
};

struct __attribute__((packed)) ps {
	char c;
	union pu u;
	short s;
};

struct plain {
	char c;
	union pu u;
};

int
main(void)
{
	struct ps s;
	union pu u;

	u.i = 0x11223344;
	s.c = 1;
	s.u = u;
	s.s = 7;
	printf("%d %d %d %d\n", (int)sizeof(union pu), (int)sizeof(struct ps),
	    (int)sizeof(struct plain), s.u.c);
	printf("%d %d\n", s.s, s.u.i == 0x11223344);
	return (0);
}
