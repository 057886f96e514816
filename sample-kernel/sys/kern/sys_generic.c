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
 * read(2) and write(2): a uio over the user's buffer, handed to the
 * fileops of whatever the descriptor refers to.  A write to a pipe
 * nobody reads raises SIGPIPE, as FreeBSD's dofilewrite does.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/sysproto.h>
#include <sys/uio.h>

static int dofileread __P((struct proc *p, struct file *fp, int fd,
	    void *buf, size_t nbyte));
static int dofilewrite __P((struct proc *p, struct file *fp, int fd,
	    const void *buf, size_t nbyte));

/*
 * Read system call.
 */
int
read(p, uap)
	struct proc *p;
	struct read_args *uap;
{
	struct file *fp;
	int error;

	if ((fp = holdfp(p->p_fd, uap->fd, FREAD)) == NULL)
		return (EBADF);
	fhold(fp);
	error = dofileread(p, fp, uap->fd, uap->buf, uap->nbyte);
	fdrop(fp, p);
	return (error);
}

static int
dofileread(p, fp, fd, buf, nbyte)
	struct proc *p;
	struct file *fp;
	int fd;
	void *buf;
	size_t nbyte;
{
	struct uio auio;
	struct iovec aiov;
	long cnt;
	int error;

	aiov.iov_base = buf;
	aiov.iov_len = nbyte;
	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
	auio.uio_offset = -1;
	if ((ssize_t)nbyte < 0)
		return (EINVAL);
	auio.uio_resid = nbyte;
	auio.uio_rw = UIO_READ;
	auio.uio_segflg = UIO_USERSPACE;
	auio.uio_procp = p;

	cnt = nbyte;
	error = fo_read(fp, &auio, fp->f_cred, 0, p);
	if (error) {
		if (auio.uio_resid != cnt && (error == ERESTART ||
		    error == EINTR || error == EWOULDBLOCK))
			error = 0;
	}
	cnt -= auio.uio_resid;
	p->p_retval[0] = cnt;
	return (error);
}

/*
 * Write system call.
 */
int
write(p, uap)
	struct proc *p;
	struct write_args *uap;
{
	struct file *fp;
	int error;

	if ((fp = holdfp(p->p_fd, uap->fd, FWRITE)) == NULL)
		return (EBADF);
	fhold(fp);
	error = dofilewrite(p, fp, uap->fd, uap->buf, uap->nbyte);
	fdrop(fp, p);
	return (error);
}

static int
dofilewrite(p, fp, fd, buf, nbyte)
	struct proc *p;
	struct file *fp;
	int fd;
	const void *buf;
	size_t nbyte;
{
	struct uio auio;
	struct iovec aiov;
	long cnt;
	int error;

	aiov.iov_base = (void *)(uintptr_t)buf;
	aiov.iov_len = nbyte;
	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
	auio.uio_offset = -1;
	if ((ssize_t)nbyte < 0)
		return (EINVAL);
	auio.uio_resid = nbyte;
	auio.uio_rw = UIO_WRITE;
	auio.uio_segflg = UIO_USERSPACE;
	auio.uio_procp = p;

	cnt = nbyte;
	error = fo_write(fp, &auio, fp->f_cred, 0, p);
	if (error) {
		if (auio.uio_resid != cnt && (error == ERESTART ||
		    error == EINTR || error == EWOULDBLOCK))
			error = 0;
		if (error == EPIPE)
			psignal(p, SIGPIPE);
	}
	cnt -= auio.uio_resid;
	p->p_retval[0] = cnt;
	return (error);
}
