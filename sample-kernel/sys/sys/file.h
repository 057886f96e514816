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
 * Open files, as FreeBSD 4's <sys/file.h>: a struct file is shared by
 * every descriptor that refers to the same open (dup2, fork) and counts
 * them in f_count; its fileops do the reading, writing, stat and close
 * for the kind of object behind it (a vnode, a pipe, the console).
 */

#ifndef _SYS_FILE_H_
#define	_SYS_FILE_H_

#include <sys/fcntl.h>
#include <sys/queue.h>

struct proc;
struct stat;
struct ucred;
struct uio;

struct file {
	struct {
		struct	file *le_next;	/* next element */
		struct	file **le_prev;	/* address of previous next element */
	} f_list;			/* list of active files */
	short	f_flag;			/* see fcntl.h */
#define	DTYPE_VNODE	1		/* file */
#define	DTYPE_SOCKET	2		/* communications endpoint */
#define	DTYPE_PIPE	3		/* pipe */
#define	DTYPE_FIFO	4		/* fifo (named pipe) */
#define	DTYPE_CONSOLE	6		/* the system console (this kernel) */
	short	f_type;			/* descriptor type */
	int	f_count;		/* reference count */
	struct	ucred *f_cred;		/* credentials associated with descriptor */
	struct	fileops *f_ops;
	off_t	f_offset;
	caddr_t	f_data;			/* vnode or pipe */
};

struct fileops {
	int	(*fo_read)	__P((struct file *fp, struct uio *uio,
				    struct ucred *cred, int flags,
				    struct proc *p));
	int	(*fo_write)	__P((struct file *fp, struct uio *uio,
				    struct ucred *cred, int flags,
				    struct proc *p));
	int	(*fo_stat)	__P((struct file *fp, struct stat *sb,
				    struct proc *p));
	int	(*fo_close)	__P((struct file *fp, struct proc *p));
};

/* Flags to fo_read and fo_write. */
#define	FOF_OFFSET	1	/* use the offset in uio argument */

#ifdef _KERNEL
/* The open files (FreeBSD: LIST_HEAD(filelist, file)). */
struct filelist {
	struct	file *lh_first;		/* first element */
};

extern	struct filelist filehead;	/* head of list of open files */
extern	struct fileops vnops;
extern	struct fileops badfileops;
extern	struct fileops consfileops;
extern	int nfiles;			/* actual number of open files */

int	fdrop __P((struct file *fp, struct proc *p));

#define	fhold(fp)	((fp)->f_count++)

#define	fo_read(fp, uio, cred, flags, p)				\
	((*(fp)->f_ops->fo_read)((fp), (uio), (cred), (flags), (p)))
#define	fo_write(fp, uio, cred, flags, p)				\
	((*(fp)->f_ops->fo_write)((fp), (uio), (cred), (flags), (p)))
#define	fo_stat(fp, sb, p)						\
	((*(fp)->f_ops->fo_stat)((fp), (sb), (p)))
#define	fo_close(fp, p)							\
	((*(fp)->f_ops->fo_close)((fp), (p)))
#endif

#endif /* !_SYS_FILE_H_ */
