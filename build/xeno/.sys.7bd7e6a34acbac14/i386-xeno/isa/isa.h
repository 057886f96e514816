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
 * ISA bus I/O port addresses.
 */

#ifndef _I386_ISA_ISA_H_
#define	_I386_ISA_ISA_H_

#define	IO_ICU1		0x020		/* 8259A interrupt controller #1 */
#define	IO_TIMER1	0x040		/* 8253 timer #1 */
#define	IO_KBD		0x060		/* 8042 keyboard */
#define	IO_RTC		0x070		/* RTC */
#define	IO_ICU2		0x0A0		/* 8259A interrupt controller #2 */
#define	IO_COM2		0x2F8		/* COM2 i/o address */
#define	IO_COM1		0x3F8		/* COM1 i/o address */

#endif /* !_I386_ISA_ISA_H_ */
