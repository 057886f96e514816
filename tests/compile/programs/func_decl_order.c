#include <stdio.h>
static int is_even(unsigned n);
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
extern int later_global;
static int read_later(void) { return later_global; }
int later_global = 77;
int main(void) {
	printf("%d %d %d\n", is_even(10), is_odd(7), read_later());
	return 0;
}
