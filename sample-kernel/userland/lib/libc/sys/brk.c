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
 * The break: the kernel's break(2) takes the new end of the data segment
 * (it works in pages); the library keeps the exact break, which starts
 * at the end of the bss.
 */

#include <sys/types.h>
#include <unistd.h>

int	__sys_break(const void *);

extern char	end[];			/* the end of the bss, from the linker */
static char	*curbrk;

int
brk(const void *addr)
{

	if (__sys_break(addr) < 0)
		return (-1);
	curbrk = (char *)addr;
	return (0);
}

void *
sbrk(int incr)
{
	char *old;

	if (curbrk == NULL)
		curbrk = end;
	old = curbrk;
	if (incr != 0 && __sys_break(curbrk + incr) < 0)
		return ((void *)-1);
	curbrk += incr;
	return (old);
}

