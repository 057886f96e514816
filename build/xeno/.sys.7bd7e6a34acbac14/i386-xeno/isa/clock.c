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
 * The 8254 programmable interval timer, counter 0 in rate generator mode,
 * interrupting on IRQ0 hz times a second.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>

#include <machine/cpufunc.h>
#include <machine/frame.h>
#include <machine/md_var.h>

#include <i386-xeno/isa/isa.h>
#include <i386-xeno/isa/icu.h>
#include <i386-xeno/isa/timerreg.h>
#include <machine/xen/hypervisor.h>

u_int	timer_freq = TIMER_FREQ;
static u_int timer0_max_count;

static void clkintr __P((struct trapframe *frame));

static void
clkintr(frame)
	struct trapframe *frame;
{

	hardclock(frame);
}

/*
 * Read counter 0: latch it, then the low and high bytes.
 */
static u_int
getit()
{
	u_int high, low, ef;

	ef = xen_read_eflags();
	xen_cli();

	/* Select timer0 and latch counter value. */
	outb(TIMER_MODE, TIMER_SEL0 | TIMER_LATCH);

	low = inb(TIMER_CNTR0);
	high = inb(TIMER_CNTR0);

	xen_write_eflags(ef);
	return ((high << 8) | low);
}

/*
 * Wait "n" microseconds, by watching counter 0 count down.
 */
void
DELAY(n)
	int n;
{
	int delta, prev_tick, tick, ticks_left;

	if (timer0_max_count == 0) {
		/* The clock is not running yet: a calibrated-enough loop. */
		for (ticks_left = n * 100; ticks_left > 0; ticks_left--)
			(void)inb(0x84);
		return;
	}
	prev_tick = XENO_BREAKPOINT("wrapper-privileged", "sys/i386/isa/clock.c:89");
	ticks_left = ((u_int)n * (timer_freq / 1000) + 999) / 1000;
	while (ticks_left > 0) {
		tick = XENO_BREAKPOINT("wrapper-privileged", "sys/i386/isa/clock.c:92");
		delta = prev_tick - tick;
		prev_tick = tick;
		if (delta < 0)
			delta += timer0_max_count;
		ticks_left -= delta;
	}
}

/*
 * Program counter 0 to interrupt hz times a second.
 */
static void
startrtclock()
{

	timer0_max_count = (timer_freq + hz / 2) / hz;
	outb(TIMER_MODE, TIMER_SEL0 | TIMER_RATEGEN | TIMER_16BIT);
	outb(TIMER_CNTR0, timer0_max_count & 0xff);
	outb(TIMER_CNTR0, timer0_max_count >> 8);
}

void
cpu_initclocks()
{

	startrtclock();
	(void)inthand_add(0, clkintr);
	XENO_BREAKPOINT("wrapper-privileged", "sys/i386/isa/clock.c:120");
	printf("timecounter: \"i8254\" frequency %u Hz, %d Hz clock, divisor %u\n",
	    timer_freq, hz, timer0_max_count);
}
