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
 * The C half of exception handling: exception.s calls trap() with the
 * frame it built, and syscall() for int $0x80.
 *
 * A trap from user mode becomes a signal for the process (a page fault
 * first goes to vm_fault(), which may resolve it): SIGSEGV for an
 * address outside the map, SIGBUS for a protection fault or a general
 * protection fault such as a privileged instruction, SIGILL for an
 * invalid opcode, SIGFPE for a divide error, as FreeBSD 4's trap() maps
 * them.  Every return to user mode goes through userret(), which acts on
 * pending signals and gives the processor away at the end of a slice.
 *
 * In the kernel, a page fault on a user address during copyin/copyout is
 * resolved for the current process, or else the copy's pcb_onfault
 * recovery returns EFAULT; page faults inside the kernel's demand-filled
 * test region are satisfied here; a breakpoint is reported and resumed;
 * anything else is fatal.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/sysent.h>
#include <sys/user.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

#include <machine/cpu.h>
#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/md_var.h>
#include <machine/pcb.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/trap.h>
#include <machine/vmparam.h>

static int trap_pfault __P((struct trapframe *, int, vm_offset_t));
static void trap_fatal __P((struct trapframe *, vm_offset_t)) __dead2;

static const char *trap_msg[] = {
	"integer divide fault",			/*  0 T_DIVIDE */
	"debug exception",			/*  1 T_TRCTRAP */
	"nonmaskable interrupt trap",		/*  2 T_NMI */
	"breakpoint instruction fault",		/*  3 T_BPTFLT */
	"overflow trap",			/*  4 T_OFLOW */
	"FPU bounds check fault",		/*  5 T_BOUND */
	"privileged instruction fault",		/*  6 T_PRIVINFLT */
	"FPU device not available",		/*  7 T_DNA */
	"double fault",				/*  8 T_DOUBLEFLT */
	"FPU operand fetch fault",		/*  9 T_FPOPFLT */
	"invalid TSS fault",			/* 10 T_TSSFLT */
	"segment not present fault",		/* 11 T_SEGNPFLT */
	"stack fault",				/* 12 T_STKFLT */
	"general protection fault",		/* 13 T_PROTFLT */
	"page fault",				/* 14 T_PAGEFLT */
	"reserved (unknown) fault",		/* 15 T_RESERVED */
	"floating point error",			/* 16 T_ARITHTRAP */
	"alignment fault",			/* 17 T_ALIGNFLT */
	"machine check trap",			/* 18 T_MCHK */
	"SIMD floating point exception"		/* 19 T_XMMFLT */
};

/*
 * The kernel's demand-filled region: a fault on a missing page in
 * [lazy_start, lazy_end) gets a fresh zeroed page, writable only if the
 * fault was a write; a later write to such a read-only page makes it
 * writable.
 */
static vm_offset_t lazy_start, lazy_end;
static int lazy_fills;
static int lazy_upgrades;
static int bpt_count;

void
trap(frame)
	struct trapframe *frame;
{
	struct proc *p;
	int type, i;
	vm_offset_t eva;

	type = frame->tf_trapno;
	eva = 0;
	p = curproc;

	if (type == T_PAGEFLT) {
		/* %cr2 must be read before anything can fault again. */
		eva = rcr2();
		if (frame->tf_eflags & PSL_I)
			enable_intr();
	}

	if (TRAPF_USERMODE(frame)) {
		/* user trap */
		p->p_md.md_regs = frame;
		switch (type) {
		case T_PRIVINFLT:	/* privileged instruction fault */
			i = SIGILL;
			break;

		case T_BPTFLT:		/* bpt instruction fault */
		case T_TRCTRAP:		/* trace trap */
			frame->tf_eflags &= ~PSL_T;
			i = SIGTRAP;
			break;

		case T_PROTFLT:		/* general protection fault */
		case T_SEGNPFLT:	/* segment not present fault */
		case T_STKFLT:		/* stack fault */
		case T_TSSFLT:		/* invalid TSS fault */
		case T_DOUBLEFLT:	/* double fault */
		default:
			i = SIGBUS;
			break;

		case T_PAGEFLT:		/* page fault */
			i = trap_pfault(frame, TRUE, eva);
			if (i == 0)
				goto user;
			break;

		case T_DIVIDE:		/* integer divide fault */
		case T_OFLOW:		/* integer overflow fault */
		case T_BOUND:		/* bounds check fault */
		case T_ARITHTRAP:	/* arithmetic trap */
		case T_XMMFLT:		/* SIMD floating-point exception */
			i = SIGFPE;
			break;

		case T_DNA:		/* device not available (FPU) */
			i = SIGILL;
			break;
		}
		trapsignal(p, i, type);
user:
		userret(p, frame);
		return;
	}

	/* kernel trap */
	switch (type) {
	case T_PAGEFLT:
		if (trap_pfault(frame, FALSE, eva) == 0)
			return;
		break;

	case T_BPTFLT:
		/* The stub's address is in tf_eip; just go on after it. */
		bpt_count++;
		return;

	case T_NMI:
		printf("NMI ... going to debugger\n");
		return;

	default:
		break;
	}
	trap_fatal(frame, eva);
}

/*
 * A page fault: 0 when resolved, else the signal for a user fault; for
 * a kernel fault, the pcb_onfault recovery when a copy routine set one.
 */
static int
trap_pfault(frame, usermode, eva)
	struct trapframe *frame;
	int usermode;
	vm_offset_t eva;
{
	vm_offset_t va;
	vm_paddr_t pa;
	vm_prot_t ftype;
	pt_entry_ptr_t pte;
	struct proc *p;
	int rv;

	va = trunc_page(eva);
	p = curproc;
	if (va < VM_MAXUSER_ADDRESS) {
		/*
		 * A user address: the current process's map says what is
		 * there, also when the kernel touches it in copyin/copyout.
		 */
		if (p == NULL || p->p_vmspace == NULL ||
		    p->p_vmspace == &vmspace0)
			goto nogo;
		ftype = (frame->tf_err & PGEX_W) ? VM_PROT_WRITE : VM_PROT_READ;
		rv = vm_fault(&p->p_vmspace->vm_map, va, ftype, 0);
		if (rv == KERN_SUCCESS)
			return (0);
		if (rv == KERN_RESOURCE_SHORTAGE) {
			printf("pid %d (%s), uid 0, was killed: out of memory\n",
			    p->p_pid, p->p_comm);
			if (usermode)
				return (SIGKILL);
		}
		if (!usermode)
			goto nogo;
		return ((rv == KERN_PROTECTION_FAILURE) ? SIGBUS : SIGSEGV);
	}
	if (usermode)
		return (SIGSEGV);

	if (va < lazy_start || va >= lazy_end)
		goto nogo;
	pte = vtopte(va);

	if (frame->tf_err & PGEX_P) {
		/* A write to a page a read fault filled: let it be written. */
		if ((frame->tf_err & PGEX_W) == 0 || (*pte & PG_RW))
			goto nogo;
		*pte |= PG_RW | PG_M;
		invlpg(va);
		lazy_upgrades++;
		return (0);
	}

	pa = vm_page_alloc();
	if (pa == 0)
		goto nogo;
	pmap_zero_page(pa);
	if (frame->tf_err & PGEX_W)
		*pte = pa | PG_V | PG_RW | PG_A | PG_M | pgeflag;
	else
		*pte = pa | PG_V | PG_A | pgeflag;
	invlpg(va);
	lazy_fills++;
	return (0);

nogo:
	/* A copy routine that expects to fault: make it return EFAULT. */
	if (curpcb != NULL && curpcb->pcb_onfault != NULL) {
		frame->tf_eip = (int)curpcb->pcb_onfault;
		return (0);
	}
	return (-1);
}

static void
trap_fatal(frame, eva)
	struct trapframe *frame;
	vm_offset_t eva;
{
	int type, code;
	pd_entry_t pde;
	vm_paddr_t pa;

	type = frame->tf_trapno;
	code = frame->tf_err;
	printf("\n\nFatal trap %d: %s while in %s mode\n", type,
	    type < (int)nitems(trap_msg) ? trap_msg[type] : "unknown trap",
	    ISPL(frame->tf_cs) == SEL_UPL ? "user" : "kernel");
	if (type == T_PAGEFLT) {
		printf("fault virtual address\t= 0x%x\n", eva);
		printf("fault code\t\t= %s %s, %s\n",
		    code & PGEX_U ? "user" : "supervisor",
		    code & PGEX_W ? "write" : "read",
		    code & PGEX_P ? "protection violation" : "page not present");
		pde = PTD[eva >> PDRSHIFT];
		if ((pde & (PG_V | PG_PS)) == PG_V) {
			pa = *vtopte(eva) & PG_FRAME;
			printf("pde\t\t\t= 0x%x, pte frame 0x%x\n", pde, pa);
		} else
			printf("pde\t\t\t= 0x%x\n", pde);
	}
	printf("instruction pointer\t= 0x%x:0x%x\n", frame->tf_cs & 0xffff,
	    frame->tf_eip);
	printf("processor eflags\t= 0x%x\n", frame->tf_eflags);
	printf("error code\t\t= 0x%x\n", frame->tf_err);
	panic("%s", type < (int)nitems(trap_msg) ? trap_msg[type] : "unknown trap");
}

/*
 * Take a breakpoint trap and a page fault on purpose, and check that both
 * come back.
 */
void
trap_selftest(dummy)
	void *dummy;
{
	volatile u_int *p;
	u_int v;

	breakpoint();

	lazy_start = kmem_alloc_pageable(4 * PAGE_SIZE);
	lazy_end = lazy_start + 4 * PAGE_SIZE;
	p = (volatile u_int *)(lazy_start + PAGE_SIZE);
	v = *p;			/* faults: zero-filled, read-only */
	*p = v + 0x1234;	/* faults: made writable */
	printf("trap: %d breakpoint, %d demand-filled kernel page, %d write upgrade (value 0x%x)\n",
	    bpt_count, lazy_fills, lazy_upgrades, *p);
}

/*
 * Handle what is due at a return to user mode: act on pending signals,
 * and give the processor to the next process when the slice is over.
 */
void
userret(p, frame)
	struct proc *p;
	struct trapframe *frame;
{
	int sig;

	while ((sig = CURSIG(p)) != 0)
		postsig(sig);
	if (want_resched) {
		/*
		 * Put ourselves on the run queue and switch; we come back
		 * here when our turn comes again.
		 */
		setrunqueue(p);
		mi_switch();
		while ((sig = CURSIG(p)) != 0)
			postsig(sig);
	}
}

/*
 * The asynchronous system trap, from doreti on its way to user mode.
 */
void
ast(frame)
	struct trapframe *frame;
{

	astpending = 0;
	enable_intr();
	userret(curproc, frame);
}

/*
 * System call request from POSIX system call gate interface to kernel:
 * FreeBSD's convention, int $0x80 with the call's number in %eax and its
 * arguments on the user stack above the stub's return address.  Results
 * in %eax and %edx; failure sets the carry flag with the errno in %eax.
 */
void
syscall(frame)
	struct trapframe *frame;
{
	caddr_t params;
	struct sysent *callp;
	struct proc *p;
	u_int code;
	int error, narg;
	int args[8];

	p = curproc;
	if (!TRAPF_USERMODE(frame))
		panic("syscall: not from user mode");
	p->p_md.md_regs = frame;
	params = (caddr_t)frame->tf_esp + sizeof(int);
	code = frame->tf_eax;
	if (code >= SYS_MAXSYSCALL)
		callp = &sysent[0];
	else
		callp = &sysent[code];
	narg = callp->sy_narg;
	if (narg > (int)nitems(args))
		panic("syscall: %d takes %d arguments", code, narg);
	if (narg != 0 &&
	    (error = copyin(params, (caddr_t)args, narg * sizeof(int)))) {
		goto bad;
	}
	p->p_retval[0] = 0;
	p->p_retval[1] = frame->tf_edx;

	error = (*callp->sy_call)(p, args);

	switch (error) {
	case 0:
		frame->tf_eax = p->p_retval[0];
		frame->tf_edx = p->p_retval[1];
		frame->tf_eflags &= ~PSL_C;
		break;

	case ERESTART:
		/* Reconstruct pc: int $0x80 is 2 bytes, in tf_err. */
		frame->tf_eip -= frame->tf_err;
		break;

	case EJUSTRETURN:
		break;

	default:
bad:
		frame->tf_eax = error;
		frame->tf_eflags |= PSL_C;
		break;
	}

	userret(p, frame);
}

/*
 * A system call number nothing implements.
 */
int
nosys(p, args)
	struct proc *p;
	struct nosys_args *args;
{

	psignal(p, SIGSYS);
	return (ENOSYS);
}
