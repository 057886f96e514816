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
 * Machine-dependent parts of the virtual memory and thread code: starting
 * a kernel thread on its own stack, mapping another address space's pages
 * into the kernel, the physical address of a kernel address, and reset.
 */

#include <sys/param.h>
#include <sys/systm.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/pcb.h>
#include <machine/psl.h>
#include <machine/segments.h>

#include <i386-xeno/isa/isa.h>
#include <machine/xen/hypervisor.h>

static struct pcb thread0_pcb;
static int thread_ran;

void	cpu_thread_setup __P((struct pcb *, void (*)(void), caddr_t, int));
static void thread0_main __P((void)) __dead2;

/*
 * Set up pcb so that cpu_switch() to it starts func on the stack
 * [stack, stack + size), in the current address space.
 */
void
cpu_thread_setup(pcb, func, stack, size)
	struct pcb *pcb;
	void (*func) __P((void));
	caddr_t stack;
	int size;
{

	XENO_BREAKPOINT("wrapper-privileged", "sys/i386/i386/vm_machdep.c:62");
	pcb->pcb_cr3 = XENO_BREAKPOINT("wrapper-privileged", "sys/i386/i386/vm_machdep.c:63");
	pcb->pcb_esp = (int)(stack + size) - 2 * sizeof(int);
	pcb->pcb_ebp = 0;
	pcb->pcb_eip = (int)func;
	pcb->pcb_psl = PSL_KERNEL;
	pcb->pcb_tsssel = GSEL(GPROC0_SEL, SEL_KPL);
	pcb->pcb_flags = 0;
	pcb->pcb_onfault = NULL;
}

static void
thread0_main()
{

	thread_ran++;
	printf("proc: kernel thread running on its own stack\n");
	cpu_switch(&thread0_pcb, &proc0_pcb);
	panic("thread0_main: resumed");
}

/*
 * Switch to a new kernel thread and back, through cpu_switch().
 */
void
cpu_selftest_switch(dummy)
	void *dummy;
{
	caddr_t stack;
	vm_paddr_t pa;

	/*
	 * The lowest page of the stack is a guard: an overflow faults
	 * instead of running into whatever lies below.
	 */
	stack = (caddr_t)kmem_alloc((KSTACK_PAGES + 1) * PAGE_SIZE);
	pa = kvtop(stack);
	xen_pte_set(vtopte((vm_offset_t)stack), 0);
	xen_invlpg((u_int)stack);
	vm_page_free(pa);
	stack += PAGE_SIZE;

	cpu_thread_setup(&thread0_pcb, thread0_main, stack,
	    KSTACK_PAGES * PAGE_SIZE);
	cpu_switch(&proc0_pcb, &thread0_pcb);
	printf("proc: back in proc0 after %d context switches (thread stack at pa 0x%x)\n",
	    thread_ran * 2, kvtop(stack));
}

/*
 * Map count pages of pmap's space, from uva, at the kernel address kva:
 * the pages of a user buffer for a driver to reach.
 */
void
vmapbuf_pages(pmap, uva, kva, count)
	pmap_t pmap;
	vm_offset_t uva;
	vm_offset_t kva;
	int count;
{
	pt_entry_ptr_t pte;
	vm_paddr_t pa;
	int i;

	for (i = 0; i < count; i++) {
		pa = pmap_extract(pmap, uva + i * PAGE_SIZE);
		if (pa == 0)
			panic("vmapbuf_pages: page not mapped");
		pte = vtopte(kva + i * PAGE_SIZE);
		xen_pte_set(pte, trunc_page(pa) | PG_V | PG_RW | PG_A | PG_M);
		xen_invlpg(kva + i * PAGE_SIZE);
	}
}

/*
 * Undo vmapbuf_pages().
 */
void
vunmapbuf_pages(kva, count)
	vm_offset_t kva;
	int count;
{
	pt_entry_t *pte;
	int i;

	for (i = 0; i < count; i++) {
		pte = vtopte(kva + i * PAGE_SIZE);
		if ((xen_pte_atomic_clear(pte) & PG_V) == 0)
			panic("vunmapbuf_pages: page not mapped");
		xen_invlpg(kva + i * PAGE_SIZE);
	}
}

/*
 * The physical address of a kernel virtual address.
 */
vm_paddr_t
kvtop(addr)
	caddr_t addr;
{
	vm_offset_t va;
	vm_paddr_t pa;
	pd_entry_t pde;

	va = (vm_offset_t)addr;
	pde = PTD[va >> PDRSHIFT];
	if (pde & 0)
		return ((xen_ma_to_pa(pde & PG_PS_FRAME)) | (va & PDRMASK));
	pa = xen_ma_to_pa(*vtopte(va) & PG_FRAME);
	if (pa == 0)
		panic("kvtop: zero page frame");
	return (pa | (va & PAGE_MASK));
}

/*
 * Force a reset of the processor: first the keyboard controller's reset
 * line, then a triple fault by unmapping the entire address space.
 */
void
cpu_reset()
{

	xen_cli();
	outb(IO_KBD + 4, 0xFE);
	DELAY(500000);		/* wait 0.5 sec to see if that did it */

	printf("Keyboard reset did not work, attempting CPU shutdown\n");
	DELAY(1000000);		/* wait 1 sec for printf to complete */

	/* Force a shutdown by unmapping entire address space. */
	xen_pt_zero((caddr_t)PTD, PAGE_SIZE);

	/* "good night, sweet prince .... <THUNK!>" */
	xen_invltlb();
	/* NOTREACHED */
	XENO_BREAKPOINT("wrapper-privileged", "sys/i386/i386/vm_machdep.c:197");
}
