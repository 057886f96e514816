#include <stdio.h>
#include <stdlib.h>
int main(void) {
	char *end;
	printf("%d %d %d\n", atoi("123"), atoi("-45"), atoi("  7x"));
	printf("%ld\n", strtol("0x1f", &end, 16));
	{ long v = strtol("777z", &end, 8); printf("%ld %c\n", v, *end); }
	printf("%ld\n", strtol("0x10", 0, 0));
	printf("%d %d\n", abs(-9), abs(9));
	return 0;
}
