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
 * space changes and the task register if the pcb names a TSS.  The PCB_*
 * offsets come from machine/pcb.h.
 */

#include <sys/cdefs.h>
#include <machine/asmacros.h>
#include <machine/pcb.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/xen/hypervisor.h>

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
	XENO_BREAKPOINT_ASM(pushf, sys/i386/i386/swtch.s:51)
	popl	PCB_PSL(%ecx)
	XENO_BREAKPOINT_ASM(cli, sys/i386/i386/swtch.s:53)					/* no interrupt on a half-loaded stack */

	movl	8(%esp),%edx			/* newpcb */
	movl	%edx,curpcb

	/* Switch address space only when it changes: a %cr3 load flushes the TLB. */
	movl	PCB_CR3(%edx),%eax
	XENO_BREAKPOINT_ASM(mov-from-cr3, sys/i386/i386/swtch.s:60)
	cmpl	%eax,%ebx
	je	1f
	XENO_BREAKPOINT_ASM(mov-to-cr3, sys/i386/i386/swtch.s:63)
1:
	/* A pcb with its own TSS: mark the descriptor available, reload %tr. */
	movl	PCB_TSSSEL(%edx),%eax
	testl	%eax,%eax
	je	2f
	movl	%eax,%ebx
	andl	$0xfff8,%ebx
	andl	$~0x00000200,gdt+4(%ebx)	/* clear the busy bit in sd_type */
	XENO_BREAKPOINT_ASM(ltr, sys/i386/i386/swtch.s:72)
2:
	movl	PCB_EBX(%edx),%ebx
	movl	PCB_ESP(%edx),%esp
	movl	PCB_EBP(%edx),%ebp
	movl	PCB_ESI(%edx),%esi
	movl	PCB_EDI(%edx),%edi
	movl	PCB_EIP(%edx),%eax
	movl	%eax,(%esp)
	pushl	PCB_PSL(%edx)
	XENO_BREAKPOINT_ASM(popf, sys/i386/i386/swtch.s:82)
	ret

/*
 * void savectx(struct pcb *pcb): the registers cpu_switch() would save,
 * so that a new thread can be started from a copy.
 */
ENTRY(savectx)
	movl	4(%esp),%ecx
	XENO_BREAKPOINT_ASM(mov-from-cr3, sys/i386/i386/swtch.s:91)
	movl	%eax,PCB_CR3(%ecx)
	movl	(%esp),%eax
	movl	%eax,PCB_EIP(%ecx)
	movl	%ebx,PCB_EBX(%ecx)
	movl	%esp,PCB_ESP(%ecx)
	movl	%ebp,PCB_EBP(%ecx)
	movl	%esi,PCB_ESI(%ecx)
	movl	%edi,PCB_EDI(%ecx)
	XENO_BREAKPOINT_ASM(pushf, sys/i386/i386/swtch.s:100)
	popl	PCB_PSL(%ecx)
	ret
