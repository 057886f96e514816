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
 * Page-fault storm: 16 MiB of fresh memory whose 4096 pages are first
 * touched in a pseudo-random order (a multiplicative permutation of the
 * page numbers), each with a word that depends on the page, then checked
 * in another order, untouched words included.
 */

#include <sys/types.h>
#include <stdio.h>
#include <unistd.h>

#define	PAGE		4096
#define	NPAGES		4096
#define	WORDS		(PAGE / 4)

static unsigned int
value(unsigned int page)
{

	return (page * 0x9e3779b9U + 0x7f4a7c15U);
}

int
main(int argc, char **argv)
{
	unsigned int *region, page, k, w, off;
	char *p;

	p = sbrk(NPAGES * PAGE + PAGE);
	if (p == (char *)-1) {
		printf("pfstorm: sbrk of 16 MiB failed\n");
		return (1);
	}
	region = (unsigned int *)(((unsigned int)p + PAGE - 1) & ~(PAGE - 1));

	for (k = 0; k < NPAGES; k++) {
		page = (k * 2731U + 1017U) % NPAGES;
		off = (page * 37U) % WORDS;
		region[page * WORDS + off] = value(page);
	}
	for (k = 0; k < NPAGES; k++) {
		page = (k * 1453U + 7U) % NPAGES;
		off = (page * 37U) % WORDS;
		for (w = 0; w < WORDS; w += 97) {
			if (w != off && region[page * WORDS + w] != 0) {
				printf("pfstorm: page %u word %u not zero\n",
				    page, w);
				return (1);
			}
		}
		if (region[page * WORDS + off] != value(page)) {
			printf("pfstorm: page %u lost its word\n", page);
			return (1);
		}
	}
	printf("pfstorm: %d pages (16 MiB) touched in a pseudo-random order, "
	    "all verified\n", NPAGES);
	return (0);
}
