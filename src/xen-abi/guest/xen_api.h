/* The guest API of docs/CONTRACTS.md. */
typedef unsigned int xen_pt_entry_t;

extern shared_info_t *HYPERVISOR_shared_info;
extern start_info_t *xen_start_info;
extern unsigned long *xen_phys_to_machine_mapping;
/* Saved by the page-fault entry stub: Xen 2.0 pushes the fault address in the frame. */
extern unsigned long xen_fault_cr2;
/* The guest's view of CR0.TS: set by xen_stts, cleared by xen_clts. */
extern unsigned int xen_cr0_ts;
#define xen_machine_to_phys_mapping ((const unsigned long *)HYPERVISOR_VIRT_START)

/* Where the kernel's recursive page-table map lives (FreeBSD: PTDPTDI << PDRSHIFT). */
#ifndef XEN_PTMAP_VA
#define XEN_PTMAP_VA 0xbfc00000U
#endif
/* Where the domain builder maps pseudo-physical 0 (the image's VIRT_BASE, FreeBSD's KERNBASE). */
#ifndef XEN_VIRT_BASE
#define XEN_VIRT_BASE 0xc0000000U
#endif
#define XEN_PSL_I 0x200U
/*
 * The mmu_update queue (seed step 15): FreeBSD-xen's xpq_queue has XPQUEUE_SIZE
 * 2048 entries (freebsd-5.3-xen-sparse/i386-xen/i386-xen/xen_machdep.c at Xen
 * RELEASE-2.0.6). With XENOPORT_PTE_BATCHED a page-table write only queues its
 * update; the queue is flushed when full and at the flush points (TLB
 * invalidation, base-pointer load, pin/unpin, LDT/GDT, update_va_mapping,
 * block/yield, event delivery turned back on). Without it every update is
 * flushed at once (seed step 10).
 */
#define XEN_MMU_QUEUE_LEN 2048
#ifdef XENOPORT_PTE_BATCHED
#define XEN_PT_UPDATE_DONE() ((void)0)
#else
#define XEN_PT_UPDATE_DONE() xen_mmu_flush()
#endif
/* i386 PTE bits the API looks at. */
#define XEN_PG_V 0x001U
#define XEN_PG_RW 0x002U
#define XEN_PG_FRAME 0xfffff000U
/*
 * CR0 as a native kernel in ring 0 would hold it after its own setup: PG, AM,
 * WP, NE, ET, MP, PE (caches on). Reading CR0 faults in ring 1.
 */
#define XEN_CR0_VALUE 0x80050033U
#define XEN_CR0_TS 0x8U

/*
 * The API takes integers and pointers as the native wrappers do (u_int,
 * vm_offset_t, pt_entry_t *...): the macros cast, the functions do the work.
 */
#define xen_write_eflags(ef) xen_write_eflags_((unsigned int)(ef))
#define xen_ma_to_pa(ma) xen_ma_to_pa_((unsigned int)(ma))
#define xen_pa_to_ma(pa) xen_pa_to_ma_((unsigned int)(pa))
#define xen_pte_set(ptep, val) xen_pte_set_((volatile void *)(ptep), (unsigned int)(val))
#define xen_pte_set_ma(ptep, val) xen_pte_set_ma_((volatile void *)(ptep), (unsigned int)(val))
#define xen_pte_load(ptep) xen_pte_load_((const volatile void *)(ptep))
#define xen_pte_atomic_clear(ptep) xen_pte_atomic_clear_((volatile void *)(ptep))
#define xen_pt_pin(va, level) xen_pt_pin_((const void *)(va), (int)(level))
#define xen_pt_unpin(va) xen_pt_unpin_((const void *)(va))
#define xen_pt_pin_pa(pa, level) xen_pt_pin_pa_((unsigned int)(pa), (int)(level))
#define xen_pt_unpin_pa(pa) xen_pt_unpin_pa_((unsigned int)(pa))
#define xen_pt_copy(dst, src, n) xen_pt_copy_((volatile void *)(dst), (const volatile void *)(src), (unsigned int)(n))
#define xen_load_cr3(pa) xen_load_cr3_((unsigned int)(pa))
#define xen_invlpg(va) xen_invlpg_((unsigned int)(va))
#define xen_stack_switch(ss, esp0) xen_stack_switch_((unsigned int)(ss), (unsigned int)(esp0))
#define xen_console_write(buf, len) xen_console_write_((const char *)(buf), (int)(len))
#define xen_cnputc(c) xen_cnputc_((int)(c))
#define xen_set_timer(deadline) xen_set_timer_((xen_u64)(deadline))
#define xen_pt_zero(va, len) xen_pt_zero_((void *)(va), (unsigned int)(len))
#define xen_lidt(region) xen_lidt_((const void *)(region))
#define xen_lgdt(region) xen_lgdt_((const void *)(region))
#define xen_lldt(sel) xen_lldt_((unsigned int)(sel))
#define xen_ltr(sel) xen_ltr_((unsigned int)(sel))

void xen_init(start_info_t *si);
void xen_mmu_queue(unsigned long ptr, unsigned long val);
void xen_mmu_queue_pte(unsigned long ptr, unsigned long val, unsigned long va);
void xen_mmu_flush(void);
extern int xen_mmu_queue_idx;
void xen_invlpg_flush_(unsigned int va);
void xen_invltlb_flush_(void);
void xen_cons_flush(void);
void xen_cons_putc_(int c);
unsigned long xen_vtomach(const volatile void *va);
void xen_force_evtchn_callback(void);

static __inline void
xen_cli(void)
{
	HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask = 1;
	__asm __volatile("" : : : "memory");
}

static __inline void
xen_sti(void)
{
	/*
	 * Turning event delivery back on ends a critical section (splx's place):
	 * whatever runs next must see the tables this one changed.
	 */
	if (xen_mmu_queue_idx != 0)
		xen_mmu_flush();
	__asm __volatile("" : : : "memory");
	HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask = 0;
	__asm __volatile("" : : : "memory");
	if (HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_pending)
		xen_force_evtchn_callback();
}

static __inline unsigned int
xen_read_eflags(void)
{
	unsigned int ef;

	__asm __volatile("pushfl; popl %0" : "=r" (ef));
	ef &= ~XEN_PSL_I;
	if (!HYPERVISOR_shared_info->vcpu_data[0].evtchn_upcall_mask)
		ef |= XEN_PSL_I;
	return (ef);
}

static __inline void
xen_write_eflags_(unsigned int ef)
{
	__asm __volatile("pushl %0; popfl" : : "r" (ef & ~XEN_PSL_I) : "memory", "cc");
	if (ef & XEN_PSL_I)
		xen_sti();
	else
		xen_cli();
}

/*
 * Machine frame 0 is never a guest's (Xen keeps it), so 0 stays 0: a frame
 * read from an empty entry is 0 in both spaces, as native code expects.
 */
static __inline unsigned int
xen_ma_to_pa_(unsigned int ma)
{
	if ((ma >> XEN_PAGE_SHIFT) == 0)
		return (ma);
	return ((unsigned int)(xen_machine_to_phys_mapping[ma >> XEN_PAGE_SHIFT] << XEN_PAGE_SHIFT) |
	    (ma & (XEN_PAGE_SIZE - 1)));
}

static __inline unsigned int
xen_pa_to_ma_(unsigned int pa)
{
	return ((unsigned int)(xen_phys_to_machine_mapping[pa >> XEN_PAGE_SHIFT] << XEN_PAGE_SHIFT) |
	    (pa & (XEN_PAGE_SIZE - 1)));
}

static __inline unsigned int
xen_rcr2(void)
{
	return ((unsigned int)xen_fault_cr2);
}

/*
 * Pseudo-physical <-> machine page-table entries. The kernel forms entries from
 * pseudo-physical addresses (what vm_page and phys_avail hold); under Xen an
 * entry holds a machine frame (FreeBSD-xen's xpmap_ptom, XenLinux's pte_val_ma).
 * Only present entries are translated, and only frames of the domain's own
 * pseudo-physical memory (below nr_pages): anything else is passed through, and
 * Xen refuses it if it is not the domain's.
 */
static __inline unsigned int
xen_pte_ptom(unsigned int val)
{
	unsigned int pfn;

	if ((val & XEN_PG_V) == 0)
		return (val);
	pfn = val >> XEN_PAGE_SHIFT;
	if (pfn >= xen_start_info->nr_pages)
		return (val);
	return ((unsigned int)(xen_phys_to_machine_mapping[pfn] << XEN_PAGE_SHIFT) |
	    (val & ~XEN_PG_FRAME));
}

/* The inverse, through the read-only m2p table Xen maps at HYPERVISOR_VIRT_START. */
static __inline unsigned int
xen_pte_mtop(unsigned int val)
{
	if ((val & XEN_PG_V) == 0)
		return (val);
	return (xen_ma_to_pa_(val & XEN_PG_FRAME) | (val & ~XEN_PG_FRAME));
}

/*
 * The VA an entry of the current tables maps, when ptep is in the recursive
 * map (PTmap) but not in its page-directory page (whose entries are level-2
 * entries); 1 (no page-aligned VA) otherwise, e.g. for the alternate map.
 */
static __inline unsigned long
xen_ptmap_va(const volatile void *ptep)
{
	unsigned long p;

	p = (unsigned long)ptep - XEN_PTMAP_VA;
	if (p >= (1UL << 22) || (p >> XEN_PAGE_SHIFT) == (XEN_PTMAP_VA >> 22))
		return (1);
	return ((p >> 2) << XEN_PAGE_SHIFT);
}

/*
 * Writes a MACHINE entry (one read from a page table, or already translated).
 * Xen refuses a writable linear map, so an entry that maps the table it lives
 * in (the recursive PTDPTDI slot) loses PG_RW. Returns the value asked for.
 */
static __inline unsigned int
xen_pte_set_ma_(volatile void *ptep, unsigned int val)
{
	unsigned long ma;
	unsigned int w;

	ma = xen_vtomach(ptep);
	w = val;
	if ((w & XEN_PG_V) && (w & XEN_PG_FRAME) == (ma & XEN_PG_FRAME))
		w &= ~XEN_PG_RW;
	xen_mmu_queue_pte(ma | MMU_NORMAL_PT_UPDATE, w, xen_ptmap_va(ptep));
	XEN_PT_UPDATE_DONE();
	return (val);
}

/*
 * Writes a PSEUDO-PHYSICAL entry (as the native kernel forms them): the frame of
 * a present entry is translated p2m. Returns the value written, like the
 * assignment it replaces.
 */
static __inline unsigned int
xen_pte_set_(volatile void *ptep, unsigned int val)
{
	(void)xen_pte_set_ma_(ptep, xen_pte_ptom(val));
	return (val);
}

/* Reads an entry back in pseudo-physical form (m2p), for read-modify-write. */
static __inline unsigned int
xen_pte_load_(const volatile void *ptep)
{
	return (xen_pte_mtop(*(const volatile xen_pt_entry_t *)ptep));
}

/* Clears an entry; returns the old one in pseudo-physical form. */
static __inline unsigned int
xen_pte_atomic_clear_(volatile void *ptep)
{
	unsigned int old;

	old = *(volatile xen_pt_entry_t *)ptep;
	(void)xen_pte_set_ma_(ptep, 0);
	return (xen_pte_mtop(old));
}

static __inline void
xen_load_cr3_(unsigned int pa)
{
	xen_mmu_queue(xen_pa_to_ma(pa) | MMU_EXTENDED_COMMAND, MMUEXT_NEW_BASEPTR);
	xen_mmu_flush();
}

static __inline void
xen_invltlb(void)
{
#ifdef XENOPORT_PTE_BATCHED
	xen_invltlb_flush_();
#else
	xen_mmu_queue(MMU_EXTENDED_COMMAND, MMUEXT_TLB_FLUSH);
	xen_mmu_flush();
#endif
}

static __inline void
xen_invlpg_(unsigned int va)
{
#ifdef XENOPORT_PTE_BATCHED
	xen_invlpg_flush_(va);
#else
	xen_mmu_queue((va & ~3U) | MMU_EXTENDED_COMMAND, MMUEXT_INVLPG);
	xen_mmu_flush();
#endif
}

static __inline void
xen_stack_switch_(unsigned int ss, unsigned int esp0)
{
	/* The guest kernel runs in ring 1: its stack selector has RPL 1. */
	if ((ss & 3) == 0)
		ss |= 1;
	(void)HYPERVISOR_stack_switch(ss, esp0);
}

static __inline void
xen_clts(void)
{
	/* Xen 2.0 clears CR0.TS itself before it delivers #NM: no hypercall. */
	xen_cr0_ts = 0;
}

static __inline void
xen_stts(void)
{
	xen_cr0_ts = XEN_CR0_TS;
	(void)HYPERVISOR_fpu_taskswitch();
}

/* mov %cr0: Xen owns CR0; the guest sees the native value with its own TS. */
static __inline unsigned int
xen_rcr0(void)
{
	return (XEN_CR0_VALUE | xen_cr0_ts);
}

/* mov %cr4: Xen owns CR4, and PSE, PGE and PAE are off for the guest (seed step 4). */
static __inline unsigned int
xen_rcr4(void)
{
	return (0);
}

static __inline void
xen_halt(void)
{
	/* Nothing queued may wait while the domain sleeps. */
	xen_mmu_flush();
	xen_cons_flush();
	(void)HYPERVISOR_sched_op(SCHEDOP_block);
}

static __inline void
xen_yield(void)
{
	xen_mmu_flush();
	xen_cons_flush();
	(void)HYPERVISOR_sched_op(SCHEDOP_yield);
}

static __inline void
xen_reset(void)
{
	xen_cons_flush();
	(void)HYPERVISOR_sched_op(SCHEDOP_shutdown |
	    (SHUTDOWN_reboot << SCHEDOP_reasonshift));
}

static __inline void
xen_console_write_(const char *buf, int len)
{
	/* Characters buffered by xen_cnputc go first. */
	xen_cons_flush();
	(void)HYPERVISOR_console_io(CONSOLEIO_write, len, buf);
}

static __inline void
xen_cnputc_(int c)
{
#ifdef XENOPORT_PTE_BATCHED
	/* One console_io per line (or full buffer), not per character. */
	xen_cons_putc_(c);
#else
	char ch = (char)c;

	xen_console_write(&ch, 1);
#endif
}

static __inline void
xen_set_timer_(xen_u64 deadline)
{
	(void)HYPERVISOR_set_timer_op(deadline);
}

static __inline int
xen_set_iopl(unsigned int level)
{
	physdev_op_t op;

	op.cmd = PHYSDEVOP_SET_IOPL;
	op.arg0 = level;
	return (HYPERVISOR_physdev_op(&op));
}

void xen_pt_zero_(void *va, unsigned int len);
void xen_pt_copy_(volatile void *dst, const volatile void *src, unsigned int n);
void xen_pt_pin_(const void *va, int level);
void xen_pt_unpin_(const void *va);
void xen_pt_pin_pa_(unsigned int pa, int level);
void xen_pt_unpin_pa_(unsigned int pa);
void xen_lidt_(const void *region);
void xen_lgdt_(const void *region);
void xen_lldt_(unsigned int sel);
void xen_ltr_(unsigned int sel);
void xen_switch_ltr_(unsigned int sel);
void xen_mcl_queue(unsigned long op, unsigned long a0, unsigned long a1);
void xen_mcl_flush(void);
int xen_bind_virq(unsigned int virq);
