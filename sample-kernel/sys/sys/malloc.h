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
 * The kernel memory allocator's interface, as FreeBSD's <sys/malloc.h>:
 * malloc(size, type, flags) and free(addr, type), each allocation
 * charged to a malloc_type that MALLOC_DEFINE declares.
 */

#ifndef _SYS_MALLOC_H_
#define	_SYS_MALLOC_H_

/* Flags to malloc. */
#define	M_WAITOK	0x0000	/* out of memory is a panic here */
#define	M_NOWAIT	0x0001	/* return NULL when out of memory */
#define	M_ZERO		0x0008	/* bzero the allocation */

struct malloc_type {
	struct malloc_type *ks_next;	/* next in the list of types in use */
	long	ks_memuse;		/* bytes held now */
	long	ks_inuse;		/* allocations held now */
	long	ks_calls;		/* allocations ever made */
	long	ks_maxused;		/* most bytes ever held at once */
	const char *ks_shortdesc;	/* printable type name */
	long	ks_mark;		/* ks_inuse at malloc_mark() */
};

#define	MALLOC_DEFINE(type, shortdesc, longdesc)			\
	struct malloc_type type[1] = { { NULL, 0, 0, 0, 0, shortdesc, 0 } }

#define	MALLOC_DECLARE(type)						\
	extern struct malloc_type type[1]

MALLOC_DECLARE(M_TEMP);
MALLOC_DECLARE(M_DEVBUF);

/*
 * Kernel memory usage per page of the kmem map: the bucket a page was
 * cut for, how many of its pieces are free (small allocations) or how
 * many pages the allocation spans (large ones).
 */
struct kmemusage {
	short	ku_indx;		/* bucket index, or KU_* */
	union {
		u_short	freecnt;	/* small: free pieces in the page */
		u_short	pagecnt;	/* large: pages in the allocation */
	} ku_un;
	caddr_t	ku_freelist;		/* small: the page's free pieces */
	struct kmemusage *ku_next;	/* small: pages of the bucket with */
	struct kmemusage *ku_prev;	/*   free pieces */
};
#define	ku_freecnt	ku_un.freecnt
#define	ku_pagecnt	ku_un.pagecnt

#define	KU_FREE		(-1)		/* page not in use */
#define	KU_LARGE	(-2)		/* first page of a large allocation */
#define	KU_CONT		(-3)		/* later page of a large allocation */

/* A bucket of pieces of one power-of-two size. */
struct kmembuckets {
	struct kmemusage *kb_pages;	/* pages with free pieces */
	long	kb_calls;		/* allocations from this bucket */
	long	kb_total;		/* pieces in the bucket's pages */
	long	kb_totalfree;		/* of which free */
};

#define	MINBUCKET	4		/* 4 => smallest piece is 16 bytes */
#define	MAXALLOCSAVE	(PAGE_SIZE / 2)	/* larger requests take whole pages */

#ifdef _KERNEL
extern	int	kmem_pages_used;	/* pages the allocator holds */

void	*malloc __P((unsigned long size, struct malloc_type *type, int flags));
void	free __P((void *addr, struct malloc_type *type));
void	kmeminit __P((void *));
void	malloc_mark __P((void));
int	malloc_print_changes __P((void));
#endif

#endif /* !_SYS_MALLOC_H_ */
