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
 * Shutting down: panic() and boot().  This kernel always halts, so that
 * the last console lines stay readable.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mount.h>
#include <sys/proc.h>
#include <sys/reboot.h>
#include <sys/sysproto.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>

const char *panicstr;
static int panic_howto = RB_HALT;

/*
 * The system call that results in a reboot: here, as every run of this
 * kernel ends, in a halt.
 */
int
reboot(p, uap)
	struct proc *p;
	struct reboot_args *uap;
{

	boot(uap->opt | RB_HALT);
	/* NOTREACHED */
}

void
boot(howto)
	int howto;
{

	if ((howto & RB_NOSYNC) == 0) {
		vfs_unmountall();
		printf("syncing disks... done\n");
	}
	if (howto & RB_HALT) {
		printf("\n");
		printf("The operating system has halted.\n");
		cpu_halt();
	}
	printf("Rebooting...\n");
	cpu_reset();
}

/*
 * Panic is called on unresolvable fatal errors.  It prints "panic:
 * mesg", and then halts.
 */
void
panic(const char *fmt, ...)
{
	int bootopt;
	va_list ap;

	disable_intr();
	bootopt = panic_howto | RB_NOSYNC;
	if (panicstr == NULL)
		panicstr = fmt;

	va_start(ap, fmt);
	printf("panic: ");
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");

	boot(bootopt);
}
