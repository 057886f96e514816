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
 * Machine-dependent virtual memory limits.
 */

#ifndef _MACHINE_VMPARAM_H_
#define	_MACHINE_VMPARAM_H_

#include <machine/pmap.h>

/*
 * Virtual memory related constants, all in bytes, as FreeBSD 4's
 * defaults: the largest data segment (and heap) a process may have, and
 * the stack exec maps for it (pages appear on first touch).
 */
#define	MAXTSIZ		(128UL*1024*1024)	/* max text size */
#define	DFLDSIZ		(128UL*1024*1024)	/* initial data size limit */
#define	MAXDSIZ		(512UL*1024*1024)	/* max data size */
#define	DFLSSIZ		(8UL*1024*1024)		/* initial stack size limit */
#define	MAXSSIZ		(64UL*1024*1024)	/* max stack size */

#define	VM_MIN_ADDRESS		((vm_offset_t)0)
#define	VM_MAXUSER_ADDRESS	VADDR(PTDPTDI, 0)
#define	USRSTACK		VM_MAXUSER_ADDRESS
#define	UPT_MIN_ADDRESS		VADDR(PTDPTDI, 0)
#define	UPT_MAX_ADDRESS		VADDR(PTDPTDI, PTDPTDI)
#define	VM_MAX_ADDRESS		UPT_MAX_ADDRESS
#define	VM_MIN_KERNEL_ADDRESS	VADDR(PTDPTDI, PTDPTDI)
#define	VM_MAX_KERNEL_ADDRESS	VADDR(KPTDI+NKPDE-1, NPTEPG-1)

/*
 * Physical memory below this address belongs to the kernel image and its
 * bootstrap page tables (the kernel is loaded at 1 MB); the page allocator
 * starts here.  A fixed figure keeps the boot messages independent of the
 * size of a particular build.
 */
#define	KERNRESERVE		(2 * 1024 * 1024)

/* Highest physical address the page allocator keeps track of. */
#define	VM_MAX_PHYS		(256 * 1024 * 1024)

#endif /* !_MACHINE_VMPARAM_H_ */
