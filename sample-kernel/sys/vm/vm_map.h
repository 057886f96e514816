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
 * Address maps, in the shape of FreeBSD's <vm/vm_map.h>: a vmspace is a
 * map of the user part of an address space plus the pmap that realizes
 * it.  A map is a sorted, doubly linked list of entries, each a range of
 * pages with one protection.
 *
 * This VM has no VM objects: all user memory is anonymous, and a page
 * exists exactly when the pmap maps it.  A missing page in an entry is
 * zero-fill-on-demand; a page shared after fork is mapped read-only and
 * counted in vm_page_array[].ref_count; vm_fault() copies it on the
 * first write.  Executables are read into anonymous memory at exec time.
 */

#ifndef _VM_VM_MAP_H_
#define	_VM_VM_MAP_H_

#include <machine/pmap.h>

struct vm_map_entry {
	struct vm_map_entry *prev;	/* previous entry */
	struct vm_map_entry *next;	/* next entry */
	vm_offset_t start;		/* start address */
	vm_offset_t end;		/* end address */
	vm_prot_t protection;		/* protection code */
	vm_prot_t max_protection;	/* maximum protection */
	int	eflags;			/* MAP_ENTRY_* */
};

typedef	struct vm_map_entry *vm_map_entry_t;

#define	MAP_ENTRY_COW		0x0004	/* private: copied on write after fork */
#define	MAP_ENTRY_STACK		0x0008	/* the process stack */

struct vm_map {
	struct vm_map_entry header;	/* list of entries, circular */
	int	nentries;		/* number of entries */
	vm_size_t size;			/* virtual size */
	vm_offset_t min_offset;		/* lowest address of the map */
	vm_offset_t max_offset;		/* end of the map */
	pmap_t	pmap;			/* physical map */
};

typedef	struct vm_map *vm_map_t;

struct vmspace {
	struct	vm_map vm_map;		/* VM address map */
	struct	pmap vm_pmap;		/* private physical map */
	int	vm_refcnt;		/* number of references */
	segsz_t	vm_tsize;		/* text size (pages) */
	segsz_t	vm_dsize;		/* data size (pages) */
	segsz_t	vm_ssize;		/* stack size (pages) */
	caddr_t	vm_taddr;		/* user virtual address of text */
	caddr_t	vm_daddr;		/* user virtual address of data */
	caddr_t	vm_maxsaddr;		/* user VA at max stack growth */
};

#define	vmspace_pmap(vm)	(&(vm)->vm_pmap)

/* Results of vm_map and vm_fault calls, as FreeBSD's <vm/vm_param.h>. */
#define	KERN_SUCCESS			0
#define	KERN_INVALID_ADDRESS		1
#define	KERN_PROTECTION_FAILURE		2
#define	KERN_NO_SPACE			3
#define	KERN_INVALID_ARGUMENT		4
#define	KERN_FAILURE			5
#define	KERN_RESOURCE_SHORTAGE		6

#ifdef _KERNEL
struct proc;

extern	struct vmspace vmspace0;

void		vm_map_init __P((vm_map_t map, pmap_t pmap, vm_offset_t min,
		    vm_offset_t max));
struct vmspace	*vmspace_alloc __P((vm_offset_t min, vm_offset_t max));
struct vmspace	*vmspace_fork __P((struct vmspace *vm1));
void		vmspace_free __P((struct vmspace *vm));
void		vmspace_exec __P((struct proc *p));
int		vm_map_insert __P((vm_map_t map, vm_offset_t start,
		    vm_offset_t end, vm_prot_t prot, vm_prot_t max, int cow));
int		vm_map_delete __P((vm_map_t map, vm_offset_t start,
		    vm_offset_t end));
int		vm_map_protect __P((vm_map_t map, vm_offset_t start,
		    vm_offset_t end, vm_prot_t new_prot));
boolean_t	vm_map_lookup_entry __P((vm_map_t map, vm_offset_t address,
		    vm_map_entry_t *entry));
boolean_t	vm_map_check_protection __P((vm_map_t map, vm_offset_t start,
		    vm_offset_t end, vm_prot_t protection));
int		vm_fault __P((vm_map_t map, vm_offset_t vaddr,
		    vm_prot_t fault_type, int fault_flags));
void		vm_fork __P((struct proc *p1, struct proc *p2, int flags));
void		vm_waitproc __P((struct proc *p));
#endif

#endif /* !_VM_VM_MAP_H_ */
