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
 * CPU: sort 100,000 pseudo-random integers with qsort and check the
 * order and a weighted sum of the result, then compute the CRC-32 (the
 * IEEE 802.3 polynomial, as zlib's crc32) of 1 MiB of pseudo-random
 * bytes.  Both results are checked against values computed once on the
 * build host (Python's sorted() and binascii.crc32 on the same numbers).
 */

#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>

#define	N		100000
#define	CRCBYTES	(1024 * 1024)

#define	KNOWN_SORT_SUM	0xef24efbcU
#define	KNOWN_CRC	0x1da381b3U

static int		a[N];
static unsigned char	bytes[CRCBYTES];
static unsigned int	crctab[256];

static unsigned int
lcg(unsigned int x)
{

	return (x * 1103515245U + 12345U);
}

static int
cmp(const void *p, const void *q)
{
	int x, y;

	x = *(const int *)p;
	y = *(const int *)q;
	return (x < y ? -1 : x > y);
}

static unsigned int
crc32(const unsigned char *buf, unsigned int len)
{
	unsigned int c, k, i;

	for (i = 0; i < 256; i++) {
		c = i;
		for (k = 0; k < 8; k++)
			c = (c & 1) ? 0xedb88320U ^ (c >> 1) : c >> 1;
		crctab[i] = c;
	}
	c = 0xffffffffU;
	for (i = 0; i < len; i++)
		c = crctab[(c ^ buf[i]) & 0xff] ^ (c >> 8);
	return (c ^ 0xffffffffU);
}

int
main(int argc, char **argv)
{
	unsigned int x, sum, crc;
	int i;

	x = 1;
	for (i = 0; i < N; i++) {
		x = lcg(x);
		a[i] = (int)(x >> 8) - (1 << 23);
	}
	qsort(a, N, sizeof(a[0]), cmp);
	sum = 0;
	for (i = 0; i < N; i++) {
		if (i > 0 && a[i - 1] > a[i]) {
			printf("cpu: not sorted at %d\n", i);
			return (1);
		}
		sum += (unsigned int)a[i] * (unsigned int)(i + 1);
	}

	x = 12345;
	for (i = 0; i < CRCBYTES; i++) {
		x = lcg(x);
		bytes[i] = (unsigned char)(x >> 16);
	}
	crc = crc32(bytes, CRCBYTES);

	if (sum != KNOWN_SORT_SUM || crc != KNOWN_CRC) {
		printf("cpu: sort sum 0x%08x (expected 0x%08x), crc 0x%08x "
		    "(expected 0x%08x)\n", sum, KNOWN_SORT_SUM, crc, KNOWN_CRC);
		return (1);
	}
	printf("cpu: sorted %d integers (sum 0x%08x), CRC-32 of 1 MiB is "
	    "0x%08x, both as expected\n", N, sum, crc);
	return (0);
}
