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
 * The process lists: allproc holds every live process, zombproc those
 * that have exited and wait for their parent.  Lookups walk the lists;
 * with the handful of processes this kernel runs, FreeBSD's pid hash
 * would buy nothing.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>

struct proclist allproc;
struct proclist zombproc;
int	nprocs = 1;			/* proc0 */
int	maxproc = 64;

/*
 * Initialize the process lists.
 */
void
procinit()
{

	LIST_INIT(&allproc);
	LIST_INIT(&zombproc);
}

/*
 * Is p an inferior of the current process?
 */
int
inferior(p)
	struct proc *p;
{

	for (; p != curproc; p = p->p_pptr)
		if (p->p_pid == 0)
			return (0);
	return (1);
}

/*
 * Locate a process by number.
 */
struct proc *
pfind(pid)
	pid_t pid;
{
	struct proc *p;

	for (p = LIST_FIRST(&allproc); p != NULL; p = LIST_NEXT(p, p_list))
		if (p->p_pid == pid)
			return (p);
	return (NULL);
}
