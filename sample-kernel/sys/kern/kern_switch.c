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
 * The run queue: the processes that are ready to run, other than the one
 * running.  FreeBSD 4 keeps 32 queues by priority; this kernel runs every
 * process at the same priority, so one queue in round-robin order is the
 * whole of it.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/proc.h>

/* The queue (FreeBSD: TAILQ_HEAD(rq, proc)). */
struct rq {
	struct	proc *tqh_first;	/* first element */
	struct	proc **tqh_last;	/* addr of last next element */
};

static struct rq runq = { NULL, &runq.tqh_first };

/*
 * Put p at the tail of the run queue.
 */
void
setrunqueue(p)
	struct proc *p;
{

	if (p->p_stat != SRUN)
		panic("setrunqueue: pid %d not SRUN", p->p_pid);
	TAILQ_INSERT_TAIL(&runq, p, p_procq);
}

/*
 * Take p off the run queue.
 */
void
remrunqueue(p)
	struct proc *p;
{

	TAILQ_REMOVE(&runq, p, p_procq);
}

/*
 * The process to run next, off the queue; NULL when none is ready.
 */
struct proc *
chooseproc()
{
	struct proc *p;

	p = TAILQ_FIRST(&runq);
	if (p != NULL)
		TAILQ_REMOVE(&runq, p, p_procq);
	return (p);
}
