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
 * The two 8259A interrupt controllers, cascaded on IRQ 2 and programmed
 * to vectors ICU_OFFSET to ICU_OFFSET + 15, and the dispatch of their
 * interrupts to the drivers' handlers.
 */

#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/md_var.h>
#include <machine/segments.h>

#include <i386-xeno/isa/isa.h>
#include <i386-xeno/isa/icu.h>
#include <machine/xen/hypervisor.h>

u_int	imen = 0xffff;			/* all lines masked */
static driver_intr_t *intr_handler[ICU_LEN];
static u_int intrcnt[ICU_LEN];
static u_int intrstray;

static void
icu_setmask()
{

	outb(IO_ICU1 + ICU_IMR_OFFSET, imen & 0xff);
	outb(IO_ICU2 + ICU_IMR_OFFSET, imen >> 8);
}

/*
 * Initialize the 8259s: edge triggered, cascaded, 8086 mode, every line
 * masked except the cascade.
 */
void
isa_defaultirq()
{

	/* Master: ICW1, vector base, slave on IRQ 2, 8086 mode. */
	outb(IO_ICU1, 0x11);
	outb(IO_ICU1 + ICU_IMR_OFFSET, ICU_OFFSET);
	outb(IO_ICU1 + ICU_IMR_OFFSET, IRQ_SLAVE);
	outb(IO_ICU1 + ICU_IMR_OFFSET, 1);
	outb(IO_ICU1 + ICU_IMR_OFFSET, 0xff);
	outb(IO_ICU1, 0x0a);		/* default to IRR on read */

	/* Slave: ICW1, vector base, its cascade identity, 8086 mode. */
	outb(IO_ICU2, 0x11);
	outb(IO_ICU2 + ICU_IMR_OFFSET, ICU_OFFSET + 8);
	outb(IO_ICU2 + ICU_IMR_OFFSET, ICU_SLAVEID);
	outb(IO_ICU2 + ICU_IMR_OFFSET, 1);
	outb(IO_ICU2 + ICU_IMR_OFFSET, 0xff);
	outb(IO_ICU2, 0x0a);

	imen = 0xffff & ~IRQ_SLAVE;
	icu_setmask();
}

void
INTREN(mask)
	u_int mask;
{
	u_int ef;

	ef = xen_read_eflags();
	xen_cli();
	imen &= ~mask;
	icu_setmask();
	xen_write_eflags(ef);
}

void
INTRDIS(mask)
	u_int mask;
{
	u_int ef;

	ef = xen_read_eflags();
	xen_cli();
	imen |= mask;
	icu_setmask();
	xen_write_eflags(ef);
}

int
inthand_add(int irq, driver_intr_t *handler)
{

	if (irq < 0 || irq >= ICU_LEN || intr_handler[irq] != NULL)
		return (-1);
	intr_handler[irq] = handler;
	return (0);
}

/*
 * Called by the Xintr stubs with interrupts off.  The controllers are
 * told the interrupt is over before the handler runs: the lines are
 * edge triggered, and a handler that takes long must not lose the next
 * edge.
 */
void
intr_execute(frame)
	struct trapframe *frame;
{
	int irq;
	driver_intr_t *handler;

	irq = frame->tf_trapno - ICU_OFFSET;
	if (irq >= 8)
		outb(IO_ICU2, ICU_EOI);
	outb(IO_ICU1, ICU_EOI);

	handler = intr_handler[irq];
	if (handler == NULL) {
		intrstray++;
		return;
	}
	intrcnt[irq]++;
	(*handler)(frame);
}
