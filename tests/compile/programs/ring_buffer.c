#include <stdio.h>
#define RB 8
struct ring { unsigned head, tail; int buf[RB]; };
static int rb_put(struct ring *r, int v) { if (r->head - r->tail == RB) return -1; r->buf[r->head++ % RB] = v; return 0; }
static int rb_get(struct ring *r, int *v) { if (r->head == r->tail) return -1; *v = r->buf[r->tail++ % RB]; return 0; }
int main(void) {
	struct ring r = { 0 }; int i, v, got = 0, fails = 0;
	for (i = 0; i < 30; i++) {
		if (rb_put(&r, i) < 0) fails++;
		if (i % 3 == 0 && rb_get(&r, &v) == 0) got += v;
	}
	while (rb_get(&r, &v) == 0) printf("%d ", v);
	printf("\ngot %d fails %d\n", got, fails);
	return 0;
}
