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
 * The physical page allocator and a bump allocator for kernel virtual
 * space.  vm_page_startup() marks the pages of phys_avail[] free in a
 * bitmap; vm_page_alloc() hands out the lowest free page, so the order of
 * allocations, and every address the kernel prints, is the same on every
 * boot.
 */

#include <sys/param.h>
#include <sys/systm.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>

#include <machine/md_var.h>
#include <machine/vmparam.h>

#define	VM_PAGE_BITMAP_WORDS	(VM_MAX_PHYS / PAGE_SIZE / 32)

static u_int32_t vm_page_free_map[VM_PAGE_BITMAP_WORDS];	/* 1 = free */
struct vm_page vm_page_array[VM_MAX_PHYS / PAGE_SIZE];
static u_int vm_page_hint;		/* no free page below this word */

u_int	cnt_v_page_count;
u_int	cnt_v_free_count;

void
vm_page_startup()
{
	vm_paddr_t pa;
	int i;

	for (i = 0; phys_avail[i + 1] != 0; i += 2) {
		for (pa = round_page(phys_avail[i]); pa < phys_avail[i + 1];
		    pa += PAGE_SIZE) {
			if (pa >= VM_MAX_PHYS)
				break;
			vm_page_free_map[atop(pa) / 32] |= 1U << (atop(pa) % 32);
			cnt_v_page_count++;
			cnt_v_free_count++;
		}
	}
	vm_page_hint = 0;
}

/*
 * The physical address of a free page, now allocated; 0 when none is
 * left.  The page's contents are whatever they were.
 */
vm_paddr_t
vm_page_alloc()
{
	u_int w, b;

	for (w = vm_page_hint; w < VM_PAGE_BITMAP_WORDS; w++) {
		if (vm_page_free_map[w] == 0)
			continue;
		for (b = 0; b < 32; b++) {
			if (vm_page_free_map[w] & (1U << b)) {
				vm_page_free_map[w] &= ~(1U << b);
				vm_page_hint = w;
				cnt_v_free_count--;
				vm_page_array[w * 32 + b].ref_count = 1;
				return (ptoa(w * 32 + b));
			}
		}
	}
	return (0);
}

void
vm_page_free(pa)
	vm_paddr_t pa;
{
	u_int w;

	w = atop(pa) / 32;
	if (vm_page_free_map[w] & (1U << (atop(pa) % 32)))
		panic("vm_page_free: freeing free page 0x%x", pa);
	vm_page_free_map[w] |= 1U << (atop(pa) % 32);
	if (w < vm_page_hint)
		vm_page_hint = w;
	cnt_v_free_count++;
	PHYS_TO_VM_PAGE(pa)->ref_count = 0;
}

/*
 * One more user mapping shares the page.
 */
void
vm_page_ref(pa)
	vm_paddr_t pa;
{
	struct vm_page *m;

	m = PHYS_TO_VM_PAGE(pa);
	if (m->ref_count == 0 || m->ref_count == 0xffff)
		panic("vm_page_ref: page 0x%x has %d references", pa,
		    m->ref_count);
	m->ref_count++;
}

/*
 * One user mapping less; the last one frees the page.
 */
void
vm_page_unref(pa)
	vm_paddr_t pa;
{
	struct vm_page *m;

	m = PHYS_TO_VM_PAGE(pa);
	if (m->ref_count == 0)
		panic("vm_page_unref: page 0x%x has no references", pa);
	if (--m->ref_count == 0)
		vm_page_free(pa);
}

/*
 * Reserve kernel virtual space, with page tables to map it but no pages.
 */
vm_offset_t
kmem_alloc_pageable(size)
	vm_size_t size;
{
	vm_offset_t va;

	va = virtual_avail;
	virtual_avail += round_page(size);
	if (virtual_avail > virtual_end)
		panic("kmem_alloc_pageable: out of kernel virtual space");
	if (virtual_avail > kernel_vm_end)
		pmap_growkernel(virtual_avail);
	return (va);
}

/*
 * Allocate wired, zeroed kernel memory.
 */
vm_offset_t
kmem_alloc(size)
	vm_size_t size;
{
	vm_offset_t va, off;
	vm_paddr_t pa;

	va = kmem_alloc_pageable(size);
	for (off = 0; off < round_page(size); off += PAGE_SIZE) {
		pa = vm_page_alloc();
		if (pa == 0)
			panic("kmem_alloc: out of memory");
		pmap_zero_page(pa);
		pmap_kenter(va + off, pa);
	}
	return (va);
}
