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
 * The serial console: an NS16550 UART on COM1, polled.  Only the
 * console entry points are here; the kernel has no tty layer.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cons.h>

#include <machine/cpufunc.h>

#include <i386-xeno/isa/isa.h>
#include <i386-xeno/isa/sioreg.h>

#ifndef CONSPEED
#define	CONSPEED	115200
#endif

typedef	u_int	Port_t;

static Port_t siocniobase = IO_COM1;

static cn_probe_t siocnprobe;
static cn_init_t siocninit;
static cn_getc_t siocngetc;
static cn_checkc_t siocncheckc;
static cn_putc_t siocnputc;

struct consdev sio_consdev = {
	siocnprobe,
	siocninit,
	siocngetc,
	siocncheckc,
	siocnputc,
	0,
	CN_DEAD,
	"sio0"
};

/*
 * The port is there if its scratch register keeps what is written.
 */
static void
siocnprobe(cp)
	struct consdev *cp;
{
	Port_t iobase;

	iobase = siocniobase;
	outb(iobase + com_scr, 0xa5);
	if (inb(iobase + com_scr) != 0xa5) {
		cp->cn_pri = CN_DEAD;
		return;
	}
	cp->cn_pri = CN_REMOTE;
}

static void
siocninit(cp)
	struct consdev *cp;
{
	Port_t iobase;
	u_int divisor;

	iobase = siocniobase;
	divisor = COMBRD(CONSPEED);
	outb(iobase + com_ier, 0);
	outb(iobase + com_cfcr, CFCR_DLAB);
	outb(iobase + com_dlbl, divisor & 0xff);
	outb(iobase + com_dlbh, divisor >> 8);
	outb(iobase + com_cfcr, CFCR_8BITS);
	outb(iobase + com_fifo, FIFO_ENABLE | FIFO_RCV_RST | FIFO_XMT_RST);
	outb(iobase + com_mcr, MCR_DTR | MCR_RTS);
}

static int
siocncheckc(dev)
	dev_t dev;
{
	Port_t iobase;

	iobase = siocniobase;
	if (inb(iobase + com_lsr) & LSR_RXRDY)
		return (inb(iobase + com_data));
	return (-1);
}

static int
siocngetc(dev)
	dev_t dev;
{
	Port_t iobase;

	iobase = siocniobase;
	while ((inb(iobase + com_lsr) & LSR_RXRDY) == 0)
		;
	return (inb(iobase + com_data));
}

/*
 * Wait (not forever) for the transmitter to take another byte.
 */
static void
siocnputc(dev, c)
	dev_t dev;
	int c;
{
	Port_t iobase;
	int timo;

	iobase = siocniobase;
	timo = 100000;
	while ((inb(iobase + com_lsr) & LSR_TXRDY) == 0 && --timo != 0)
		;
	outb(iobase + com_data, c);
}
