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
 * Process exit and wait4(2).  exit1() releases what it can while the
 * process still runs (its files, its user pages), turns it into a zombie
 * holding its exit status, and switches away for good.  The parent's
 * wait4 collects the status and frees the rest: the u-area the zombie
 * last ran on, its page tables, the proc structure.
 *
 * When init exits, proc0 collects it (scheduler() in init_main.c) and
 * the system halts: this kernel's way to end a run, where FreeBSD would
 * panic.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/resource.h>
#include <sys/resourcevar.h>
#include <sys/sysproto.h>
#include <sys/ucred.h>
#include <sys/wait.h>

#include <vm/vm.h>
#include <vm/vm_map.h>

#include <machine/md_var.h>
#include <machine/vmparam.h>

MALLOC_DECLARE(M_PROC);

/*
 * exit --
 *	Death of process.
 */
int
sys_exit(p, uap)
	struct proc *p;
	struct sys_exit_args *uap;
{

	exit1(p, W_EXITCODE(uap->rval, 0));
	/* NOTREACHED */
}

/*
 * Exit: deallocate address space and other resources, change proc
 * state to zombie, and unlink proc from allproc and parent's lists.
 * Save exit status and rusage for wait().
 */
void
exit1(p, rv)
	struct proc *p;
	int rv;
{
	struct proc *q, *nq, *heir;
	struct vmspace *vm;

	if (p->p_pid == 0)
		panic("exit1: proc0 exits");
	p->p_flag |= P_WEXIT;
	p->p_siglist = 0;

	/* Close open files and release open-file table. */
	fdfree(p);
	p->p_fd = NULL;

	/*
	 * Release the user pages now, unless another process shares
	 * them; the page tables and the directory, which the processor is
	 * still using, go when the parent reaps the zombie.
	 */
	vm = p->p_vmspace;
	if (vm->vm_refcnt == 1)
		vm_map_delete(&vm->vm_map, VM_MIN_ADDRESS, VM_MAXUSER_ADDRESS);

	/* Remove proc from allproc queue; place onto zombproc. */
	p->p_stat = SZOMB;
	LIST_REMOVE(p, p_list);
	LIST_INSERT_HEAD(&zombproc, p, p_list);

	/* Give the children to init, or to proc0 if init itself exits. */
	heir = (p == initproc) ? &proc0 : initproc;
	q = LIST_FIRST(&p->p_children);
	if (q != NULL)
		wakeup(heir);
	for (; q != NULL; q = nq) {
		nq = LIST_NEXT(q, p_sibling);
		LIST_REMOVE(q, p_sibling);
		LIST_INSERT_HEAD(&heir->p_children, q, p_sibling);
		q->p_pptr = heir;
	}

	p->p_xstat = rv;
	wakeup(p->p_pptr);

	/* Switch away for good; the parent frees the u-area. */
	cpu_exit(p);
}

/*
 * Wait for a child of q to exit: its pid and status, having freed it;
 * with WNOHANG, pid 0 if none has exited yet.
 */
int
kern_wait(q, pid, status, options, retpid)
	struct proc *q;
	pid_t pid;
	int *status;
	int options;
	pid_t *retpid;
{
	struct proc *p;
	int nfound, error;

loop:
	nfound = 0;
	for (p = LIST_FIRST(&q->p_children); p != NULL;
	    p = LIST_NEXT(p, p_sibling)) {
		if (pid != WAIT_ANY && p->p_pid != pid)
			continue;
		nfound++;
		if (p->p_stat != SZOMB)
			continue;

		*retpid = p->p_pid;
		*status = p->p_xstat;

		/* Unlink it from its process group and free it. */
		LIST_REMOVE(p, p_list);		/* off zombproc */
		LIST_REMOVE(p, p_sibling);
		crfree(p->p_ucred);
		limfree(p->p_limit);
		vm_waitproc(p);
		nprocs--;
		free(p, M_PROC);
		return (0);
	}
	if (nfound == 0)
		return (ECHILD);
	if (options & WNOHANG) {
		*retpid = 0;
		return (0);
	}
	error = tsleep(q, PWAIT | PCATCH, "wait", 0);
	if (error)
		return (error);
	goto loop;
}

int
wait4(q, uap)
	struct proc *q;
	struct wait_args *uap;
{
	struct rusage ru;
	pid_t pid;
	int error, status;

	if (uap->options & ~(WNOHANG | WUNTRACED))
		return (EINVAL);
	error = kern_wait(q, uap->pid, &status, uap->options, &pid);
	if (error)
		return (error);
	q->p_retval[0] = pid;
	if (pid == 0)
		return (0);
	if (uap->status != NULL) {
		error = copyout(&status, uap->status, sizeof(status));
		if (error)
			return (error);
	}
	if (uap->rusage != NULL) {
		/* No accounting is kept: the usage reads as zero. */
		bzero(&ru, sizeof(ru));
		error = copyout(&ru, uap->rusage, sizeof(ru));
	}
	return (error);
}
