#include <stdio.h>
int main(void) {
	int a[10], i; int *mid = &a[5];
	for (i = 0; i < 10; i++) a[i] = 100 + i;
	printf("%d %d %d\n", mid[-5], mid[-1], mid[4]);
	char s[] = "abcdef"; char *end = s + 6;
	printf("%c %c %d\n", end[-1], *(end - 6), (int)(end - s));
	int *p = a + 10; while (p > a) printf("%d ", *--p - 100);
	printf("\n");
	return 0;
}
