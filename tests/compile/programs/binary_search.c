#include <stdio.h>
static int bsearch_int(const int *v, int n, int key) {
	int lo = 0, hi = n - 1;
	while (lo <= hi) { int mid = lo + (hi - lo) / 2; if (v[mid] == key) return mid; if (v[mid] < key) lo = mid + 1; else hi = mid - 1; }
	return -(lo + 1);
}
int main(void) {
	int v[100], i;
	for (i = 0; i < 100; i++) v[i] = i * 3 + 1;
	printf("%d %d %d %d\n", bsearch_int(v, 100, 1), bsearch_int(v, 100, 298), bsearch_int(v, 100, 150), bsearch_int(v, 100, -5));
	return 0;
}
