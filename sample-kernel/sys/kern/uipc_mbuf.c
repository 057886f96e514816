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
 * mbuf allocation and chain operations, in the shape of FreeBSD 4's
 * kern/uipc_mbuf.c.  An mbuf is one malloc(9) allocation with its own
 * MCLBYTES buffer (see <sys/mbuf.h>); mbstat_inuse counts the mbufs held,
 * so a leak shows.  Every function that allocates may fail and says so
 * with NULL (M_DONTWAIT); the network code drops the packet then.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/malloc.h>
#include <sys/errno.h>
#include <sys/mbuf.h>

MALLOC_DEFINE(M_MBUF, "mbuf", "network buffers");

int	mbstat_inuse;

struct mbuf *
m_get(how, type)
	int how, type;
{
	struct mbuf *m;

	m = malloc(sizeof(*m), M_MBUF, M_NOWAIT);
	if (m == NULL)
		return (NULL);
	mbstat_inuse++;
	m->m_next = NULL;
	m->m_nextpkt = NULL;
	m->m_data = m->m_dat;
	m->m_len = 0;
	m->m_type = type;
	m->m_flags = 0;
	m->m_pkthdr.rcvif = NULL;
	m->m_pkthdr.len = 0;
	return (m);
}

struct mbuf *
m_gethdr(how, type)
	int how, type;
{
	struct mbuf *m;

	m = m_get(how, type);
	if (m != NULL)
		m->m_flags = M_PKTHDR;
	return (m);
}

struct mbuf *
m_free(m)
	struct mbuf *m;
{
	struct mbuf *n;

	n = m->m_next;
	mbstat_inuse--;
	free(m, M_MBUF);
	return (n);
}

void
m_freem(m)
	struct mbuf *m;
{

	while (m != NULL)
		m = m_free(m);
}

/*
 * Lesser-used path for M_PREPEND: allocate a new mbuf to prepend to the
 * chain, with the packet header moved to it.
 */
struct mbuf *
m_prepend(m, len, how)
	struct mbuf *m;
	int len, how;
{
	struct mbuf *mn;

	mn = m_get(how, m->m_type);
	if (mn == NULL) {
		m_freem(m);
		return (NULL);
	}
	if (m->m_flags & M_PKTHDR) {
		mn->m_pkthdr = m->m_pkthdr;
		mn->m_flags = M_PKTHDR;
		m->m_flags &= ~M_PKTHDR;
	}
	mn->m_next = m;
	m = mn;
	if (len < MHLEN)
		MH_ALIGN(m, len);
	m->m_len = len;
	return (m);
}

/*
 * Make the first len bytes of the chain contiguous in its first mbuf.
 * On failure the chain is freed.
 */
struct mbuf *
m_pullup(m, len)
	struct mbuf *m;
	int len;
{
	struct mbuf *n;
	int count;

	if (m->m_len >= len)
		return (m);
	if (len > MHLEN || m->m_data + len > &m->m_dat[MCLBYTES]) {
		m_freem(m);
		return (NULL);
	}
	n = m->m_next;
	while (m->m_len < len && n != NULL) {
		count = min(len - m->m_len, n->m_len);
		bcopy(mtod(n, caddr_t), m->m_data + m->m_len, count);
		m->m_len += count;
		n->m_len -= count;
		n->m_data += count;
		if (n->m_len == 0)
			n = m_free(n);
	}
	m->m_next = n;
	if (m->m_len < len) {
		m_freem(m);
		return (NULL);
	}
	return (m);
}

/*
 * Trim req_len bytes of data from the head (req_len > 0) or the tail
 * (req_len < 0) of the chain.
 */
void
m_adj(mp, req_len)
	struct mbuf *mp;
	int req_len;
{
	struct mbuf *m;
	int len, count;

	if ((m = mp) == NULL)
		return;
	if (req_len >= 0) {
		len = req_len;
		while (m != NULL && len > 0) {
			if (m->m_len <= len) {
				len -= m->m_len;
				m->m_len = 0;
				m = m->m_next;
			} else {
				m->m_len -= len;
				m->m_data += len;
				len = 0;
			}
		}
		if (mp->m_flags & M_PKTHDR)
			mp->m_pkthdr.len -= (req_len - len);
		return;
	}
	len = -req_len;
	count = 0;
	for (m = mp; m != NULL; m = m->m_next)
		count += m->m_len;
	if (len > count)
		len = count;
	count -= len;
	if (mp->m_flags & M_PKTHDR)
		mp->m_pkthdr.len = count;
	for (m = mp; m != NULL; m = m->m_next) {
		if (m->m_len >= count) {
			m->m_len = count;
			while ((m = m->m_next) != NULL)
				m->m_len = 0;
			return;
		}
		count -= m->m_len;
	}
}

/*
 * Concatenate chain n to chain m; n's packet header, if any, is the
 * caller's to account for.
 */
void
m_cat(m, n)
	struct mbuf *m, *n;
{

	while (m->m_next != NULL)
		m = m->m_next;
	m->m_next = n;
}

/*
 * Copy len bytes from the chain, starting off bytes in, to cp.  The
 * caller has checked that the chain holds them.
 */
void
m_copydata(m, off, len, cp)
	const struct mbuf *m;
	int off, len;
	caddr_t cp;
{
	u_int count;

	while (off > 0 && m != NULL) {
		if (off < m->m_len)
			break;
		off -= m->m_len;
		m = m->m_next;
	}
	while (len > 0 && m != NULL) {
		count = min(m->m_len - off, len);
		bcopy(mtod(m, caddr_t) + off, cp, count);
		len -= count;
		cp += count;
		off = 0;
		m = m->m_next;
	}
}

/*
 * Copy len bytes from cp into the chain at off, extending it with new
 * mbufs as needed.  Returns ENOBUFS when out of mbufs.
 */
int
m_copyback(m0, off, len, cp)
	struct mbuf *m0;
	int off, len;
	caddr_t cp;
{
	struct mbuf *m, *n;
	int mlen, totlen;

	m = m0;
	totlen = 0;
	while (off > (mlen = m->m_len)) {
		off -= mlen;
		totlen += mlen;
		if (m->m_next == NULL) {
			n = m_get(M_DONTWAIT, m->m_type);
			if (n == NULL)
				return (ENOBUFS);
			n->m_len = min(MLEN, len + off);
			bzero(mtod(n, caddr_t), n->m_len);
			m->m_next = n;
		}
		m = m->m_next;
	}
	while (len > 0) {
		mlen = min(m->m_len - off, len);
		if (mlen < len && M_TRAILINGSPACE(m) > 0 && m->m_next == NULL) {
			mlen = min(len, m->m_len - off + M_TRAILINGSPACE(m));
			m->m_len = off + mlen;
		}
		bcopy(cp, off + mtod(m, caddr_t), (u_int)mlen);
		cp += mlen;
		len -= mlen;
		mlen += off;
		off = 0;
		totlen += mlen;
		if (len == 0)
			break;
		if (m->m_next == NULL) {
			n = m_get(M_DONTWAIT, m->m_type);
			if (n == NULL)
				return (ENOBUFS);
			n->m_len = min(MLEN, len);
			m->m_next = n;
		}
		m = m->m_next;
	}
	if ((m0->m_flags & M_PKTHDR) && m0->m_pkthdr.len < totlen)
		m0->m_pkthdr.len = totlen;
	return (0);
}

/*
 * Copy a received frame from a driver's buffer into a new chain; off0
 * bytes of the buffer are skipped.
 */
struct mbuf *
m_devget(buf, totlen, off0, ifp)
	char *buf;
	int totlen, off0;
	struct ifnet *ifp;
{
	struct mbuf *m, *top, **mp;
	int len;

	top = NULL;
	mp = &top;
	buf += off0;
	while (totlen > 0) {
		m = top == NULL ? m_gethdr(M_DONTWAIT, MT_DATA) :
		    m_get(M_DONTWAIT, MT_DATA);
		if (m == NULL) {
			m_freem(top);
			return (NULL);
		}
		if (top == NULL) {
			m->m_pkthdr.rcvif = ifp;
			m->m_pkthdr.len = totlen;
			/* Leave room to prepend headers when answering. */
			m->m_data += max_linkhdr;
		}
		len = min(totlen, M_TRAILINGSPACE(m));
		bcopy(buf, mtod(m, caddr_t), (u_int)len);
		m->m_len = len;
		buf += len;
		totlen -= len;
		*mp = m;
		mp = &m->m_next;
	}
	return (top);
}

/*
 * Split the chain in two at len0 bytes; the tail gets a packet header
 * of its own.  NULL (the chain unchanged) when out of mbufs.
 */
struct mbuf *
m_split(m0, len0, wait)
	struct mbuf *m0;
	int len0, wait;
{
	struct mbuf *m, *n;
	int len, remain;

	len = len0;
	for (m = m0; m != NULL && len > m->m_len; m = m->m_next)
		len -= m->m_len;
	if (m == NULL)
		return (NULL);
	remain = m->m_len - len;
	n = m_gethdr(wait, m0->m_type);
	if (n == NULL)
		return (NULL);
	n->m_pkthdr.rcvif = m0->m_pkthdr.rcvif;
	n->m_pkthdr.len = m0->m_pkthdr.len - len0;
	m0->m_pkthdr.len = len0;
	bcopy(mtod(m, caddr_t) + len, mtod(n, caddr_t), remain);
	n->m_len = remain;
	n->m_next = m->m_next;
	m->m_len = len;
	m->m_next = NULL;
	return (n);
}
