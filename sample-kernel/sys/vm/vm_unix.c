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
 * The break: obreak(2) grows or shrinks the heap that follows the data
 * segment.  The user's sbrk() keeps the exact break; the kernel works in
 * pages, from the end of the data segment exec set up.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/proc.h>
#include <sys/resourcevar.h>
#include <sys/sysproto.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

int
obreak(p, uap)
	struct proc *p;
	struct obreak_args *uap;
{
	struct vmspace *vm;
	vm_offset_t new, old, base;
	int rv;

	vm = p->p_vmspace;
	base = round_page((vm_offset_t)vm->vm_daddr);
	new = round_page((vm_offset_t)uap->nsize);
	old = base + ctob(vm->vm_dsize);
	if (new > base && (rlim_t)(new - base) >
	    p->p_limit->pl_rlimit[RLIMIT_DATA].rlim_cur)
		return (ENOMEM);
	if (new < base)
		return (EINVAL);

	if (new > old) {
		rv = vm_map_insert(&vm->vm_map, old, new, VM_PROT_ALL,
		    VM_PROT_ALL, 0);
		if (rv != KERN_SUCCESS)
			return (ENOMEM);
		vm->vm_dsize += btoc(new - old);
	} else if (new < old) {
		rv = vm_map_delete(&vm->vm_map, new, old);
		if (rv != KERN_SUCCESS)
			return (ENOMEM);
		vm->vm_dsize -= btoc(old - new);
	}
	return (0);
}
