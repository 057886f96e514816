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
 * Bits of the processor status longword, %eflags.
 */

#ifndef _MACHINE_PSL_H_
#define	_MACHINE_PSL_H_

#define	PSL_C		0x00000001	/* carry */
#define	PSL_PF		0x00000004	/* parity */
#define	PSL_AF		0x00000010	/* bcd stuff */
#define	PSL_Z		0x00000040	/* zero */
#define	PSL_N		0x00000080	/* negative */
#define	PSL_T		0x00000100	/* trace enable */
#define	PSL_I		0x00000200	/* interrupt enable */
#define	PSL_D		0x00000400	/* string instruction direction */
#define	PSL_V		0x00000800	/* overflow */
#define	PSL_IOPL	0x00003000	/* i/o privilege level */
#define	PSL_NT		0x00004000	/* nested task */
#define	PSL_RF		0x00010000	/* resume */
#define	PSL_VM		0x00020000	/* virtual 8086 mode */
#define	PSL_AC		0x00040000	/* alignment checking */
#define	PSL_ID		0x00200000	/* identification */

#define	PSL_RESERVED_DEFAULT	0x00000002
#define	PSL_KERNEL	(PSL_RESERVED_DEFAULT)
#define	PSL_USER	(PSL_RESERVED_DEFAULT | PSL_I)

#endif /* !_MACHINE_PSL_H_ */
