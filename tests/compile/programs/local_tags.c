/*
 * Struct, union and enum definitions with no declarator inside a function body,
 * used by later declarations in the same block.
 */
#include <stdio.h>

int
main(void)
{
	struct node {
		int value;
		struct node *next;
	};
	union word {
		unsigned int w;
		unsigned char b[4];
	};
	enum mode { M_OFF, M_ON = 5, M_AUTO };
	struct node n2 = { 2, 0 };
	struct node n1 = { 1, &n2 };
	union word u;
	enum mode m = M_AUTO;

	u.w = 0x01020304;
	printf("%d %d %d %d\n", n1.value, n1.next->value, u.b[0] + u.b[3], m);
	{
		struct node { char tag; };
		struct node inner = { 'x' };

		printf("%c %d\n", inner.tag, (int)sizeof(struct node));
	}
	printf("%d\n", (int)sizeof(struct node) > 4);
	return (0);
}
