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
 * Global kernel variables and the startup sequence.  FreeBSD builds the
 * sysinit list from linker sets; here it is one ordered table in
 * init_main.c, sorted by hand by subsystem and order.
 */

#ifndef _SYS_KERNEL_H_
#define	_SYS_KERNEL_H_

extern	int	hz;		/* system clock's frequency */
extern	int	tick;		/* usec per tick (1000000 / hz) */
extern	volatile int ticks;	/* hardclock ticks since boot */

enum sysinit_sub_id {
	SI_SUB_DUMMY		= 0x0000000,	/* not executed */
	SI_SUB_COPYRIGHT	= 0x0800001,	/* first use of console */
	SI_SUB_VM		= 0x1000000,	/* virtual memory system init */
	SI_SUB_KMEM		= 0x1800000,	/* kernel memory */
	SI_SUB_CPU		= 0x2000000,	/* CPU resource(s) */
	SI_SUB_DRIVERS		= 0x3100000,	/* Let Drivers initialize */
	SI_SUB_INTRINSIC	= 0x2600000,	/* proc 0 */
	SI_SUB_VFS		= 0x4000000,	/* virtual file system */
	SI_SUB_CLOCKS		= 0x4800000,	/* real time and stat clocks */
	SI_SUB_SELFTEST		= 0x6000000,	/* machine-dependent checks */
	SI_SUB_PSEUDO		= 0x7000000,	/* pseudo devices */
	SI_SUB_PROTO_IF		= 0x8400000,	/* interfaces */
	SI_SUB_PROTO_DOMAIN	= 0x8800000,	/* protocol domains */
	SI_SUB_MOUNT_ROOT	= 0xb000000,	/* root mount */
	SI_SUB_KTHREAD_INIT	= 0xe000000,	/* init process */
	SI_SUB_RUN_SCHEDULER	= 0xfffffff	/* scheduler: no return */
};

enum sysinit_elem_order {
	SI_ORDER_FIRST		= 0x0000000,	/* first */
	SI_ORDER_SECOND		= 0x0000001,	/* second */
	SI_ORDER_THIRD		= 0x0000002,	/* third */
	SI_ORDER_MIDDLE		= 0x1000000,	/* somewhere in the middle */
	SI_ORDER_ANY		= 0xfffffff	/* last */
};

struct trapframe;

typedef	void	(*sysinit_cfunc_t) __P((void *));

struct sysinit {
	enum sysinit_sub_id	subsystem;	/* subsystem identifier */
	enum sysinit_elem_order	order;		/* init order within subsystem */
	sysinit_cfunc_t		func;		/* function */
	void			*udata;		/* multiplexer/argument */
	const char		*name;		/* for bootverbose */
};

void	initclocks __P((void *));
void	vfs_mountroot __P((void *));
void	vfs_rootlist __P((void));
void	vfs_rootwalk __P((void));
void	vfsinit __P((void *));
void	md_drvinit __P((void *));
void	vm_mem_init __P((void *));
void	hardclock __P((struct trapframe *frame));

#endif /* !_SYS_KERNEL_H_ */
