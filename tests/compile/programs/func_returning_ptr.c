#include <stdio.h>
static int store[8];
static int *slot(int i) { return &store[i & 7]; }
typedef int *(*slotfn)(int);
static slotfn get(void) { return slot; }
static char *(*pick(int w))(const char *);
static char *first(const char *s) { return (char *)s; }
static char *second(const char *s) { return (char *)s + 1; }
static char *(*pick(int w))(const char *) { return w ? second : first; }
int main(void) {
	*slot(3) = 42; *get()(11) += 1;
	printf("%d %d\n", store[3], *slot(3));
	printf("%s %s\n", pick(0)("abc"), pick(1)("abc"));
	return 0;
}
