#include <stdio.h>
struct p { int x, y; };
enum dir { WEST = -1, NONE, EAST };
static int arr2[3][4] = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 }, { 9, 10, 11, 12 } };
static int *gp = &arr2[1][2];
static int *gp2 = arr2[2] + 1;
static char esc[] = "\x41\102\t\"q\"\\";
static struct p pick(int c, struct p a, struct p b) { return c ? a : b; }
static const char *dirname(enum dir d) { switch (d) { case WEST: return "west"; case EAST: return "east"; default: return "none"; } }
int main(void) {
	int *a, b = 2, c[3] = { 7, 8, 9 };
	struct p ps[4] = { { 1, 2 }, { 3, 4 }, { 5, 6 }, { 7, 8 } }, *q = &ps[3], *r = ps;
	long long big = 5000000000LL; unsigned long long ub = 10000000000ULL;
	a = c;
	printf("%d %d %d %d\n", *gp, *gp2, a[b], (int)(q - r));
	printf("%s %d\n", esc, (int)sizeof esc);
	struct p s = pick(0, ps[0], ps[1]);
	printf("%d %d\n", s.x, pick(1, ps[2], ps[3]).y);
	switch (big) { case 5000000000LL: printf("big\n"); break; default: printf("small\n"); }
	printf("%llu %llu\n", ub / 7, ub % 1000000007ULL);
	printf("%s %s %s\n", dirname(WEST), dirname(NONE), dirname(EAST));
	char ch = 'm';
	switch (ch) { case 'm': printf("m!\n"); break; }
	int i, j;
	for (i = 0, j = 10; i < j; i += 3, j--) ;
	printf("%d %d %d\n", i, j, (int)(sizeof arr2 / sizeof *arr2));
	return 0;
}
