#include <stdio.h>
int main(void) {
	printf("[%5d][%-5d][%05d][%+d][% d][%+d]\n", 42, 42, 42, 42, 42, -42);
	printf("[%x][%X][%#x][%#o][%o][%#X]\n", 255, 255, 255, 8, 8, 0);
	printf("[%.3d][%8.3d][%-8.3d|][%.0d]\n", 7, 7, -7, 0);
	printf("[%s][%10s][%-10s][%.2s][%5.1s]\n", "abc", "abc", "abc", "abc", "abc");
	printf("[%c][%3c][%-3c]\n", 'x', 'y', 'z');
	printf("[%u][%lu][%llu][%lld]\n", 0u, 123ul, 18446744073709551615ULL, -9223372036854775807LL - 1);
	printf("[%d][%i][%d]\n", -2147483647 - 1, 2147483647, 0);
	printf("[%%]\n");
	printf("[%*d][%-*d][%.*d]\n", 6, 1, 6, 2, 4, 3);
	printf("[%#.4x][%08x][%-08x]\n", 0xab, 0xbeef, 0xbeef);
	printf("[%hd][%hhu]\n", (short)-5, (unsigned char)250);
	char buf[8]; int n = snprintf(buf, sizeof buf, "%s", "truncated-output");
	printf("%d [%s]\n", n, buf);
	n = sprintf(buf, "%d", -123); printf("%d %s\n", n, buf);
	return 0;
}
