#include <stdio.h>
#define MAX(a, b) ({ int _a = (a), _b = (b); _a > _b ? _a : _b; })
#define SWAP(x, y) do { int _t = (x); (x) = (y); (y) = _t; } while (0)
int main(void) {
	int i = 3, j = 9, k;
	k = MAX(i++, j);
	printf("%d %d\n", k, i);
	SWAP(i, j); printf("%d %d\n", i, j);
	int v = ({ int s = 0, n; for (n = 1; n <= 10; n++) s += n; s; });
	printf("%d\n", v);
	return 0;
}
