#include <stdio.h>
int main(void) {
	int best = 0, bestn = 0, n;
	for (n = 1; n < 3000; n++) {
		long long x = n; int steps = 0;
		while (x != 1) { x = x & 1 ? 3 * x + 1 : x / 2; steps++; }
		if (steps > best) { best = steps; bestn = n; }
	}
	printf("%d %d\n", bestn, best);
	return 0;
}
