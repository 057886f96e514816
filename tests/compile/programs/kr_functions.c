#include <stdio.h>
#define __P(protos) protos
int add3 __P((int, int, int));
static char *pick __P((char *, char *, int));
int
add3(a, b, c)
	int a, b;
	int c;
{
	return (a + b + c);
}
static char *
pick(x, y, which)
	char *x, *y;
	int which;
{
	return (which ? x : y);
}
static int twice(v) int v; { return v * 2; }
int main() {
	printf("%d %s %d\n", add3(1, 2, 3), pick("yes", "no", 0), twice(21));
	return 0;
}
