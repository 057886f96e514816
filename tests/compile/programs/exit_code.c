#include <stdio.h>
#include <stdlib.h>
static void finish(int code) { printf("finishing with %d\n", code); exit(code); }
int main(void) {
	printf("before\n");
	finish(42);
	printf("after\n");
	return 0;
}
