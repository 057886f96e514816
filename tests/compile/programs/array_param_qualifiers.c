/*
 * Array parameters with qualifiers and sizes that only document the call:
 * [const *], [static N], [const N], and a size naming an earlier parameter.
 */
#include <stdio.h>

int first(int a[const *]);
int sum3(int a[static 3]);
int last(int n, int a[n]);

int
first(int a[const 2])
{
	return (a[0]);
}

int
sum3(int a[static 3])
{
	return (a[0] + a[1] + a[2]);
}

int
last(int n, int a[n])
{
	return (a[n - 1]);
}

static int
cells(int rows, int m[][4], int r, int c)
{
	return (rows * 100 + m[r][c]);
}

int
main(void)
{
	int v[4] = { 4, 5, 6, 7 };
	int m[2][4] = { { 1, 2, 3, 4 }, { 5, 6, 7, 8 } };

	printf("%d %d %d %d\n", first(v), sum3(v + 1), last(4, v), cells(2, m, 1, 2));
	return (0);
}
