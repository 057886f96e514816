/*
 * Struct designators out of order and repeated (the last one wins), members after
 * a designated one, GNU range designators `[a ... b]`, and a braced list that
 * initializes a member again.
 */
#include <stdio.h>

struct rec {
	int a, b, c, d;
};

static struct rec r1 = { .c = 3, .a = 1, .b = 2 };
static struct rec r2 = { .a = 1, .a = 5, 9, .d = 4, .c = 7 };
static int table[12] = { [2 ... 5] = 7, [8] = 1, 2, [0 ... 1] = -1, [4] = 40 };
static struct rec many[5] = { [1 ... 3] = { 1, 2, 3, 4 }, [2].c = 30 };
static unsigned char map[256] = { ['a' ... 'z'] = 1, ['0' ... '9'] = 2, ['_'] = 3 };

static void
show(const char *name, struct rec *r)
{
	printf("%s: %d %d %d %d\n", name, r->a, r->b, r->c, r->d);
}

int
main(void)
{
	struct rec l1 = { .d = 1, .b = 2, 3, .a = 4 };
	int lt[6] = { [1 ... 4] = 9, [3] = 3 };
	int i, sum;

	show("r1", &r1);
	show("r2", &r2);
	show("l1", &l1);
	for (i = 0; i < 12; i++)
		printf("%d ", table[i]);
	printf("\n");
	for (i = 0; i < 6; i++)
		printf("%d ", lt[i]);
	printf("\n");
	for (i = 0; i < 5; i++)
		show("many", &many[i]);
	for (i = sum = 0; i < 256; i++)
		sum += map[i] * i;
	printf("map %d %d %d %d\n", map['q'], map['5'], map['_'], sum);
	return (0);
}
