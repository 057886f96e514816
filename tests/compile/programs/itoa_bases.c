#include <stdio.h>
static char *itoa_base(int v, int base, char *buf) {
	char tmp[40]; int i = 0, neg = v < 0; unsigned u = neg ? -(unsigned)v : (unsigned)v; char *p = buf;
	do { tmp[i++] = "0123456789abcdefghijklmnopqrstuvwxyz"[u % base]; u /= base; } while (u);
	if (neg) *p++ = '-';
	while (i) *p++ = tmp[--i];
	*p = 0;
	return buf;
}
int main(void) {
	char b[40], b2[40], b3[40]; int bases[] = { 2, 8, 10, 16, 36 }, i;
	for (i = 0; i < 5; i++) printf("%s %s %s\n", itoa_base(255, bases[i], b), itoa_base(-1000, bases[i], b2), itoa_base(-2147483647 - 1, bases[i], b3));
	return 0;
}
