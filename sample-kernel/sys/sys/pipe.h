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
 * Pipes, as FreeBSD 4's <sys/pipe.h>: a pipe is two struct pipe, peers of
 * each other; what is written on one end waits in the other end's
 * circular buffer until it is read.
 */

#ifndef _SYS_PIPE_H_
#define	_SYS_PIPE_H_

#define	PIPE_SIZE	16384		/* size of a pipe's buffer */
#define	PIPE_BUF	512		/* writes this small are atomic */

/*
 * Pipe buffer information.  Separate in, out, cnt are used to simplify
 * calculations.
 */
struct pipebuf {
	u_int	cnt;		/* number of chars currently in buffer */
	u_int	in;		/* in pointer */
	u_int	out;		/* out pointer */
	u_int	size;		/* size of buffer */
	caddr_t	buffer;		/* kva of buffer */
};

/* Bits in pipe_state. */
#define	PIPE_WANTR	0x008	/* Reader wants some characters. */
#define	PIPE_WANTW	0x010	/* Writer wants space to put characters. */
#define	PIPE_EOF	0x040	/* Pipe is in EOF condition. */

struct pipe {
	struct	pipebuf pipe_buffer;	/* data storage */
	struct	pipe *pipe_peer;	/* link with other direction */
	u_int	pipe_state;		/* pipe status info */
};

#endif /* !_SYS_PIPE_H_ */
