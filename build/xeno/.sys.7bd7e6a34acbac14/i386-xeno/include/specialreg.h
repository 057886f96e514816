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
 * Bits of the control registers, CPUID results and model-specific
 * registers.
 */

#ifndef _MACHINE_SPECIALREG_H_
#define	_MACHINE_SPECIALREG_H_

/* %cr0 */
#define	CR0_PE	0x00000001	/* protected mode enable */
#define	CR0_MP	0x00000002	/* monitor coprocessor */
#define	CR0_EM	0x00000004	/* emulate coprocessor */
#define	CR0_TS	0x00000008	/* task switched */
#define	CR0_ET	0x00000010	/* extension type */
#define	CR0_NE	0x00000020	/* numeric error */
#define	CR0_WP	0x00010000	/* write protect in supervisor mode */
#define	CR0_AM	0x00040000	/* alignment mask */
#define	CR0_NW	0x20000000	/* not write through */
#define	CR0_CD	0x40000000	/* cache disable */
#define	CR0_PG	0x80000000	/* paging enable */

/* %cr4 */
#define	CR4_VME	0x00000001	/* virtual 8086 mode extensions */
#define	CR4_PVI	0x00000002	/* protected-mode virtual interrupts */
#define	CR4_TSD	0x00000004	/* time stamp disable */
#define	CR4_DE	0x00000008	/* debugging extensions */
#define	CR4_PSE	0x00000010	/* page size extensions */
#define	CR4_PAE	0x00000020	/* physical address extension */
#define	CR4_MCE	0x00000040	/* machine check enable */
#define	CR4_PGE	0x00000080	/* page global enable */
#define	CR4_PCE	0x00000100	/* performance counter enable */

/* CPUID leaf 1, %edx. */
#define	CPUID_FPU	0x00000001
#define	CPUID_VME	0x00000002
#define	CPUID_DE	0x00000004
#define	CPUID_PSE	0x00000008
#define	CPUID_TSC	0x00000010
#define	CPUID_MSR	0x00000020
#define	CPUID_PAE	0x00000040
#define	CPUID_MCE	0x00000080
#define	CPUID_CX8	0x00000100
#define	CPUID_APIC	0x00000200
#define	CPUID_SEP	0x00000800
#define	CPUID_MTRR	0x00001000
#define	CPUID_PGE	0x00002000
#define	CPUID_MCA	0x00004000
#define	CPUID_CMOV	0x00008000

/*
 * The feature bits the kernel prints.  Only these are shown, so that the
 * boot banner does not depend on the rest of the emulated CPU model.
 */
#define	CPUID_PRINT_MASK	(CPUID_FPU | CPUID_DE | 0 | CPUID_TSC | \
				 CPUID_MSR | 0 | CPUID_CX8 | CPUID_APIC | \
				 0 | CPUID_CMOV)

/* Model-specific registers. */
#define	MSR_TSC			0x010
#define	MSR_APICBASE		0x01b
#define	APICBASE_BSP		0x00000100
#define	APICBASE_ENABLED	0x00000800
#define	APICBASE_ADDRESS	0xfffff000

#endif /* !_MACHINE_SPECIALREG_H_ */
