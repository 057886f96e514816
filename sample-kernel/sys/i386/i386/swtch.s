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
 * Context switching.  cpu_switch() saves the callee-saved registers, the
 * stack pointer, the return address and %eflags of the running thread in
 * its pcb and resumes another from its pcb, loading %cr3 if the address
 * space changes, the TSS's ring 0 stack if the pcb has one (a process:
 * the top of its u-area, for traps from user mode), and the task
 * register if the pcb names a TSS.  The PCB_* offsets come from
 * machine/pcb.h.
 *
 * fork_trampoline is where a new process's first cpu_switch() returns
 * to: cpu_fork() left the function to call in %esi, its argument in
 * %ebx, and the process's user trap frame at the stack pointer.
 */

#include <sys/cdefs.h>
#include <machine/asmacros.h>
#include <machine/pcb.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/tss.h>

	.text

/*
 * void cpu_switch(struct pcb *oldpcb, struct pcb *newpcb)
 */
ENTRY(cpu_switch)
	movl	4(%esp),%ecx			/* oldpcb */
	movl	(%esp),%eax			/* return address */
	movl	%eax,PCB_EIP(%ecx)
	movl	%ebx,PCB_EBX(%ecx)
	movl	%esp,PCB_ESP(%ecx)
	movl	%ebp,PCB_EBP(%ecx)
	movl	%esi,PCB_ESI(%ecx)
	movl	%edi,PCB_EDI(%ecx)
	pushfl
	popl	PCB_PSL(%ecx)
	cli					/* no interrupt on a half-loaded stack */

	movl	8(%esp),%edx			/* newpcb */
	movl	%edx,curpcb

	/* Switch address space only when it changes: a %cr3 load flushes the TLB. */
	movl	PCB_CR3(%edx),%eax
	movl	%cr3,%ebx
	cmpl	%eax,%ebx
	je	1f
	movl	%eax,%cr3
1:
	/* The kernel stack the processor takes on a trap from user mode. */
	movl	PCB_ESP0(%edx),%eax
	testl	%eax,%eax
	je	3f
	movl	%eax,common_tss+TSS_ESP0
3:
	/* A pcb with its own TSS: mark the descriptor available, reload %tr. */
	movl	PCB_TSSSEL(%edx),%eax
	testl	%eax,%eax
	je	2f
	movl	%eax,%ebx
	andl	$0xfff8,%ebx
	andl	$~0x00000200,gdt+4(%ebx)	/* clear the busy bit in sd_type */
	ltr	%ax
2:
	movl	PCB_EBX(%edx),%ebx
	movl	PCB_ESP(%edx),%esp
	movl	PCB_EBP(%edx),%ebp
	movl	PCB_ESI(%edx),%esi
	movl	PCB_EDI(%edx),%edi
	movl	PCB_EIP(%edx),%eax
	movl	%eax,(%esp)
	pushl	PCB_PSL(%edx)
	popfl
	ret

/*
 * void savectx(struct pcb *pcb): the registers cpu_switch() would save,
 * so that a new thread can be started from a copy.
 */
ENTRY(savectx)
	movl	4(%esp),%ecx
	movl	%cr3,%eax
	movl	%eax,PCB_CR3(%ecx)
	movl	(%esp),%eax
	movl	%eax,PCB_EIP(%ecx)
	movl	%ebx,PCB_EBX(%ecx)
	movl	%esp,PCB_ESP(%ecx)
	movl	%ebp,PCB_EBP(%ecx)
	movl	%esi,PCB_ESI(%ecx)
	movl	%edi,PCB_EDI(%ecx)
	pushfl
	popl	PCB_PSL(%ecx)
	ret

/*
 * The first code a forked process runs: call the function cpu_fork()
 * or cpu_set_fork_handler() chose, with its argument and the trap frame,
 * then return to user mode through doreti with that frame.
 */
ENTRY(fork_trampoline)
	movl	%esp,%eax			/* the trap frame */
	pushl	%eax
	pushl	%ebx				/* arg1 */
	call	*%esi				/* function */
	addl	$8,%esp
	jmp	doreti
