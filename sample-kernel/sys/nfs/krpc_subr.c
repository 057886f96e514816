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
 * The kernel's RPC client over UDP, in the shape of FreeBSD 4's
 * nfs/krpc_subr.c (krpc_call, krpc_portmap).  Facts from RFC 1831 (ONC
 * RPC v2) and RFC 1833 (portmap): a call is xid, CALL, version 2,
 * program, version, procedure, credential, verifier, arguments; a reply
 * is xid, REPLY, MSG_ACCEPTED, verifier, accept_stat, results.  The
 * credential is AUTH_UNIX (stamp, machine name, uid 0, gid 0, no other
 * groups), as the NFS server wants; the verifier AUTH_NULL.
 *
 * Every call gets a new XID; replies with another XID (late answers to an
 * earlier call) or from another address are dropped.  The call is sent
 * again when no reply came in KRPC_TIMEO_MS, the wait doubling up to
 * KRPC_MAXTIMEO_MS, KRPC_TRIES sends in all; the waits run on the
 * kernel's clock (ticks) in the idle loop, so a server that is down costs
 * a few seconds and an ETIMEDOUT, never a hang.  All calls use one
 * endpoint on the reserved port KRPC_PORT.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <machine/cpufunc.h>

#include <net/if.h>
#include <net/if_var.h>

#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/udp_var.h>

#include <nfs/rpcv2.h>
#include <nfs/krpc.h>

#define	KRPC_PORT	1023		/* a reserved port, as root's */
#define	KRPC_HOSTNAME	"xenoport"
#define	KRPC_CALLHDR	(10 * 4 + 8 + 3 * 4 + 2 * 4)	/* with AUTH_UNIX */

static struct inpcb *krpc_inp;
static u_int32_t krpc_xid;

/* A new argument chain. */
struct mbuf *
krpc_args(void)
{
	struct mbuf *m;

	m = m_gethdr(M_WAIT, MT_DATA);
	if (m != NULL)
		m->m_data += max_linkhdr + 28;
	return (m);
}

int
krpc_put32(m, v)
	struct mbuf *m;
	u_int32_t v;
{
	u_int32_t nv;

	nv = htonl(v);
	return (m_copyback(m, m->m_pkthdr.len, 4, (caddr_t)&nv));
}

/* Opaque data of len bytes, padded to a multiple of 4 (its length is the caller's). */
int
krpc_putopaque(m, p, len)
	struct mbuf *m;
	const void *p;
	int len;
{
	static const char zero[4];
	int error;

	error = m_copyback(m, m->m_pkthdr.len, len, (caddr_t)p);
	if (error == 0 && (len & 3) != 0)
		error = m_copyback(m, m->m_pkthdr.len, 4 - (len & 3),
		    (caddr_t)zero);
	return (error);
}

void
krpc_xdr_init(xd, m)
	struct krpc_xdr *xd;
	struct mbuf *m;
{

	xd->kx_m = m;
	xd->kx_off = 0;
	xd->kx_len = m->m_pkthdr.len;
}

int
krpc_getopaque(xd, p, len)
	struct krpc_xdr *xd;
	void *p;
	int len;
{
	int padded;

	padded = (len + 3) & ~3;
	if (len < 0 || xd->kx_off + padded > xd->kx_len)
		return (EBADRPC);
	if (p != NULL)
		m_copydata(xd->kx_m, xd->kx_off, len, p);
	xd->kx_off += padded;
	return (0);
}

int
krpc_skip(xd, len)
	struct krpc_xdr *xd;
	int len;
{

	return (krpc_getopaque(xd, NULL, len));
}

int
krpc_get32(xd, vp)
	struct krpc_xdr *xd;
	u_int32_t *vp;
{
	u_int32_t v;
	int error;

	if ((error = krpc_getopaque(xd, &v, 4)) != 0)
		return (error);
	*vp = ntohl(v);
	return (0);
}

int
krpc_get64(xd, vp)
	struct krpc_xdr *xd;
	u_int64_t *vp;
{
	u_int32_t hi, lo;
	int error;

	if ((error = krpc_get32(xd, &hi)) != 0 ||
	    (error = krpc_get32(xd, &lo)) != 0)
		return (error);
	*vp = ((u_int64_t)hi << 32) | lo;
	return (0);
}

/*
 * Check a reply for the call xid; on success *resp is positioned at the
 * results.  EAGAIN: not the reply we wait for.
 */
static int
krpc_reply(m, xid, offp)
	struct mbuf *m;
	u_int32_t xid;
	int *offp;
{
	struct krpc_xdr xd;
	u_int32_t v, stat, flavor, len;

	krpc_xdr_init(&xd, m);
	if (krpc_get32(&xd, &v) != 0 || v != xid)
		return (EAGAIN);
	if (krpc_get32(&xd, &v) != 0 || v != RPC_REPLY ||
	    krpc_get32(&xd, &stat) != 0)
		return (EAGAIN);
	if (stat != RPC_MSGACCEPTED)
		return (EACCES);
	if (krpc_get32(&xd, &flavor) != 0 || krpc_get32(&xd, &len) != 0 ||
	    len > RPCAUTH_MAXSIZ || krpc_skip(&xd, len) != 0 ||
	    krpc_get32(&xd, &stat) != 0)
		return (EBADRPC);
	switch (stat) {
	case RPC_SUCCESS:
		*offp = xd.kx_off;
		return (0);
	case RPC_PROGUNAVAIL:
	case RPC_PROGMISMATCH:
		return (EPROGUNAVAIL);
	case RPC_PROCUNAVAIL:
		return (EPROCUNAVAIL);
	default:
		return (EBADRPC);
	}
}

/*
 * Call procedure func of program prog, version vers at sin with the
 * arguments in *data (consumed); on success *data holds the results.
 */
int
krpc_call(sin, prog, vers, func, data)
	struct sockaddr_in *sin;
	u_int prog, vers, func;
	struct mbuf **data;
{
	struct sockaddr_in from;
	struct mbuf *m, *args;
	u_int32_t *p, xid;
	char *req;
	int error, len, reqlen, off, timo, tries, deadline;

	if (krpc_inp == NULL) {
		krpc_inp = udp_pcballoc(htons(KRPC_PORT));
		if (krpc_inp == NULL)
			return (EADDRINUSE);
		krpc_xid = 0x58e50000 ^ ((u_int32_t)ticks << 8);
	}
	args = *data;
	*data = NULL;
	len = args != NULL ? args->m_pkthdr.len : 0;
	reqlen = KRPC_CALLHDR + len;
	req = malloc(reqlen, M_TEMP, M_WAITOK);
	xid = ++krpc_xid;
	p = (u_int32_t *)req;
	*p++ = htonl(xid);
	*p++ = htonl(RPC_CALL);
	*p++ = htonl(RPC_VER2);
	*p++ = htonl(prog);
	*p++ = htonl(vers);
	*p++ = htonl(func);
	*p++ = htonl(RPCAUTH_UNIX);
	*p++ = htonl(5 * 4 + 8);	/* the credential's body */
	*p++ = 0;			/* stamp */
	*p++ = htonl(8);
	bcopy(KRPC_HOSTNAME, p, 8);
	p += 2;
	*p++ = 0;			/* uid */
	*p++ = 0;			/* gid */
	*p++ = 0;			/* no other groups */
	*p++ = htonl(RPCAUTH_NULL);	/* verifier */
	*p++ = 0;
	if ((char *)p - req != KRPC_CALLHDR)
		panic("krpc_call: call header is %d bytes",
		    (int)((char *)p - req));
	if (args != NULL) {
		m_copydata(args, 0, len, (caddr_t)p);
		m_freem(args);
	}

	error = ETIMEDOUT;
	timo = KRPC_TIMEO_MS;
	for (tries = 0; tries < KRPC_TRIES && error == ETIMEDOUT; tries++) {
		m = m_devget(req, reqlen, 0, NULL);
		if (m == NULL) {
			error = ENOBUFS;
			break;
		}
		error = udp_output(krpc_inp, m, sin);
		if (error != 0)
			break;
		error = ETIMEDOUT;
		deadline = ticks + (timo * hz + 999) / 1000;
		while (error == ETIMEDOUT) {
			m = udp_pcbrecv(krpc_inp, &from);
			if (m == NULL) {
				if (ticks - deadline >= 0)
					break;
				cpu_idle_hlt();
				continue;
			}
			if (from.sin_addr.s_addr != sin->sin_addr.s_addr ||
			    from.sin_port != sin->sin_port) {
				m_freem(m);
				continue;
			}
			error = krpc_reply(m, xid, &off);
			if (error == EAGAIN) {
				m_freem(m);
				error = ETIMEDOUT;
				continue;
			}
			if (error != 0) {
				m_freem(m);
				break;
			}
			m_adj(m, off);
			*data = m;
		}
		timo = min(timo * 2, KRPC_MAXTIMEO_MS);
	}
	free(req, M_TEMP);
	return (error);
}

/*
 * The UDP port of program prog version vers at sin's host, from its
 * portmapper (PMAPPROC_GETPORT).  ENOENT when it is not registered.
 */
int
krpc_portmap(sin, prog, vers, portp)
	struct sockaddr_in *sin;
	u_int prog, vers;
	u_int16_t *portp;
{
	struct sockaddr_in pmap;
	struct krpc_xdr xd;
	struct mbuf *m;
	u_int32_t port;
	int error;

	if ((m = krpc_args()) == NULL)
		return (ENOBUFS);
	if ((error = krpc_put32(m, prog)) != 0 ||
	    (error = krpc_put32(m, vers)) != 0 ||
	    (error = krpc_put32(m, IPPROTO_UDP)) != 0 ||
	    (error = krpc_put32(m, 0)) != 0) {
		m_freem(m);
		return (error);
	}
	pmap = *sin;
	pmap.sin_port = htons(PMAPPORT);
	if ((error = krpc_call(&pmap, PMAPPROG, PMAPVERS, PMAPPROC_GETPORT,
	    &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = krpc_get32(&xd, &port);
	m_freem(m);
	if (error != 0)
		return (error);
	if (port == 0 || port > 65535)
		return (ENOENT);
	*portp = htons((u_int16_t)port);
	return (0);
}
