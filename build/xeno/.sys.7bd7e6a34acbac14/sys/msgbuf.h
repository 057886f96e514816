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
 * The kernel message buffer: a ring of everything printf() printed, kept
 * in the last pages of physical memory.
 */

#ifndef _SYS_MSGBUF_H_
#define	_SYS_MSGBUF_H_

#define	MSG_MAGIC	0x063062
#define	MSGBUF_SIZE	8192

struct msgbuf {
	u_int	msg_magic;
	u_int	msg_size;		/* size of the ring */
	u_int	msg_bufx;		/* write pointer */
	u_int	msg_bufr;		/* read pointer */
	char	*msg_ptr;		/* the ring itself */
};

extern	int	msgbufmapped;
extern	struct msgbuf *msgbufp;

void	msgbufinit __P((void *ptr, size_t size));
void	msgaddchar __P((int c));

#endif /* !_SYS_MSGBUF_H_ */
