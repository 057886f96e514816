#include <stdio.h>
struct big { int v[10]; char tag[8]; };
static struct big make(int base) { struct big b; int i; for (i = 0; i < 10; i++) b.v[i] = base + i; b.tag[0] = 'B'; b.tag[1] = 0; return b; }
static struct big twice(struct big b) { int i; for (i = 0; i < 10; i++) b.v[i] *= 2; return b; }
int main(void) {
	struct big x = twice(make(5)), y;
	y = make(100);
	printf("%d %d %s %d %d\n", x.v[0], x.v[9], x.tag, y.v[3], make(1).v[4]);
	return 0;
}
