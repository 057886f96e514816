#include <stdio.h>
struct item { const char *name; int qty; struct { int w, h; } size; int tags[2]; };
static struct item inv[] = {
	{ "box", 3, { 10, 20 }, { 1 } },
	{ "bag", 1, { 5 }, },
	{ .name = "jar", .size = { .h = 7 }, .tags = { [1] = 9 } },
	"tin", 4, 1, 2, 3, 4,
};
int main(void) {
	int i;
	printf("%d\n", (int)(sizeof(inv) / sizeof(inv[0])));
	for (i = 0; i < 4; i++)
		printf("%s %d %dx%d [%d %d]\n", inv[i].name, inv[i].qty, inv[i].size.w, inv[i].size.h, inv[i].tags[0], inv[i].tags[1]);
	struct item local[2] = { { "a", 1, { 2, 3 }, { 4, 5 } }, inv[1] };
	printf("%s %d %s %d\n", local[0].name, local[0].tags[1], local[1].name, local[1].size.w);
	return 0;
}
