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
 * The pair of 8259A programmable interrupt controllers.
 */

#ifndef _I386_ISA_ICU_H_
#define	_I386_ISA_ICU_H_

#define	ICU_IMR_OFFSET	1		/* interrupt mask register */
#define	ICU_EOI		0x20		/* non-specific end of interrupt */
#define	ICU_SLAVEID	2		/* the slave hangs off IRQ 2 */
#define	ICU_LEN		16		/* 16 interrupt lines */

#define	IRQ0		0x0001		/* the 8254 timer */
#define	IRQ_SLAVE	0x0004

#ifndef LOCORE
struct trapframe;
typedef	void	driver_intr_t __P((struct trapframe *frame));

extern	u_int	imen;		/* lines masked at the controllers */

void	INTREN __P((u_int mask));
void	INTRDIS __P((u_int mask));
int	inthand_add __P((int irq, driver_intr_t *handler));
#endif

#endif /* !_I386_ISA_ICU_H_ */
