#include <stdio.h>
int main(void) {
	int a[10], *p, *q, i;
	char *c;
	for (i = 0; i < 10; i++) a[i] = i * i;
	p = a; q = &a[9];
	printf("%d %d %d\n", *p, *q, (int)(q - p));
	p += 3; printf("%d %d\n", *p, p[2]);
	printf("%d\n", *(a + 4) + 2[a]);
	c = (char *)&a[1];
	printf("%d\n", c[0]);
	*(int *)(c + 4) = 77; printf("%d\n", a[2]);
	p = &a[5]; p--; --p; printf("%d\n", *p++); printf("%d\n", *p);
	printf("%d\n", p > a && p < q);
	int **pp = &p; **pp = 5; printf("%d\n", a[4]);
	return 0;
}
