#include <stdio.h>
struct rec { int id; char name[6]; short k; };
int main(void) {
	struct rec rs[5]; struct rec *p, *end = rs + 5; int i = 0;
	for (p = rs; p < end; p++, i++) { p->id = i * 11; p->k = (short)(-i); }
	p = &rs[4];
	printf("%d %d %d\n", (int)(p - rs), p->id, (p - 2)->k);
	printf("%d\n", (int)((char *)end - (char *)rs) == (int)sizeof(rs));
	char *bytes = (char *)&rs[1]; printf("%d\n", ((struct rec *)(bytes + sizeof(struct rec)))->id);
	void *v = rs; v = (char *)v + sizeof(struct rec) * 3; printf("%d\n", ((struct rec *)v)->id);
	return 0;
}
