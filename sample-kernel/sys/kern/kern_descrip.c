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
 * Descriptor management: the per-process table (fdinit, fdcopy for fork,
 * fdfree for exit), allocating descriptors and open files (fdalloc,
 * falloc), dropping them (closef, fdrop), and the calls close(2),
 * dup2(2) and fstat(2).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/sysproto.h>
#include <sys/ucred.h>
#include <sys/vnode.h>

MALLOC_DEFINE(M_FILEDESC, "file desc", "Open file descriptor table");
MALLOC_DEFINE(M_FILE, "file", "Open file structure");

struct filelist filehead;	/* head of list of open files */
int	nfiles;			/* actual number of open files */
int	maxfiles = 256;		/* kernel limit on number of open files */

static int badfo_readwrite __P((struct file *fp, struct uio *uio,
	    struct ucred *cred, int flags, struct proc *p));
static int badfo_stat __P((struct file *fp, struct stat *sb,
	    struct proc *p));
static int badfo_close __P((struct file *fp, struct proc *p));

struct fileops badfileops = {
	badfo_readwrite,
	badfo_readwrite,
	badfo_stat,
	badfo_close
};

/*
 * The open file behind descriptor fd, if it allows flag (FREAD or
 * FWRITE, or 0 for any); NULL otherwise.
 */
struct file *
holdfp(fdp, fd, flag)
	struct filedesc *fdp;
	int fd, flag;
{
	struct file *fp;

	if ((u_int)fd >= (u_int)fdp->fd_nfiles ||
	    (fp = fdp->fd_ofiles[fd]) == NULL)
		return (NULL);
	if (flag != 0 && (fp->f_flag & flag) == 0)
		return (NULL);
	return (fp);
}

/*
 * Close a file descriptor.
 */
int
close(p, uap)
	struct proc *p;
	struct close_args *uap;
{
	struct filedesc *fdp;
	struct file *fp;
	int fd;

	fdp = p->p_fd;
	fd = uap->fd;
	if ((fp = holdfp(fdp, fd, 0)) == NULL)
		return (EBADF);
	fdp->fd_ofiles[fd] = NULL;
	fdp->fd_ofileflags[fd] = 0;
	while (fdp->fd_lastfile > 0 && fdp->fd_ofiles[fdp->fd_lastfile] == NULL)
		fdp->fd_lastfile--;
	if (fd < fdp->fd_freefile)
		fdp->fd_freefile = fd;
	return (closef(fp, p));
}

/*
 * Duplicate a file descriptor to a particular value.
 */
int
dup2(p, uap)
	struct proc *p;
	struct dup2_args *uap;
{
	struct filedesc *fdp;
	struct file *fp, *delfp;
	u_int old, new;

	fdp = p->p_fd;
	old = uap->from;
	new = uap->to;
	if ((fp = holdfp(fdp, old, 0)) == NULL || new >= (u_int)fdp->fd_nfiles)
		return (EBADF);
	p->p_retval[0] = new;
	if (old == new)
		return (0);
	delfp = fdp->fd_ofiles[new];
	fhold(fp);
	fdp->fd_ofiles[new] = fp;
	fdp->fd_ofileflags[new] = fdp->fd_ofileflags[old] & ~UF_EXCLOSE;
	if ((int)new > fdp->fd_lastfile)
		fdp->fd_lastfile = new;
	if (delfp != NULL)
		(void)closef(delfp, p);
	return (0);
}

/*
 * Return status information about a file descriptor.
 */
int
fstat(p, uap)
	struct proc *p;
	struct fstat_args *uap;
{
	struct file *fp;
	struct stat ub;
	int error;

	if ((fp = holdfp(p->p_fd, uap->fd, 0)) == NULL)
		return (EBADF);
	fhold(fp);
	error = fo_stat(fp, &ub, p);
	if (error == 0)
		error = copyout(&ub, uap->sb, sizeof(ub));
	fdrop(fp, p);
	return (error);
}

/*
 * Allocate a file descriptor for the process: the lowest free one not
 * below want.
 */
int
fdalloc(p, want, result)
	struct proc *p;
	int want;
	int *result;
{
	struct filedesc *fdp;
	int i;

	fdp = p->p_fd;
	if (want < fdp->fd_freefile)
		want = fdp->fd_freefile;
	for (i = want; i < fdp->fd_nfiles; i++) {
		if (fdp->fd_ofiles[i] == NULL) {
			fdp->fd_ofileflags[i] = 0;
			if (i > fdp->fd_lastfile)
				fdp->fd_lastfile = i;
			if (want <= fdp->fd_freefile)
				fdp->fd_freefile = i;
			*result = i;
			return (0);
		}
	}
	return (EMFILE);
}

/*
 * Create a new open file structure and allocate a file descriptor for
 * the process that refers to it.
 */
int
falloc(p, resultfp, resultfd)
	struct proc *p;
	struct file **resultfp;
	int *resultfd;
{
	struct file *fp;
	int error, i;

	if (nfiles >= maxfiles)
		return (ENFILE);
	if ((error = fdalloc(p, 0, &i)))
		return (error);
	nfiles++;
	fp = malloc(sizeof(struct file), M_FILE, M_WAITOK | M_ZERO);
	fp->f_count = 1;
	fp->f_cred = crhold(p->p_ucred);
	fp->f_ops = &badfileops;
	LIST_INSERT_HEAD(&filehead, fp, f_list);
	p->p_fd->fd_ofiles[i] = fp;
	if (resultfp)
		*resultfp = fp;
	if (resultfd)
		*resultfd = i;
	return (0);
}

/*
 * Free a file descriptor.
 */
static void
ffree(fp)
	struct file *fp;
{

	LIST_REMOVE(fp, f_list);
	crfree(fp->f_cred);
	nfiles--;
	free(fp, M_FILE);
}

/*
 * Build a new filedesc structure for proc0.
 */
struct filedesc *
fdinit(p)
	struct proc *p;
{
	struct filedesc0 *newfdp;

	newfdp = malloc(sizeof(struct filedesc0), M_FILEDESC,
	    M_WAITOK | M_ZERO);
	newfdp->fd_fd.fd_refcnt = 1;
	newfdp->fd_fd.fd_cmask = 022;
	newfdp->fd_fd.fd_ofiles = newfdp->fd_dfiles;
	newfdp->fd_fd.fd_ofileflags = newfdp->fd_dfileflags;
	newfdp->fd_fd.fd_nfiles = NDFILE;
	return (&newfdp->fd_fd);
}

/*
 * Share a filedesc structure.
 */
struct filedesc *
fdshare(p)
	struct proc *p;
{

	p->p_fd->fd_refcnt++;
	return (p->p_fd);
}

/*
 * Copy a filedesc structure.
 */
struct filedesc *
fdcopy(p)
	struct proc *p;
{
	struct filedesc *newfdp, *fdp;
	struct file **fpp;
	int i;

	fdp = p->p_fd;
	newfdp = fdinit(p);
	newfdp->fd_cmask = fdp->fd_cmask;
	newfdp->fd_cdir = fdp->fd_cdir;
	if (newfdp->fd_cdir != NULL)
		vref(newfdp->fd_cdir);
	newfdp->fd_rdir = fdp->fd_rdir;
	if (newfdp->fd_rdir != NULL)
		vref(newfdp->fd_rdir);
	newfdp->fd_lastfile = fdp->fd_lastfile;
	newfdp->fd_freefile = fdp->fd_freefile;
	bcopy(fdp->fd_ofiles, newfdp->fd_ofiles, NDFILE * sizeof(struct file *));
	bcopy(fdp->fd_ofileflags, newfdp->fd_ofileflags, NDFILE);
	fpp = newfdp->fd_ofiles;
	for (i = 0; i < NDFILE; i++, fpp++)
		if (*fpp != NULL)
			fhold(*fpp);
	return (newfdp);
}

/*
 * Release a filedesc structure.
 */
void
fdfree(p)
	struct proc *p;
{
	struct filedesc *fdp;
	int i;

	fdp = p->p_fd;
	if (fdp == NULL)
		return;
	if (--fdp->fd_refcnt > 0)
		return;
	for (i = 0; i < fdp->fd_nfiles; i++) {
		if (fdp->fd_ofiles[i] != NULL) {
			(void)closef(fdp->fd_ofiles[i], p);
			fdp->fd_ofiles[i] = NULL;
		}
	}
	if (fdp->fd_cdir != NULL)
		vrele(fdp->fd_cdir);
	if (fdp->fd_rdir != NULL)
		vrele(fdp->fd_rdir);
	free(fdp, M_FILEDESC);
}

/*
 * Close any files on exec.
 */
void
fdcloseexec(p)
	struct proc *p;
{
	struct filedesc *fdp;
	int i;

	fdp = p->p_fd;
	for (i = 0; i <= fdp->fd_lastfile; i++) {
		if (fdp->fd_ofiles[i] != NULL &&
		    (fdp->fd_ofileflags[i] & UF_EXCLOSE)) {
			(void)closef(fdp->fd_ofiles[i], p);
			fdp->fd_ofiles[i] = NULL;
			fdp->fd_ofileflags[i] = 0;
			if (i < fdp->fd_freefile)
				fdp->fd_freefile = i;
		}
	}
}

/*
 * Internal form of close.  Decrement reference count on file structure.
 */
int
closef(fp, p)
	struct file *fp;
	struct proc *p;
{

	if (fp == NULL)
		return (0);
	return (fdrop(fp, p));
}

int
fdrop(fp, p)
	struct file *fp;
	struct proc *p;
{
	int error;

	if (--fp->f_count > 0)
		return (0);
	if (fp->f_count < 0)
		panic("fdrop: count < 0");
	if (fp->f_ops != &badfileops)
		error = fo_close(fp, p);
	else
		error = 0;
	ffree(fp);
	return (error);
}

static int
badfo_readwrite(fp, uio, cred, flags, p)
	struct file *fp;
	struct uio *uio;
	struct ucred *cred;
	int flags;
	struct proc *p;
{

	return (EBADF);
}

static int
badfo_stat(fp, sb, p)
	struct file *fp;
	struct stat *sb;
	struct proc *p;
{

	return (EBADF);
}

static int
badfo_close(fp, p)
	struct file *fp;
	struct proc *p;
{

	return (EBADF);
}
