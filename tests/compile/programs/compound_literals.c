#include <stdio.h>
struct pt { int x, y; };
static int dot(struct pt a, struct pt b) { return a.x * b.x + a.y * b.y; }
static int sum(const int *v, int n) { int s = 0; while (n--) s += *v++; return s; }
int main(void) {
	printf("%d\n", dot((struct pt){ 1, 2 }, (struct pt){ 3, 4 }));
	printf("%d\n", sum((int[]){ 1, 2, 3, 4, 5 }, 5));
	struct pt *p = &(struct pt){ 7, 8 };
	p->x += 1; printf("%d %d\n", p->x, p->y);
	return 0;
}
