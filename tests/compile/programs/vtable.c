#include <stdio.h>
struct shape;
struct shape_ops { int (*area)(const struct shape *); const char *(*name)(void); };
struct shape { const struct shape_ops *ops; int a, b; };
static int rect_area(const struct shape *s) { return s->a * s->b; }
static const char *rect_name(void) { return "rect"; }
static int tri_area(const struct shape *s) { return s->a * s->b / 2; }
static const char *tri_name(void) { return "tri"; }
static const struct shape_ops rect_ops = { rect_area, rect_name }, tri_ops = { tri_area, tri_name };
int main(void) {
	struct shape shapes[] = { { &rect_ops, 3, 4 }, { &tri_ops, 5, 6 }, { &rect_ops, 1, 1 } };
	int i, total = 0;
	for (i = 0; i < 3; i++) { printf("%s %d\n", shapes[i].ops->name(), shapes[i].ops->area(&shapes[i])); total += (*shapes[i].ops->area)(shapes + i); }
	printf("total %d\n", total);
	return 0;
}
