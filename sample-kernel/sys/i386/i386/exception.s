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
 * Trap and interrupt entry points.  Each IDT vector has a stub that makes
 * the stack look the same whatever the vector: an error code (the CPU's
 * or a pushed 0), the trap number, then alltraps or intr_common save the
 * registers into a struct trapframe and call trap() or intr_execute()
 * with its address.  doreti undoes all of it and returns with iret.
 *
 * System calls come in through int $0x80 (Xint0x80_syscall), a trap
 * gate user mode may use, with the same frame; the error code slot holds
 * the length of the int instruction, so that a restarted call can back
 * up over it.  On the way back to user mode, doreti first calls ast()
 * while an AST is pending: a time slice ended or a signal was posted.
 */

#include <sys/cdefs.h>
#include <machine/asmacros.h>
#include <machine/frame.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/trap.h>

#define	KDSEL		GSEL(GDATA_SEL, SEL_KPL)

/* A trap for which the processor pushes no error code. */
#define	TRAP_NOERR(name, type)	IDTVEC(name); pushl $0; pushl $(type); jmp alltraps
/* A trap for which it does. */
#define	TRAP_ERR(name, type)	IDTVEC(name); pushl $(type); jmp alltraps

	.text
TRAP_NOERR(div, T_DIVIDE)
TRAP_NOERR(dbg, T_TRCTRAP)
TRAP_NOERR(nmi, T_NMI)
TRAP_NOERR(bpt, T_BPTFLT)
TRAP_NOERR(ofl, T_OFLOW)
TRAP_NOERR(bnd, T_BOUND)
TRAP_NOERR(ill, T_PRIVINFLT)
TRAP_NOERR(dna, T_DNA)
TRAP_ERR(dblfault, T_DOUBLEFLT)
TRAP_NOERR(fpusegm, T_FPOPFLT)
TRAP_ERR(tss, T_TSSFLT)
TRAP_ERR(missing, T_SEGNPFLT)
TRAP_ERR(stk, T_STKFLT)
TRAP_ERR(prot, T_PROTFLT)
TRAP_ERR(page, T_PAGEFLT)
TRAP_NOERR(rsvd, T_RESERVED)
TRAP_NOERR(fpu, T_ARITHTRAP)
TRAP_ERR(align, T_ALIGNFLT)
TRAP_NOERR(mchk, T_MCHK)
TRAP_NOERR(xmm, T_XMMFLT)

	SUPERALIGN_TEXT
	.globl	alltraps
alltraps:
	pushal
	pushl	%ds
	pushl	%es
	pushl	%fs
	movl	$KDSEL,%eax
	mov	%ax,%ds
	mov	%ax,%es
	mov	%ax,%fs
	pushl	%esp				/* the struct trapframe */
	call	trap
	addl	$4,%esp

/*
 * Return from a trap or an interrupt.  The frame may have been changed by
 * the handler, e.g. a fixed-up %eip.  Before a return to user mode, an
 * AST is handled; ast() may switch to another process and come back
 * here much later, so the check is made again.  Interrupts stay as they
 * are: an AST posted between the check and the iret waits for the next
 * trap or clock tick, which is as good.
 */
	.globl	doreti
doreti:
	/* To user mode: RPL 3 exactly (a kernel under Xen runs in ring 1). */
	movl	TF_CS(%esp),%eax
	andl	$SEL_UPL,%eax
	cmpl	$SEL_UPL,%eax
	jne	doreti_exit
	cmpl	$0,astpending
	je	doreti_exit
	pushl	%esp				/* the struct trapframe */
	call	ast
	addl	$4,%esp
	jmp	doreti

doreti_exit:
	popl	%fs
	popl	%es
	popl	%ds
	popal
	addl	$8,%esp				/* the trap number and error code */
	iret

/*
 * Hardware interrupts from the 8259s, programmed to vectors ICU_OFFSET
 * to ICU_OFFSET + 15.  Xintr0 is the 8254 clock.
 */
#define	INTR(irq_num)							\
	IDTVEC(__CONCAT(intr, irq_num));				\
	pushl	$0;							\
	pushl	$(ICU_OFFSET + irq_num);				\
	jmp	intr_common

INTR(0)
INTR(1)
INTR(2)
INTR(3)
INTR(4)
INTR(5)
INTR(6)
INTR(7)
INTR(8)
INTR(9)
INTR(10)
INTR(11)
INTR(12)
INTR(13)
INTR(14)
INTR(15)

	SUPERALIGN_TEXT
intr_common:
	pushal
	pushl	%ds
	pushl	%es
	pushl	%fs
	movl	$KDSEL,%eax
	mov	%ax,%ds
	mov	%ax,%es
	mov	%ax,%fs
	pushl	%esp				/* the struct trapframe */
	call	intr_execute
	addl	$4,%esp
	jmp	doreti

/*
 * Call gate entry for the FreeBSD ELF system call: int $0x80.  A trap
 * gate, so interrupts stay enabled, as they are in user mode.
 */
	SUPERALIGN_TEXT
IDTVEC(int0x80_syscall)
	pushl	$2				/* sizeof "int 0x80" */
	pushl	$T_SYSCALL
	pushal
	pushl	%ds
	pushl	%es
	pushl	%fs
	movl	$KDSEL,%eax
	mov	%ax,%ds
	mov	%ax,%es
	mov	%ax,%fs
	pushl	%esp				/* the struct trapframe */
	call	syscall
	addl	$4,%esp
	jmp	doreti
