/*
 * Initializer corners, as gcc reads them: brace elision into arrays inside structs,
 * a designator into an array member followed by plain items, strings and characters
 * for rows of a char matrix, a union initialized through its first member (300 in a
 * char is 44) or by name, an unsized array sized by its largest designator, a braced
 * list that initializes a designated element again (its other members become zero),
 * address constants into members and elements, braces around bit-field items, and
 * the same for locals.
 */
#include <stdio.h>
struct A { int a[3]; int b; };
struct S { int a; struct { int x, y; } in; int c; };
struct P { int x, y; };
union U1 { int a; char b[4]; };
union U2 { char c; int i; };
struct CS { char s[4]; int n; };
struct BF { unsigned a : 4, c : 4; int d; };
static struct BF bf = { {3}, {5}, {7} };
static struct A a1 = { 1, 2, 3, 4 };
static struct A a2 = { .a[1] = 5, 6, 7 };
static int m[2][3] = { 1, 2, 3, 4 };
static char s2[2][4] = { "ab", "cd" };
static char s3[3][3] = { "ab", 'x', 'y' };
static struct CS cs = { "abc", 5 };
static union U1 u1 = { .b = "xyz" };
static union U2 u2 = { 300 };
static struct S ss = { .in.y = 2, 3 };
static int arr[] = { [5] = 1, [2] = 2, 3 };
static struct P ps[2] = { [0].y = 5, [0] = { 1 } };
static int *ptrs[] = { &ss.c, &arr[3], arr + 1 };
static struct P pq[] = { { 1, 2 }, 3, 4, [4].y = 9 };
int
main(void)
{
	struct A la = { .a[1] = 5, 6, 7 };
	struct S ls = { .in.y = 2, 3 };
	struct P lp = (struct P){ 1, 2 };
	struct P lps[2] = { [0].y = 5, [0] = { 1 } };
	union U2 lu = { 300 };
	char ls3[3][3] = { "ab", 'x', 'y' };
	struct BF lbf = { {9}, {10}, {11} };
	int i;
	printf("%d %d %d %d | %d %d %d %d\n", a1.a[0], a1.a[2], a1.b, a2.a[0], a2.a[1], a2.a[2], a2.b, m[1][0]);
	printf("%s %s %s %c%c %s %d\n", s2[0], s2[1], s3[0], s3[1][0], s3[2][0], cs.s, cs.n);
	printf("%s %d %d %d %d %d\n", u1.b, u2.c, ss.in.x, ss.in.y, ss.c, (int)(sizeof(arr) / sizeof(arr[0])));
	printf("%d %d %d %d %d\n", arr[2], arr[3], arr[5], ps[0].x, ps[0].y);
	printf("%d %d %d %d\n", *ptrs[0], *ptrs[1], *ptrs[2], (int)(sizeof(pq) / sizeof(pq[0])));
	printf("%d %d %d %d %d\n", pq[1].x, pq[1].y, pq[4].y, pq[2].x, pq[3].y);
	printf("%d %d %d %d | %d %d %d | %d %d | %d %d\n", la.a[0], la.a[1], la.a[2], la.b, ls.in.x, ls.in.y, ls.c, lp.x, lp.y, lps[0].x, lps[0].y);
	printf("%d %s %c\n", lu.c, ls3[0], ls3[1][0]);
	for (i = 0; i < 2; i++) printf("%d ", ps[i].y);
	printf("\n%d %d %d %d %d %d\n", bf.a, bf.c, bf.d, lbf.a, lbf.c, lbf.d);
	return (0);
}
