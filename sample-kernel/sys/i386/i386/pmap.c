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
 * Manages physical address maps for the i386.
 *
 * A pmap is a page directory plus the page tables it points at.  The
 * kernel's part of the address space, from KERNBASE up, is the same in
 * every pmap: pmap_pinit() copies the kernel directory entries, and
 * pmap_growkernel() adds new ones to every pmap at once.
 *
 * The page tables of the current pmap are reached through the recursive
 * entry PTD[PTDPTDI] (PTmap, vtopte()); those of another pmap through the
 * alternate entry APTDpde (APTmap, get_ptbase()).  Physical pages that are
 * not page tables are not mapped at all; pmap_zero_page() and
 * pmap_copy_page() reach them through the CMAP windows made in
 * pmap_bootstrap().
 *
 * User pages are managed (PG_MANAGED in their PTE): each such mapping
 * holds a reference to its physical page (vm_page_array[].ref_count),
 * which pmap_remove() drops, so removing the mappings of an address space
 * frees its pages.  pmap_copy() shares pages between two pmaps.
 *
 * Invariant: every write to a page table entry that may be cached in the
 * TLB is followed by an invlpg() or invltlb() before the mapping is used.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/msgbuf.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/pcb.h>
#include <machine/specialreg.h>
#include <machine/vmparam.h>

#define	pdir_pde(m, v)	(m[(vm_offset_t)(v) >> PDRSHIFT])

struct pmap kernel_pmap_store;
static struct pmap *allpmaps;		/* every pmap, for pmap_growkernel() */

vm_paddr_t avail_start;			/* PA of first available physical page */
vm_paddr_t avail_end;			/* PA of last available physical page */
vm_offset_t virtual_avail;		/* VA of first avail page (after kernel bss) */
vm_offset_t virtual_end;		/* VA of last avail page (end of kernel AS) */
vm_offset_t kernel_vm_end;		/* end of the VA covered by page tables */
int nkpt;				/* kernel page tables in use */
int pgeflag;				/* PG_G or 0 */
int pseflag;				/* PG_PS or 0 */
static pd_entry_t pdir4mb;		/* the 4 MB kernel mapping, or 0 */
static int pmap_pse_on;
static int pmap_pge_on;

/* PTE protection bits for each combination of VM_PROT_{READ,WRITE,EXECUTE}. */
static int protection_codes[8] = {
	0,		/* --- */
	0,		/* r-- */
	PG_RW,		/* -w- */
	PG_RW,		/* rw- */
	0,		/* --x */
	0,		/* r-x */
	PG_RW,		/* -wx */
	PG_RW		/* rwx */
};

/*
 * The temporary mapping windows: one page of kernel VA each, with the
 * address of the PTE that maps it.
 */
pt_entry_t *CMAP1;
caddr_t CADDR1;
static pt_entry_t *CMAP2;
static caddr_t CADDR2;

struct sysmap {
	pt_entry_t	*sm_src_pte;	/* maps sm_src_va */
	pt_entry_t	*sm_dst_pte;	/* maps sm_dst_va */
	caddr_t		sm_src_va;
	caddr_t		sm_dst_va;
};
static struct sysmap sysmap_copy;	/* for pmap_copy_page() */

pt_entry_t *msgbufmap;
struct msgbuf *msgbufp;

static pt_entry_t *get_ptbase __P((pmap_t));
static void pmap_remove_pte __P((pmap_t, pt_entry_t *, vm_offset_t));
static vm_paddr_t pmap_allocpte __P((pmap_t, vm_offset_t));
static void pmap_invalidate_page __P((pmap_t, vm_offset_t));
static void pmap_invalidate_all __P((pmap_t));

#define	pte_prot(m, p)	(protection_codes[(p) & VM_PROT_ALL])

/*
 * Bootstrap the system enough to run with virtual memory.
 *
 * locore built the kernel page tables for [KERNBASE, KERNBASE + physfree)
 * and left an identity mapping of the low 4 MB in directory slot 0.  The
 * kernel virtual space starts after the bootstrap tables; with PSE it
 * starts at the next 4 MB boundary, since pmap_set_opt() maps the first
 * 4 MB with a single large page.
 */
void
pmap_bootstrap(firstaddr, loadaddr)
	vm_paddr_t firstaddr;
	vm_paddr_t loadaddr;
{
	vm_offset_t va;
	pt_entry_t *pte;
	pt_entry_t ptditmp;

	avail_start = firstaddr;

	virtual_avail = (vm_offset_t)KERNBASE + firstaddr;
	virtual_end = VM_MAX_KERNEL_ADDRESS;

	kernel_pmap->pm_pdir = (pd_entry_t *)(KERNBASE + (u_int)IdlePTD);
	kernel_pmap->pm_cr3 = (vm_paddr_t)IdlePTD;
	kernel_pmap->pm_active = 1;
	kernel_pmap->pm_count = 1;
	kernel_pmap->pm_next = NULL;
	allpmaps = kernel_pmap;
	nkpt = NKPT;
	kernel_vm_end = KERNBASE + NKPT * NBPDR;

	pgeflag = 0;
	if (cpu_feature & CPUID_PGE)
		pgeflag = PG_G;

	pdir4mb = 0;
	pseflag = 0;
	if (cpu_feature & CPUID_PSE) {
		/*
		 * One large page maps the kernel's first 4 MB, with the bits
		 * of the small one; whatever locore mapped above (the boot
		 * modules) stays on its page tables.
		 */
		pseflag = PG_PS;
		ptditmp = *(PTmap + i386_btop(KERNBASE));
		ptditmp &= ~(NBPDR - 1);
		ptditmp |= PG_V | PG_RW | PG_PS | pgeflag;
		pdir4mb = ptditmp;
		virtual_avail = round_4mpage(virtual_avail);
	}

	/*
	 * Reserve some special page table entries/VA space for temporary
	 * mapping of pages.
	 */
#define	SYSMAP(c, p, v, n)	\
	v = (c)va; va += ((n)*PAGE_SIZE); p = pte; pte += (n);

	va = virtual_avail;
	pte = vtopte(va);

	/* CMAP1/CMAP2 are used for zeroing and copying pages. */
	SYSMAP(caddr_t, CMAP1, CADDR1, 1)
	SYSMAP(caddr_t, CMAP2, CADDR2, 1)
	SYSMAP(caddr_t, sysmap_copy.sm_src_pte, sysmap_copy.sm_src_va, 1)
	SYSMAP(caddr_t, sysmap_copy.sm_dst_pte, sysmap_copy.sm_dst_va, 1)

	/* The message buffer, mapped by init386() at the end of memory. */
	SYSMAP(struct msgbuf *, msgbufmap, msgbufp, atop(round_page(MSGBUF_SIZE)))

	virtual_avail = va;

	*CMAP1 = *CMAP2 = 0;
	*sysmap_copy.sm_src_pte = 0;
	*sysmap_copy.sm_dst_pte = 0;

	/* locore's identity mapping of the low 4 MB is no longer needed. */
	PTD[0] = 0;

	invltlb();
}

/*
 * Turn on the optional paging features the CPU has: global pages for the
 * kernel, and a large page for its first 4 MB.
 */
void
pmap_set_opt()
{
	vm_offset_t va;

	if (pgeflag && (cpu_feature & CPUID_PGE)) {
		/* The kernel's own pages survive address space switches. */
		for (va = KERNBASE; va < (vm_offset_t)KERNBASE + physfree;
		    va += PAGE_SIZE)
			*vtopte(va) |= pgeflag;
		load_cr4(rcr4() | CR4_PGE);
		pmap_pge_on = 1;
	}
	if (pseflag && (cpu_feature & CPUID_PSE)) {
		load_cr4(rcr4() | CR4_PSE);
		if (pdir4mb) {
			kernel_pmap->pm_pdir[KPTDI] = PTD[KPTDI] = pdir4mb;
			invltlb();
		}
		pmap_pse_on = 1;
	}
}

/*
 * Initialize the pmap module once the page allocator is up.  Nothing is
 * left to do: the page allocator keeps no per-page pmap state.
 */
void
pmap_init()
{

}

/*
 * Report which paging features pmap_set_opt() turned on.
 */
void
pmap_bootinfo()
{

	printf("pmap: PSE superpages %s, PGE global pages %s, PAE %s\n",
	    pmap_pse_on ? "on" : "off", pmap_pge_on ? "on" : "off",
	    (cpu_feature & CPUID_PAE) ? "present but unused" : "not present");
	printf("pmap: PTmap at 0x%08x, APTmap at 0x%08x, kernel at 0x%08x\n",
	    (u_int)PTmap, (u_int)APTmap, (u_int)KERNBASE);
}

/*
 * The page tables of pmap, seen through either recursive mapping.
 */
static pt_entry_t *
get_ptbase(pmap)
	pmap_t pmap;
{
	pd_entry_t frame;

	frame = pmap->pm_pdir[PTDPTDI] & PG_FRAME;

	/* Are we the current address space or the kernel? */
	if (pmap == kernel_pmap || frame == (PTDpde & PG_FRAME))
		return (PTmap);

	/* Otherwise, show its page tables through the alternate slot. */
	if (frame != (APTDpde & PG_FRAME)) {
		APTDpde = (pd_entry_t)(frame | PG_RW | PG_V);
		invltlb();
	}
	return (APTmap);
}

/*
 * The address of the PTE mapping va in pmap, or NULL when no page table
 * covers va.  For a large page, the directory entry itself.
 */
pt_entry_t *
pmap_pte(pmap, va)
	pmap_t pmap;
	vm_offset_t va;
{
	pd_entry_t *pdeaddr;

	if (pmap != NULL) {
		pdeaddr = pmap_pde(pmap, va);
		if (*pdeaddr & PG_PS)
			return (pdeaddr);
		if (*pdeaddr)
			return (get_ptbase(pmap) + i386_btop(va));
	}
	return (NULL);
}

/*
 * The physical address va maps to in pmap, or 0.
 */
vm_paddr_t
pmap_extract(pmap_t pmap, vm_offset_t va)
{
	vm_paddr_t rtval;
	pt_entry_t *pte;
	pd_entry_t pde;

	if (pmap == NULL)
		return (0);
	pde = pmap->pm_pdir[va >> PDRSHIFT];
	if (pde == 0)
		return (0);
	if (pde & PG_PS) {
		rtval = (pde & PG_PS_FRAME) | (va & PDRMASK);
		return (rtval);
	}
	pte = get_ptbase(pmap) + i386_btop(va);
	if ((*pte & PG_V) == 0)
		return (0);
	rtval = (*pte & PG_FRAME) | (va & PAGE_MASK);
	return (rtval);
}

/*
 * The physical address of a kernel virtual address.
 */
vm_paddr_t
pmap_kextract(vm_offset_t va)
{
	vm_paddr_t pa;
	pd_entry_t pde;

	pde = PTD[va >> PDRSHIFT];
	if (pde & PG_PS) {
		pa = (pde & PG_PS_FRAME) | (va & PDRMASK);
	} else {
		pa = *vtopte(va);
		pa = (pa & PG_FRAME) | (va & PAGE_MASK);
	}
	return (pa);
}

static void
pmap_invalidate_page(pmap_t pmap, vm_offset_t va)
{

	if (pmap == kernel_pmap || pmap->pm_active)
		invlpg(va);
}

static void
pmap_invalidate_all(pmap_t pmap)
{
	u_int cr4;

	if (pmap == kernel_pmap && pmap_pge_on) {
		/* Toggling CR4_PGE flushes the global entries too. */
		cr4 = rcr4();
		load_cr4(cr4 & ~CR4_PGE);
		load_cr4(cr4);
	} else
		invltlb();
}

/*
 * Add a wired page to the kernel pmap.  The mapping is global when the
 * CPU allows it.
 */
void
pmap_kenter(vm_offset_t va, vm_paddr_t pa)
{
	pt_entry_t *pte;
	pt_entry_t npte, opte;

	npte = pa | PG_RW | PG_V | pgeflag;
	pte = vtopte(va);
	opte = *pte;
	*pte = npte;
	if (opte)
		invlpg(va);
}

/*
 * Remove a page from the kernel pmap.
 */
void
pmap_kremove(vm_offset_t va)
{
	pt_entry_t *pte;

	pte = vtopte(va);
	*pte = 0;
	invlpg(va);
}

/*
 * Map count physical pages at consecutive kernel addresses from sva.
 */
void
pmap_qenter(vm_offset_t sva, vm_paddr_t *ma, int count)
{
	pt_entry_t *pte;
	int i;

	pte = vtopte(sva);
	for (i = 0; i < count; i++) {
		pte[i] = ma[i] | PG_RW | PG_V | pgeflag;
		invlpg(sva + i * PAGE_SIZE);
	}
}

/*
 * Undo pmap_qenter().
 */
void
pmap_qremove(vm_offset_t sva, int count)
{
	pt_entry_t *pte;
	int i;

	pte = vtopte(sva);
	for (i = 0; i < count; i++) {
		pte[i] = 0;
		invlpg(sva + i * PAGE_SIZE);
	}
}

/*
 * Zero a physical page through the CMAP2 window.
 */
void
pmap_zero_page(vm_paddr_t phys)
{

	if (*CMAP2)
		panic("pmap_zero_page: CMAP2 busy");

	*CMAP2 = PG_V | PG_RW | (phys & PG_FRAME) | PG_A | PG_M;
	invlpg((u_int)CADDR2);
	pagezero(CADDR2);
	*CMAP2 = 0;
	invlpg((u_int)CADDR2);
}

/*
 * Copy one physical page to another, through two windows.
 */
void
pmap_copy_page(vm_paddr_t src, vm_paddr_t dst)
{
	struct sysmap *sm;

	sm = &sysmap_copy;
	if (*sm->sm_src_pte || *sm->sm_dst_pte)
		panic("pmap_copy_page: windows busy");

	*sm->sm_src_pte = PG_V | (src & PG_FRAME) | PG_A;
	*sm->sm_dst_pte = PG_V | PG_RW | (dst & PG_FRAME) | PG_A | PG_M;
	invlpg((u_int)sm->sm_src_va);
	invlpg((u_int)sm->sm_dst_va);
	bcopy(sm->sm_src_va, sm->sm_dst_va, PAGE_SIZE);
	*sm->sm_src_pte = 0;
	*sm->sm_dst_pte = 0;
	invlpg((u_int)sm->sm_src_va);
	invlpg((u_int)sm->sm_dst_va);
}

/*
 * Initialize pmap 0: the kernel's own address space, as locore built it.
 */
void
pmap_pinit0(pmap)
	struct pmap *pmap;
{

	pmap->pm_pdir = (pd_entry_t *)(KERNBASE + (u_int)IdlePTD);
	pmap->pm_cr3 = (vm_paddr_t)IdlePTD;
	pmap->pm_active = 0;
	pmap->pm_count = 1;
	bzero(&pmap->pm_stats, sizeof pmap->pm_stats);
}

/*
 * Initialize a pmap for a new address space: a zeroed page directory
 * holding the kernel's entries and its own recursive entry.
 */
void
pmap_pinit(pmap)
	struct pmap *pmap;
{
	vm_paddr_t ptdpa;

	if (pmap->pm_pdir == NULL)
		pmap->pm_pdir = (pd_entry_t *)kmem_alloc_nofault(PAGE_SIZE);
	ptdpa = vm_page_alloc();
	if (ptdpa == 0)
		panic("pmap_pinit: no page for the directory");
	pmap_kenter((vm_offset_t)pmap->pm_pdir, ptdpa);
	bzero(pmap->pm_pdir, PAGE_SIZE);

	/* Wire in kernel global address entries. */
	bcopy(PTD + KPTDI, pmap->pm_pdir + KPTDI, NKPDE * PDESIZE);

	/* Install the self-referential address mapping entry. */
	pmap->pm_pdir[PTDPTDI] = ptdpa | PG_V | PG_RW | PG_A | PG_M;

	pmap->pm_cr3 = ptdpa;
	pmap->pm_active = 0;
	pmap->pm_count = 1;
	bzero(&pmap->pm_stats, sizeof pmap->pm_stats);
	pmap->pm_next = allpmaps;
	allpmaps = pmap;
}

/*
 * Release the resources of a pmap that has no mappings left: its page
 * table pages, then its directory.
 */
void
pmap_release(pmap)
	struct pmap *pmap;
{
	struct pmap **pp;
	vm_paddr_t pa;
	int i;

	if (pmap->pm_active)
		panic("pmap_release: pmap is active");
	for (i = 0; i < PTDPTDI; i++) {
		if ((pmap->pm_pdir[i] & PG_V) == 0)
			continue;
		pa = pmap->pm_pdir[i] & PG_FRAME;
		pmap->pm_pdir[i] = 0;
		vm_page_free(pa);
	}

	/* Forget the alternate mapping if it still shows this pmap. */
	if ((APTDpde & PG_FRAME) == pmap->pm_cr3) {
		APTDpde = 0;
		invltlb();
	}
	pmap->pm_pdir[PTDPTDI] = 0;

	for (pp = &allpmaps; *pp != NULL; pp = &(*pp)->pm_next) {
		if (*pp == pmap) {
			*pp = pmap->pm_next;
			break;
		}
	}
	pa = pmap->pm_cr3;
	pmap_kremove((vm_offset_t)pmap->pm_pdir);
	vm_page_free(pa);
	pmap->pm_cr3 = 0;
	kmem_free_nofault((vm_offset_t)pmap->pm_pdir, PAGE_SIZE);
	pmap->pm_pdir = NULL;
}

/*
 * Make sure a page table page covers va in a user pmap; return its
 * physical address.
 */
static vm_paddr_t
pmap_allocpte(pmap_t pmap, vm_offset_t va)
{
	u_int ptepindex;
	vm_paddr_t ptepa;

	ptepindex = va >> PDRSHIFT;
	ptepa = pmap->pm_pdir[ptepindex];
	if (ptepa & PG_PS)
		panic("pmap_allocpte: unexpected 4 MB page at 0x%x", va);
	if (ptepa)
		return (ptepa & PG_FRAME);

	ptepa = vm_page_alloc();
	if (ptepa == 0)
		panic("pmap_allocpte: no page table page");
	pmap_zero_page(ptepa);
	pmap->pm_pdir[ptepindex] =
	    (pd_entry_t)(ptepa | PG_U | PG_RW | PG_V | PG_A | PG_M);

	/* The page walk may have cached the old directory entry. */
	invltlb();
	return (ptepa);
}

/*
 * Insert the given physical page at the specified virtual address in
 * the target physical map with the protection requested.  A wired
 * mapping is marked so.
 */
void
pmap_enter(pmap_t pmap, vm_offset_t va, vm_paddr_t pa, vm_prot_t prot,
    boolean_t wired)
{
	pt_entry_t *pte;
	pt_entry_t origpte, newpte;
	vm_paddr_t opa;

	va &= PG_FRAME;
	if (va > VM_MAX_KERNEL_ADDRESS)
		panic("pmap_enter: toobig");

	if (va < UPT_MIN_ADDRESS)
		(void)pmap_allocpte(pmap, va);

	pte = pmap_pte(pmap, va);
	if (pte == NULL)
		panic("pmap_enter: invalid page directory, va=0x%x", va);

	origpte = *pte;
	opa = origpte & PG_FRAME;
	if (origpte & PG_PS)
		panic("pmap_enter: attempted pmap_enter on 4MB page");

	if (origpte && opa == pa) {
		/* Only the protection or the wiring changes. */
		if (wired && (origpte & PG_W) == 0)
			pmap->pm_stats.wired_count++;
		else if (!wired && (origpte & PG_W))
			pmap->pm_stats.wired_count--;
	} else {
		if (opa)
			pmap_remove_pte(pmap, pte, va);
		pmap->pm_stats.resident_count++;
		if (wired)
			pmap->pm_stats.wired_count++;
	}

	newpte = (pt_entry_t)(pa | pte_prot(pmap, prot) | PG_V);
	if (wired)
		newpte |= PG_W;
	if (va < UPT_MIN_ADDRESS)
		newpte |= PG_U;
	if (va < VM_MAXUSER_ADDRESS)
		newpte |= PG_MANAGED;
	if (pmap == kernel_pmap)
		newpte |= pgeflag;

	/* If the mapping or permission bits are different, update it. */
	if ((origpte & ~(PG_M | PG_A)) != newpte) {
		pte_store(pte, newpte | PG_A);
		if (origpte)
			pmap_invalidate_page(pmap, va);
	}
}

/*
 * Remove one page from a pmap, dropping the mapping's reference to a
 * managed page; the caller invalidates the TLB.
 */
static void
pmap_remove_pte(pmap_t pmap, pt_entry_t *ptq, vm_offset_t va)
{
	pt_entry_t oldpte;
	vm_paddr_t pa;

	pa = *ptq & PG_FRAME;
	oldpte = atomic_readandclear_int(ptq);
	if (oldpte & PG_W)
		pmap->pm_stats.wired_count--;
	pmap->pm_stats.resident_count--;
	if (oldpte & PG_MANAGED)
		vm_page_unref(pa);
}

/*
 * Remove the given range of addresses from the specified map.
 */
void
pmap_remove(pmap_t pmap, vm_offset_t sva, vm_offset_t eva)
{
	pt_entry_t *ptbase;
	pt_entry_t *pte;
	vm_offset_t pdnxt;
	pd_entry_t ptpaddr;
	u_int pdirindex;
	int anyvalid;

	if (pmap == NULL)
		return;
	anyvalid = 0;
	for (; sva < eva; sva = pdnxt) {
		pdnxt = (sva + NBPDR) & ~PDRMASK;
		pdirindex = sva >> PDRSHIFT;
		ptpaddr = pmap->pm_pdir[pdirindex];

		/* Weed out invalid mappings. */
		if (ptpaddr == 0)
			continue;

		/* Check for large page. */
		if (ptpaddr & PG_PS) {
			pmap->pm_pdir[pdirindex] = 0;
			pmap->pm_stats.resident_count -= NBPDR / PAGE_SIZE;
			anyvalid = 1;
			continue;
		}

		if (pdnxt > eva)
			pdnxt = eva;
		ptbase = get_ptbase(pmap);
		for (; sva != pdnxt; sva += PAGE_SIZE) {
			pte = ptbase + i386_btop(sva);
			if (*pte == 0)
				continue;
			anyvalid = 1;
			pmap_remove_pte(pmap, pte, sva);
		}
	}
	if (anyvalid)
		pmap_invalidate_all(pmap);
}

/*
 * Copy the mappings of [src_addr, src_addr + len) in src_pmap to
 * dst_addr in dst_pmap, read-only: the pages become shared, each with
 * one more reference.  The caller write-protects the source's writable
 * pages (vmspace_fork), so a write on either side faults and copies.
 * As in FreeBSD 4.x, when the source is the current address space its
 * entries are read through PTmap and the new ones written here through
 * the alternate map, not one pmap_enter() each; an entry already in use
 * in the destination, or a source that is not current, goes through
 * pmap_enter().
 */
void
pmap_copy(pmap_t dst_pmap, pmap_t src_pmap, vm_offset_t dst_addr,
    vm_size_t len, vm_offset_t src_addr)
{
	vm_offset_t addr, end_addr, pdnxt;
	pt_entry_t *src_pte, *dst_pte, *dst_base;
	pt_entry_t ptetemp;
	vm_paddr_t pa;
	int direct;

	if (dst_addr != src_addr)
		return;
	direct = (src_pmap->pm_pdir[PTDPTDI] & PG_FRAME) == (PTDpde & PG_FRAME) &&
	    dst_pmap != kernel_pmap && src_addr + len <= UPT_MIN_ADDRESS;
	dst_base = direct ? get_ptbase(dst_pmap) : NULL;
	end_addr = src_addr + len;
	for (addr = src_addr; addr < end_addr; addr = pdnxt) {
		pdnxt = (addr + NBPDR) & ~PDRMASK;
		if (src_pmap->pm_pdir[addr >> PDRSHIFT] == 0)
			continue;
		if (pdnxt > end_addr)
			pdnxt = end_addr;
		for (; addr < pdnxt; addr += PAGE_SIZE) {
			src_pte = direct ? vtopte(addr) : pmap_pte(src_pmap, addr);
			ptetemp = *src_pte;
			if ((ptetemp & (PG_V | PG_MANAGED)) !=
			    (PG_V | PG_MANAGED))
				continue;
			pa = ptetemp & PG_FRAME;
			vm_page_ref(pa);
			if (!direct) {
				pmap_enter(dst_pmap, addr, pa, VM_PROT_READ, FALSE);
				continue;
			}
			if (dst_pmap->pm_pdir[addr >> PDRSHIFT] == 0)
				(void)pmap_allocpte(dst_pmap, addr);
			dst_pte = dst_base + i386_btop(addr);
			if (*dst_pte != 0) {
				pmap_enter(dst_pmap, addr, pa, VM_PROT_READ, FALSE);
				continue;
			}
			/* What pmap_enter() would store for a new user mapping. */
			pte_store(dst_pte, (pt_entry_t)(pa |
			    pte_prot(dst_pmap, VM_PROT_READ) | PG_V | PG_U |
			    PG_MANAGED | PG_A));
			dst_pmap->pm_stats.resident_count++;
		}
	}
}

/*
 * Set the physical protection on the specified range of this map as
 * requested.  Only ever takes rights away.
 */
void
pmap_protect(pmap_t pmap, vm_offset_t sva, vm_offset_t eva, vm_prot_t prot)
{
	pt_entry_t *ptbase;
	pt_entry_t *pte;
	vm_offset_t pdnxt;
	pd_entry_t ptpaddr;
	int anychanged;

	if (pmap == NULL)
		return;
	if ((prot & VM_PROT_READ) == VM_PROT_NONE) {
		pmap_remove(pmap, sva, eva);
		return;
	}
	if (prot & VM_PROT_WRITE)
		return;

	anychanged = 0;
	for (; sva < eva; sva = pdnxt) {
		pdnxt = (sva + NBPDR) & ~PDRMASK;
		ptpaddr = pmap->pm_pdir[sva >> PDRSHIFT];
		if (ptpaddr == 0)
			continue;
		if (ptpaddr & PG_PS) {
			pmap->pm_pdir[sva >> PDRSHIFT] &= ~PG_RW;
			anychanged = 1;
			continue;
		}
		if (pdnxt > eva)
			pdnxt = eva;
		ptbase = get_ptbase(pmap);
		for (; sva != pdnxt; sva += PAGE_SIZE) {
			pte = ptbase + i386_btop(sva);
			if ((*pte & (PG_V | PG_RW)) != (PG_V | PG_RW))
				continue;
			*pte &= ~(PG_RW | PG_M);
			anychanged = 1;
		}
	}
	if (anychanged)
		pmap_invalidate_all(pmap);
}

/*
 * Whether the page at va has been written since the last clear.
 */
boolean_t
pmap_is_modified(pmap_t pmap, vm_offset_t va)
{
	pt_entry_t *pte;

	pte = pmap_pte(pmap, va);
	if (pte == NULL)
		return (FALSE);
	return (pmap_pte_m(pte));
}

/*
 * Clear the modified bit of the page at va.  The walker may set PG_M on
 * another CPU meanwhile, hence the locked operation.
 */
void
pmap_clear_modify(pmap_t pmap, vm_offset_t va)
{
	pt_entry_t *pte;

	pte = pmap_pte(pmap, va);
	if (pte == NULL || (*pte & PG_M) == 0)
		return;
	atomic_clear_int(pte, PG_M);
	pmap_invalidate_page(pmap, va);
}

/*
 * Change the wiring of the page at va.
 */
void
pmap_change_wiring(pmap_t pmap, vm_offset_t va, boolean_t wired)
{
	pt_entry_t *pte;

	pte = pmap_pte(pmap, va);
	if (pte == NULL)
		return;
	if (wired && !pmap_pte_w(pte))
		pmap->pm_stats.wired_count++;
	else if (!wired && pmap_pte_w(pte))
		pmap->pm_stats.wired_count--;
	pmap_pte_set_w(pte, wired);
}

/*
 * Grow the kernel's page tables to cover addr.  Each new page table is
 * entered in the kernel directory and in every other pmap's.
 */
void
pmap_growkernel(vm_offset_t addr)
{
	struct pmap *pmap;
	vm_paddr_t ptppaddr;
	pd_entry_t newpdir;

	addr = (addr + PDRMASK) & ~PDRMASK;
	while (kernel_vm_end < addr) {
		if (pdir_pde(PTD, kernel_vm_end)) {
			kernel_vm_end = (kernel_vm_end + NBPDR) & ~PDRMASK;
			continue;
		}

		ptppaddr = vm_page_alloc();
		if (ptppaddr == 0)
			panic("pmap_growkernel: no memory to grow kernel");
		nkpt++;
		pmap_zero_page(ptppaddr);
		newpdir = (pd_entry_t)(ptppaddr | PG_V | PG_RW | PG_A | PG_M);
		pdir_pde(PTD, kernel_vm_end) = newpdir;

		for (pmap = allpmaps; pmap != NULL; pmap = pmap->pm_next)
			*pmap_pde(pmap, kernel_vm_end) = newpdir;
		kernel_vm_end = (kernel_vm_end + NBPDR) & ~PDRMASK;
	}
}

/*
 * Map the local APIC's register page at LAPIC_VADDR, uncached, in its own
 * page table.  The page table is filled through the CMAP1 window before it
 * is entered in the directories.
 */
void
pmap_lapic_map()
{
	struct ptpage *ptp;
	struct pmap *pmap;
	vm_paddr_t ptpa;
	pd_entry_t newpde;
	int i;

	ptpa = vm_page_alloc();
	if (ptpa == 0)
		panic("pmap_lapic_map: no page table page");

	*CMAP1 = PG_V | PG_RW | ptpa | PG_A | PG_M;
	invlpg((u_int)CADDR1);
	ptp = (struct ptpage *)CADDR1;
	for (i = 0; i < NPTEPG; i++)
		ptp->pt_e[i] = 0;
	ptp->pt_e[i386_btop(LAPIC_VADDR) & (NPTEPG - 1)] =
	    LAPIC_PADDR | PG_V | PG_RW | PG_N | pgeflag;
	pte_clear(CMAP1);
	invlpg((u_int)CADDR1);

	newpde = ptpa | PG_V | PG_RW | PG_A | PG_M;
	PTD[LAPIC_VADDR >> PDRSHIFT] = newpde;
	for (pmap = allpmaps; pmap != NULL; pmap = pmap->pm_next)
		pmap->pm_pdir[LAPIC_VADDR >> PDRSHIFT] = newpde;
	invltlb();
}

/*
 * Switch the processor to pmap's address space.
 */
void
pmap_activate(pmap_t pmap)
{
	struct pmap *pm;

	for (pm = allpmaps; pm != NULL; pm = pm->pm_next)
		pm->pm_active = 0;
	pmap->pm_active = 1;
	if (curpcb != NULL)
		curpcb->pcb_cr3 = pmap->pm_cr3;
	load_cr3(pmap->pm_cr3);
}

/*
 * Exercise the pmap on a throwaway user address space: enter a page,
 * write it from inside that space, look at it from the kernel, take away
 * write access, remove it.  Then the kernel-only calls.
 */
static struct pmap pmap_test_pmap;

#define	TEST_UVA	0x08048000
#define	TEST_MAGIC	0x600dcafe

void
pmap_selftest(void *arg __unused)
{
	struct pmap *pm;
	pt_entry_t *pte;
	vm_paddr_t pa, pa2;
	vm_offset_t kva, oldend;
	u_int word;
	int ok;

	pm = &pmap_test_pmap;
	pmap_pinit(pm);
	pa = vm_page_alloc();
	pmap_zero_page(pa);
	/* The mapping takes a reference of its own; ours outlives it. */
	vm_page_ref(pa);
	pmap_enter(pm, TEST_UVA, pa, VM_PROT_READ | VM_PROT_WRITE, FALSE);
	ok = pmap_extract(pm, TEST_UVA) == pa;
	pte = pmap_pte(pm, TEST_UVA);
	ok = ok && (*pte & (PG_V | PG_RW | PG_U)) == (PG_V | PG_RW | PG_U);

	/* Write through the user mapping, from inside the user space. */
	pmap_activate(pm);
	*(volatile u_int *)TEST_UVA = TEST_MAGIC;
	pmap_activate(kernel_pmap);

	/* Read the same physical page through a kernel window. */
	kva = kmem_alloc_pageable(PAGE_SIZE);
	vmapbuf_pages(pm, TEST_UVA, kva, 1);
	word = *(volatile u_int *)kva;
	vunmapbuf_pages(kva, 1);
	ok = ok && word == TEST_MAGIC && pmap_is_modified(pm, TEST_UVA);
	printf("pmap: user pmap at cr3 0x%x: enter 0x%x -> 0x%x, store/load %s\n",
	    pm->pm_cr3, TEST_UVA, pa, ok ? "ok" : "FAILED");

	pmap_clear_modify(pm, TEST_UVA);
	pmap_protect(pm, TEST_UVA, TEST_UVA + PAGE_SIZE, VM_PROT_READ);
	pte = pmap_pte(pm, TEST_UVA);
	ok = (*pte & (PG_V | PG_RW | PG_M)) == PG_V;
	pmap_remove(pm, TEST_UVA, TEST_UVA + PAGE_SIZE);
	ok = ok && pmap_extract(pm, TEST_UVA) == 0 &&
	    pm->pm_stats.resident_count == 0;
	pmap_release(pm);
	printf("pmap: protect read-only, remove, release %s\n",
	    ok ? "ok" : "FAILED");

	/* Kernel mappings: kenter, copy through the windows, kremove. */
	pa2 = vm_page_alloc();
	pmap_copy_page(pa, pa2);
	pmap_kenter(kva, pa2);
	ok = *(volatile u_int *)kva == TEST_MAGIC && pmap_kextract(kva) == pa2;
	pmap_kremove(kva);
	ok = ok && (*vtopte(kva) & PG_V) == 0;
	vm_page_free(pa);
	vm_page_free(pa2);

	oldend = kernel_vm_end;
	pmap_growkernel(kernel_vm_end + 1);
	printf("pmap: kenter/copy/kremove %s, growkernel 0x%08x -> 0x%08x (%d page tables)\n",
	    ok ? "ok" : "FAILED", oldend, kernel_vm_end, nkpt);
}
