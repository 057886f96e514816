/*
 * Compound literals in static initializers: `&(struct t){ ... }` and array
 * literals `(int[]){ ... }` have static storage at file scope.
 */
#include <stdio.h>

struct pt {
	int x, y;
};

typedef struct pt pt_t;

static struct pt *origin = &(struct pt){ 3, 4 };
static pt_t *other = &(pt_t){ .y = 6 };
static int *primes = (int[]){ 2, 3, 5, 7, 11 };
static const char *names[] = { "zero", "one" };
static struct {
	const char *name;
	int *vals;
} entries[] = {
	{ "a", (int[]){ 10, 20 } },
	{ "b", (int[]){ 30 } },
};
static int scalar = (int){ 17 };

int
main(void)
{
	printf("%d %d %d %d\n", origin->x, origin->y, other->x, other->y);
	printf("%d %d %d\n", primes[0], primes[2], primes[4]);
	printf("%s %s %d %d %d\n", names[1], entries[1].name, entries[0].vals[1],
	    entries[1].vals[0], scalar);
	origin->x = 30;
	printf("%d\n", origin->x);
	return (0);
}
