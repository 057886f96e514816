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
 * Machine-dependent startup: init386() runs on locore's stack right after
 * paging is turned on.  It makes the console usable, loads the kernel's
 * own GDT, LDT, IDT and TSS, identifies the CPU, sizes memory from the
 * multiboot information and bootstraps the pmap.  cpu_startup() prints
 * what init386() found, once the console banner is out.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cons.h>
#include <sys/kernel.h>
#include <sys/linker.h>
#include <sys/msgbuf.h>
#include <sys/reboot.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/multiboot.h>
#include <machine/pcb.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/specialreg.h>
#include <machine/tss.h>
#include <machine/vmparam.h>

#include <i386/isa/icu.h>

#ifdef DEV_SIO
extern struct consdev sio_consdev;
#endif

/* The consoles this machine can have, in probe order. */
struct consdev *constab[] = {
#ifdef DEV_SIO
	&sio_consdev,
#endif
	NULL
};

int	Maxmem;			/* highest physical page + 1 */
u_int	realmem_kb;		/* memory the loader reported, in KB */
vm_paddr_t phys_avail[10];	/* free physical memory, [start, end) pairs */
int	cold = 1;
struct pcb proc0_pcb;
struct pcb *curpcb;
struct i386tss common_tss;
static int gsel_tss;
static int memtest_pages;

union descriptor gdt[NGDT];		/* global descriptor table */
union descriptor ldt[NLDT];		/* local descriptor table */
struct gate_descriptor idt0[NIDT];	/* interrupt descriptor table */
static struct region_descriptor r_gdt, r_idt;

/*
 * The GDT, in the easy-to-fill form: base, limit, type, dpl, present,
 * two unused fields, 32-bit default, page granularity.
 */
struct soft_segment_descriptor gdt_segs[NGDT] = {
/* GNULL_SEL	0 Null Descriptor */
{	0x0,			/* segment base address  */
	0x0,			/* length */
	0,			/* segment type */
	0,			/* segment descriptor priority level */
	0,			/* segment descriptor present */
	0, 0,
	0,			/* default 32 vs 16 bit size */
	0			/* limit granularity (byte/page units)*/ },
/* GCODE_SEL	1 Code Descriptor for kernel */
{	0x0,			/* segment base address  */
	0xfffff,		/* length - all address space */
	SDT_MEMERA,		/* segment type */
	SEL_KPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	1,			/* default 32 vs 16 bit size */
	1			/* limit granularity (byte/page units)*/ },
/* GDATA_SEL	2 Data Descriptor for kernel */
{	0x0,			/* segment base address  */
	0xfffff,		/* length - all address space */
	SDT_MEMRWA,		/* segment type */
	SEL_KPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	1,			/* default 32 vs 16 bit size */
	1			/* limit granularity (byte/page units)*/ },
/* GPRIV_SEL	3 Per-cpu data, a flat segment without SMP */
{	0x0,			/* segment base address  */
	0xfffff,		/* length - all address space */
	SDT_MEMRWA,		/* segment type */
	SEL_KPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	1,			/* default 32 vs 16 bit size */
	1			/* limit granularity (byte/page units)*/ },
/* GPROC0_SEL	4 Proc 0 Tss Descriptor */
{	0x0,			/* segment base address, set in init386 */
	sizeof(struct i386tss)-1,/* length */
	SDT_SYS386TSS,		/* segment type */
	SEL_KPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	0,			/* unused - default 32 vs 16 bit size */
	0			/* limit granularity (byte/page units)*/ },
/* GLDT_SEL	5 LDT Descriptor */
{	0x0,			/* segment base address, set in init386 */
	sizeof(ldt)-1,		/* length */
	SDT_SYSLDT,		/* segment type */
	SEL_UPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	0,			/* unused - default 32 vs 16 bit size */
	0			/* limit granularity (byte/page units)*/ },
/* GUCODE_SEL	6 Code Descriptor for user */
{	0x0,			/* segment base address  */
	0xfffff,		/* length - all address space */
	SDT_MEMERA,		/* segment type */
	SEL_UPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	1,			/* default 32 vs 16 bit size */
	1			/* limit granularity (byte/page units)*/ },
/* GUDATA_SEL	7 Data Descriptor for user */
{	0x0,			/* segment base address  */
	0xfffff,		/* length - all address space */
	SDT_MEMRWA,		/* segment type */
	SEL_UPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	1,			/* default 32 vs 16 bit size */
	1			/* limit granularity (byte/page units)*/ }
};

static struct soft_segment_descriptor ldt_segs[NLDT] = {
/* LUCODE_SEL	0 Code Descriptor for user */
{	0x0,			/* segment base address  */
	0xfffff,		/* length - all address space */
	SDT_MEMERA,		/* segment type */
	SEL_UPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	1,			/* default 32 vs 16 bit size */
	1			/* limit granularity (byte/page units)*/ },
/* LUDATA_SEL	1 Data Descriptor for user */
{	0x0,			/* segment base address  */
	0xfffff,		/* length - all address space */
	SDT_MEMRWA,		/* segment type */
	SEL_UPL,		/* segment descriptor priority level */
	1,			/* segment descriptor present */
	0, 0,
	1,			/* default 32 vs 16 bit size */
	1			/* limit granularity (byte/page units)*/ }
};

#define	IDTVEC(name)	__CONCAT(X,name)
extern inthand_t
	IDTVEC(div), IDTVEC(dbg), IDTVEC(nmi), IDTVEC(bpt), IDTVEC(ofl),
	IDTVEC(bnd), IDTVEC(ill), IDTVEC(dna), IDTVEC(dblfault),
	IDTVEC(fpusegm), IDTVEC(tss), IDTVEC(missing), IDTVEC(stk),
	IDTVEC(prot), IDTVEC(page), IDTVEC(rsvd), IDTVEC(fpu), IDTVEC(align),
	IDTVEC(mchk), IDTVEC(xmm),
	IDTVEC(intr0), IDTVEC(intr1), IDTVEC(intr2), IDTVEC(intr3),
	IDTVEC(intr4), IDTVEC(intr5), IDTVEC(intr6), IDTVEC(intr7),
	IDTVEC(intr8), IDTVEC(intr9), IDTVEC(intr10), IDTVEC(intr11),
	IDTVEC(intr12), IDTVEC(intr13), IDTVEC(intr14), IDTVEC(intr15);

static inthand_t *intrvec[ICU_LEN] = {
	&IDTVEC(intr0), &IDTVEC(intr1), &IDTVEC(intr2), &IDTVEC(intr3),
	&IDTVEC(intr4), &IDTVEC(intr5), &IDTVEC(intr6), &IDTVEC(intr7),
	&IDTVEC(intr8), &IDTVEC(intr9), &IDTVEC(intr10), &IDTVEC(intr11),
	&IDTVEC(intr12), &IDTVEC(intr13), &IDTVEC(intr14), &IDTVEC(intr15)
};

static void getmemsize __P((vm_paddr_t first));
static vm_size_t preload_multiboot __P((vm_paddr_t first));
static void initializecpu __P((void));

/*
 * Convert a soft segment descriptor to the hardware layout.
 */
void
ssdtosd(ssdp, sdp)
	struct soft_segment_descriptor *ssdp;
	struct segment_descriptor *sdp;
{

	sdp->sd_lobase = ssdp->ssd_base;
	sdp->sd_hibase = ssdp->ssd_base >> 24;
	sdp->sd_lolimit = ssdp->ssd_limit;
	sdp->sd_hilimit = ssdp->ssd_limit >> 16;
	sdp->sd_type = ssdp->ssd_type;
	sdp->sd_dpl = ssdp->ssd_dpl;
	sdp->sd_p = ssdp->ssd_p;
	sdp->sd_xx = 0;
	sdp->sd_def32 = ssdp->ssd_def32;
	sdp->sd_gran = ssdp->ssd_gran;
}

void
setidt(int idx, inthand_t *func, int typ, int dpl, int selec)
{
	struct gate_descriptor *ip;

	ip = idt0 + idx;
	ip->gd_looffset = (int)func;
	ip->gd_selector = selec;
	ip->gd_stkcpy = 0;
	ip->gd_xx = 0;
	ip->gd_type = typ;
	ip->gd_dpl = dpl;
	ip->gd_p = 1;
	ip->gd_hioffset = ((int)func) >> 16;
}

/*
 * Called from locore with the first free physical address after the
 * kernel and its bootstrap page tables.
 */
void
init386(first)
	vm_paddr_t first;
{
	int x;

	/* The console first, so that a panic from here on is visible. */
	cninit();

	/* The loader's command line: name=value words are the environment. */
	if (multiboot_magic == MULTIBOOT_BOOTLOADER_MAGIC &&
	    (multiboot_info.mi_flags & MULTIBOOT_INFO_CMDLINE))
		init_static_kenv(multiboot_cmdline);

	/* The GDT, with the TSS and LDT descriptors pointing at ours. */
	gdt_segs[GPROC0_SEL].ssd_base = (int)&common_tss;
	gdt_segs[GLDT_SEL].ssd_base = (int)ldt;
	for (x = 0; x < NGDT; x++)
		ssdtosd(&gdt_segs[x], &gdt[x].sd);
	r_gdt.rd_limit = NGDT * sizeof(gdt[0]) - 1;
	r_gdt.rd_base = (int)gdt;
	lgdt(&r_gdt);

	for (x = 0; x < NLDT; x++)
		ssdtosd(&ldt_segs[x], &ldt[x].sd);
	lldt(GSEL(GLDT_SEL, SEL_KPL));

	/* Exceptions: trap gates, so interrupts stay as they were. */
	for (x = 0; x < NIDT; x++)
		setidt(x, &IDTVEC(rsvd), SDT_SYS386TGT, SEL_KPL,
		    GSEL(GCODE_SEL, SEL_KPL));
	setidt(0, &IDTVEC(div), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(1, &IDTVEC(dbg), SDT_SYS386IGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(2, &IDTVEC(nmi), SDT_SYS386IGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(3, &IDTVEC(bpt), SDT_SYS386IGT, SEL_UPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(4, &IDTVEC(ofl), SDT_SYS386TGT, SEL_UPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(5, &IDTVEC(bnd), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(6, &IDTVEC(ill), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(7, &IDTVEC(dna), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(8, &IDTVEC(dblfault), SDT_SYS386IGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(9, &IDTVEC(fpusegm), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(10, &IDTVEC(tss), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(11, &IDTVEC(missing), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(12, &IDTVEC(stk), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(13, &IDTVEC(prot), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(14, &IDTVEC(page), SDT_SYS386IGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(15, &IDTVEC(rsvd), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(16, &IDTVEC(fpu), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(17, &IDTVEC(align), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(18, &IDTVEC(mchk), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));
	setidt(19, &IDTVEC(xmm), SDT_SYS386TGT, SEL_KPL, GSEL(GCODE_SEL, SEL_KPL));

	/* Hardware interrupts: interrupt gates, entered with interrupts off. */
	for (x = 0; x < ICU_LEN; x++)
		setidt(ICU_OFFSET + x, intrvec[x], SDT_SYS386IGT, SEL_KPL,
		    GSEL(GCODE_SEL, SEL_KPL));

	r_idt.rd_limit = sizeof(idt0) - 1;
	r_idt.rd_base = (int)idt0;
	lidt(&r_idt);

	/* The TSS: only the ring 0 stack and the I/O map offset matter. */
	common_tss.tss_esp0 = (int)kstack + KSTACK_PAGES * PAGE_SIZE - 16;
	common_tss.tss_ss0 = GSEL(GDATA_SEL, SEL_KPL);
	common_tss.tss_ioopt = (sizeof common_tss) << 16;
	gsel_tss = GSEL(GPROC0_SEL, SEL_KPL);
	ltr(gsel_tss);

	finishidentcpu();	/* Final stage of CPU initialization */
	initializecpu();

	/* All interrupt lines masked until a driver asks for one. */
	isa_defaultirq();

	getmemsize(first);
	pmap_set_opt();
	vm_page_startup();

	/* proc0 runs on locore's stack, in the kernel's address space. */
	proc0_pcb.pcb_cr3 = (int)IdlePTD;
	proc0_pcb.pcb_flags = 0;
	curpcb = &proc0_pcb;
}

/*
 * Put the control registers in the state the kernel expects: caches on,
 * FPU errors reported natively, supervisor writes honouring read-only
 * pages.
 */
static void
initializecpu()
{
	u_int cr0;

	cr0 = rcr0();
	if (cr0 & (CR0_CD | CR0_NW)) {
		/* The caches were off: write back whatever they hold first. */
		wbinvd();
		cr0 &= ~(CR0_CD | CR0_NW);
	}
	cr0 |= CR0_NE | CR0_MP | CR0_WP;
	lcr0(cr0);
	clts();
}

/*
 * Size memory from the loader's mem_lower and mem_upper, make sure the
 * pages are really there, and set up phys_avail[]: the low 640 KB but
 * page 0, then everything after the kernel and its page tables, less the
 * message buffer at the very top.
 */
/*
 * Hand the loader's modules to the preload list, each by its kernel
 * virtual address: locore mapped [0, first) at KERNBASE.  A module
 * outside that range (locore could not map it) is reported and left
 * out.  Returns the bytes of memory the modules take, in whole pages.
 */
static vm_size_t
preload_multiboot(first)
	vm_paddr_t first;
{
	struct multiboot_module *mp;
	const char *name, *p;
	vm_size_t size;
	u_int i;

	size = 0;
	for (i = 0; i < multiboot_info.mi_mods_count &&
	    i < MULTIBOOT_MAX_MODS; i++) {
		mp = &multiboot_mods[i];
		if (mp->mod_end < mp->mod_start || mp->mod_start < 0x100000 ||
		    mp->mod_end > first) {
			printf("multiboot: module %d [0x%x, 0x%x) is outside "
			    "the boot mapping; ignored\n", i, mp->mod_start,
			    mp->mod_end);
			continue;
		}
		/* The module's name: the last part of its command line. */
		name = "md_image";
		if (mp->mod_cmdline >= 0x100000 && mp->mod_cmdline < first) {
			name = (const char *)(KERNBASE + mp->mod_cmdline);
			for (p = name; *p != '\0' && *p != ' '; p++)
				if (*p == '/')
					name = p + 1;
		}
		preload_register(name, "md_image",
		    (caddr_t)(KERNBASE + mp->mod_start),
		    mp->mod_end - mp->mod_start);
		size += round_page(mp->mod_end) - trunc_page(mp->mod_start);
	}
	return (size);
}

static void
getmemsize(first)
	vm_paddr_t first;
{
	vm_size_t modsize;
	u_int basemem, extmem;
	vm_paddr_t pa, end;
	pt_entry_t *pte;
	volatile u_int *ptr;
	u_int tmp;
	int off;

	if (multiboot_magic == MULTIBOOT_BOOTLOADER_MAGIC &&
	    (multiboot_info.mi_flags & MULTIBOOT_INFO_MEMORY)) {
		basemem = multiboot_info.mi_mem_lower;
		extmem = multiboot_info.mi_mem_upper;
	} else {
		/* No usable information: assume a 16 MB machine. */
		basemem = 640;
		extmem = 15 * 1024;
	}
	if (basemem > 640)
		basemem = 640;
	realmem_kb = 1024 + extmem;
	Maxmem = atop(0x100000 + extmem * 1024);
	if (ptoa(Maxmem) > VM_MAX_PHYS)
		Maxmem = atop(VM_MAX_PHYS);

	pmap_bootstrap(first, 0);

	/*
	 * The kernel and its bootstrap tables own everything below
	 * KERNRESERVE, however large this build happens to be, so that the
	 * memory figures printed at boot are the same for every compiler.
	 * The loader's modules sit between the kernel and those tables:
	 * the reservation grows by their size, which is the same for every
	 * compiler too.
	 */
	modsize = preload_multiboot(avail_start);
	if (avail_start > KERNRESERVE + modsize)
		panic("getmemsize: kernel ends at 0x%x, past KERNRESERVE",
		    avail_start);
	avail_start = KERNRESERVE + modsize;

	/*
	 * Check each page above the kernel by writing patterns through the
	 * CMAP1 window, uncached; stop at the first that does not hold them.
	 */
	end = ptoa(Maxmem);
	for (pa = round_page(avail_start); pa < end; pa += PAGE_SIZE) {
		*CMAP1 = PG_V | PG_RW | PG_N | pa;
		invlpg((u_int)CADDR1);
		ptr = (volatile u_int *)CADDR1;
		tmp = *ptr;
		*ptr = 0xaaaaaaaa;
		if (*ptr != 0xaaaaaaaa)
			break;
		*ptr = 0x55555555;
		if (*ptr != 0x55555555)
			break;
		*ptr = tmp;
		memtest_pages++;
	}
	*CMAP1 = 0;
	invlpg((u_int)CADDR1);
	end = pa;

	phys_avail[0] = PAGE_SIZE;
	phys_avail[1] = trunc_page(basemem * 1024);
	phys_avail[2] = round_page(avail_start);
	phys_avail[3] = end - round_page(MSGBUF_SIZE);
	phys_avail[4] = 0;
	phys_avail[5] = 0;
	avail_end = phys_avail[3];

	/* Map the message buffer at the top of memory. */
	pte = msgbufmap;
	for (off = 0; off < round_page(MSGBUF_SIZE); off += PAGE_SIZE) {
		pte[atop(off)] = (avail_end + off) | PG_V | PG_RW | pgeflag;
		invlpg((u_int)msgbufp + off);
	}
	msgbufinit(msgbufp, round_page(MSGBUF_SIZE));
}

/*
 * The first machine-dependent step of mi_startup(): tell the world what
 * init386() found.
 */
void
cpu_startup(dummy)
	void *dummy;
{
	u_int64_t apicbase;

	identifycpu();
	printf("real memory  = %u (%uK bytes)\n", realmem_kb * 1024, realmem_kb);
	printf("avail memory = %u (%uK bytes)\n", cnt_v_free_count * PAGE_SIZE,
	    cnt_v_free_count * PAGE_SIZE / 1024);
	printf("memory test: %d pages above the kernel ok\n", memtest_pages);
	if (bootverbose)
		printf("multiboot: flags 0x%x, mem_lower %uK, mem_upper %uK\n",
		    multiboot_info.mi_flags, multiboot_info.mi_mem_lower,
		    multiboot_info.mi_mem_upper);
	pmap_bootinfo();
	printf("i386: GDT %d descriptors, LDT %d, IDT %d gates, TSS selector 0x%x\n",
	    NGDT, NLDT, NIDT, rtr());

	if ((cpu_feature & (CPUID_MSR | CPUID_APIC)) == (CPUID_MSR | CPUID_APIC)) {
		/* Write the base back as read: this kernel drives the 8259s. */
		apicbase = rdmsr(MSR_APICBASE);
		wrmsr(MSR_APICBASE, apicbase);
		pmap_lapic_map();
		printf("lapic: base MSR 0x%016llx, registers mapped at 0x%08x\n",
		    apicbase, LAPIC_VADDR);
	}
#ifdef DEV_PCI
	(void)pci_cfgregopen();
#endif
	cold = 0;
}

/*
 * Halt the processor for good, interrupts off.
 */
void
cpu_halt()
{

	disable_intr();
	for (;;)
		halt();
}
