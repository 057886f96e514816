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
 * Page faults in user address spaces.  A missing page inside a map entry
 * is a zero-filled page (demand zero); a write to a page that fork left
 * shared is a private copy (copy on write), or just the write permission
 * back when no one else maps the page any more.  Anything else is the
 * caller's to turn into a signal or EFAULT.
 */

#include <sys/param.h>
#include <sys/systm.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

u_int	cnt_v_zfod;			/* pages zero filled on demand */
u_int	cnt_v_cow_faults;		/* copy-on-write faults */
u_int	cnt_v_cow_optim;		/* COW faults on pages no longer shared */

int
vm_fault(map, vaddr, fault_type, fault_flags)
	vm_map_t map;
	vm_offset_t vaddr;
	vm_prot_t fault_type;
	int fault_flags;
{
	vm_map_entry_t entry;
	vm_offset_t va;
	vm_paddr_t pa, newpa;
	pmap_t pmap;

	va = trunc_page(vaddr);
	if (!vm_map_lookup_entry(map, va, &entry))
		return (KERN_INVALID_ADDRESS);
	if ((fault_type & entry->protection) != fault_type)
		return (KERN_PROTECTION_FAILURE);

	pmap = map->pmap;
	pa = pmap_extract(pmap, va);
	if (pa == 0) {
		newpa = vm_page_alloc();
		if (newpa == 0)
			return (KERN_RESOURCE_SHORTAGE);
		pmap_zero_page(newpa);
		pmap_enter(pmap, va, newpa, entry->protection, FALSE);
		cnt_v_zfod++;
		return (KERN_SUCCESS);
	}
	pa = trunc_page(pa);

	/*
	 * A read of a page that is mapped: the mapping is fine (the fault
	 * was on a stale TLB entry); retry.
	 */
	if ((fault_type & VM_PROT_WRITE) == 0)
		return (KERN_SUCCESS);

	if (PHYS_TO_VM_PAGE(pa)->ref_count > 1) {
		newpa = vm_page_alloc();
		if (newpa == 0)
			return (KERN_RESOURCE_SHORTAGE);
		pmap_copy_page(pa, newpa);
		/* Entering the copy drops this map's reference to pa. */
		pmap_enter(pmap, va, newpa, entry->protection, FALSE);
		cnt_v_cow_faults++;
	} else {
		pmap_enter(pmap, va, pa, entry->protection, FALSE);
		cnt_v_cow_optim++;
	}
	return (KERN_SUCCESS);
}
