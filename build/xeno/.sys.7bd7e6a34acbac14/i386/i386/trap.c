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
 * frame it built.  Page faults inside the kernel's demand-filled region
 * are satisfied here; a breakpoint is reported and resumed; anything
 * else is fatal.
 */

#include <sys/param.h>
#include <sys/systm.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/md_var.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/trap.h>

static int trap_pfault __P((struct trapframe *, vm_offset_t));
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
	int type;
	vm_offset_t eva;

	type = frame->tf_trapno;
	eva = 0;

	switch (type) {
	case T_PAGEFLT:
		/* %cr2 must be read before anything can fault again. */
		eva = rcr2();
		if (frame->tf_eflags & PSL_I)
			enable_intr();
		if (trap_pfault(frame, eva) == 0)
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

static int
trap_pfault(frame, eva)
	struct trapframe *frame;
	vm_offset_t eva;
{
	vm_offset_t va;
	vm_paddr_t pa;
	pt_entry_ptr_t pte;

	va = trunc_page(eva);
	if (va < lazy_start || va >= lazy_end)
		return (-1);
	pte = vtopte(va);

	if (frame->tf_err & PGEX_P) {
		/* A write to a page a read fault filled: let it be written. */
		if ((frame->tf_err & PGEX_W) == 0 || (*pte & PG_RW))
			return (-1);
		*pte |= PG_RW | PG_M;
		invlpg(va);
		lazy_upgrades++;
		return (0);
	}

	pa = vm_page_alloc();
	if (pa == 0)
		return (-1);
	pmap_zero_page(pa);
	if (frame->tf_err & PGEX_W)
		*pte = pa | PG_V | PG_RW | PG_A | PG_M | pgeflag;
	else
		*pte = pa | PG_V | PG_A | pgeflag;
	invlpg(va);
	lazy_fills++;
	return (0);
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
