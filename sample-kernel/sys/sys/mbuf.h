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
 * Memory buffers for network packets, in the shape of FreeBSD 4's
 * <sys/mbuf.h>: a packet is a chain of mbufs linked by m_next, packets
 * are queued by m_nextpkt, the first mbuf of a packet has M_PKTHDR and a
 * packet header with the total length and the receiving interface.
 * Every mbuf here carries a cluster-sized buffer of its own (MCLBYTES),
 * so there are no separate clusters and no external storage.
 */

#ifndef _SYS_MBUF_H_
#define	_SYS_MBUF_H_

#define	MCLBYTES	2048		/* data bytes in one mbuf */
#define	MLEN		MCLBYTES
#define	MHLEN		MCLBYTES
#define	max_linkhdr	16		/* room left for link headers */

struct ifnet;

struct m_hdr {
	struct mbuf	*mh_next;	/* next buffer in chain */
	struct mbuf	*mh_nextpkt;	/* next chain in queue */
	caddr_t		mh_data;	/* location of data */
	int		mh_len;		/* amount of data in this mbuf */
	short		mh_type;	/* type of data in this mbuf */
	short		mh_flags;	/* flags; see below */
};

struct pkthdr {
	struct ifnet	*rcvif;		/* rcv interface */
	int		len;		/* total packet length */
};

struct mbuf {
	struct m_hdr	m_hdr;
	struct pkthdr	M_pkthdr;
	char		M_databuf[MCLBYTES];
};

#define	m_next		m_hdr.mh_next
#define	m_len		m_hdr.mh_len
#define	m_data		m_hdr.mh_data
#define	m_type		m_hdr.mh_type
#define	m_flags		m_hdr.mh_flags
#define	m_nextpkt	m_hdr.mh_nextpkt
#define	m_pkthdr	M_pkthdr
#define	m_dat		M_databuf

/* mbuf flags */
#define	M_PKTHDR	0x0002	/* start of record */
#define	M_BCAST		0x0100	/* send/received as link-level broadcast */

/* mbuf types */
#define	MT_DATA		1	/* dynamic (data) allocation */
#define	MT_HEADER	2	/* packet header */

/* flags to m_get */
#define	M_DONTWAIT	1
#define	M_WAIT		0

/*
 * The sample kernel writes (struct ip *)mtod(m, caddr_t) rather than
 * mtod(m, struct ip *): a type as a macro argument does not parse as C.
 */
#define	mtod(m, t)	((t)((m)->m_data))
#define	M_LEADINGSPACE(m)	((m)->m_data - (m)->m_dat)
#define	M_TRAILINGSPACE(m)	\
	(&(m)->m_dat[MCLBYTES] - ((m)->m_data + (m)->m_len))
/* Put len bytes at the end of the buffer, for a packet of that size. */
#define	M_ALIGN(m, len)	\
	do { (m)->m_data += (MCLBYTES - (len)) & ~(sizeof(long) - 1); } while (0)
#define	MH_ALIGN(m, len)	M_ALIGN(m, len)

/* Prepend len bytes to the chain, allocating a new mbuf when needed. */
#define	M_PREPEND(m, plen, how) do {					\
	if (M_LEADINGSPACE(m) >= (plen)) {				\
		(m)->m_data -= (plen);					\
		(m)->m_len += (plen);					\
	} else								\
		(m) = m_prepend((m), (plen), (how));			\
	if ((m) != NULL && ((m)->m_flags & M_PKTHDR))			\
		(m)->m_pkthdr.len += (plen);				\
} while (0)

extern int	mbstat_inuse;		/* mbufs allocated now */

struct mbuf	*m_get __P((int how, int type));
struct mbuf	*m_gethdr __P((int how, int type));
struct mbuf	*m_free __P((struct mbuf *m));
void		 m_freem __P((struct mbuf *m));
struct mbuf	*m_prepend __P((struct mbuf *m, int len, int how));
struct mbuf	*m_pullup __P((struct mbuf *m, int len));
void		 m_adj __P((struct mbuf *m, int req_len));
void		 m_cat __P((struct mbuf *m, struct mbuf *n));
void		 m_copydata __P((const struct mbuf *m, int off, int len,
		    caddr_t cp));
int		 m_copyback __P((struct mbuf *m, int off, int len, caddr_t cp));
struct mbuf	*m_devget __P((char *buf, int totlen, int off0,
		    struct ifnet *ifp));
struct mbuf	*m_split __P((struct mbuf *m0, int len0, int wait));

#endif /* !_SYS_MBUF_H_ */
