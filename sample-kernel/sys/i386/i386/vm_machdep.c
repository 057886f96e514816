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
 * Machine-dependent parts of the virtual memory and process code: the
 * kernel context of a forked process (cpu_fork), switching between
 * processes (cpu_switch_to), leaving for good (cpu_exit), starting a
 * kernel thread on its own stack, mapping another address space's pages
 * into the kernel, the physical address of a kernel address, and reset.
 *
 * A process's u-area holds its pcb at the bottom and its kernel stack
 * above; the stack's top 16 bytes are unused, below them the trap frame
 * of its user context, as the processor builds it on a trap from user
 * mode with tss_esp0 at that point.  proc0 has no u-area of its own: its
 * "u-area" is proc0_pcb, and it runs on locore's stack.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>
#include <sys/user.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/md_var.h>
#include <machine/pcb.h>
#include <machine/psl.h>
#include <machine/segments.h>

#include <i386/isa/isa.h>

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

	savectx(pcb);
	pcb->pcb_cr3 = rcr3();
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
	*vtopte((vm_offset_t)stack) = 0;
	invlpg((u_int)stack);
	vm_page_free(pa);
	stack += PAGE_SIZE;

	cpu_thread_setup(&thread0_pcb, thread0_main, stack,
	    KSTACK_PAGES * PAGE_SIZE);
	cpu_switch(&proc0_pcb, &thread0_pcb);
	printf("proc: back in proc0 after %d context switches (thread stack at pa 0x%x)\n",
	    thread_ran * 2, kvtop(stack));
}

/* The top of p's kernel stack, where a trap from user mode starts. */
#define	UAREA_ESP0(p)	((int)(p)->p_addr + UPAGES * PAGE_SIZE - 16)

/*
 * Finish a fork operation, with process p2 nearly set up.  Copy the
 * user registers of p1 to p2's kernel stack and make p2's first switch
 * run fork_return() through fork_trampoline, which returns to user mode
 * with those registers: the child's fork() returns 0, with %edx 1 to
 * tell the library's stub it is the child.
 */
void
cpu_fork(p1, p2)
	struct proc *p1, *p2;
{
	struct pcb *pcb2;
	struct trapframe *tf;

	pcb2 = &p2->p_addr->u_pcb;
	bzero(pcb2, sizeof(*pcb2));

	tf = (struct trapframe *)UAREA_ESP0(p2) - 1;
	p2->p_md.md_regs = tf;
	if (p1->p_md.md_regs != NULL)
		bcopy(p1->p_md.md_regs, tf, sizeof(*tf));
	else
		bzero(tf, sizeof(*tf));
	tf->tf_eax = 0;			/* child returns zero */
	tf->tf_eflags &= ~PSL_C;	/* success */
	tf->tf_edx = 1;

	pcb2->pcb_cr3 = vmspace_pmap(p2->p_vmspace)->pm_cr3;
	pcb2->pcb_edi = 0;
	pcb2->pcb_esi = (int)fork_return;	/* fork_trampoline argument */
	pcb2->pcb_ebp = 0;
	pcb2->pcb_esp = (int)tf - sizeof(void *);
	pcb2->pcb_ebx = (int)p2;		/* fork_trampoline argument */
	pcb2->pcb_eip = (int)fork_trampoline;
	pcb2->pcb_psl = PSL_KERNEL | PSL_I;
	pcb2->pcb_tsssel = GSEL(GPROC0_SEL, SEL_KPL);
	pcb2->pcb_esp0 = UAREA_ESP0(p2);
	pcb2->pcb_onfault = NULL;
}

/*
 * Make the new process start in func(arg) instead of fork_return().
 */
void
cpu_set_fork_handler(p, func, arg)
	struct proc *p;
	void (*func) __P((void *));
	void *arg;
{

	p->p_addr->u_pcb.pcb_esi = (int)func;
	p->p_addr->u_pcb.pcb_ebx = (int)arg;
}

/*
 * Switch from oldp, which has set its state, to newp: curproc, the
 * active pmap, then the registers, address space and kernel stack in
 * cpu_switch().  Returns when oldp is switched back in.
 */
void
cpu_switch_to(oldp, newp)
	struct proc *oldp, *newp;
{
	struct pcb *oldpcb, *newpcb;

	oldpcb = &oldp->p_addr->u_pcb;
	newpcb = &newp->p_addr->u_pcb;
	if (oldp->p_vmspace != NULL)
		vmspace_pmap(oldp->p_vmspace)->pm_active = 0;
	if (newp->p_vmspace != NULL)
		vmspace_pmap(newp->p_vmspace)->pm_active = 1;
	curproc = newp;
	cpu_switch(oldpcb, newpcb);
}

/*
 * A process's last act: switch away for good.  Its u-area stays until
 * the parent's wait4 frees it, since this very code runs on it.
 */
void
cpu_exit(p)
	struct proc *p;
{

	mi_switch();
	panic("cpu_exit: pid %d switched back in", p->p_pid);
}

/*
 * Clean up what cpu_fork() set up, before the parent frees the u-area.
 * There is nothing machine-dependent to release.
 */
void
cpu_wait(p)
	struct proc *p;
{

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
		*pte = trunc_page(pa) | PG_V | PG_RW | PG_A | PG_M;
		invlpg(kva + i * PAGE_SIZE);
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
		if ((pte_load_clear(pte) & PG_V) == 0)
			panic("vunmapbuf_pages: page not mapped");
		invlpg(kva + i * PAGE_SIZE);
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
	if (pde & PG_PS)
		return ((pde & PG_PS_FRAME) | (va & PDRMASK));
	pa = *vtopte(va) & PG_FRAME;
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

	disable_intr();
	outb(IO_KBD + 4, 0xFE);
	DELAY(500000);		/* wait 0.5 sec to see if that did it */

	printf("Keyboard reset did not work, attempting CPU shutdown\n");
	DELAY(1000000);		/* wait 1 sec for printf to complete */

	/* Force a shutdown by unmapping entire address space. */
	bzero((caddr_t)PTD, PAGE_SIZE);

	/* "good night, sweet prince .... <THUNK!>" */
	invltlb();
	/* NOTREACHED */
	cpu_halt_forever();
}
