/*-
 * Copyright (c) 2026 The xenoport project.
 * All rights reserved.
 *
 * Redistribution and use in source and binary forms, with or without
 * modification, are permitted provided that the following conditions
 * are met:
 * 1. Redistributions of source code must retain the above copyright
 *    notice, this list of conditions and the following disclaimer.
 * 2. Redistributions in binary form must reproduce the above copyright
 *    notice, this list of conditions and the following disclaimer in the
 *    documentation and/or other materials provided with the distribution.
 *
 * THIS SOFTWARE IS PROVIDED BY THE XENOPORT PROJECT AND CONTRIBUTORS ``AS IS''
 * AND ANY EXPRESS OR IMPLIED WARRANTIES, INCLUDING, BUT NOT LIMITED TO, THE
 * IMPLIED WARRANTIES OF MERCHANTABILITY AND FITNESS FOR A PARTICULAR PURPOSE
 * ARE DISCLAIMED.  IN NO EVENT SHALL THE XENOPORT PROJECT OR CONTRIBUTORS BE
 * LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, SPECIAL, EXEMPLARY, OR
 * CONSEQUENTIAL DAMAGES ARISING IN ANY WAY OUT OF THE USE OF THIS SOFTWARE,
 * EVEN IF ADVISED OF THE POSSIBILITY OF SUCH DAMAGE.
 *
 * $xenoport$
 *
 * Number conversions and sorting.
 */

#include <sys/types.h>
#include <stdlib.h>
#include <string.h>

long
strtol(const char *s, char **endp, int base)
{
	long v;
	int neg, d;

	while (*s == ' ' || *s == '\t' || *s == '\n')
		s++;
	neg = 0;
	if (*s == '-' || *s == '+')
		neg = (*s++ == '-');
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0)
		base = (s[0] == '0') ? 8 : 10;
	v = 0;
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
	if (endp != NULL)
		*endp = (char *)s;
	return (neg ? -v : v);
}

int
atoi(const char *s)
{

	return ((int)strtol(s, NULL, 10));
}

static void
swapfunc(char *a, char *b, size_t n)
{
	char t;

	while (n-- > 0) {
		t = *a;
		*a++ = *b;
		*b++ = t;
	}
}

/*
 * Quicksort with a median-of-three pivot, insertion sort for short
 * runs, and recursion on the smaller side only.
 */
void
qsort(void *a, size_t n, size_t es, int (*cmp)(const void *, const void *))
{
	char *base, *lo, *hi, *mid, *pi, *pj;
	size_t nl, nr;

	base = a;
	while (n > 7) {
		lo = base;
		hi = base + (n - 1) * es;
		mid = base + (n / 2) * es;
		if (cmp(mid, lo) < 0)
			swapfunc(mid, lo, es);
		if (cmp(hi, mid) < 0) {
			swapfunc(hi, mid, es);
			if (cmp(mid, lo) < 0)
				swapfunc(mid, lo, es);
		}
		swapfunc(mid, lo, es);		/* pivot at lo */
		pi = lo + es;
		pj = hi;
		for (;;) {
			while (pi <= pj && cmp(pi, lo) < 0)
				pi += es;
			while (pi <= pj && cmp(pj, lo) > 0)
				pj -= es;
			if (pi >= pj)
				break;
			swapfunc(pi, pj, es);
			pi += es;
			pj -= es;
		}
		swapfunc(lo, pj, es);
		nl = (pj - base) / es;
		nr = n - nl - 1;
		if (nl < nr) {
			qsort(base, nl, es, cmp);
			base = pj + es;
			n = nr;
		} else {
			qsort(pj + es, nr, es, cmp);
			n = nl;
		}
	}
	for (pi = base + es; pi < base + n * es; pi += es)
		for (pj = pi; pj > base && cmp(pj - es, pj) > 0; pj -= es)
			swapfunc(pj, pj - es, es);
}
