#include <stdio.h>
static int counter(void) { static int n; return ++n; }
static const char *name(int i) { static const char *names[] = { "zero", "one", "two" }; return names[i]; }
static int fibmemo(int n) { static int memo[50]; if (n < 2) return n; if (memo[n]) return memo[n]; return memo[n] = fibmemo(n - 1) + fibmemo(n - 2); }
int main(void) {
	counter(); counter();
	printf("%d %s %s %d\n", counter(), name(1), name(2), fibmemo(40));
	{ static int x = 5; x++; printf("%d\n", x); }
	return 0;
}
