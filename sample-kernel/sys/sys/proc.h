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
 * The process, as FreeBSD 4's <sys/proc.h> describes it: identity and
 * family (p_pid, p_pptr, p_children), state (p_stat), what it owns (its
 * address space p_vmspace, open files p_fd, limits p_limit, credentials
 * p_ucred), where it sleeps (p_wchan), its signals and exit status, and
 * its u-area p_addr: the pcb and the kernel stack.
 *
 * Every process is on allproc or, once it has exited, on zombproc until
 * its parent reaps it.  A runnable process other than curproc is on the
 * run queue (kern_switch.c); a sleeping one is on no queue at all and is
 * found by wakeup() through allproc.
 */

#ifndef _SYS_PROC_H_
#define	_SYS_PROC_H_

#include <sys/queue.h>
#include <sys/signal.h>
#include <machine/proc.h>

struct filedesc;
struct plimit;
struct ucred;
struct user;
struct vmspace;

#define	MAXCOMLEN	16		/* max command name remembered */

/* A list of processes (FreeBSD: LIST_HEAD(proclist, proc)). */
struct proclist {
	struct	proc *lh_first;		/* first element */
};

struct proc {
	struct {
		struct	proc *le_next;	/* next element */
		struct	proc **le_prev;	/* address of previous next element */
	} p_list;			/* list of all processes */
	struct {
		struct	proc *tqe_next;	/* next element */
		struct	proc **tqe_prev; /* address of previous next element */
	} p_procq;			/* run queue */

	/* substructures: */
	struct	ucred *p_ucred;		/* process owner's identity */
	struct	filedesc *p_fd;		/* ptr to open files structure */
	struct	plimit *p_limit;	/* process limits */
	struct	vmspace *p_vmspace;	/* address space */

	int	p_flag;			/* P_* flags */
	char	p_stat;			/* S* process status */
	pid_t	p_pid;			/* process identifier */
	struct {
		struct	proc *le_next;	/* next element */
		struct	proc **le_prev;	/* address of previous next element */
	} p_sibling;			/* list of sibling processes */
	struct	proclist p_children;	/* pointer to list of children */
	struct	proc *p_pptr;		/* pointer to parent process */

	void	*p_wchan;		/* sleep address */
	const char *p_wmesg;		/* reason for sleep */
	u_int	p_runtime;		/* ticks run in total */
	u_int	p_slice;		/* ticks run since last switch in */

	sigset_t p_siglist;		/* signals arrived but not delivered */
	int	p_retval[2];		/* syscall aux returns */
	u_short	p_xstat;		/* exit status for wait */
	int	p_sig;			/* signal that ended the process */

	struct	user *p_addr;		/* kernel virtual addr of u-area */
	struct	mdproc p_md;		/* any machine-dependent fields */
	char	p_comm[MAXCOMLEN + 1];	/* command name */
};

/* Status values (p_stat), as FreeBSD 4. */
#define	SIDL	1		/* process being created by fork */
#define	SRUN	2		/* currently runnable */
#define	SSLEEP	3		/* sleeping on an address */
#define	SSTOP	4		/* process debugging or suspension */
#define	SZOMB	5		/* awaiting collection by parent */

/* These flags are kept in p_flag. */
#define	P_SINTR		0x00080	/* sleep is interruptible */
#define	P_SYSTEM	0x00200	/* system proc: no sigs, stats or swapping */
#define	P_WEXIT		0x02000	/* working on exiting */
#define	P_EXEC		0x04000	/* process called exec */

#define	PID_MAX		99999

#ifdef _KERNEL
extern	struct proc *curproc;		/* current running proc */
extern	struct proc proc0;		/* process slot for swapper */
extern	struct proc *initproc;		/* process slot for init */
extern	struct proclist allproc;	/* list of all processes */
extern	struct proclist zombproc;	/* list of zombie processes */
extern	int nprocs, maxproc;		/* current and max number of procs */

struct	proc *pfind __P((pid_t pid));
int	inferior __P((struct proc *p));
void	procinit __P((void));

int	fork1 __P((struct proc *p1, int flags, struct proc **procp));
void	fork_return __P((struct proc *p, struct trapframe *frame));
void	exit1 __P((struct proc *p, int rv)) __dead2;
int	kern_wait __P((struct proc *q, pid_t pid, int *status, int options,
	    pid_t *retpid));

void	setrunqueue __P((struct proc *p));
void	remrunqueue __P((struct proc *p));
struct	proc *chooseproc __P((void));
void	setrunnable __P((struct proc *p));
void	mi_switch __P((void));
void	roundrobin __P((void));
int	tsleep __P((void *chan, int pri, const char *wmesg, int timo));
void	wakeup __P((void *chan));
void	wakeup_one __P((void *chan));

void	cpu_fork __P((struct proc *p1, struct proc *p2));
void	cpu_set_fork_handler __P((struct proc *p,
	    void (*func)(void *), void *arg));
void	cpu_exit __P((struct proc *p)) __dead2;
void	cpu_wait __P((struct proc *p));
void	cpu_switch_to __P((struct proc *oldp, struct proc *newp));

/* Flags to fork1(). */
#define	RFPROC		(1<<4)	/* change child (else changes curproc) */
#define	RFMEM		(1<<5)	/* share `address space' */
#define	RFFDG		(1<<2)	/* copy fd table */
#endif

#endif /* !_SYS_PROC_H_ */
