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
 * The physical page allocator.  Pages are named by physical address; a
 * bitmap records which of the pages in phys_avail[] are in use, and
 * vm_page_array[] holds what the VM system knows about each page: how
 * many user mappings share it (copy-on-write after fork).
 */

#ifndef _VM_VM_PAGE_H_
#define	_VM_VM_PAGE_H_

/*
 * One physical page.  ref_count counts the user address spaces that map
 * the page: vm_page_alloc() hands the page out with one reference, a
 * fork adds one per child sharing it, and the last vm_page_unref() frees
 * it.  A page with more than one reference is mapped read-only
 * everywhere; a write to it makes a private copy (vm_fault()).
 */
struct vm_page {
	u_short	ref_count;		/* user mappings of the page */
};

extern	struct vm_page vm_page_array[];
#define	PHYS_TO_VM_PAGE(pa)	(&vm_page_array[atop(pa)])

extern	u_int	cnt_v_page_count;	/* pages managed */
extern	u_int	cnt_v_free_count;	/* pages free */

void		vm_page_startup __P((void));
vm_paddr_t	vm_page_alloc __P((void));
void		vm_page_free __P((vm_paddr_t pa));
void		vm_page_ref __P((vm_paddr_t pa));
void		vm_page_unref __P((vm_paddr_t pa));
vm_offset_t	kmem_alloc __P((vm_size_t size));
vm_offset_t	kmem_alloc_pageable __P((vm_size_t size));
vm_offset_t	kmem_alloc_nofault __P((vm_size_t size));
void		kmem_free_nofault __P((vm_offset_t addr, vm_size_t size));

#endif /* !_VM_VM_PAGE_H_ */
