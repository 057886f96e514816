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
 * Trap type values, as pushed by the stubs in exception.s.
 */

#ifndef _MACHINE_TRAP_H_
#define	_MACHINE_TRAP_H_

#define	T_DIVIDE	0	/* integer divide fault */
#define	T_TRCTRAP	1	/* debug exception */
#define	T_NMI		2	/* non-maskable interrupt */
#define	T_BPTFLT	3	/* breakpoint instruction */
#define	T_OFLOW		4	/* overflow */
#define	T_BOUND		5	/* bound instruction fault */
#define	T_PRIVINFLT	6	/* invalid opcode */
#define	T_DNA		7	/* device not available */
#define	T_DOUBLEFLT	8	/* double fault */
#define	T_FPOPFLT	9	/* coprocessor operand fetch fault */
#define	T_TSSFLT	10	/* invalid tss fault */
#define	T_SEGNPFLT	11	/* segment not present fault */
#define	T_STKFLT	12	/* stack fault */
#define	T_PROTFLT	13	/* general protection fault */
#define	T_PAGEFLT	14	/* page fault */
#define	T_RESERVED	15	/* reserved (unknown) */
#define	T_ARITHTRAP	16	/* arithmetic trap */
#define	T_ALIGNFLT	17	/* alignment fault */
#define	T_MCHK		18	/* machine check */
#define	T_XMMFLT	19	/* SIMD floating point exception */

/* The trap number a system call's frame carries (its vector). */
#define	T_SYSCALL	0x80

#endif /* !_MACHINE_TRAP_H_ */
