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
 * Support routines that are better in assembler: block clear and copy,
 * loading the GDT (which must reload every segment register), and the
 * idle and halt loops.
 */

#include <sys/cdefs.h>
#include <machine/asmacros.h>
#include <machine/param.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/xen/hypervisor.h>

#define	KCSEL		GSEL(GCODE_SEL, SEL_KPL)
#define	KDSEL		GSEL(GDATA_SEL, SEL_KPL)
#define	KPSEL		GSEL(GPRIV_SEL, SEL_KPL)

	.text

/*
 * void bzero(void *buf, size_t len)
 */
ENTRY(bzero)
	pushl	%edi
	movl	8(%esp),%edi
	movl	12(%esp),%ecx
	xorl	%eax,%eax
	cld
	rep
	stosb
	popl	%edi
	ret

/*
 * void pagezero(void *page): bzero of one aligned page, a word at a time.
 */
ENTRY(pagezero)
	pushl	%edi
	movl	8(%esp),%edi
	movl	$(PAGE_SIZE / 4),%ecx
	xorl	%eax,%eax
	cld
	rep
	stosl
	popl	%edi
	ret

/*
 * void *memset(void *buf, int c, size_t len)
 */
ENTRY(memset)
	pushl	%edi
	movl	8(%esp),%edi
	movl	12(%esp),%eax
	movl	16(%esp),%ecx
	cld
	rep
	stosb
	movl	8(%esp),%eax
	popl	%edi
	ret

/*
 * void bcopy(const void *src, void *dst, size_t len)
 * Copies backwards when the areas overlap with dst above src.
 */
ENTRY(bcopy)
	pushl	%esi
	pushl	%edi
	movl	12(%esp),%esi
	movl	16(%esp),%edi
	movl	20(%esp),%ecx
	movl	%edi,%eax
	subl	%esi,%eax
	cmpl	%ecx,%eax			/* overlapping && src < dst? */
	jb	1f
	cld
	rep
	movsb
	popl	%edi
	popl	%esi
	ret
1:
	addl	%ecx,%edi			/* copy backwards */
	addl	%ecx,%esi
	subl	$1,%edi
	subl	$1,%esi
	std
	rep
	movsb
	cld
	popl	%edi
	popl	%esi
	ret

/*
 * void *memcpy(void *dst, const void *src, size_t len)
 */
ENTRY(memcpy)
	pushl	%esi
	pushl	%edi
	movl	12(%esp),%edi
	movl	16(%esp),%esi
	movl	20(%esp),%ecx
	cld
	rep
	movsb
	movl	12(%esp),%eax
	popl	%edi
	popl	%esi
	ret

/*
 * void lgdt(struct region_descriptor *rdp)
 */
ENTRY(lgdt)
	/* reload the descriptor table */
	movl	4(%esp),%eax
	XENO_BREAKPOINT_ASM(lgdt, sys/i386/i386/support.s:140)

	/* flush the prefetch q */
	jmp	1f
	nop
1:
	/* reload "stale" selectors */
	movl	$KDSEL,%eax
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/support.s:148)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/support.s:149)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/support.s:150)
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/support.s:151)
	movl	$KPSEL,%eax
	XENO_BREAKPOINT_ASM(segment-register, sys/i386/i386/support.s:153)

	/* reload code selector by turning return into intersegmental return */
	movl	(%esp),%eax
	pushl	%eax
	movl	$KCSEL,4(%esp)
	XENO_BREAKPOINT_ASM(far-transfer, sys/i386/i386/support.s:159)

/*
 * void cpu_idle_hlt(void): wait for the next interrupt.  sti delays
 * interrupts by one instruction, so none can slip in before the hlt.
 */
ENTRY(cpu_idle_hlt)
	XENO_BREAKPOINT_ASM(sti, sys/i386/i386/support.s:166)
	XENO_BREAKPOINT_ASM(hlt, sys/i386/i386/support.s:167)
	ret

/*
 * int intr_disable(void): disable interrupts, return the old %eflags.
 */
ENTRY(intr_disable)
	XENO_BREAKPOINT_ASM(pushf, sys/i386/i386/support.s:174)
	popl	%eax
	XENO_BREAKPOINT_ASM(cli, sys/i386/i386/support.s:176)
	ret

/*
 * void intr_restore(int eflags)
 */
ENTRY(intr_restore)
	pushl	4(%esp)
	XENO_BREAKPOINT_ASM(popf, sys/i386/i386/support.s:184)
	ret

/*
 * void cpu_halt_forever(void): stop the processor for good.
 */
ENTRY(cpu_halt_forever)
	XENO_BREAKPOINT_ASM(cli, sys/i386/i386/support.s:191)
1:	XENO_BREAKPOINT_ASM(hlt, sys/i386/i386/support.s:192)
	jmp	1b
