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
 * Resource limits: getrlimit(2), setrlimit(2), and the plimit structure
 * shared between processes until one changes a limit.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/resourcevar.h>
#include <sys/sysproto.h>

MALLOC_DEFINE(M_SUBPROC, "subproc", "Proc sub-structures");

int
getrlimit(p, uap)
	struct proc *p;
	struct __getrlimit_args *uap;
{

	if (uap->which >= RLIM_NLIMITS)
		return (EINVAL);
	return (copyout(&p->p_limit->pl_rlimit[uap->which], uap->rlp,
	    sizeof(struct rlimit)));
}

int
setrlimit(p, uap)
	struct proc *p;
	struct __setrlimit_args *uap;
{
	struct rlimit alim, *alimp;
	int error;

	if (uap->which >= RLIM_NLIMITS)
		return (EINVAL);
	error = copyin(uap->rlp, &alim, sizeof(struct rlimit));
	if (error)
		return (error);
	if (alim.rlim_cur > alim.rlim_max || alim.rlim_cur < 0 ||
	    alim.rlim_max < 0)
		return (EINVAL);
	if (p->p_limit->p_refcnt > 1) {
		p->p_limit->p_refcnt--;
		p->p_limit = limcopy(p->p_limit);
	}
	alimp = &p->p_limit->pl_rlimit[uap->which];
	*alimp = alim;
	return (0);
}

/*
 * Make a copy of the plimit structure.  We share these structures
 * copy-on-write after fork, and copy when a limit is changed.
 */
struct plimit *
limcopy(lim)
	struct plimit *lim;
{
	struct plimit *copy;

	copy = malloc(sizeof(struct plimit), M_SUBPROC, M_WAITOK);
	bcopy(lim->pl_rlimit, copy->pl_rlimit, sizeof(struct rlimit) *
	    RLIM_NLIMITS);
	copy->p_refcnt = 1;
	return (copy);
}

void
limfree(lim)
	struct plimit *lim;
{

	if (--lim->p_refcnt == 0)
		free(lim, M_SUBPROC);
}
