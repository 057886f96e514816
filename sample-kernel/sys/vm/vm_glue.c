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
 * The VM side of process creation and reaping: a child gets a copy of
 * its parent's address space (or a share of it) and a u-area, and its
 * parent releases both when it collects the child's exit status.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/user.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

MALLOC_DEFINE(M_UAREA, "u-area", "process u-areas and kernel stacks");

/*
 * Implement fork's actions on an address space: the child's vmspace and
 * u-area, then the machine-dependent copy of the parent's context.
 */
void
vm_fork(p1, p2, flags)
	struct proc *p1, *p2;
	int flags;
{

	if (flags & RFMEM) {
		p2->p_vmspace = p1->p_vmspace;
		p1->p_vmspace->vm_refcnt++;
	} else
		p2->p_vmspace = vmspace_fork(p1->p_vmspace);

	p2->p_addr = malloc(UPAGES * PAGE_SIZE, M_UAREA, M_WAITOK);
	cpu_fork(p1, p2);
}

/*
 * Release what is left of an exited process: its u-area and its
 * reference to the vmspace (and with the last one the page tables).
 */
void
vm_waitproc(p)
	struct proc *p;
{

	cpu_wait(p);
	vmspace_free(p->p_vmspace);
	p->p_vmspace = NULL;
	free(p->p_addr, M_UAREA);
	p->p_addr = NULL;
}
