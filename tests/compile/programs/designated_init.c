#include <stdio.h>
struct opts { int verbose; int level; const char *name; int flags[4]; };
static const char *names[] = { [2] = "two", [0] = "zero", [5] = "five" };
int main(void) {
	struct opts o = { .name = "test", .level = 3, .flags = { [1] = 7, [3] = 9 } };
	int arr[8] = { [3] = 30, 31, [0] = 1 };
	int i;
	printf("%d %d %s %d %d %d\n", o.verbose, o.level, o.name, o.flags[0], o.flags[1], o.flags[3]);
	for (i = 0; i < 8; i++) printf("%d ", arr[i]);
	printf("\n%d %s %s %s\n", (int)(sizeof(names) / sizeof(names[0])), names[0], names[2], names[1] ? names[1] : "null");
	return 0;
}
