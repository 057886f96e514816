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
 * The clock interrupt: hardclock() runs hz times a second from the
 * machine's timer interrupt, counts ticks and charges each to the
 * running process, ending its time slice when it is used up.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/proc.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>

int	hz = 100;
int	tick = 10000;		/* 1000000 / hz */
volatile int ticks;

#define	CLOCK_TEST_TICKS	3

void
hardclock(frame)
	struct trapframe *frame;
{

	ticks++;
	roundrobin();
}

/*
 * Start the clocks, and wait for a few ticks to prove they run: the
 * processor sleeps in hlt until each interrupt.
 */
void
initclocks(dummy)
	void *dummy;
{
	int target;

	tick = 1000000 / hz;
	cpu_initclocks();

	target = ticks + CLOCK_TEST_TICKS;
	while (ticks < target)
		cpu_idle_hlt();
	printf("clock: %d ticks\n", CLOCK_TEST_TICKS);
}
