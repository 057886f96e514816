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
 * Signals.  This kernel has no signal handlers, masks or job control:
 * a signal either takes its default action, terminating the process
 * (SIGKILL, the signals of faulting instructions, and most others), or
 * is discarded (those ignored by default, and the stop signals).  A
 * posted signal is acted on when its process next returns to user mode
 * (userret), and breaks an interruptible sleep (PCATCH) first.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/sysproto.h>
#include <sys/ucred.h>
#include <sys/wait.h>

#include <machine/cpu.h>

/* The default action of each signal, as FreeBSD 4's sigprop[]. */
int sigprop[NSIG] = {
	0,			/* unused */
	SA_KILL,		/* SIGHUP */
	SA_KILL,		/* SIGINT */
	SA_KILL|SA_CORE,	/* SIGQUIT */
	SA_KILL|SA_CORE,	/* SIGILL */
	SA_KILL|SA_CORE,	/* SIGTRAP */
	SA_KILL|SA_CORE,	/* SIGABRT */
	SA_KILL|SA_CORE,	/* SIGEMT */
	SA_KILL|SA_CORE,	/* SIGFPE */
	SA_KILL,		/* SIGKILL */
	SA_KILL|SA_CORE,	/* SIGBUS */
	SA_KILL|SA_CORE,	/* SIGSEGV */
	SA_KILL|SA_CORE,	/* SIGSYS */
	SA_KILL,		/* SIGPIPE */
	SA_KILL,		/* SIGALRM */
	SA_KILL,		/* SIGTERM */
	SA_IGNORE,		/* SIGURG */
	SA_STOP,		/* SIGSTOP */
	SA_STOP|SA_TTYSTOP,	/* SIGTSTP */
	SA_IGNORE|SA_CONT,	/* SIGCONT */
	SA_IGNORE,		/* SIGCHLD */
	SA_STOP|SA_TTYSTOP,	/* SIGTTIN */
	SA_STOP|SA_TTYSTOP,	/* SIGTTOU */
	SA_IGNORE,		/* SIGIO */
	SA_KILL,		/* SIGXCPU */
	SA_KILL,		/* SIGXFSZ */
	SA_KILL,		/* SIGVTALRM */
	SA_KILL,		/* SIGPROF */
	SA_IGNORE,		/* SIGWINCH  */
	SA_IGNORE,		/* SIGINFO */
	SA_KILL,		/* SIGUSR1 */
	SA_KILL,		/* SIGUSR2 */
};

/*
 * The lowest-numbered signal pending for p, or 0.
 */
int
CURSIG(p)
	struct proc *p;
{
	int sig;

	if (p->p_siglist == 0)
		return (0);
	for (sig = 1; sig < NSIG; sig++)
		if (p->p_siglist & sigmask(sig))
			return (sig);
	return (0);
}

/*
 * Send the signal to the process.  A signal whose default action is to
 * ignore it, or to stop the process (there is no job control), is
 * discarded.
 */
void
psignal(p, sig)
	struct proc *p;
	int sig;
{
	int prop;

	if (sig <= 0 || sig >= NSIG)
		panic("psignal: signal number %d", sig);
	prop = sigprop[sig];
	if ((p->p_flag & P_SYSTEM) || p->p_stat == SZOMB)
		return;
	if (prop & (SA_IGNORE | SA_STOP))
		return;
	p->p_siglist |= sigmask(sig);
	if (p->p_stat == SSLEEP && (p->p_flag & P_SINTR))
		setrunnable(p);
	if (p == curproc)
		signotify(p);
}

/*
 * Send a signal caused by a trap to the current process.
 */
void
trapsignal(p, sig, code)
	struct proc *p;
	int sig;
	u_long code;
{

	psignal(p, sig);
}

/*
 * Take the action for the specified signal from the current set of
 * pending signals: here always to terminate the process.
 */
void
postsig(sig)
	int sig;
{
	struct proc *p;

	p = curproc;
	p->p_siglist &= ~sigmask(sig);
	sigexit(p, sig);
}

/*
 * Kill the current process for stated reason.
 */
void
killproc(p, why)
	struct proc *p;
	const char *why;
{

	printf("pid %d (%s), uid %d, was killed: %s\n", p->p_pid, p->p_comm,
	    p->p_ucred != NULL ? (int)p->p_ucred->cr_uid : -1, why);
	psignal(p, SIGKILL);
}

/*
 * Force the current process to exit with the specified signal.  No core
 * is dumped; a signal that would dump one is logged, as FreeBSD 4 logs
 * it with kern.logsigexit set.
 */
void
sigexit(p, sig)
	struct proc *p;
	int sig;
{

	p->p_sig = sig;
	if (sigprop[sig] & SA_CORE)
		printf("pid %d (%s), uid %d: exited on signal %d\n", p->p_pid,
		    p->p_comm, p->p_ucred != NULL ? (int)p->p_ucred->cr_uid : -1,
		    sig);
	exit1(p, W_EXITCODE(0, sig));
	/* NOTREACHED */
}

/*
 * kill(2): to one process only; process groups are not supported.
 */
int
kill(cp, uap)
	struct proc *cp;
	struct kill_args *uap;
{
	struct proc *p;

	if ((u_int)uap->signum >= NSIG)
		return (EINVAL);
	if (uap->pid <= 0)
		return (EINVAL);
	p = pfind(uap->pid);
	if (p == NULL)
		return (ESRCH);
	if (uap->signum != 0)
		psignal(p, uap->signum);
	return (0);
}
