#include <stdio.h>
#include <stdlib.h>
struct node { int val; struct node *next; };
static struct node *push(struct node *h, int v) { struct node *n = malloc(sizeof(*n)); n->val = v; n->next = h; return n; }
static struct node *reverse(struct node *h) { struct node *p = NULL, *n; while (h) { n = h->next; h->next = p; p = h; h = n; } return p; }
int main(void) {
	struct node *h = NULL, *p;
	int i, total = 0;
	for (i = 1; i <= 10; i++) h = push(h, i * i);
	h = reverse(h);
	for (p = h; p; p = p->next) printf("%d ", p->val);
	printf("\n");
	while (h) { p = h->next; total += h->val; free(h); h = p; }
	printf("total %d\n", total);
	for (i = 0; i < 1000; i++) { void *q = malloc(i % 50 + 1); free(q); }
	int *arr = calloc(100, sizeof(int)); for (i = 0; i < 100; i++) total += arr[i];
	arr = realloc(arr, 200 * sizeof(int)); arr[199] = 5; printf("%d %d\n", total, arr[199] + arr[50]);
	free(arr);
	return 0;
}
