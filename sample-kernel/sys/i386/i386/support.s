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
 * copies to and from user space, loading the GDT (which must reload every
 * segment register), and the idle and halt loops.
 *
 * The user copies (copyin, copyout, copyinstr, fuword, suword, fubyte,
 * subyte) refuse addresses at or above VM_MAXUSER_ADDRESS outright, and
 * set the current pcb's pcb_onfault while they touch user memory: a page
 * fault that vm_fault() cannot resolve makes trap() resume at the
 * routine's fault label, which returns EFAULT (or -1) instead of a
 * kernel fault.
 */

#include <sys/cdefs.h>
#include <sys/errno.h>
#include <machine/asmacros.h>
#include <machine/param.h>
#include <machine/pcb.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/vmparam.h>

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
 * int copyout(const void *kaddr, void *udaddr, size_t len)
 */
ENTRY(copyout)
	movl	curpcb,%eax
	movl	$copyout_fault,PCB_ONFAULT(%eax)
	pushl	%esi
	pushl	%edi
	pushl	%ebx
	movl	16(%esp),%esi
	movl	20(%esp),%edi
	movl	24(%esp),%ebx
	testl	%ebx,%ebx			/* anything to do? */
	jz	done_copyout

	/* Check explicitly for non-user addresses. */
	movl	%edi,%eax
	addl	%ebx,%eax
	jc	copyout_fault
	cmpl	$VM_MAXUSER_ADDRESS,%eax
	ja	copyout_fault

	movl	%ebx,%ecx
	shrl	$2,%ecx
	cld
	rep
	movsl
	movl	%ebx,%ecx
	andl	$3,%ecx
	rep
	movsb

done_copyout:
	popl	%ebx
	popl	%edi
	popl	%esi
	xorl	%eax,%eax
	movl	curpcb,%edx
	movl	%eax,PCB_ONFAULT(%edx)
	ret

	ALIGN_TEXT
copyout_fault:
	popl	%ebx
	popl	%edi
	popl	%esi
	movl	curpcb,%edx
	movl	$0,PCB_ONFAULT(%edx)
	movl	$EFAULT,%eax
	ret

/*
 * int copyin(const void *udaddr, void *kaddr, size_t len)
 */
ENTRY(copyin)
	movl	curpcb,%eax
	movl	$copyin_fault,PCB_ONFAULT(%eax)
	pushl	%esi
	pushl	%edi
	movl	12(%esp),%esi			/* caddr_t from */
	movl	16(%esp),%edi			/* caddr_t to */
	movl	20(%esp),%ecx			/* size_t  len */

	/* Make sure the user's range is user space. */
	movl	%esi,%edx
	addl	%ecx,%edx
	jc	copyin_fault
	cmpl	$VM_MAXUSER_ADDRESS,%edx
	ja	copyin_fault

	movl	%ecx,%edx
	shrl	$2,%ecx
	cld
	rep
	movsl
	movl	%edx,%ecx
	andl	$3,%ecx
	rep
	movsb

	popl	%edi
	popl	%esi
	xorl	%eax,%eax
	movl	curpcb,%edx
	movl	%eax,PCB_ONFAULT(%edx)
	ret

	ALIGN_TEXT
copyin_fault:
	popl	%edi
	popl	%esi
	movl	curpcb,%edx
	movl	$0,PCB_ONFAULT(%edx)
	movl	$EFAULT,%eax
	ret

/*
 * int copyinstr(const void *udaddr, void *kaddr, size_t maxlen,
 *     size_t *lencopied): copy a NUL-terminated string from user space,
 * at most maxlen bytes with the NUL; ENAMETOOLONG if it does not fit,
 * EFAULT if it leaves user space.
 */
ENTRY(copyinstr)
	pushl	%esi
	pushl	%edi
	movl	curpcb,%ecx
	movl	$cpystrflt,PCB_ONFAULT(%ecx)

	movl	12(%esp),%esi			/* %esi = from */
	movl	16(%esp),%edi			/* %edi = to */
	movl	20(%esp),%edx			/* %edx = maxlen */

	/* The string may not run past the end of user space. */
	movl	$VM_MAXUSER_ADDRESS,%eax
	subl	%esi,%eax
	jbe	cpystrflt
	cmpl	%edx,%eax
	jae	1f
	movl	%eax,%edx
	movl	%eax,20(%esp)
1:
	incl	%edx

2:	decl	%edx
	jz	3f
	movb	(%esi),%al
	movb	%al,(%edi)
	incl	%esi
	incl	%edi
	testb	%al,%al
	jnz	2b

	/* Success -- 0 byte reached. */
	decl	%edx
	xorl	%eax,%eax
	jmp	cpystrflt_x
3:
	/* edx is zero: return ENAMETOOLONG, or EFAULT past user space. */
	cmpl	$VM_MAXUSER_ADDRESS,%esi
	jae	cpystrflt
	movl	$ENAMETOOLONG,%eax
	jmp	cpystrflt_x

cpystrflt:
	movl	$EFAULT,%eax

cpystrflt_x:
	/* Set *lencopied and return %eax. */
	movl	curpcb,%ecx
	movl	$0,PCB_ONFAULT(%ecx)
	movl	20(%esp),%ecx
	subl	%edx,%ecx
	movl	24(%esp),%edx
	testl	%edx,%edx
	jz	1f
	movl	%ecx,(%edx)
1:
	popl	%edi
	popl	%esi
	ret

/*
 * long fuword(const void *base): a word of user memory, -1 on a fault.
 */
ENTRY(fuword)
	movl	curpcb,%ecx
	movl	$fusufault,PCB_ONFAULT(%ecx)
	movl	4(%esp),%edx			/* from */
	cmpl	$VM_MAXUSER_ADDRESS-4,%edx	/* verify address is valid */
	ja	fusufault
	movl	(%edx),%eax
	movl	$0,PCB_ONFAULT(%ecx)
	ret

/*
 * int fubyte(const void *base): a byte of user memory, -1 on a fault.
 */
ENTRY(fubyte)
	movl	curpcb,%ecx
	movl	$fusufault,PCB_ONFAULT(%ecx)
	movl	4(%esp),%edx
	cmpl	$VM_MAXUSER_ADDRESS-1,%edx
	ja	fusufault
	movzbl	(%edx),%eax
	movl	$0,PCB_ONFAULT(%ecx)
	ret

	ALIGN_TEXT
fusufault:
	movl	curpcb,%ecx
	xorl	%eax,%eax
	movl	%eax,PCB_ONFAULT(%ecx)
	decl	%eax
	ret

/*
 * int suword(void *base, long word): store a word in user memory; 0, or
 * -1 on a fault.
 */
ENTRY(suword)
	movl	curpcb,%ecx
	movl	$fusufault,PCB_ONFAULT(%ecx)
	movl	4(%esp),%edx
	cmpl	$VM_MAXUSER_ADDRESS-4,%edx	/* verify address validity */
	ja	fusufault
	movl	8(%esp),%eax
	movl	%eax,(%edx)
	xorl	%eax,%eax
	movl	curpcb,%ecx
	movl	%eax,PCB_ONFAULT(%ecx)
	ret

/*
 * int subyte(void *base, int byte)
 */
ENTRY(subyte)
	movl	curpcb,%ecx
	movl	$fusufault,PCB_ONFAULT(%ecx)
	movl	4(%esp),%edx
	cmpl	$VM_MAXUSER_ADDRESS-1,%edx	/* verify address validity */
	ja	fusufault
	movb	8(%esp),%al
	movb	%al,(%edx)
	xorl	%eax,%eax
	movl	curpcb,%ecx
	movl	%eax,PCB_ONFAULT(%ecx)
	ret

/*
 * void lgdt(struct region_descriptor *rdp)
 */
ENTRY(lgdt)
	/* reload the descriptor table */
	movl	4(%esp),%eax
	lgdt	(%eax)

	/* flush the prefetch q */
	jmp	1f
	nop
1:
	/* reload "stale" selectors */
	movl	$KDSEL,%eax
	mov	%ax,%ds
	mov	%ax,%es
	mov	%ax,%gs
	mov	%ax,%ss
	movl	$KPSEL,%eax
	mov	%ax,%fs

	/* reload code selector by turning return into intersegmental return */
	movl	(%esp),%eax
	pushl	%eax
	movl	$KCSEL,4(%esp)
	lret

/*
 * void cpu_idle_hlt(void): wait for the next interrupt.  sti delays
 * interrupts by one instruction, so none can slip in before the hlt.
 */
ENTRY(cpu_idle_hlt)
	sti
	hlt
	ret

/*
 * int intr_disable(void): disable interrupts, return the old %eflags.
 */
ENTRY(intr_disable)
	pushfl
	popl	%eax
	cli
	ret

/*
 * void intr_restore(int eflags)
 */
ENTRY(intr_restore)
	pushl	4(%esp)
	popfl
	ret

/*
 * void cpu_halt_forever(void): stop the processor for good.
 */
ENTRY(cpu_halt_forever)
	cli
1:	hlt
	jmp	1b
