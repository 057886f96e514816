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
 * Process identity: getpid, getppid, and the reference-counted
 * credentials every process and open file carries.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/sysproto.h>
#include <sys/ucred.h>

MALLOC_DEFINE(M_CRED, "cred", "credentials");

int
getpid(p, uap)
	struct proc *p;
	struct getpid_args *uap;
{

	p->p_retval[0] = p->p_pid;
	p->p_retval[1] = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	return (0);
}

int
getppid(p, uap)
	struct proc *p;
	struct getppid_args *uap;
{

	p->p_retval[0] = p->p_pptr != NULL ? p->p_pptr->p_pid : 0;
	return (0);
}

/*
 * Allocate a zeroed cred structure: root, no groups.
 */
struct ucred *
crget()
{
	struct ucred *cr;

	cr = malloc(sizeof(*cr), M_CRED, M_WAITOK | M_ZERO);
	cr->cr_ref = 1;
	return (cr);
}

/*
 * Claim another reference to a ucred structure.
 */
struct ucred *
crhold(cr)
	struct ucred *cr;
{

	cr->cr_ref++;
	return (cr);
}

/*
 * Free a cred structure.  Throws away space when ref count gets to 0.
 */
void
crfree(cr)
	struct ucred *cr;
{

	if (cr->cr_ref == 0)
		panic("crfree: freeing free credentials");
	if (--cr->cr_ref == 0)
		free(cr, M_CRED);
}
