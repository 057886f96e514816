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
 * fork(2): a new process, a copy of its parent.  fork1() makes the proc
 * structure, shares or copies what the parent owns (credentials, limits,
 * open files), and has vm_fork() copy the address space copy-on-write
 * and cpu_fork() the kernel context, so that the child returns from the
 * same system call with 0.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/resourcevar.h>
#include <sys/sysproto.h>
#include <sys/ucred.h>

#include <vm/vm.h>
#include <vm/vm_map.h>

#include <machine/md_var.h>

MALLOC_DEFINE(M_PROC, "proc", "Proc structures");

static int nextpid = 0;

int
fork(p, uap)
	struct proc *p;
	struct fork_args *uap;
{
	struct proc *p2;
	int error;

	error = fork1(p, RFFDG | RFPROC, &p2);
	if (error == 0) {
		p->p_retval[0] = p2->p_pid;
		p->p_retval[1] = 0;
	}
	return (error);
}

/*
 * Whether some process, live or zombie, has the given pid.
 */
static int
pid_in_use(pid)
	pid_t pid;
{
	struct proc *p;

	for (p = LIST_FIRST(&allproc); p != NULL; p = LIST_NEXT(p, p_list))
		if (p->p_pid == pid)
			return (1);
	for (p = LIST_FIRST(&zombproc); p != NULL; p = LIST_NEXT(p, p_list))
		if (p->p_pid == pid)
			return (1);
	return (0);
}

int
fork1(p1, flags, procp)
	struct proc *p1;
	int flags;
	struct proc **procp;
{
	struct proc *p2;

	if ((flags & RFPROC) == 0)
		return (EINVAL);

	/*
	 * Although process entries are dynamically created, we still keep
	 * a global limit on the maximum number we will create.
	 */
	if (nprocs >= maxproc) {
		printf("proc: table is full\n");
		return (EAGAIN);
	}
	nprocs++;

	p2 = malloc(sizeof(struct proc), M_PROC, M_WAITOK | M_ZERO);

	/*
	 * Find an unused process ID.  The ids are handed out in order,
	 * wrapping at PID_MAX, so every boot numbers its processes alike.
	 */
	do {
		nextpid++;
		if (nextpid >= PID_MAX)
			nextpid = 100;
	} while (pid_in_use(nextpid));

	p2->p_stat = SIDL;			/* protect against others */
	p2->p_pid = nextpid;
	LIST_INSERT_HEAD(&allproc, p2, p_list);
	LIST_INIT(&p2->p_children);

	p2->p_ucred = crhold(p1->p_ucred);
	p2->p_limit = p1->p_limit;
	p2->p_limit->p_refcnt++;
	if (flags & RFFDG)
		p2->p_fd = fdcopy(p1);
	else
		p2->p_fd = fdshare(p1);
	bcopy(p1->p_comm, p2->p_comm, sizeof(p2->p_comm));

	p2->p_pptr = p1;
	LIST_INSERT_HEAD(&p1->p_children, p2, p_sibling);

	/*
	 * Finish creating the child process.  It will return via a
	 * different execution path later (fork_return).
	 */
	vm_fork(p1, p2, flags);

	/* Make child runnable and add to run queue. */
	p2->p_stat = SRUN;
	setrunqueue(p2);

	*procp = p2;
	return (0);
}

/*
 * The child's first step, from fork_trampoline: back to user mode
 * through the system call's return path, with the registers cpu_fork()
 * gave it.
 */
void
fork_return(p, frame)
	struct proc *p;
	struct trapframe *frame;
{

	userret(p, frame);
}
