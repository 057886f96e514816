#include <stdio.h>
static void swap(int *a, int *b) { int t = *a; *a = *b; *b = t; }
static void quick(int *v, int lo, int hi) {
	int i, last;
	if (lo >= hi) return;
	swap(&v[lo], &v[(lo + hi) / 2]);
	last = lo;
	for (i = lo + 1; i <= hi; i++) if (v[i] < v[lo]) swap(&v[++last], &v[i]);
	swap(&v[lo], &v[last]);
	quick(v, lo, last - 1); quick(v, last + 1, hi);
}
int main(void) {
	int v[200], i; unsigned seed = 12345;
	for (i = 0; i < 200; i++) { seed = seed * 1103515245 + 12345; v[i] = (int)(seed >> 16) % 1000 - 500; }
	quick(v, 0, 199);
	for (i = 0; i < 200; i += 10) printf("%d ", v[i]);
	for (i = 1; i < 200; i++) if (v[i - 1] > v[i]) return 1;
	printf("\nsorted\n");
	return 0;
}
