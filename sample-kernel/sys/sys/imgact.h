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
 * What execve() knows about the image it is activating, as FreeBSD's
 * <sys/imgact.h>: the vnode and its attributes, the first page of the
 * file, the argument and environment strings saved from the old image,
 * and the entry point the activator found.
 */

#ifndef _SYS_IMGACT_H_
#define	_SYS_IMGACT_H_

struct execve_args;
struct proc;
struct vattr;
struct vnode;

struct image_params {
	struct	proc *proc;		/* our process struct */
	struct	execve_args *uap;	/* syscall arguments */
	struct	vnode *vp;		/* pointer to vnode of file to exec */
	struct	vattr *attr;		/* attributes of file */
	const	char *image_header;	/* head of file to exec */
	int	header_len;		/* bytes of it read */
	char	*stringbase;		/* base address of tmp string storage */
	char	*stringp;		/* current 'end' pointer of tmp strings */
	int	stringspace;		/* space left in tmp string storage area */
	int	argc, envc;		/* count of argument and environment strings */
	unsigned long entry_addr;	/* entry address of target executable */
	char	vmspace_destroyed;	/* flag - we've blown away original vm space */
	unsigned long ps_strings;	/* PS_STRINGS for BSD/OS binaries */
};

/* An image activator: -1 if the image is not its kind, else an errno. */
struct execsw {
	int	(*ex_imgact) __P((struct image_params *));
	const	char *ex_name;
};

#ifdef _KERNEL
extern	const struct execsw *execsw[];

int	exec_extract_strings __P((struct image_params *));
int	exec_new_vmspace __P((struct image_params *));
#endif

#endif /* !_SYS_IMGACT_H_ */
