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
 * The kernel memory allocator, malloc(9), over the kmem map: a range of
 * kernel virtual space reserved at boot whose pages get physical memory
 * only while something is allocated in them.  Requests up to
 * MAXALLOCSAVE bytes are rounded to a power of two and cut from pages
 * of that size's bucket; larger ones take whole pages, contiguous in
 * virtual space.
 *
 * Unlike FreeBSD 4, which keeps freed pieces in its buckets for good, a
 * page whose pieces are all free goes back to the page allocator at
 * once, and so do the pages of a large allocation: when every process
 * has exited, every page the processes used is free again, which the
 * validation suite checks.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>

MALLOC_DEFINE(M_TEMP, "temp", "misc temporary data buffers");
MALLOC_DEFINE(M_DEVBUF, "devbuf", "device driver memory");

#define	KMEM_PAGES	4096		/* 16 MB of kernel virtual space */
#define	NBUCKETS	(PAGE_SHIFT + 1)

static struct kmembuckets bucket[NBUCKETS];
static struct kmemusage kmemusage[KMEM_PAGES];
static caddr_t kmembase, kmemlimit;
static struct malloc_type *kmemstatistics;
static int kmem_hint;			/* no free page below this index */
int	kmem_pages_used;

#define	KU_NOFAULT	(-4)		/* reserved, no page behind it */

#define	btokup(addr)	(&kmemusage[((caddr_t)(addr) - kmembase) >> PAGE_SHIFT])
#define	kuptob(kup)	(kmembase + (((kup) - kmemusage) << PAGE_SHIFT))

static int	kmem_getpages __P((int npg, int flags));
static void	kmem_putpages __P((int first, int npg));

/*
 * The bucket index for a size: the smallest power of two that holds it,
 * at least 1 << MINBUCKET.
 */
static int
kmem_bucket_index(size)
	unsigned long size;
{
	int indx;

	indx = MINBUCKET;
	while ((1UL << indx) < size)
		indx++;
	return (indx);
}

/*
 * Back npg consecutive free pages of the map with physical memory; the
 * index of the first, or -1.
 */
static int
kmem_getpages(npg, flags)
	int npg;
	int flags;
{
	vm_paddr_t pa;
	int first, i, run;

	run = 0;
	first = -1;
	for (i = kmem_hint; i < KMEM_PAGES; i++) {
		if (kmemusage[i].ku_indx != KU_FREE) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			first = i;
		if (run == npg)
			break;
	}
	if (run < npg)
		return (-1);
	if (cnt_v_free_count < (u_int)npg)
		return (-1);
	for (i = first; i < first + npg; i++) {
		pa = vm_page_alloc();
		if (pa == 0)
			panic("kmem_getpages: no page though %u were free",
			    cnt_v_free_count);
		pmap_kenter((vm_offset_t)kmembase + ptoa(i), pa);
		kmemusage[i].ku_indx = KU_CONT;
	}
	if (first == kmem_hint)
		kmem_hint = first + npg;
	kmem_pages_used += npg;
	return (first);
}

/*
 * Give npg pages of the map, from index first, back to the page
 * allocator.
 */
static void
kmem_putpages(first, npg)
	int first;
	int npg;
{
	vm_offset_t va;
	int i;

	for (i = first; i < first + npg; i++) {
		va = (vm_offset_t)kmembase + ptoa(i);
		vm_page_free(pmap_kextract(va) & PG_FRAME);
		pmap_kremove(va);
		kmemusage[i].ku_indx = KU_FREE;
		kmemusage[i].ku_freecnt = 0;
		kmemusage[i].ku_freelist = NULL;
	}
	if (first < kmem_hint)
		kmem_hint = first;
	kmem_pages_used -= npg;
}

static void
kmem_charge(type, size)
	struct malloc_type *type;
	long size;
{

	if (type->ks_calls == 0 && type->ks_next == NULL &&
	    kmemstatistics != type) {
		type->ks_next = kmemstatistics;
		kmemstatistics = type;
	}
	type->ks_calls++;
	type->ks_inuse++;
	type->ks_memuse += size;
	if (type->ks_memuse > type->ks_maxused)
		type->ks_maxused = type->ks_memuse;
}

/*
 * Allocate a block of memory.
 */
void *
malloc(size, type, flags)
	unsigned long size;
	struct malloc_type *type;
	int flags;
{
	struct kmembuckets *kbp;
	struct kmemusage *kup;
	caddr_t va, cp;
	long allocsize;
	int indx, npg, first;

	if (kmembase == NULL)
		panic("malloc: called before kmeminit");
	if (size > MAXALLOCSAVE) {
		npg = atop(round_page(size));
		first = kmem_getpages(npg, flags);
		if (first < 0)
			goto nomem;
		kup = &kmemusage[first];
		kup->ku_indx = KU_LARGE;
		kup->ku_pagecnt = npg;
		va = kuptob(kup);
		allocsize = ptoa(npg);
		goto out;
	}

	indx = kmem_bucket_index(size);
	kbp = &bucket[indx];
	allocsize = 1L << indx;
	if (kbp->kb_pages == NULL) {
		/* A new page, cut into pieces linked through their first word. */
		first = kmem_getpages(1, flags);
		if (first < 0)
			goto nomem;
		kup = &kmemusage[first];
		kup->ku_indx = indx;
		kup->ku_freecnt = PAGE_SIZE / allocsize;
		kup->ku_freelist = NULL;
		va = kuptob(kup);
		for (cp = va + PAGE_SIZE - allocsize; cp >= va; cp -= allocsize) {
			*(caddr_t *)cp = kup->ku_freelist;
			kup->ku_freelist = cp;
		}
		kup->ku_prev = NULL;
		kup->ku_next = NULL;
		kbp->kb_pages = kup;
		kbp->kb_total += kup->ku_freecnt;
		kbp->kb_totalfree += kup->ku_freecnt;
	}
	kup = kbp->kb_pages;
	va = kup->ku_freelist;
	kup->ku_freelist = *(caddr_t *)va;
	kup->ku_freecnt--;
	kbp->kb_totalfree--;
	kbp->kb_calls++;
	if (kup->ku_freecnt == 0) {
		/* The page is full: off the bucket's list. */
		kbp->kb_pages = kup->ku_next;
		if (kup->ku_next != NULL)
			kup->ku_next->ku_prev = NULL;
		kup->ku_next = NULL;
	}
out:
	kmem_charge(type, allocsize);
	if (flags & M_ZERO)
		bzero(va, size);
	return ((void *)va);

nomem:
	if (flags & M_NOWAIT)
		return (NULL);
	panic("malloc: out of kernel memory (%lu bytes of %s, %u pages free)",
	    size, type->ks_shortdesc, cnt_v_free_count);
	/* NOTREACHED */
}

/*
 * Free a block of memory allocated by malloc.
 */
void
free(addr, type)
	void *addr;
	struct malloc_type *type;
{
	struct kmembuckets *kbp;
	struct kmemusage *kup;
	long allocsize;
	int npg;

	if ((caddr_t)addr < kmembase || (caddr_t)addr >= kmemlimit)
		panic("free: address %p outside the kmem map", addr);
	kup = btokup(addr);
	if (kup->ku_indx == KU_LARGE) {
		if (((vm_offset_t)addr & PAGE_MASK) != 0)
			panic("free: unaligned large block %p", addr);
		npg = kup->ku_pagecnt;
		allocsize = ptoa(npg);
		kmem_putpages(kup - kmemusage, npg);
	} else if (kup->ku_indx >= MINBUCKET && kup->ku_indx < NBUCKETS) {
		allocsize = 1L << kup->ku_indx;
		if (((vm_offset_t)addr & (allocsize - 1)) != 0)
			panic("free: unaligned addr %p, size %ld, type %s",
			    addr, allocsize, type->ks_shortdesc);
		kbp = &bucket[kup->ku_indx];
		*(caddr_t *)addr = kup->ku_freelist;
		kup->ku_freelist = (caddr_t)addr;
		if (kup->ku_freecnt++ == 0) {
			/* It has a free piece again: back on the list. */
			kup->ku_prev = NULL;
			kup->ku_next = kbp->kb_pages;
			if (kbp->kb_pages != NULL)
				kbp->kb_pages->ku_prev = kup;
			kbp->kb_pages = kup;
		}
		kbp->kb_totalfree++;
		if (kup->ku_freecnt == PAGE_SIZE / allocsize) {
			/* Every piece is free: the page goes back. */
			if (kup->ku_prev != NULL)
				kup->ku_prev->ku_next = kup->ku_next;
			else
				kbp->kb_pages = kup->ku_next;
			if (kup->ku_next != NULL)
				kup->ku_next->ku_prev = kup->ku_prev;
			kup->ku_next = kup->ku_prev = NULL;
			kbp->kb_total -= kup->ku_freecnt;
			kbp->kb_totalfree -= kup->ku_freecnt;
			kmem_putpages(kup - kmemusage, 1);
		}
	} else
		panic("free: address %p not allocated (type %s)", addr,
		    type->ks_shortdesc);
	type->ks_inuse--;
	type->ks_memuse -= allocsize;
}

/*
 * Reserve size bytes of kernel virtual space in the kmem map without
 * memory behind them, for the caller to map pages of its own (a page
 * directory's window).  The space is reused once freed.
 */
vm_offset_t
kmem_alloc_nofault(size)
	vm_size_t size;
{
	int i, run, first;

	run = 0;
	first = -1;
	for (i = kmem_hint; i < KMEM_PAGES && run < (int)atop(round_page(size));
	    i++) {
		if (kmemusage[i].ku_indx != KU_FREE) {
			run = 0;
			continue;
		}
		if (run++ == 0)
			first = i;
	}
	if (run < (int)atop(round_page(size)))
		panic("kmem_alloc_nofault: kmem map full");
	for (i = first; i < first + run; i++)
		kmemusage[i].ku_indx = KU_NOFAULT;
	if (first == kmem_hint)
		kmem_hint = first + run;
	return ((vm_offset_t)kmembase + ptoa(first));
}

void
kmem_free_nofault(addr, size)
	vm_offset_t addr;
	vm_size_t size;
{
	int i, first;

	first = atop(addr - (vm_offset_t)kmembase);
	for (i = first; i < first + (int)atop(round_page(size)); i++) {
		if (kmemusage[i].ku_indx != KU_NOFAULT)
			panic("kmem_free_nofault: 0x%x not reserved", addr);
		kmemusage[i].ku_indx = KU_FREE;
	}
	if (first < kmem_hint)
		kmem_hint = first;
}

/*
 * Remember how many allocations each type holds now.
 */
void
malloc_mark()
{
	struct malloc_type *type;

	for (type = kmemstatistics; type != NULL; type = type->ks_next)
		type->ks_mark = type->ks_inuse;
}

/*
 * Print the malloc types that hold more or fewer allocations than at
 * malloc_mark(), a type never used then counting from zero; returns
 * how many differ.
 */
int
malloc_print_changes()
{
	struct malloc_type *type;
	int n;

	n = 0;
	for (type = kmemstatistics; type != NULL; type = type->ks_next) {
		if (type->ks_inuse == type->ks_mark)
			continue;
		printf("malloc: %s: %ld in use, %ld before\n",
		    type->ks_shortdesc, type->ks_inuse, type->ks_mark);
		n++;
	}
	return (n);
}

/*
 * Reserve the kmem map: virtual space with page tables, no pages yet.
 */
void
kmeminit(dummy)
	void *dummy;
{
	int i;

	kmembase = (caddr_t)kmem_alloc_pageable(ptoa(KMEM_PAGES));
	kmemlimit = kmembase + ptoa(KMEM_PAGES);
	for (i = 0; i < KMEM_PAGES; i++)
		kmemusage[i].ku_indx = KU_FREE;
	kmem_hint = 0;
}
