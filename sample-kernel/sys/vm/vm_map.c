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
 * Virtual memory maps (see vm_map.h): inserting, clipping, deleting and
 * protecting the entries of a map, and the life of a vmspace: created
 * for proc0 and by fork (vmspace_fork, which shares every page
 * copy-on-write), emptied by exec, freed when its last process is reaped.
 *
 * Invariants: entries are sorted, never overlap, and lie inside
 * [min_offset, max_offset); every page the pmap maps in the user range
 * lies inside an entry, so deleting the entries frees the pages
 * (pmap_remove drops the page references).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/proc.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

#include <machine/vmparam.h>

MALLOC_DEFINE(M_VMMAP, "VM map", "VM map structures");
MALLOC_DEFINE(M_VMMAPENT, "VM map entry", "VM map entries");

struct vmspace vmspace0;

static void	vm_map_clip_start __P((vm_map_t map, vm_map_entry_t entry,
		    vm_offset_t start));
static void	vm_map_clip_end __P((vm_map_t map, vm_map_entry_t entry,
		    vm_offset_t end));
static void	vm_map_entry_link __P((vm_map_t map, vm_map_entry_t after,
		    vm_map_entry_t entry));
static void	vm_map_entry_unlink __P((vm_map_t map, vm_map_entry_t entry));

void
vm_map_init(map, pmap, min, max)
	vm_map_t map;
	pmap_t pmap;
	vm_offset_t min, max;
{

	map->header.next = map->header.prev = &map->header;
	map->nentries = 0;
	map->size = 0;
	map->min_offset = min;
	map->max_offset = max;
	map->pmap = pmap;
}

static void
vm_map_entry_link(map, after, entry)
	vm_map_t map;
	vm_map_entry_t after;
	vm_map_entry_t entry;
{

	map->nentries++;
	entry->prev = after;
	entry->next = after->next;
	entry->next->prev = entry;
	after->next = entry;
}

static void
vm_map_entry_unlink(map, entry)
	vm_map_t map;
	vm_map_entry_t entry;
{

	map->nentries--;
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
}

/*
 * Find the entry containing address: TRUE and that entry, or FALSE and
 * the entry just before address (the header when there is none).
 */
boolean_t
vm_map_lookup_entry(map, address, entry)
	vm_map_t map;
	vm_offset_t address;
	vm_map_entry_t *entry;
{
	vm_map_entry_t cur;

	*entry = &map->header;
	for (cur = map->header.next; cur != &map->header; cur = cur->next) {
		if (address < cur->start)
			break;
		if (address < cur->end) {
			*entry = cur;
			return (TRUE);
		}
		*entry = cur;
	}
	return (FALSE);
}

/*
 * Insert an entry for [start, end), which must be free.  An entry that
 * continues its predecessor with the same attributes extends it instead
 * (the heap, grown a little at a time by obreak).
 */
int
vm_map_insert(map, start, end, prot, max, cow)
	vm_map_t map;
	vm_offset_t start, end;
	vm_prot_t prot, max;
	int cow;
{
	vm_map_entry_t prev, new_entry;

	if (start < map->min_offset || end > map->max_offset || start >= end)
		return (KERN_INVALID_ADDRESS);
	if (vm_map_lookup_entry(map, start, &prev))
		return (KERN_NO_SPACE);
	if (prev->next != &map->header && prev->next->start < end)
		return (KERN_NO_SPACE);

	if (prev != &map->header && prev->end == start &&
	    prev->protection == prot && prev->max_protection == max &&
	    prev->eflags == cow) {
		map->size += end - prev->end;
		prev->end = end;
		return (KERN_SUCCESS);
	}

	new_entry = malloc(sizeof(*new_entry), M_VMMAPENT, M_WAITOK);
	new_entry->start = start;
	new_entry->end = end;
	new_entry->protection = prot;
	new_entry->max_protection = max;
	new_entry->eflags = cow;
	vm_map_entry_link(map, prev, new_entry);
	map->size += end - start;
	return (KERN_SUCCESS);
}

/*
 * Split entry so that it starts at start.
 */
static void
vm_map_clip_start(map, entry, start)
	vm_map_t map;
	vm_map_entry_t entry;
	vm_offset_t start;
{
	vm_map_entry_t new_entry;

	if (start <= entry->start)
		return;
	new_entry = malloc(sizeof(*new_entry), M_VMMAPENT, M_WAITOK);
	*new_entry = *entry;
	new_entry->end = start;
	entry->start = start;
	vm_map_entry_link(map, entry->prev, new_entry);
}

/*
 * Split entry so that it ends at end.
 */
static void
vm_map_clip_end(map, entry, end)
	vm_map_t map;
	vm_map_entry_t entry;
	vm_offset_t end;
{
	vm_map_entry_t new_entry;

	if (end >= entry->end)
		return;
	new_entry = malloc(sizeof(*new_entry), M_VMMAPENT, M_WAITOK);
	*new_entry = *entry;
	new_entry->start = end;
	entry->end = end;
	vm_map_entry_link(map, entry, new_entry);
}

/*
 * Remove [start, end) from the map, and with it every page mapped there.
 */
int
vm_map_delete(map, start, end)
	vm_map_t map;
	vm_offset_t start, end;
{
	vm_map_entry_t entry, next;

	if (vm_map_lookup_entry(map, start, &entry))
		vm_map_clip_start(map, entry, start);
	else
		entry = entry->next;
	while (entry != &map->header && entry->start < end) {
		vm_map_clip_end(map, entry, end);
		next = entry->next;
		pmap_remove(map->pmap, entry->start, entry->end);
		map->size -= entry->end - entry->start;
		vm_map_entry_unlink(map, entry);
		free(entry, M_VMMAPENT);
		entry = next;
	}
	return (KERN_SUCCESS);
}

/*
 * Set the protection of [start, end).  Taking rights away takes them
 * from the pages at once; rights given back are granted page by page by
 * vm_fault().
 */
int
vm_map_protect(map, start, end, new_prot)
	vm_map_t map;
	vm_offset_t start, end;
	vm_prot_t new_prot;
{
	vm_map_entry_t entry;

	if (vm_map_lookup_entry(map, start, &entry))
		vm_map_clip_start(map, entry, start);
	else
		entry = entry->next;
	for (; entry != &map->header && entry->start < end;
	    entry = entry->next) {
		if ((new_prot & entry->max_protection) != new_prot)
			return (KERN_PROTECTION_FAILURE);
	}

	if (!vm_map_lookup_entry(map, start, &entry))
		entry = entry->next;
	while (entry != &map->header && entry->start < end) {
		vm_map_clip_end(map, entry, end);
		if (new_prot & ~entry->protection & VM_PROT_ALL) {
			entry->protection = new_prot;
		} else {
			entry->protection = new_prot;
			pmap_protect(map->pmap, entry->start, entry->end,
			    new_prot);
		}
		entry = entry->next;
	}
	return (KERN_SUCCESS);
}

/*
 * Whether every address of [start, end) is mapped with at least
 * protection.
 */
boolean_t
vm_map_check_protection(map, start, end, protection)
	vm_map_t map;
	vm_offset_t start, end;
	vm_prot_t protection;
{
	vm_map_entry_t entry;

	if (!vm_map_lookup_entry(map, start, &entry))
		return (FALSE);
	while (start < end) {
		if (entry == &map->header || start < entry->start)
			return (FALSE);
		if ((entry->protection & protection) != protection)
			return (FALSE);
		start = entry->end;
		entry = entry->next;
	}
	return (TRUE);
}

/*
 * A new, empty vmspace with its own page directory.
 */
struct vmspace *
vmspace_alloc(min, max)
	vm_offset_t min, max;
{
	struct vmspace *vm;

	vm = malloc(sizeof(struct vmspace), M_VMMAP, M_WAITOK | M_ZERO);
	pmap_pinit(vmspace_pmap(vm));
	vm_map_init(&vm->vm_map, vmspace_pmap(vm), min, max);
	vm->vm_refcnt = 1;
	return (vm);
}

/*
 * Drop a reference; the last one frees the pages, the page tables and
 * the directory.  Never called on the active address space's last
 * reference: a process's vmspace is freed by its parent in wait4.
 */
void
vmspace_free(vm)
	struct vmspace *vm;
{

	if (vm->vm_refcnt == 0)
		panic("vmspace_free: attempt to free already freed vmspace");
	if (--vm->vm_refcnt != 0)
		return;
	vm_map_delete(&vm->vm_map, vm->vm_map.min_offset,
	    vm->vm_map.max_offset);
	pmap_release(vmspace_pmap(vm));
	free(vm, M_VMMAP);
}

/*
 * The address space of a child: the same entries, and every page shared
 * with the parent.  Pages of writable entries become read-only in both,
 * to be copied by whichever writes first.
 */
struct vmspace *
vmspace_fork(vm1)
	struct vmspace *vm1;
{
	struct vmspace *vm2;
	vm_map_t old_map, new_map;
	vm_map_entry_t old_entry;
	vm_prot_t prot;
	int rv;

	old_map = &vm1->vm_map;
	vm2 = vmspace_alloc(old_map->min_offset, old_map->max_offset);
	new_map = &vm2->vm_map;
	vm2->vm_tsize = vm1->vm_tsize;
	vm2->vm_dsize = vm1->vm_dsize;
	vm2->vm_ssize = vm1->vm_ssize;
	vm2->vm_taddr = vm1->vm_taddr;
	vm2->vm_daddr = vm1->vm_daddr;
	vm2->vm_maxsaddr = vm1->vm_maxsaddr;

	for (old_entry = old_map->header.next; old_entry != &old_map->header;
	    old_entry = old_entry->next) {
		rv = vm_map_insert(new_map, old_entry->start, old_entry->end,
		    old_entry->protection, old_entry->max_protection,
		    old_entry->eflags);
		if (rv != KERN_SUCCESS)
			panic("vmspace_fork: vm_map_insert failed: %d", rv);
		prot = old_entry->protection;
		if (prot & VM_PROT_WRITE) {
			prot &= ~VM_PROT_WRITE;
			pmap_protect(old_map->pmap, old_entry->start,
			    old_entry->end, prot);
		}
		pmap_copy(new_map->pmap, old_map->pmap, old_entry->start,
		    old_entry->end - old_entry->start, old_entry->start);
	}
	return (vm2);
}

/*
 * Give the process p an empty address space for a new image: its own
 * vmspace emptied when nobody shares it, else a new one.
 */
void
vmspace_exec(p)
	struct proc *p;
{
	struct vmspace *oldvm, *newvm;

	oldvm = p->p_vmspace;
	if (oldvm->vm_refcnt == 1 && oldvm != &vmspace0) {
		vm_map_delete(&oldvm->vm_map, oldvm->vm_map.min_offset,
		    oldvm->vm_map.max_offset);
		newvm = oldvm;
	} else {
		newvm = vmspace_alloc(VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);
		p->p_vmspace = newvm;
		pmap_activate(vmspace_pmap(newvm));
		if (oldvm != &vmspace0)
			vmspace_free(oldvm);
	}
	newvm->vm_tsize = newvm->vm_dsize = newvm->vm_ssize = 0;
	newvm->vm_taddr = newvm->vm_daddr = newvm->vm_maxsaddr = NULL;
}
