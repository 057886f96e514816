#include <stdio.h>
static int calls;
static int t(int v) { calls++; return v; }
int main(void) {
	int a = 0, b = 5;
	int r1 = a && t(1), r2 = b || t(1);
	printf("%d %d %d\n", r1, r2, calls);
	r1 = b && t(0); r2 = a || t(2);
	printf("%d %d %d\n", r1, r2, calls);
	printf("%d %d\n", !a, !b);
	printf("%d\n", a ? t(10) : t(20));
	printf("%s\n", b > 3 ? "big" : "small");
	int m = a < b ? (b < 10 ? 1 : 2) : 3; printf("%d %d\n", m, calls);
	unsigned u = 1; int neg = -1; printf("%d\n", (neg < 0 ? neg : (int)u));
	char *p = 0; printf("%s\n", p ? p : "null");
	printf("%d\n", (a, b, a + b));
	return 0;
}
