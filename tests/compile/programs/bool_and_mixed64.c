#include <stdio.h>
#include <stdint.h>
int main(void) {
	_Bool b1 = 5, b2 = 0, b3 = (void *)&b1 != 0;
	int shifts[] = { 0, 1, 31, 32, 33, 63 }, i;
	uint64_t one = 1; int64_t neg = -1;
	printf("%d %d %d %d\n", b1, b2, b3, b1 + b1);
	for (i = 0; i < 6; i++) printf("%llx %lld ", one << shifts[i], neg >> shifts[i]);
	printf("\n");
	int64_t a = -5; uint32_t u = 3;
	printf("%d %d\n", a < u, (uint64_t)a > u);
	int32_t x = -8; uint64_t y = x; printf("%llu\n", y);
	uint8_t c = 0; int n = 0; do { c += 37; n++; } while (c != 0); printf("%d\n", n);
	int16_t s = -300; printf("%d %u\n", (int8_t)s, (uint16_t)s);
	printf("%lld\n", (int64_t)INT32_MIN * 2);
	printf("%d\n", (int)(UINT64_MAX >> 60));
	return 0;
}
