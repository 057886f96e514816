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
 * The kernel's RPC client for the NFS root, in the shape of FreeBSD 4's
 * <nfs/krpc.h>: krpc_call() sends one call over UDP and returns the
 * reply's results; krpc_portmap() asks a server's portmapper for a
 * program's port.  Arguments and results are mbuf chains of XDR; the
 * krpc_xdr cursor reads results, krpc_put*() append arguments.
 */

#ifndef _NFS_KRPC_H_
#define	_NFS_KRPC_H_

struct mbuf;
struct sockaddr_in;

/* A reading position in an XDR mbuf chain. */
struct krpc_xdr {
	struct	mbuf *kx_m;		/* the chain */
	int	kx_off;			/* next byte */
	int	kx_len;			/* bytes in the chain */
};

int	krpc_call __P((struct sockaddr_in *sin, u_int prog, u_int vers,
	    u_int func, struct mbuf **data));
int	krpc_portmap __P((struct sockaddr_in *sin, u_int prog, u_int vers,
	    u_int16_t *portp));

struct	mbuf *krpc_args __P((void));
int	krpc_put32 __P((struct mbuf *m, u_int32_t v));
int	krpc_putopaque __P((struct mbuf *m, const void *p, int len));

void	krpc_xdr_init __P((struct krpc_xdr *xd, struct mbuf *m));
int	krpc_get32 __P((struct krpc_xdr *xd, u_int32_t *vp));
int	krpc_get64 __P((struct krpc_xdr *xd, u_int64_t *vp));
int	krpc_getopaque __P((struct krpc_xdr *xd, void *p, int len));
int	krpc_skip __P((struct krpc_xdr *xd, int len));

/* Retransmission: the first wait, its cap, and how many sends in all. */
#define	KRPC_TIMEO_MS		500
#define	KRPC_MAXTIMEO_MS	2000
#define	KRPC_TRIES		4

#endif /* !_NFS_KRPC_H_ */
