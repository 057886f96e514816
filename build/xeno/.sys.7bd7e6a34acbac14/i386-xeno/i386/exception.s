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
 */

#include <sys/cdefs.h>
#include <machine/asmacros.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/trap.h>
#include <machine/xen/hypervisor.h>

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
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:70)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:71)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:72)
	movl	$KDSEL,%eax
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:74)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:75)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:76)
	pushl	%esp				/* the struct trapframe */
	call	trap
	addl	$4,%esp

/*
 * Return from a trap or an interrupt.  The frame may have been changed by
 * the handler, e.g. a fixed-up %eip.
 */
	.globl	doreti
doreti:
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:87)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:88)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:89)
	popal
	addl	$8,%esp				/* the trap number and error code */
	XENO_BREAKPOINT_ASM(iret, sys/i386/i386/exception.s:92)

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
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:124)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:125)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:126)
	movl	$KDSEL,%eax
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:128)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:129)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/exception.s:130)
	pushl	%esp				/* the struct trapframe */
	call	intr_execute
	addl	$4,%esp
	jmp	doreti
