#include <stdio.h>
struct vec { int x, y; };
struct rect { struct vec min, max; };
struct shape { const char *name; struct rect box; struct shape *parent; int tags[3]; };
static int area(const struct rect *r) { return (r->max.x - r->min.x) * (r->max.y - r->min.y); }
static struct vec add(struct vec a, struct vec b) { struct vec r; r.x = a.x + b.x; r.y = a.y + b.y; return r; }
int main(void) {
	struct shape root = { "root", { { 0, 0 }, { 10, 10 } }, 0, { 1, 2, 3 } };
	struct shape kid = { "kid", { { 2, 3 }, { 5, 9 } }, &root };
	printf("%s %d %s %d\n", kid.name, area(&kid.box), kid.parent->name, area(&kid.parent->box));
	struct vec v = add(kid.box.min, root.box.max);
	printf("%d %d %d %d\n", v.x, v.y, kid.tags[0], root.tags[2]);
	kid.parent->box.max.x = 20; printf("%d\n", area(&root.box));
	struct vec *pv = &kid.box.max; pv->y++; printf("%d\n", kid.box.max.y);
	return 0;
}
