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
 * Sleeping, waking up and switching processes.
 *
 * A process waits for an event with tsleep(chan): it is marked SSLEEP on
 * chan and another process is switched in.  wakeup(chan) makes every
 * process sleeping on chan runnable again.  The clock ends a process's
 * time slice every ROUNDROBIN_TICKS ticks: need_resched() asks for an
 * AST, and the return to user mode gives the processor to the next
 * process on the run queue.
 *
 * The kernel is not preempted: interrupt handlers never wake processes
 * up, so only a running process can make another runnable.  When the
 * running process sleeps and nothing is runnable, nothing ever will be:
 * mi_switch() panics rather than hang.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/proc.h>
#include <sys/resourcevar.h>
#include <sys/signalvar.h>
#include <sys/user.h>

#include <machine/cpu.h>

int	astpending;
int	want_resched;
u_int	cnt_v_swtch;			/* context switches */

/* A time slice: FreeBSD 4's roundrobin() runs every hz / 10 ticks. */
#define	ROUNDROBIN_TICKS	(hz / 10)

/*
 * The clock's part of scheduling, from hardclock(): charge the tick to
 * the running process and end its time slice when it is used up.
 */
void
roundrobin()
{
	struct proc *p;

	p = curproc;
	if (p == NULL)
		return;
	p->p_runtime++;
	if (++p->p_slice >= ROUNDROBIN_TICKS && p != &proc0)
		need_resched();
}

/*
 * Give up the processor.  The caller has set curproc's p_stat: SRUN and
 * on the run queue (a preemption), SSLEEP (tsleep) or SZOMB (exit).
 */
void
mi_switch()
{
	struct proc *p, *newp;
	struct rlimit *rlim;

	p = curproc;

	/*
	 * Check if the process exceeds its cpu resource allocation.  If
	 * over max, kill it (as FreeBSD 4's mi_switch does).
	 */
	if (p->p_stat != SZOMB && p->p_limit != NULL &&
	    (p->p_flag & (P_SYSTEM | P_WEXIT)) == 0) {
		rlim = &p->p_limit->pl_rlimit[RLIMIT_CPU];
		if ((rlim_t)(p->p_runtime / hz) >= rlim->rlim_max)
			killproc(p, "exceeded maximum CPU limit");
	}

	p->p_slice = 0;
	want_resched = 0;
	newp = chooseproc();
	if (newp == NULL)
		panic("mi_switch: pid %d (%s) blocks on \"%s\" and no process "
		    "can run", p->p_pid, p->p_comm,
		    p->p_wmesg != NULL ? p->p_wmesg : "");
	if (newp == p)
		return;
	cnt_v_swtch++;
	cpu_switch_to(p, newp);
}

/*
 * Make a sleeping or stopped process runnable.
 */
void
setrunnable(p)
	struct proc *p;
{

	switch (p->p_stat) {
	case SSLEEP:
	case SSTOP:
		p->p_wchan = NULL;
		p->p_flag &= ~P_SINTR;
		p->p_stat = SRUN;
		setrunqueue(p);
		break;
	case SRUN:
	case SIDL:
		break;
	default:
		panic("setrunnable: pid %d in state %d", p->p_pid, p->p_stat);
	}
}

/*
 * General sleep call.  Suspends the current process until a wakeup is
 * performed on the specified identifier.  With PCATCH in priority, a
 * signal breaks the sleep: the result is then EINTR.  This kernel has no
 * timeouts: timo must be 0.
 */
int
tsleep(chan, priority, wmesg, timo)
	void *chan;
	int priority;
	const char *wmesg;
	int timo;
{
	struct proc *p;

	p = curproc;
	if (chan == NULL || timo != 0)
		panic("tsleep: bad arguments");
	if ((priority & PCATCH) && CURSIG(p) != 0)
		return (EINTR);
	p->p_wchan = chan;
	p->p_wmesg = wmesg;
	p->p_stat = SSLEEP;
	if (priority & PCATCH)
		p->p_flag |= P_SINTR;
	mi_switch();
	p->p_wmesg = NULL;
	if ((priority & PCATCH) && CURSIG(p) != 0)
		return (EINTR);
	return (0);
}

/*
 * Make all processes sleeping on the specified identifier runnable.
 */
void
wakeup(chan)
	void *chan;
{
	struct proc *p;

	for (p = LIST_FIRST(&allproc); p != NULL; p = LIST_NEXT(p, p_list))
		if (p->p_stat == SSLEEP && p->p_wchan == chan)
			setrunnable(p);
}

/*
 * Make the first process sleeping on the specified identifier runnable.
 */
void
wakeup_one(chan)
	void *chan;
{
	struct proc *p;

	for (p = LIST_FIRST(&allproc); p != NULL; p = LIST_NEXT(p, p_list)) {
		if (p->p_stat == SSLEEP && p->p_wchan == chan) {
			setrunnable(p);
			return;
		}
	}
}
