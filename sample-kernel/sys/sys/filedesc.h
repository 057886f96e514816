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
 * The per-process open file table, as FreeBSD 4's <sys/filedesc.h>: an
 * array of pointers to struct file indexed by descriptor, plus the
 * current and root directories that path lookups start from.  This
 * kernel's table has a fixed NDFILE slots (FreeBSD grows it); it is
 * copied by fork and freed by exit.
 */

#ifndef _SYS_FILEDESC_H_
#define	_SYS_FILEDESC_H_

#define	NDFILE		20		/* descriptors per process */

struct filedesc {
	struct	file **fd_ofiles;	/* file structures for open files */
	char	*fd_ofileflags;		/* per-process open file flags */
	struct	vnode *fd_cdir;		/* current directory */
	struct	vnode *fd_rdir;		/* root directory */
	int	fd_nfiles;		/* number of open files allocated */
	int	fd_lastfile;		/* high-water mark of fd_ofiles */
	int	fd_freefile;		/* approx. next free file */
	u_short	fd_cmask;		/* mask for file creation */
	u_short	fd_refcnt;		/* reference count */
};

/*
 * Basic allocation of descriptors: one of the above, plus the arrays
 * for NDFILE descriptors.
 */
struct filedesc0 {
	struct	filedesc fd_fd;
	struct	file *fd_dfiles[NDFILE];
	char	fd_dfileflags[NDFILE];
};

#define	UF_EXCLOSE	0x01		/* auto-close on exec */

#ifdef _KERNEL
struct file;
struct proc;

int	falloc __P((struct proc *p, struct file **resultfp, int *resultfd));
int	fdalloc __P((struct proc *p, int want, int *result));
struct	filedesc *fdinit __P((struct proc *p));
struct	filedesc *fdcopy __P((struct proc *p));
struct	filedesc *fdshare __P((struct proc *p));
void	fdfree __P((struct proc *p));
void	fdcloseexec __P((struct proc *p));
int	closef __P((struct file *fp, struct proc *p));
struct	file *holdfp __P((struct filedesc *fdp, int fd, int flag));
#endif

#endif /* !_SYS_FILEDESC_H_ */
