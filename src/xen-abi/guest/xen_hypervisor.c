/*
 * The out-of-line half of the guest Xen API (see hypervisor.h): the mmu_update
 * queue, conversion of native descriptor tables into Xen's forms, and start-of-day
 * setup from start_info. Seed step 10 flushes every update before it returns;
 * with XENOPORT_PTE_BATCHED (seed step 15) updates wait in the queue until a
 * flush point (see XEN_MMU_QUEUE_LEN in hypervisor.h). The queue, like
 * FreeBSD-xen's xpq_queue under its irqsave update_lock (xen_machdep.c,
 * xpq_queue_pt_update and _xpq_flush_queue, Xen RELEASE-2.0.6), is changed
 * only with event delivery masked, so an upcall cannot find it half written;
 * the index is cleared before the hypercall, as there, so that a flush from an
 * upcall never applies an entry twice. The hypervisor's race detector finds
 * xen_mmu_queue_buf and xen_mmu_queue_idx by these names.
 */
#include <machine/xen/hypervisor.h>

shared_info_t *HYPERVISOR_shared_info;
start_info_t *xen_start_info;
unsigned long *xen_phys_to_machine_mapping;
unsigned long xen_fault_cr2;
unsigned int xen_cr0_ts;
/* The kernel's own #PF entry, reached through xen_pf_trampoline (xen_locore.s). */
unsigned long xen_native_pf_handler;
void xen_pf_trampoline(void);

static char xen_shared_info_page[XEN_PAGE_SIZE] __attribute__((__aligned__(XEN_PAGE_SIZE)));
mmu_update_t xen_mmu_queue_buf[XEN_MMU_QUEUE_LEN];
int xen_mmu_queue_idx;
/* The VA each queued entry maps in the current tables (1: none, see xen_ptmap_va). */
static unsigned long xen_mmu_queue_vas[XEN_MMU_QUEUE_LEN];
/*
 * VAs invalidated (MMUEXT_INVLPG or UVMF_INVLPG) after every queued update,
 * whose entries have not been queued for change since: the TLB holds nothing
 * older than their entries, so the kernel's next invlpg of one, with the queue
 * empty, needs no hypercall. Emptied by any update whose VA is not known (a
 * directory entry, the alternate map, a base pointer, a pin).
 */
#define XEN_TLB_FRESH 4
static unsigned long xen_tlb_fresh[XEN_TLB_FRESH];
static int xen_tlb_nfresh;
/*
 * A context switch's hypercalls, sent as one multicall by xen_mcl_flush: slot
 * 0 is kept for the mmu_update of the queue (the new base pointer and any
 * page-table update still queued), the rest are what xen_mcl_queue added
 * (stack_switch). XenoLinux 2.0 does the same in __switch_to with its
 * multicall_list (include/asm-xen/multicall.h, queue_multicall2,
 * execute_multicall_list; MULTICALL_flush_page_update_queue puts the pending
 * mmu_update first).
 */
#define XEN_MCL_LEN 4
static multicall_entry_t xen_mcl[XEN_MCL_LEN + 1];
static int xen_mcl_idx;
/* Console characters waiting for a newline (xen_cnputc when batched). */
char xen_cons_buf[128];
int xen_cons_len;
static trap_info_t xen_trap_table[257];
/* The native GDT (xen_lldt and xen_ltr read its LDT and TSS descriptors). */
static unsigned long xen_gdt_base;
/*
 * Xen's copies of the GDT and the LDT: page-aligned, read-only while Xen uses
 * them. Two pages each, used in turn: the page being filled is the one Xen let
 * go of at the previous load, so it can be mapped writable again.
 */
static xen_u32 xen_gdt_pages[2][XEN_PAGE_SIZE / 4] __attribute__((__aligned__(XEN_PAGE_SIZE)));
static xen_u32 xen_ldt_pages[2][XEN_PAGE_SIZE / 4] __attribute__((__aligned__(XEN_PAGE_SIZE)));
static int xen_gdt_cur;
static int xen_ldt_cur;
static unsigned long xen_gdt_frame_list[1];

struct xen_region {
	xen_u16	limit;
	xen_u32	base;
} __xen_packed;

static void
xen_fail(const char *what)
{
	const char *p;

	for (p = what; *p != '\0'; p++)
		;
	xen_console_write(what, (int)(p - what));
	(void)HYPERVISOR_sched_op(SCHEDOP_shutdown |
	    (SHUTDOWN_crash << SCHEDOP_reasonshift));
}

/*
 * Maps shared_info, finds the p2m list, and turns events off until the kernel
 * has its handlers in place. Called by the minimal-OS entry with esi's value.
 */
void
xen_init(start_info_t *si)
{
	unsigned long va;

	xen_start_info = si;
	xen_phys_to_machine_mapping = (unsigned long *)si->mfn_list;
	va = (unsigned long)xen_shared_info_page;
	(void)HYPERVISOR_update_va_mapping(va >> XEN_PAGE_SHIFT,
	    si->shared_info | 7, UVMF_INVLPG);
	HYPERVISOR_shared_info = (shared_info_t *)xen_shared_info_page;
	HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask = 1;
}

void
xen_force_evtchn_callback(void)
{
	(void)HYPERVISOR_xen_version(0);
}

/* Masks event delivery; returns the mask as it was (XPQ_LOCK's irqsave). */
static __inline xen_u8
xen_events_save(void)
{
	xen_u8 m;

	m = HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask;
	HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask = 1;
	__asm __volatile("" : : : "memory");
	return (m);
}

static __inline void
xen_events_restore(xen_u8 m)
{
	__asm __volatile("" : : : "memory");
	HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask = m;
	__asm __volatile("" : : : "memory");
	if (m == 0 && HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_pending)
		xen_force_evtchn_callback();
}

static void
xen_mmu_flush_locked(void)
{
	int n, done;

	n = xen_mmu_queue_idx;
	if (n == 0)
		return;
	xen_mmu_queue_idx = 0;
#ifdef XENOPORT_PTE_BATCHED
	/*
	 * A lone update of an entry of the current tables is Xen 2.0's fast path,
	 * update_va_mapping (do_update_va_mapping writes linear_pg_table[page_nr]),
	 * as XenoLinux's set_pte paths and FreeBSD-xen's PT_SET_VA use it. No
	 * invalidation rides with it: the kernel asks for its own (xen_invlpg).
	 */
	if (n == 1 && (xen_mmu_queue_vas[0] & 1) == 0 &&
	    xen_mmu_queue_vas[0] < HYPERVISOR_VIRT_START &&
	    (xen_mmu_queue_buf[0].ptr & 3) == MMU_NORMAL_PT_UPDATE) {
		if (HYPERVISOR_update_va_mapping(xen_mmu_queue_vas[0] >> XEN_PAGE_SHIFT,
		    xen_mmu_queue_buf[0].val, 0) < 0)
			xen_fail("xen: update_va_mapping failed\n");
		return;
	}
#endif
	done = 0;
	if (HYPERVISOR_mmu_update(xen_mmu_queue_buf, n, &done) < 0 || done != n)
		xen_fail("xen: mmu_update failed\n");
}

/* An entry of va is queued for change (va 1: an entry whose VA is not known). */
static void
xen_tlb_unfresh(unsigned long va)
{
	int i;

	if (va & 1) {
		xen_tlb_nfresh = 0;
		return;
	}
	for (i = 0; i < xen_tlb_nfresh; i++)
		if (xen_tlb_fresh[i] == va)
			xen_tlb_fresh[i] = xen_tlb_fresh[--xen_tlb_nfresh];
}

static int
xen_tlb_isfresh(unsigned long va)
{
	int i;

	for (i = 0; i < xen_tlb_nfresh; i++)
		if (xen_tlb_fresh[i] == va)
			return (1);
	return (0);
}

void
xen_mmu_queue(unsigned long ptr, unsigned long val)
{

	xen_mmu_queue_pte(ptr, val, 1);
}

/* Queues an update; va is what the entry maps in the current tables, or 1. */
void
xen_mmu_queue_pte(unsigned long ptr, unsigned long val, unsigned long va)
{
	xen_u8 m;

	m = xen_events_save();
	xen_tlb_unfresh(va);
	xen_mmu_queue_vas[xen_mmu_queue_idx] = va;
	xen_mmu_queue_buf[xen_mmu_queue_idx].ptr = ptr;
	xen_mmu_queue_buf[xen_mmu_queue_idx].val = val;
	if (++xen_mmu_queue_idx == XEN_MMU_QUEUE_LEN)
		xen_mmu_flush_locked();
	xen_events_restore(m);
}

void
xen_mmu_flush(void)
{
	xen_u8 m;

	if (xen_mmu_queue_idx == 0)
		return;
	m = xen_events_save();
	xen_mmu_flush_locked();
	xen_events_restore(m);
}

/* Appends an MMUEXT_INVLPG of va to the queue (events masked, room checked). */
static void
xen_mmu_queue_invlpg(unsigned long va)
{

	xen_mmu_queue_vas[xen_mmu_queue_idx] = 1;
	xen_mmu_queue_buf[xen_mmu_queue_idx].ptr = (va & ~3UL) | MMU_EXTENDED_COMMAND;
	xen_mmu_queue_buf[xen_mmu_queue_idx].val = MMUEXT_INVLPG;
	xen_mmu_queue_idx++;
}

/*
 * invlpg when updates are batched: flush the queue with the invalidation at
 * its end. When the only queued update is the entry that maps va itself in the
 * current tables (a window such as CMAP1 set, then used), one
 * update_va_mapping with UVMF_INVLPG does both, as XenoLinux's establish_pte
 * does with HYPERVISOR_update_va_mapping. The other queued entries of the
 * current tables (CMAP2 beside CMAP1 in pmap_copy_page) are invalidated in the
 * same mmu_update, so that the kernel's invlpg of them right after finds them
 * fresh and costs no hypercall.
 */
void
xen_invlpg_flush_(unsigned int va)
{
	xen_u8 m;
	unsigned long pte_ma, v;
	int i, n;

	m = xen_events_save();
	va &= ~(unsigned int)(XEN_PAGE_SIZE - 1);
	if (xen_mmu_queue_idx == 0 && xen_tlb_isfresh(va)) {
		xen_events_restore(m);
		return;
	}
	if (xen_mmu_queue_idx == 1 && va < HYPERVISOR_VIRT_START &&
	    (xen_mmu_queue_buf[0].ptr & 3) == MMU_NORMAL_PT_UPDATE) {
		pte_ma = xen_vtomach((volatile xen_pt_entry_t *)XEN_PTMAP_VA +
		    (va >> XEN_PAGE_SHIFT));
		if ((xen_mmu_queue_buf[0].ptr & ~3UL) == pte_ma) {
			xen_mmu_queue_idx = 0;
			if (HYPERVISOR_update_va_mapping(va >> XEN_PAGE_SHIFT,
			    xen_mmu_queue_buf[0].val, UVMF_INVLPG) < 0)
				xen_fail("xen: update_va_mapping failed\n");
			xen_tlb_nfresh = 0;
			xen_tlb_fresh[xen_tlb_nfresh++] = va;
			xen_events_restore(m);
			return;
		}
	}
	if (xen_mmu_queue_idx > XEN_MMU_QUEUE_LEN - 1 - XEN_TLB_FRESH)
		xen_mmu_flush_locked();
	n = xen_mmu_queue_idx;
	xen_tlb_nfresh = 0;
	xen_tlb_fresh[xen_tlb_nfresh++] = va;
	xen_mmu_queue_invlpg(va);
	for (i = 0; i < n && xen_tlb_nfresh < XEN_TLB_FRESH; i++) {
		v = xen_mmu_queue_vas[i];
		if ((v & 1) != 0 || v >= HYPERVISOR_VIRT_START ||
		    xen_tlb_isfresh(v))
			continue;
		xen_tlb_fresh[xen_tlb_nfresh++] = v;
		xen_mmu_queue_invlpg(v);
	}
	xen_mmu_flush_locked();
	xen_events_restore(m);
}

/*
 * invltlb when updates are batched: the queue with a TLB flush at its end.
 * When the only queued update is an entry of the current tables (pmap_protect
 * taking write access from one page), one update_va_mapping with
 * UVMF_FLUSH_TLB does both.
 */
void
xen_invltlb_flush_(void)
{
	xen_u8 m;

	m = xen_events_save();
	if (xen_mmu_queue_idx == 1 && (xen_mmu_queue_vas[0] & 1) == 0 &&
	    xen_mmu_queue_vas[0] < HYPERVISOR_VIRT_START &&
	    (xen_mmu_queue_buf[0].ptr & 3) == MMU_NORMAL_PT_UPDATE) {
		xen_mmu_queue_idx = 0;
		xen_tlb_nfresh = 0;
		if (HYPERVISOR_update_va_mapping(xen_mmu_queue_vas[0] >> XEN_PAGE_SHIFT,
		    xen_mmu_queue_buf[0].val, UVMF_FLUSH_TLB) < 0)
			xen_fail("xen: update_va_mapping failed\n");
		xen_events_restore(m);
		return;
	}
	xen_mmu_queue(MMU_EXTENDED_COMMAND, MMUEXT_TLB_FLUSH);
	xen_mmu_flush_locked();
	xen_events_restore(m);
}

/* Writes out the characters xen_cons_putc_ buffered. */
void
xen_cons_flush(void)
{
	xen_u8 m;
	int n;

	if (xen_cons_len == 0 || HYPERVISOR_shared_info == 0)
		return;
	m = xen_events_save();
	n = xen_cons_len;
	xen_cons_len = 0;
	(void)HYPERVISOR_console_io(CONSOLEIO_write, n, xen_cons_buf);
	xen_events_restore(m);
}

void
xen_cons_putc_(int c)
{
	xen_u8 m;

	if (HYPERVISOR_shared_info == 0) {
		char ch = (char)c;

		(void)HYPERVISOR_console_io(CONSOLEIO_write, 1, &ch);
		return;
	}
	m = xen_events_save();
	xen_cons_buf[xen_cons_len++] = (char)c;
	if (c == '\n' || xen_cons_len == (int)sizeof(xen_cons_buf))
		xen_cons_flush();
	xen_events_restore(m);
}

/*
 * Machine address of a mapped kernel VA: the PTE that maps va's page, found
 * through the recursive map, already holds the machine frame.
 */
unsigned long
xen_vtomach(const volatile void *va)
{
	unsigned long v;
	volatile xen_pt_entry_t *ptmap;

	v = (unsigned long)va;
	ptmap = (volatile xen_pt_entry_t *)XEN_PTMAP_VA;
	return ((ptmap[v >> XEN_PAGE_SHIFT] & ~(unsigned long)(XEN_PAGE_SIZE - 1)) |
	    (v & (XEN_PAGE_SIZE - 1)));
}

void
xen_pt_zero_(void *va, unsigned int len)
{
	unsigned int off;

	for (off = 0; off < len; off += sizeof(xen_pt_entry_t))
		xen_mmu_queue(xen_vtomach((char *)va + off) | MMU_NORMAL_PT_UPDATE, 0);
	XEN_PT_UPDATE_DONE();
}

/* Maps the page at va (in a mapped kernel L1) read-only or writable again. */
static void
xen_page_protect(const void *va, int writable)
{
	unsigned long v, pte;

	/* The entry is read back, and update_va_mapping must not overtake queued updates. */
	xen_mmu_flush();
	v = (unsigned long)va;
	pte = ((volatile xen_pt_entry_t *)XEN_PTMAP_VA)[v >> XEN_PAGE_SHIFT];
	if (((pte & XEN_PG_RW) != 0) == (writable != 0))
		return;
	pte = writable ? (pte | XEN_PG_RW) : (pte & ~(unsigned long)XEN_PG_RW);
	if (HYPERVISOR_update_va_mapping(v >> XEN_PAGE_SHIFT, pte, UVMF_INVLPG) < 0)
		xen_fail("xen: update_va_mapping of a descriptor page failed\n");
}

/*
 * The mapping change of a table page around its pin or unpin. Batched, the
 * new entry and an INVLPG of va wait in the queue behind what is queued (the
 * pin goes after them, the unpin before), so that the pin or unpin and its
 * page's mapping reach Xen in the same mmu_update, in the order Xen 2.0
 * needs: no writable mapping when MMUEXT_PIN_* validates the page, a writable
 * one only once MMUEXT_UNPIN_TABLE has let it go. Unbatched, as
 * xen_page_protect.
 */
static void
xen_page_protect_pt(const void *va, int writable)
{
#ifdef XENOPORT_PTE_BATCHED
	unsigned long v, pte, pte_ma;
	int i;

	v = (unsigned long)va & ~(unsigned long)(XEN_PAGE_SIZE - 1);
	pte_ma = xen_vtomach((volatile xen_pt_entry_t *)XEN_PTMAP_VA +
	    (v >> XEN_PAGE_SHIFT));
	/* The entry is read back: an update of it still queued goes first. */
	for (i = 0; i < xen_mmu_queue_idx; i++)
		if ((xen_mmu_queue_buf[i].ptr & ~3UL) == pte_ma) {
			xen_mmu_flush();
			break;
		}
	pte = ((volatile xen_pt_entry_t *)XEN_PTMAP_VA)[v >> XEN_PAGE_SHIFT];
	if (((pte & XEN_PG_RW) != 0) == (writable != 0))
		return;
	pte = writable ? (pte | XEN_PG_RW) : (pte & ~(unsigned long)XEN_PG_RW);
	xen_mmu_queue_pte(pte_ma | MMU_NORMAL_PT_UPDATE, pte, v);
	xen_mmu_queue(v | MMU_EXTENDED_COMMAND, MMUEXT_INVLPG);
#else
	xen_page_protect(va, writable);
#endif
}

/*
 * Copies n entries from one page table to another as they are (machine
 * entries: the kernel slots of a new page directory, pmap_pinit), one queued
 * update per entry, one flush.
 */
void
xen_pt_copy_(volatile void *dst, const volatile void *src, unsigned int n)
{
	unsigned int i;
	const volatile xen_pt_entry_t *s;

	s = src;
	for (i = 0; i < n; i++)
		xen_mmu_queue(xen_vtomach((volatile xen_pt_entry_t *)dst + i) |
		    MMU_NORMAL_PT_UPDATE, s[i]);
	XEN_PT_UPDATE_DONE();
}

/*
 * A new page table (level 1) or page directory (level 2) the kernel built at
 * va: Xen 2.0 validates a table only while no writable mapping of it exists,
 * so va's page (and its alias in the boot region) is mapped read-only, then pinned (MMUEXT_PIN_L1/L2_TABLE) so
 * that it stays validated while nothing else references it. From then on its
 * entries change through xen_pte_set.
 */
/*
 * The boot region maps pseudo-physical memory at XEN_VIRT_BASE + pa, writable:
 * a table page allocated there has that mapping too, which must change with
 * the table's. Only a mapping that really holds the frame (machine address ma)
 * is touched, and not the one at skip (already done).
 */
static void
xen_alias_protect(unsigned long ma, unsigned long skip, int writable)
{
	unsigned long alias;
	const volatile xen_pt_entry_t *pd, *ptmap;

	alias = XEN_VIRT_BASE + (xen_ma_to_pa(ma) & ~(XEN_PAGE_SIZE - 1));
	if (alias < XEN_VIRT_BASE || alias >= HYPERVISOR_VIRT_START ||
	    alias == (skip & ~(unsigned long)(XEN_PAGE_SIZE - 1)))
		return;
	pd = (const volatile xen_pt_entry_t *)(XEN_PTMAP_VA + (XEN_PTMAP_VA >> 10));
	if ((pd[alias >> 22] & XEN_PG_V) == 0)
		return;
	ptmap = (const volatile xen_pt_entry_t *)XEN_PTMAP_VA;
	if ((ptmap[alias >> XEN_PAGE_SHIFT] & (XEN_PG_V | XEN_PG_FRAME)) != (ma | XEN_PG_V))
		return;
	xen_page_protect_pt((const void *)alias, writable);
}

/*
 * Pins a table. Batched, the pin waits in the queue, in order before the
 * entry that will hook the table in and the TLB flush that follows, as
 * XenoLinux 2.0's queue_pgd_pin and queue_pte_pin leave it
 * (arch/xen/i386/mm/hypervisor.c); the queue is flushed before it by
 * xen_page_protect, so the table's contents reach Xen first.
 */
static void
xen_pin(unsigned long ma, int level)
{
	xen_mmu_queue(ma | MMU_EXTENDED_COMMAND,
	    level == 1 ? MMUEXT_PIN_L1_TABLE : MMUEXT_PIN_L2_TABLE);
	XEN_PT_UPDATE_DONE();
}

static void
xen_unpin(unsigned long ma)
{
	xen_mmu_queue(ma | MMU_EXTENDED_COMMAND, MMUEXT_UNPIN_TABLE);
	XEN_PT_UPDATE_DONE();
}

void
xen_pt_pin_(const void *va, int level)
{
	unsigned long ma;

	ma = xen_vtomach(va) & ~(unsigned long)(XEN_PAGE_SIZE - 1);
	xen_page_protect_pt(va, 0);
	xen_alias_protect(ma, (unsigned long)va, 0);
	xen_pin(ma, level);
}

/* The reverse, before the page is freed: unpin, then map it writable again. */
void
xen_pt_unpin_(const void *va)
{
	unsigned long ma;

	ma = xen_vtomach(va) & ~(unsigned long)(XEN_PAGE_SIZE - 1);
	xen_unpin(ma);
	xen_page_protect_pt(va, 1);
	xen_alias_protect(ma, (unsigned long)va, 1);
}

/* The same for a table page the kernel knows by its pseudo-physical address only. */
void
xen_pt_pin_pa_(unsigned int pa, int level)
{
	unsigned long ma;

	ma = xen_pa_to_ma(pa & XEN_PG_FRAME);
	xen_alias_protect(ma, 0, 0);
	xen_pin(ma, level);
}

void
xen_pt_unpin_pa_(unsigned int pa)
{
	unsigned long ma;

	ma = xen_pa_to_ma(pa & XEN_PG_FRAME);
	xen_unpin(ma);
	xen_alias_protect(ma, 0, 1);
}

/* Native IDT gates to a trap_info_t table; interrupt gates mask events on entry. */
void
xen_lidt_(const void *region)
{
	const struct xen_region *r;
	const xen_u32 *gate;
	unsigned int i, n, t, type, sel;

	r = region;
	gate = (const xen_u32 *)r->base;
	n = ((unsigned int)r->limit + 1) / 8;
	if (n > 256)
		n = 256;
	for (i = 0, t = 0; i < n; i++) {
		if ((gate[2 * i + 1] & 0x8000) == 0)
			continue;
		type = (gate[2 * i + 1] >> 8) & 0xf;
		if (type != 0xe && type != 0xf)
			continue;
		sel = gate[2 * i] >> 16;
		if ((sel & 3) == 0)
			sel |= 1;
		xen_trap_table[t].vector = (xen_u8)i;
		xen_trap_table[t].flags = (xen_u8)(((gate[2 * i + 1] >> 13) & 3) |
		    (type == 0xe ? TI_IF_FLAG : 0));
		xen_trap_table[t].cs = (xen_u16)sel;
		xen_trap_table[t].address = (gate[2 * i] & 0xffff) |
		    (gate[2 * i + 1] & 0xffff0000);
		if (i == 14) {
			/* Xen 2.0 pushes the fault address: pop it first. */
			xen_native_pf_handler = xen_trap_table[t].address;
			xen_trap_table[t].address = (unsigned long)xen_pf_trampoline;
		}
		t++;
	}
	xen_trap_table[t].vector = 0;
	xen_trap_table[t].flags = 0;
	xen_trap_table[t].cs = 0;
	xen_trap_table[t].address = 0;
	if (HYPERVISOR_set_trap_table(xen_trap_table) < 0)
		xen_fail("xen: set_trap_table failed\n");
}

/*
 * Copies n native descriptors into page "to" in the forms Xen 2.0's
 * check_descriptor accepts: DPL 0 becomes 1 (the kernel runs in ring 1);
 * system descriptors other than call gates (TSS, LDT, task and interrupt
 * gates) are dropped, their slots left not present. The rest of the page is
 * cleared.
 */
static void
xen_desc_copy(xen_u32 *to, const xen_u32 *from, unsigned int n)
{
	unsigned int i, lo, hi;

	for (i = 0; i < XEN_PAGE_SIZE / 8; i++) {
		lo = hi = 0;
		if (i < n) {
			lo = from[2 * i];
			hi = from[2 * i + 1];
		}
		if (hi & 0x8000) {
			if ((hi & 0x1000) == 0 && ((hi >> 8) & 0xf) != 0xc)
				lo = hi = 0;
			else if (((hi >> 13) & 3) == 0)
				hi |= 1U << 13;
		}
		to[2 * i] = lo;
		to[2 * i + 1] = hi;
	}
}

/*
 * lgdt: Xen 2.0's set_gdt takes machine frames of pages that are not mapped
 * writable and hold no DPL-0 or system descriptors. The native table is
 * converted into a page of our own, which is then mapped read-only.
 */
void
xen_lgdt_(const void *region)
{
	const struct xen_region *r;
	unsigned int entries;
	xen_u32 *page;

	r = region;
	entries = ((unsigned int)r->limit + 1) / 8;
	if (entries > FIRST_RESERVED_GDT_ENTRY || entries > XEN_PAGE_SIZE / 8) {
		xen_fail("xen: GDT larger than Xen 2.0 allows a guest\n");
		return;
	}
	xen_gdt_cur ^= 1;
	page = xen_gdt_pages[xen_gdt_cur];
	xen_page_protect(page, 1);
	xen_desc_copy(page, (const xen_u32 *)r->base, entries);
	xen_page_protect(page, 0);
	xen_gdt_frame_list[0] = xen_vtomach(page) >> XEN_PAGE_SHIFT;
	xen_gdt_base = r->base;
	xen_mmu_flush();
	if (HYPERVISOR_set_gdt(xen_gdt_frame_list, (int)entries) < 0)
		xen_fail("xen: set_gdt failed\n");
}

static void
xen_gdt_desc(unsigned int sel, unsigned long *base, unsigned long *limit)
{
	const xen_u32 *d;

	d = (const xen_u32 *)(xen_gdt_base + (sel & ~7U));
	*base = (d[0] >> 16) | ((d[1] & 0xff) << 16) | (d[1] & 0xff000000);
	*limit = (d[0] & 0xffff) | (d[1] & 0xf0000);
	if (d[1] & 0x800000)
		*limit = (*limit << XEN_PAGE_SHIFT) | (XEN_PAGE_SIZE - 1);
}

/*
 * lldt: Xen 2.0 takes a page-aligned LDT (MMUEXT_SET_LDT, base | entry count).
 * The native LDT the selector's descriptor names is converted into a page of
 * our own (as for the GDT), mapped read-only as Xen wants LDT pages; a null
 * selector loads no LDT.
 */
void
xen_lldt_(unsigned int sel)
{
	unsigned long base, limit;
	unsigned int entries;
	xen_u32 *page;

	if ((sel & ~7U) == 0 || xen_gdt_base == 0) {
		xen_mmu_queue(MMU_EXTENDED_COMMAND, MMUEXT_SET_LDT);
		xen_mmu_flush();
		return;
	}
	xen_gdt_desc(sel, &base, &limit);
	entries = (unsigned int)((limit + 1) / 8);
	if (entries > XEN_PAGE_SIZE / 8) {
		xen_fail("xen: LDT larger than one page\n");
		return;
	}
	xen_ldt_cur ^= 1;
	page = xen_ldt_pages[xen_ldt_cur];
	xen_page_protect(page, 1);
	xen_desc_copy(page, (const xen_u32 *)base, entries);
	xen_page_protect(page, 0);
	xen_mmu_queue((unsigned long)page | MMU_EXTENDED_COMMAND,
	    MMUEXT_SET_LDT | (entries << MMUEXT_CMD_SHIFT));
	xen_mmu_flush();
}

/* No TSS under Xen: take ss0:esp0 from the TSS the selector names. */
void
xen_ltr_(unsigned int sel)
{
	unsigned long base, limit;

	if (xen_gdt_base == 0)
		return;
	xen_gdt_desc(sel, &base, &limit);
	xen_stack_switch(*(const xen_u16 *)(base + 8), *(const xen_u32 *)(base + 4));
}

/*
 * ltr in the context switch when updates are batched: the stack_switch waits
 * in the switch's multicall list for xen_mcl_flush.
 */
void
xen_switch_ltr_(unsigned int sel)
{
	unsigned long base, limit, ss;

	if (xen_gdt_base == 0)
		return;
	xen_gdt_desc(sel, &base, &limit);
	ss = *(const xen_u16 *)(base + 8);
	/* The guest kernel runs in ring 1: its stack selector has RPL 1. */
	if ((ss & 3) == 0)
		ss |= 1;
	xen_mcl_queue(__HYPERVISOR_stack_switch, ss, *(const xen_u32 *)(base + 4));
}

/* Adds a two-argument hypercall to the switch's multicall list (queue_multicall2). */
void
xen_mcl_queue(unsigned long op, unsigned long a0, unsigned long a1)
{
	xen_u8 m;

	m = xen_events_save();
	if (xen_mcl_idx == XEN_MCL_LEN)
		xen_mcl_flush();
	xen_mcl_idx++;
	xen_mcl[xen_mcl_idx].op = op;
	xen_mcl[xen_mcl_idx].args[0] = a0;
	xen_mcl[xen_mcl_idx].args[1] = a1;
	xen_events_restore(m);
}

/*
 * Sends the switch's hypercalls: the queued page-table updates and base
 * pointer (one mmu_update, first, as XenoLinux's
 * MULTICALL_flush_page_update_queue puts it) and the list, in one multicall.
 * A list of one call is that call alone.
 */
void
xen_mcl_flush(void)
{
	xen_u8 m;
	int i, first, k, n;

	m = xen_events_save();
	n = xen_mmu_queue_idx;
	k = xen_mcl_idx;
	xen_mcl_idx = 0;
	if (k == 0 || (k == 1 && n == 0)) {
		xen_mmu_flush_locked();
		if (k == 1 && xen_mcl[1].op == __HYPERVISOR_stack_switch)
			(void)HYPERVISOR_stack_switch(xen_mcl[1].args[0],
			    xen_mcl[1].args[1]);
		else if (k == 1)
			(void)HYPERVISOR_multicall(&xen_mcl[1], 1);
		xen_events_restore(m);
		return;
	}
	first = 1;
	if (n != 0) {
		xen_mmu_queue_idx = 0;
		xen_mcl[0].op = __HYPERVISOR_mmu_update;
		xen_mcl[0].args[0] = (unsigned long)xen_mmu_queue_buf;
		xen_mcl[0].args[1] = (unsigned long)n;
		xen_mcl[0].args[2] = 0;
		first = 0;
	}
	if (HYPERVISOR_multicall(&xen_mcl[first], k + 1 - first) != 0)
		xen_fail("xen: multicall failed\n");
	for (i = first; i <= k; i++)
		if ((long)xen_mcl[i].args[5] < 0)
			xen_fail("xen: a call of the switch's multicall failed\n");
	xen_events_restore(m);
}

/* The port of the event channel bound to virq (VIRQ_TIMER for the clock), or -1. */
int
xen_bind_virq(unsigned int virq)
{
	evtchn_op_t op;

	op.cmd = EVTCHNOP_bind_virq;
	op.__reserved = 0;
	op.u.bind_virq.virq = virq;
	op.u.bind_virq.port = 0;
	if (HYPERVISOR_event_channel_op(&op) < 0)
		return (-1);
	return ((int)op.u.bind_virq.port);
}
