#include <stdio.h>
#include <stdlib.h>
#include <string.h>
static int cmpint(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }
static int cmpstr(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }
int main(void) {
	int v[] = { 5, -3, 99, 0, 42, 7, -100, 7 };
	const char *w[] = { "pear", "apple", "fig", "banana", "cherry" };
	int i;
	qsort(v, 8, sizeof(int), cmpint);
	for (i = 0; i < 8; i++) printf("%d ", v[i]);
	printf("\n");
	qsort(w, 5, sizeof(w[0]), cmpstr);
	for (i = 0; i < 5; i++) printf("%s ", w[i]);
	printf("\n");
	return 0;
}
