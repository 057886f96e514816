/*
 * Static initializers of 64-bit objects from narrower negative constants: `-1L`
 * (a 32-bit long here) and `(-1)` sign-extend to -1, an unsigned constant
 * zero-extends, as in a conversion at run time.
 */
#include <stdio.h>
#include <stdint.h>

static const int64_t a[3] = { (-1L), -2, (int)0x80000000 };
static uint64_t b = -1;
static int64_t c = 0xffffffffu;
static int64_t d = (short)-3;
static struct {
	int64_t x;
	uint64_t y;
} e = { -5, (-7) };

int
main(void)
{
	printf("%lld %lld %lld\n", (long long)a[0], (long long)a[1], (long long)a[2]);
	printf("%llu %lld %lld\n", (unsigned long long)b, (long long)c, (long long)d);
	printf("%lld %llu\n", (long long)e.x, (unsigned long long)e.y);
	return (0);
}
