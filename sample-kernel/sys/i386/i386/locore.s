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
 * The kernel entry point.  The boot loader (QEMU's -kernel multiboot
 * loader, or GRUB) enters btext in 32-bit protected mode with paging off,
 * %eax holding the multiboot magic and %ebx the physical address of the
 * multiboot information.  locore copies that information, clears the bss,
 * builds the bootstrap page tables, turns paging on, moves to the kernel's
 * virtual addresses at KERNBASE, and calls init386() and mi_startup().
 *
 * Until paging is on, every address must be physical: R() converts a
 * link-time (virtual) address into the address the loader put it at.
 */

#include <sys/cdefs.h>
#include <machine/asmacros.h>
#include <machine/param.h>
#include <machine/pmap.h>
#include <machine/psl.h>
#include <machine/segments.h>
#include <machine/specialreg.h>
#include <machine/multiboot.h>

#define	R(foo)	((foo)-KERNBASE)

/* The highest end of the kernel and its modules that NKPT tables map. */
#define	KERNEND_MAX	(NKPT * NBPDR - (NKPT + 1) * PAGE_SIZE)

/*
 * The recursive page table mappings.  PTmap is the linear array of all
 * page table entries of the current address space, PTD its directory,
 * PTDpde the directory entry that maps the directory itself.  The A*
 * names are the same through the alternate slot at the top of memory.
 */
	.globl	PTmap,PTD,PTDpde
	.set	PTmap,(PTDPTDI << PDRSHIFT)
	.set	PTD,PTmap + (PTDPTDI * PAGE_SIZE)
	.set	PTDpde,PTD + (PTDPTDI * PDESIZE)

	.globl	APTmap,APTD,APTDpde
	.set	APTmap,APTDPTDI << PDRSHIFT
	.set	APTD,APTmap + (APTDPTDI * PAGE_SIZE)
	.set	APTDpde,PTD + (APTDPTDI * PDESIZE)

/*
 * The multiboot header must lie in the first 8 KB of the file.  locore.o
 * is linked first and this is the first thing in its text, so it sits at
 * the very start of the loaded image.
 *
 * The kernel is linked at KERNBASE + 1 MB but must be loaded at physical
 * 1 MB.  QEMU 7.2's ELF path would honour p_paddr (the linker script sets
 * it with AT()) and translate e_entry, but not every multiboot loader
 * does, so the header sets MULTIBOOT_AOUT_KLUDGE and gives the physical
 * load addresses itself: the loader then copies the file from this
 * header's offset up to edata to header_addr, clears up to end, and jumps
 * to the physical entry_addr.  This needs text and data contiguous in the
 * file and in memory, which the linker script's single segment provides.
 */
#define	MB_FLAGS	(MULTIBOOT_PAGE_ALIGN | MULTIBOOT_MEMORY_INFO | \
			 MULTIBOOT_AOUT_KLUDGE)

	.text
	ALIGN_DATA
	.globl	multiboot_header
multiboot_header:
	.long	MULTIBOOT_HEADER_MAGIC
	.long	MB_FLAGS
	.long	-(MULTIBOOT_HEADER_MAGIC + MB_FLAGS)
	.long	R(multiboot_header)		/* header_addr */
	.long	R(multiboot_header)		/* load_addr */
	.long	R(edata)			/* load_end_addr */
	.long	R(end)				/* bss_end_addr */
	.long	R(btext)			/* entry_addr */

	.data
	ALIGN_DATA
	.globl	multiboot_magic,multiboot_info
multiboot_magic:	.long	0		/* %eax at entry */
multiboot_info:		.space	MULTIBOOT_INFO_SIZE	/* copy of *%ebx */
	.globl	multiboot_mods,multiboot_cmdline
multiboot_mods:		.space	MULTIBOOT_MAX_MODS * MULTIBOOT_MOD_SIZE
multiboot_cmdline:	.space	MULTIBOOT_CMDLINE_MAX

	.globl	IdlePTD,KPTphys,physfree,boot_cr4
IdlePTD:	.long	0			/* phys addr of kernel PTD */
KPTphys:	.long	0			/* phys addr of kernel page tables */
physfree:	.long	0			/* first free physical page */
boot_cr4:	.long	0			/* %cr4 after locore cleared it */

/*
 * A temporary GDT with the kernel's selector numbers, until init386()
 * loads the real one.  The multiboot specification leaves the loader's
 * GDT undefined, so locore may not reload a segment register before this
 * is in place.
 */
	ALIGN_DATA
bootgdt:
	.long	0x00000000, 0x00000000		/* GNULL_SEL */
	.long	0x0000ffff, 0x00cf9a00		/* GCODE_SEL: 4 GB, execute/read */
	.long	0x0000ffff, 0x00cf9200		/* GDATA_SEL: 4 GB, read/write */
bootgdtdesc:
	.word	3 * 8 - 1
	.long	R(bootgdt)

/* An empty IDT: a fault before init386() loads the real one resets. */
	ALIGN_DATA
bootidtdesc:
	.word	0
	.long	0

	.bss
	.align	PAGE_SIZE
	.globl	kstack,kstack_top
kstack:
	.space	KSTACK_PAGES * PAGE_SIZE	/* proc0's kernel stack */
kstack_top:
	.space	256
tmpstk:

	.text
NON_GPROF_ENTRY(btext)
	cli
	cld

	/* Keep the loader's magic, and its information if the magic is right. */
	movl	%eax,R(multiboot_magic)
	cmpl	$MULTIBOOT_BOOTLOADER_MAGIC,%eax
	jne	1f
	movl	%ebx,%esi
	movl	$R(multiboot_info),%edi
	movl	$(MULTIBOOT_INFO_SIZE / 4),%ecx
	rep
	movsl
1:
	/* Clear the bss; the loader need not have done it. */
	movl	$R(edata),%edi
	xorl	%eax,%eax
2:	cmpl	$R(end),%edi
	jae	4f
	movl	%eax,(%edi)
	addl	$4,%edi
	jmp	2b
4:
	/* Our own segments, then a stack. */
	lgdt	R(bootgdtdesc)
	lidt	R(bootidtdesc)
	movl	$GSEL(GDATA_SEL, SEL_KPL),%eax
	mov	%ax,%ds
	mov	%ax,%es
	mov	%ax,%fs
	mov	%ax,%gs
	mov	%ax,%ss
	movl	$R(tmpstk),%esp
	pushl	$GSEL(GCODE_SEL, SEL_KPL)
	pushl	$R(3f)
	lret
3:
	/* Start from a clean %eflags: interrupts off, direction up. */
	pushl	$PSL_KERNEL
	popfl

	call	recover_bootinfo
	call	create_pagetables

	/* Turn on paging, still running at the identity-mapped address. */
	movl	R(IdlePTD),%eax
	movl	%eax,%cr3
	movl	%cr0,%eax
	orl	$(CR0_PE | CR0_PG),%eax
	movl	%eax,%cr0

	/* Now jump to KERNBASE: ret to an absolute, relocated address. */
	pushl	$begin
	ret

begin:
	/* From here on everything is virtual. */
	movl	$kstack_top,%esp
	xorl	%ebp,%ebp

	/* Large pages, global pages and PAE stay off until pmap says. */
	movl	%cr4,%eax
	andl	$~(CR4_PSE | CR4_PGE | CR4_PAE),%eax
	movl	%eax,%cr4
	movl	%eax,boot_cr4

	pushl	physfree			/* value of first for init386(first) */
	call	init386
	addl	$4,%esp

	call	mi_startup
	/* NOTREACHED */
	call	cpu_halt_forever

/*
 * The loader leaves the module list, the command line and the modules
 * themselves after the kernel (QEMU and GRUB both do), where the bootstrap
 * page tables would go.  Copy the list (at most MULTIBOOT_MAX_MODS
 * entries) and the command line into the kernel's data, as FreeBSD's
 * locore copies the loader's bootinfo; create_pagetables then starts
 * after the last module.  Paging is off: every address is physical.
 */
recover_bootinfo:
	testl	$MULTIBOOT_INFO_CMDLINE,R(multiboot_info+MI_FLAGS)
	jz	2f
	movl	R(multiboot_info+MI_CMDLINE),%esi
	movl	$R(multiboot_cmdline),%edi
	movl	$(MULTIBOOT_CMDLINE_MAX - 1),%ecx
1:	movb	(%esi),%al
	testb	%al,%al
	jz	2f
	movb	%al,(%edi)
	incl	%esi
	incl	%edi
	decl	%ecx
	jnz	1b
2:
	testl	$MULTIBOOT_INFO_MODS,R(multiboot_info+MI_FLAGS)
	jnz	3f
	movl	$0,R(multiboot_info+MI_MODS_COUNT)
	ret
3:	movl	R(multiboot_info+MI_MODS_COUNT),%ecx
	cmpl	$MULTIBOOT_MAX_MODS,%ecx
	jbe	4f
	movl	$MULTIBOOT_MAX_MODS,%ecx
	movl	%ecx,R(multiboot_info+MI_MODS_COUNT)
4:	movl	R(multiboot_info+MI_MODS_ADDR),%esi
	movl	$R(multiboot_mods),%edi
	shll	$2,%ecx				/* four longs per module */
	rep
	movsl
	ret

/*
 * Build the bootstrap page tables at the first page boundary after the
 * kernel and the loader's modules: NKPT kernel page tables, then the page
 * directory.  A module ending past what NKPT tables can map (less the
 * tables themselves) is left out; init386 says so and ignores it.  The kernel
 * and these tables, physical [0, physfree), are mapped at KERNBASE and,
 * through directory slot 0, at their physical address, which keeps the
 * next few instructions running after paging is turned on.  pmap_bootstrap
 * removes the low mapping.
 */
create_pagetables:
	movl	$R(end),%esi
	movl	R(multiboot_info+MI_MODS_COUNT),%ecx
	movl	$R(multiboot_mods),%ebx
1:	testl	%ecx,%ecx
	jz	2f
	movl	4(%ebx),%eax			/* mod_end */
	cmpl	$KERNEND_MAX,%eax
	ja	3f
	cmpl	%esi,%eax
	jbe	3f
	movl	%eax,%esi
3:	addl	$MULTIBOOT_MOD_SIZE,%ebx
	decl	%ecx
	jmp	1b
2:
	addl	$PAGE_MASK,%esi
	andl	$~PAGE_MASK,%esi
	movl	%esi,R(KPTphys)
	addl	$(NKPT * PAGE_SIZE),%esi
	movl	%esi,R(IdlePTD)
	addl	$PAGE_SIZE,%esi
	movl	%esi,R(physfree)

	/* Zero the page tables and the directory. */
	movl	R(KPTphys),%edi
	movl	$((NKPT + 1) * NPTEPG),%ecx
	xorl	%eax,%eax
	rep
	stosl

	/* Kernel page table entries: [0, physfree) read/write. */
	movl	R(KPTphys),%ebx
	xorl	%edx,%edx
	movl	$(PG_V | PG_RW),%eax
1:	movl	%eax,(%ebx,%edx,4)
	addl	$PAGE_SIZE,%eax
	addl	$1,%edx
	cmpl	R(physfree),%eax
	jb	1b

	/* Directory slot 0 and the NKPT kernel slots at KPTDI. */
	movl	R(IdlePTD),%ebx
	movl	R(KPTphys),%eax
	orl	$(PG_V | PG_RW),%eax
	movl	%eax,(%ebx)
	movl	$KPTDI,%edx
	movl	$NKPT,%ecx
2:	movl	%eax,(%ebx,%edx,4)
	addl	$PAGE_SIZE,%eax
	addl	$1,%edx
	subl	$1,%ecx
	jnz	2b

	/* The directory maps itself: PTD[PTDPTDI] = IdlePTD. */
	movl	R(IdlePTD),%eax
	orl	$(PG_V | PG_RW),%eax
	movl	%eax,(PTDPTDI * PDESIZE)(%ebx)
	ret
