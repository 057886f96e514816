#include <stdio.h>
#include <stdlib.h>
static void alloc_into(int **out, int n) { int i; *out = malloc(n * sizeof(int)); for (i = 0; i < n; i++) (*out)[i] = i * 10; }
static void remove_if(int **pp, int *n) { int i, j = 0; for (i = 0; i < *n; i++) if ((*pp)[i] % 20) (*pp)[j++] = (*pp)[i]; *n = j; }
int main(int argc, char **argv) {
	int *v, n = 9, i;
	char *words[] = { "a", "bb", "ccc", 0 }; char **w;
	alloc_into(&v, n);
	remove_if(&v, &n);
	for (i = 0; i < n; i++) printf("%d ", v[i]);
	for (w = words; *w; w++) printf("%s.", *w);
	printf("\n%d %d\n", argc, argv[1] == 0);
	return 0;
}
