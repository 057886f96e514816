/*
 * Designator chains in array-of-struct initializers: `[i].member = value` (a
 * designator followed by a member designator), deeper chains, and the items after
 * a designated one continuing from the designated member.
 */
#include <stdio.h>

struct point {
	int x, y;
};

struct seg {
	struct point a, b;
	int tag;
};

static struct point pts[4] = { [1].y = 5, [2].x = 7, 8, [0] = { 1, 2 } };
static struct seg segs[3] = { [1].b.y = 9, 10, [2].a = { 3, 4 }, [0].tag = 6 };
static int grid[3][4] = { [1][2] = 12, 13, [2] = { 20, 21 }, [0][3] = 3 };

int
main(void)
{
	struct point lp[3] = { [2].y = 42, [0].x = -1, -2 };
	struct seg ls = { .b.x = 5, 6, .a.y = 7 };
	int i, j;

	for (i = 0; i < 4; i++)
		printf("pts[%d] = %d %d\n", i, pts[i].x, pts[i].y);
	for (i = 0; i < 3; i++)
		printf("segs[%d] = %d %d %d %d %d\n", i, segs[i].a.x, segs[i].a.y,
		    segs[i].b.x, segs[i].b.y, segs[i].tag);
	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++)
			printf("%d%c", grid[i][j], j == 3 ? '\n' : ' ');
	for (i = 0; i < 3; i++)
		printf("lp[%d] = %d %d\n", i, lp[i].x, lp[i].y);
	printf("ls = %d %d %d %d %d\n", ls.a.x, ls.a.y, ls.b.x, ls.b.y, ls.tag);
	return (0);
}
