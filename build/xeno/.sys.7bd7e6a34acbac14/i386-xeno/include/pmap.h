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
 * Machine-dependent part of the pmap: the bits of a page table entry, the
 * layout of the page directory, and the recursive mappings through which
 * the kernel reaches page tables.
 *
 * The page directory maps itself at PTDPTDI, so the page tables of the
 * current address space appear as one linear array PTmap just below
 * KERNBASE, and the directory itself appears as PTD.  The last directory
 * slot, APTDPTDI, is the alternate recursive slot: loading another pmap's
 * directory there shows that pmap's page tables as APTmap at 0xFFC00000.
 */

#ifndef _MACHINE_PMAP_H_
#define	_MACHINE_PMAP_H_

/* Page table entry bits. */
#define	PG_V		0x001	/* present */
#define	PG_RW		0x002	/* read/write */
#define	PG_U		0x004	/* user accessible */
#define	PG_NC_PWT	0x008	/* write through */
#define	PG_NC_PCD	0x010	/* cache disable */
#define	PG_A		0x020	/* accessed */
#define	PG_M		0x040	/* modified */
#define	PG_PS		0x080	/* 4 MB page (directory entries only) */
#define	PG_G		0x100	/* global, not flushed on a %cr3 load */
#define	PG_AVAIL1	0x200
#define	PG_AVAIL2	0x400
#define	PG_AVAIL3	0x800
#define	PG_W		PG_AVAIL1	/* wired mapping */
#define	PG_MANAGED	PG_AVAIL2	/* page is on a managed list */
#define	PG_FRAME	(~PAGE_MASK)
#define	PG_PS_FRAME	(~PDRMASK)
#define	PG_PROT		(PG_RW|PG_U)
#define	PG_N		(PG_NC_PWT|PG_NC_PCD)

/* Page fault error code bits. */
#define	PGEX_P		0x01	/* protection violation, not a missing page */
#define	PGEX_W		0x02	/* during a write */
#define	PGEX_U		0x04	/* from user mode */

#ifdef LOCORE
#define	VADDR(pdi, pti)	(((pdi)<<PDRSHIFT)|((pti)<<PAGE_SHIFT))
#else
#define	VADDR(pdi, pti)	((vm_offset_t)(((vm_offset_t)(pdi)<<PDRSHIFT)|((pti)<<PAGE_SHIFT)))
#endif

/*
 * Layout of the page directory.  KVA_PAGES directory slots belong to the
 * kernel; two of them are the recursive slot and the per-cpu slot.
 */
#ifndef NKPT
#define	NKPT		4	/* page tables locore builds for the kernel */
#endif
#ifndef KVA_PAGES
#define	KVA_PAGES	256	/* 1 GB of kernel virtual space */
#endif
#define	NKPDE		((KVA_PAGES - 2) - XEN_HOLE_PDES)	/* kernel directory entries */

#define	XEN_HOLE_PDES	16	/* xenoport step 3: directory slots of Xen's top 64 MB */
#define	APTDPTDI	((NPDEPG-1) - XEN_HOLE_PDES)	/* alternate slot, maps APTD at below the hypervisor */
#define	MPPTDI		(APTDPTDI-1)	/* per-cpu page table slot */
#define	KPTDI		(MPPTDI-NKPDE)	/* first kernel directory entry */
#define	PTDPTDI		(KPTDI-1)	/* directory entry pointing at the directory */
#define	UMAXPTDI	(PTDPTDI-1)	/* last user directory entry */

#define	KERNBASE	VADDR(KPTDI, 0)

/* The local APIC register window, mapped at its own physical address. */
#define	LAPIC_PADDR	0xFEE00000
#define	LAPIC_VADDR	(VADDR(MPPTDI, 0) | (0xFEE00000 & PDRMASK))	/* xenoport step 3: was 0xFEE00000 */

#ifndef LOCORE

#include <machine/atomic.h>
#include <machine/xen/hypervisor.h>

/*
 * The recursive mappings, defined as absolute symbols in locore.s.
 */
extern pt_entry_t PTmap[], APTmap[];
extern pd_entry_t PTD[], APTD[];
extern pd_entry_t PTDpde, APTDpde;

extern pd_entry_t *IdlePTD;	/* physical address of proc0's directory */

/*
 * One page of page table entries, as seen through a kernel mapping of a
 * page table page.
 */
struct ptpage {
	pt_entry_t	pt_e[NPTEPG];
};

/* A pointer to a page table entry, for the code that passes them around. */
typedef	pt_entry_t	*pt_entry_ptr_t;

/* The address of the page table entry mapping va in the current space. */
static __inline pt_entry_t *
vtopte(vm_offset_t va)
{

	return (PTmap + i386_btop(va));
}

/* The same, for the space whose directory sits in the alternate slot. */
static __inline pt_entry_t *
avtopte(vm_offset_t va)
{

	return (APTmap + i386_btop(va));
}

static __inline pt_entry_t
pte_load(pt_entry_t *ptep)
{
	pt_entry_t r;

	r = *ptep;
	return (r);
}

static __inline void
pte_store(pt_entry_t *ptep, pt_entry_t pte)
{

	xen_pte_set(ptep, pte);
}

static __inline pt_entry_t
pte_load_clear(pt_entry_t *ptep)
{

	return (xen_pte_atomic_clear(ptep));
}

#define	pte_clear(ptep)		pte_store((ptep), (pt_entry_t)0)
#define	pmap_pde(m, v)		(&((m)->pm_pdir[(vm_offset_t)(v) >> PDRSHIFT]))
#define	pmap_pte_pa(pte)	(*(pte) & PG_FRAME)
#define	pmap_pte_w(pte)		((*(pte) & PG_W) != 0)
#define	pmap_pte_m(pte)		((*(pte) & PG_M) != 0)
#define	pmap_pte_v(pte)		((*(pte) & PG_V) != 0)
#define	pmap_pte_set_w(pte, v)	((v) ? (*(pte) |= PG_W) : (*(pte) &= ~PG_W))

struct pmap_statistics {
	long	resident_count;		/* pages mapped */
	long	wired_count;		/* wired pages */
};

struct pmap {
	pd_entry_t		*pm_pdir;	/* KVA of the page directory */
	vm_paddr_t		pm_cr3;		/* its physical address */
	int			pm_active;	/* loaded in %cr3 */
	int			pm_count;	/* reference count */
	struct pmap_statistics	pm_stats;
	struct pmap		*pm_next;	/* list of all pmaps */
};

typedef struct pmap	*pmap_t;

extern struct pmap	kernel_pmap_store;
#define	kernel_pmap	(&kernel_pmap_store)

#define	vtophys(va)	pmap_kextract((vm_offset_t)(va))

extern vm_paddr_t	avail_start;
extern vm_paddr_t	avail_end;
extern vm_offset_t	virtual_avail;
extern vm_offset_t	virtual_end;
extern vm_offset_t	kernel_vm_end;
extern int		pgeflag;
extern int		pseflag;
extern pt_entry_t	*CMAP1;
extern caddr_t		CADDR1;
extern pt_entry_t	*msgbufmap;
extern struct msgbuf	*msgbufp;
extern int		nkpt;

void	pmap_bootstrap __P((vm_paddr_t, vm_paddr_t));
void	pmap_set_opt __P((void));
void	pmap_bootinfo __P((void));
vm_paddr_t pmap_kextract __P((vm_offset_t));
pt_entry_t *pmap_pte __P((pmap_t, vm_offset_t));
void	pmap_lapic_map __P((void));
void	pmap_selftest __P((void *));
void	vmapbuf_pages __P((pmap_t, vm_offset_t, vm_offset_t, int));
void	vunmapbuf_pages __P((vm_offset_t, int));
void	pmap_activate __P((pmap_t));

#endif /* !LOCORE */

#endif /* !_MACHINE_PMAP_H_ */
