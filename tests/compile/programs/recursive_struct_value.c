#include <stdio.h>
struct pair { long long a; int b; };
static struct pair step(struct pair p, int n) {
	if (n == 0) return p;
	p.a = p.a * 3 + n; p.b ^= n;
	return step(p, n - 1);
}
int main(void) {
	struct pair p = { 1, 0 };
	struct pair r = step(p, 20);
	printf("%lld %d %lld\n", r.a, r.b, p.a);
	return 0;
}
