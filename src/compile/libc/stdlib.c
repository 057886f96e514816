/*
 * xenoport libc: memory allocation, exit, number parsing, qsort, rand.
 * malloc carves blocks from the heap (sys_sbrk): an 8-byte header holds the block size;
 * freed blocks of up to 1 KiB go to exact-size bins, larger ones to a first-fit
 * list. Freed memory is filled with a junk pattern (0xa5) so use-after-free shows.
 */
#include <stdlib.h>
#include <string.h>
#include "xeno.h"

#define NBINS		129		/* bins for 8..1024 bytes, by 8 */

struct block {
	size_t		 size;		/* payload size, multiple of 8 */
	struct block	*next;		/* free lists only */
};

static struct block *bins[NBINS];
static struct block *large;

void *
malloc(size_t n)
{
	struct block *b, **pp;

	n = (n + 7) & ~7U;
	if (n == 0)
		n = 8;
	if (n / 8 < NBINS) {
		b = bins[n / 8];
		if (b != NULL) {
			bins[n / 8] = b->next;
			return ((char *)b + 8);
		}
	} else {
		for (pp = &large; *pp != NULL; pp = &(*pp)->next) {
			if ((*pp)->size >= n) {
				b = *pp;
				*pp = b->next;
				return ((char *)b + 8);
			}
		}
	}
	b = (struct block *)__xeno_sbrk((int)n + 8);
	if (b == (struct block *)-1)
		return (NULL);
	b->size = n;
	return ((char *)b + 8);
}

void
free(void *p)
{
	struct block *b;

	if (p == NULL)
		return;
	b = (struct block *)((char *)p - 8);
	memset(p, 0xa5, b->size);
	if (b->size / 8 < NBINS) {
		b->next = bins[b->size / 8];
		bins[b->size / 8] = b;
	} else {
		b->next = large;
		large = b;
	}
}

void *
calloc(size_t n, size_t size)
{
	void *p = malloc(n * size);

	if (p != NULL)
		memset(p, 0, n * size);
	return (p);
}

void *
realloc(void *p, size_t n)
{
	struct block *b;
	void *q;

	if (p == NULL)
		return (malloc(n));
	b = (struct block *)((char *)p - 8);
	if (b->size >= n)
		return (p);
	q = malloc(n);
	if (q == NULL)
		return (NULL);
	memcpy(q, p, b->size);
	free(p);
	return (q);
}

void
exit(int code)
{
	__xeno_flush_stdout();
	__xeno_exit(code);
}

void
abort(void)
{
	__xeno_flush_stdout();
	__xeno_write(2, "abort\n", 6);
	__xeno_exit(134);
}

void
__xeno_assert_fail(const char *expr, const char *file, int line)
{
	(void)expr;
	(void)file;
	(void)line;
	__xeno_write(2, "assertion failed\n", 17);
	abort();
}

unsigned long
strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;
	int neg = 0, d;

	while (*s == ' ' || (*s >= '\t' && *s <= '\r'))
		s++;
	if (*s == '-' || *s == '+')
		neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0)
		base = s[0] == '0' ? 8 : 10;
	for (;; s++) {
		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (*s >= 'a' && *s <= 'z')
			d = *s - 'a' + 10;
		else if (*s >= 'A' && *s <= 'Z')
			d = *s - 'A' + 10;
		else
			break;
		if (d >= base)
			break;
		v = v * base + d;
	}
	if (end != NULL)
		*end = (char *)s;
	return (neg ? -v : v);
}

long
strtol(const char *s, char **end, int base)
{
	return ((long)strtoul(s, end, base));
}

int
atoi(const char *s)
{
	return ((int)strtol(s, NULL, 10));
}

int
abs(int x)
{
	return (x < 0 ? -x : x);
}

long
labs(long x)
{
	return (x < 0 ? -x : x);
}

static void
swapbytes(char *a, char *b, size_t n)
{
	char t;

	while (n-- > 0) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/* Shell sort: no recursion, no extra memory. */
void
qsort(void *base, size_t n, size_t size, int (*cmp)(const void *, const void *))
{
	char *a = base;
	size_t gap, i, j;

	for (gap = n / 2; gap > 0; gap /= 2)
		for (i = gap; i < n; i++)
			for (j = i; j >= gap &&
			    cmp(a + (j - gap) * size, a + j * size) > 0; j -= gap)
				swapbytes(a + (j - gap) * size, a + j * size, size);
}

static unsigned int rand_state = 1;

int
rand(void)
{
	rand_state = rand_state * 1103515245 + 12345;
	return ((int)((rand_state >> 1) & 0x7fffffff));
}

void
srand(unsigned int seed)
{
	rand_state = seed;
}
