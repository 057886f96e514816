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
 * Memory: grow the break to 8 MiB a megabyte at a time, touching every
 * page, check every page, and give it all back; twice.  The second round
 * gets the same addresses and must find its pages zero-filled again.
 */

#include <sys/types.h>
#include <stdio.h>
#include <unistd.h>

#define	MB		(1024 * 1024)
#define	TOTAL		(8 * MB)
#define	PAGE		4096
#define	ROUNDS		2

int
main(int argc, char **argv)
{
	char *base, *p;
	unsigned int off, touched;
	int round, step;

	/* Start at a page boundary: every page below is the data's. */
	base = sbrk(0);
	if (((unsigned int)base & (PAGE - 1)) != 0)
		(void)sbrk(PAGE - ((unsigned int)base & (PAGE - 1)));

	touched = 0;
	for (round = 0; round < ROUNDS; round++) {
		base = sbrk(0);
		for (step = 0; step < TOTAL / MB; step++) {
			p = sbrk(MB);
			if (p == (char *)-1) {
				printf("memory: sbrk failed at %d MiB\n", step);
				return (1);
			}
			for (off = 0; off < MB; off += PAGE) {
				if (*(unsigned int *)(p + off) != 0) {
					printf("memory: a new page is not zero\n");
					return (1);
				}
				*(unsigned int *)(p + off) =
				    (unsigned int)(p + off) ^ round;
				touched++;
			}
		}
		for (off = 0; off < TOTAL; off += PAGE)
			if (*(unsigned int *)(base + off) !=
			    ((unsigned int)(base + off) ^ round)) {
				printf("memory: page at +%u lost its data\n",
				    off);
				return (1);
			}
		if (sbrk(-TOTAL) == (void *)-1 || sbrk(0) != base) {
			printf("memory: shrinking the break failed\n");
			return (1);
		}
	}
	printf("memory: the break grew to 8 MiB and back %d times, %u pages "
	    "touched\n", ROUNDS, touched);
	return (0);
}
