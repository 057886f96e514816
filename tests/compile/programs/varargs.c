#include <stdio.h>
#include <stdarg.h>
static int sum(int n, ...) {
	va_list ap; int s = 0;
	va_start(ap, n);
	while (n-- > 0) s += va_arg(ap, int);
	va_end(ap);
	return s;
}
static long long sumll(int n, ...) {
	va_list ap; long long s = 0;
	va_start(ap, n);
	while (n-- > 0) s += va_arg(ap, long long);
	va_end(ap);
	return s;
}
static void say(const char *fmt, ...) {
	va_list ap; char buf[100];
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("[%s]\n", buf);
}
int main(void) {
	printf("%d %d\n", sum(3, 1, 2, 3), sum(0));
	printf("%lld\n", sumll(2, 10000000000LL, -3LL));
	say("%s=%d", "x", 5);
	say("%c%c%c", 'a', 'b', 'c');
	return 0;
}
