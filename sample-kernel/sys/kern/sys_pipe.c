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
 * Pipes, in the shape of FreeBSD's sys_pipe.c without its direct-write
 * and kqueue parts: pipe(2) makes two open files, the read end and the
 * write end, each over one struct pipe of a peer pair.  A reader sleeps
 * while the buffer is empty and the writer is there; a writer sleeps
 * while the buffer is full; each wakes the other.  A write of up to
 * PIPE_BUF bytes is never split; a write with no reader left fails with
 * EPIPE (and SIGPIPE, from dofilewrite).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/malloc.h>
#include <sys/pipe.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/sysproto.h>
#include <sys/uio.h>

MALLOC_DEFINE(M_PIPE, "pipe", "pipe structures and buffers");

static int pipe_read __P((struct file *fp, struct uio *uio,
	    struct ucred *cred, int flags, struct proc *p));
static int pipe_write __P((struct file *fp, struct uio *uio,
	    struct ucred *cred, int flags, struct proc *p));
static int pipe_stat __P((struct file *fp, struct stat *sb,
	    struct proc *p));
static int pipe_close __P((struct file *fp, struct proc *p));

static struct fileops pipeops = {
	pipe_read,
	pipe_write,
	pipe_stat,
	pipe_close
};

static struct pipe *pipe_create __P((void));
static void pipeclose __P((struct pipe *cpipe));

/*
 * The pipe system call for the DTYPE_PIPE type of pipes: the read end
 * in the first return value, the write end in the second.
 */
int
pipe(p, uap)
	struct proc *p;
	struct pipe_args *uap;
{
	struct filedesc *fdp;
	struct file *rf, *wf;
	struct pipe *rpipe, *wpipe;
	int fd, error;

	fdp = p->p_fd;
	rpipe = pipe_create();
	wpipe = pipe_create();
	rpipe->pipe_peer = wpipe;
	wpipe->pipe_peer = rpipe;

	error = falloc(p, &rf, &fd);
	if (error) {
		pipeclose(rpipe);
		pipeclose(wpipe);
		return (error);
	}
	fhold(rf);
	p->p_retval[0] = fd;
	rf->f_flag = FREAD | FWRITE;
	rf->f_type = DTYPE_PIPE;
	rf->f_data = (caddr_t)rpipe;
	rf->f_ops = &pipeops;

	error = falloc(p, &wf, &fd);
	if (error) {
		if (fdp->fd_ofiles[p->p_retval[0]] == rf) {
			fdp->fd_ofiles[p->p_retval[0]] = NULL;
			fdrop(rf, p);
		}
		fdrop(rf, p);
		/* rpipe has been closed by fdrop(). */
		pipeclose(wpipe);
		return (error);
	}
	wf->f_flag = FREAD | FWRITE;
	wf->f_type = DTYPE_PIPE;
	wf->f_data = (caddr_t)wpipe;
	wf->f_ops = &pipeops;
	p->p_retval[1] = fd;
	fdrop(rf, p);
	return (0);
}

/*
 * One end: the structure and its buffer.
 */
static struct pipe *
pipe_create()
{
	struct pipe *cpipe;

	cpipe = malloc(sizeof(struct pipe), M_PIPE, M_WAITOK | M_ZERO);
	cpipe->pipe_buffer.buffer = malloc(PIPE_SIZE, M_PIPE, M_WAITOK);
	cpipe->pipe_buffer.size = PIPE_SIZE;
	return (cpipe);
}

static int
pipe_read(fp, uio, cred, flags, p)
	struct file *fp;
	struct uio *uio;
	struct ucred *cred;
	int flags;
	struct proc *p;
{
	struct pipe *rpipe;
	int error, nread, size;

	rpipe = (struct pipe *)fp->f_data;
	nread = 0;
	error = 0;
	while (uio->uio_resid) {
		if (rpipe->pipe_buffer.cnt > 0) {
			size = rpipe->pipe_buffer.size - rpipe->pipe_buffer.out;
			if (size > (int)rpipe->pipe_buffer.cnt)
				size = rpipe->pipe_buffer.cnt;
			if (size > uio->uio_resid)
				size = uio->uio_resid;
			error = uiomove(&rpipe->pipe_buffer.buffer[
			    rpipe->pipe_buffer.out], size, uio);
			if (error)
				break;
			rpipe->pipe_buffer.out += size;
			if (rpipe->pipe_buffer.out >= rpipe->pipe_buffer.size)
				rpipe->pipe_buffer.out = 0;
			rpipe->pipe_buffer.cnt -= size;
			/* If there is no more to read, start at the front. */
			if (rpipe->pipe_buffer.cnt == 0) {
				rpipe->pipe_buffer.in = 0;
				rpipe->pipe_buffer.out = 0;
			}
			nread += size;
		} else {
			/* Detect EOF condition: read returns 0. */
			if (rpipe->pipe_state & PIPE_EOF)
				break;
			/* If the "write-side" has been blocked, wake it up. */
			if (rpipe->pipe_state & PIPE_WANTW) {
				rpipe->pipe_state &= ~PIPE_WANTW;
				wakeup(rpipe);
			}
			/* Break if some data was read. */
			if (nread > 0)
				break;
			if (fp->f_flag & FNONBLOCK) {
				error = EAGAIN;
				break;
			}
			rpipe->pipe_state |= PIPE_WANTR;
			error = tsleep(rpipe, PRIBIO | PCATCH, "piperd", 0);
			if (error)
				break;
		}
	}
	/* Room was made: the writer may go on. */
	if ((rpipe->pipe_state & PIPE_WANTW) &&
	    rpipe->pipe_buffer.size - rpipe->pipe_buffer.cnt >= PIPE_BUF) {
		rpipe->pipe_state &= ~PIPE_WANTW;
		wakeup(rpipe);
	}
	return (error);
}

static int
pipe_write(fp, uio, cred, flags, p)
	struct file *fp;
	struct uio *uio;
	struct ucred *cred;
	int flags;
	struct proc *p;
{
	struct pipe *wpipe, *rpipe;
	int error, space, size, segsize, orig_resid;

	rpipe = (struct pipe *)fp->f_data;
	wpipe = rpipe->pipe_peer;

	/* Detect loss of pipe read side, issue SIGPIPE if lost. */
	if (wpipe == NULL || (wpipe->pipe_state & PIPE_EOF))
		return (EPIPE);

	error = 0;
	orig_resid = uio->uio_resid;
	while (uio->uio_resid) {
		space = wpipe->pipe_buffer.size - wpipe->pipe_buffer.cnt;

		/* Writes of size <= PIPE_BUF must be atomic. */
		if (space < uio->uio_resid && orig_resid <= PIPE_BUF)
			space = 0;

		if (space > 0) {
			size = space;
			if (size > uio->uio_resid)
				size = uio->uio_resid;
			/* The part up to the end of the circular buffer first. */
			segsize = wpipe->pipe_buffer.size - wpipe->pipe_buffer.in;
			if (segsize > size)
				segsize = size;
			error = uiomove(&wpipe->pipe_buffer.buffer[
			    wpipe->pipe_buffer.in], segsize, uio);
			if (error == 0 && segsize < size) {
				error = uiomove(&wpipe->pipe_buffer.buffer[0],
				    size - segsize, uio);
			}
			if (error)
				break;
			wpipe->pipe_buffer.in += size;
			if (wpipe->pipe_buffer.in >= wpipe->pipe_buffer.size)
				wpipe->pipe_buffer.in -= wpipe->pipe_buffer.size;
			wpipe->pipe_buffer.cnt += size;
		} else {
			/* If the "read-side" has been blocked, wake it up now. */
			if (wpipe->pipe_state & PIPE_WANTR) {
				wpipe->pipe_state &= ~PIPE_WANTR;
				wakeup(wpipe);
			}
			if (fp->f_flag & FNONBLOCK) {
				error = EAGAIN;
				break;
			}
			wpipe->pipe_state |= PIPE_WANTW;
			error = tsleep(wpipe, PRIBIO | PCATCH, "pipewr", 0);
			if (error)
				break;
			/*
			 * If read side wants to go away, we just issue a
			 * signal to ourselves.
			 */
			if (wpipe->pipe_state & PIPE_EOF) {
				error = EPIPE;
				break;
			}
		}
	}

	/* We have something to offer, wake up select/poll. */
	if (wpipe->pipe_buffer.cnt > 0 && (wpipe->pipe_state & PIPE_WANTR)) {
		wpipe->pipe_state &= ~PIPE_WANTR;
		wakeup(wpipe);
	}
	return (error);
}

static int
pipe_stat(fp, ub, p)
	struct file *fp;
	struct stat *ub;
	struct proc *p;
{
	struct pipe *pipe;

	pipe = (struct pipe *)fp->f_data;
	bzero(ub, sizeof(*ub));
	ub->st_mode = S_IFIFO;
	ub->st_blksize = pipe->pipe_buffer.size;
	ub->st_size = pipe->pipe_buffer.cnt;
	ub->st_blocks = howmany(pipe->pipe_buffer.cnt, pipe->pipe_buffer.size);
	return (0);
}

static int
pipe_close(fp, p)
	struct file *fp;
	struct proc *p;
{
	struct pipe *cpipe;

	cpipe = (struct pipe *)fp->f_data;
	fp->f_ops = &badfileops;
	fp->f_data = NULL;
	pipeclose(cpipe);
	return (0);
}

/*
 * Shutdown the pipe: the peer sees EOF (a reader) or EPIPE (a writer).
 */
static void
pipeclose(cpipe)
	struct pipe *cpipe;
{
	struct pipe *ppipe;

	if (cpipe == NULL)
		return;
	cpipe->pipe_state |= PIPE_EOF;
	wakeup(cpipe);
	if ((ppipe = cpipe->pipe_peer) != NULL) {
		ppipe->pipe_state |= PIPE_EOF;
		wakeup(ppipe);
		ppipe->pipe_peer = NULL;
	}
	free(cpipe->pipe_buffer.buffer, M_PIPE);
	free(cpipe, M_PIPE);
}
