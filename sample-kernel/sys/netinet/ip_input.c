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
 * IP input, after FreeBSD 4's netinet/ip_input.c: check the header, keep
 * only datagrams for us (no forwarding), put fragments back together
 * (ip_reass: an 8 KiB NFS read arrives in 6 fragments) and pass the
 * datagram to ICMP or UDP with ip_len (the payload's length) and ip_off
 * in host order.  Reassembly queues are bounded in number and in
 * fragments, and a queue older than IPFRAGTTL / 2 seconds is dropped
 * when the next fragment arrives, so a lost fragment costs memory only
 * for a while.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

struct ipstat ipstat;
u_short ip_id;				/* ip packet ctr, for ids */

static struct ipq *ipq;			/* datagrams being reassembled */
static int ipq_count;

static struct mbuf *ip_reass __P((struct mbuf *, struct ip *, int));
static void ip_freef __P((struct ipq *));

void
ip_input(m)
	struct mbuf *m;
{
	struct ip *ip;
	int hlen;

	ipstat.ips_total++;
	if (m->m_pkthdr.len < (int)sizeof(struct ip) ||
	    (m = m_pullup(m, sizeof(struct ip))) == NULL) {
		ipstat.ips_tooshort++;
		if (m != NULL)
			m_freem(m);
		return;
	}
	ip = (struct ip *)mtod(m, caddr_t);
	if (IP_VHL_V(ip->ip_vhl) != IPVERSION) {
		ipstat.ips_badvers++;
		goto bad;
	}
	hlen = IP_VHL_HL(ip->ip_vhl) << 2;
	if (hlen < (int)sizeof(struct ip)) {
		ipstat.ips_badhlen++;
		goto bad;
	}
	if (hlen > m->m_len) {
		if ((m = m_pullup(m, hlen)) == NULL) {
			ipstat.ips_badhlen++;
			return;
		}
		ip = (struct ip *)mtod(m, caddr_t);
	}
	if (in_cksum_hdr(ip) != 0) {
		ipstat.ips_badsum++;
		goto bad;
	}
	ip->ip_len = ntohs(ip->ip_len);
	ip->ip_off = ntohs(ip->ip_off);
	if (ip->ip_len < hlen || m->m_pkthdr.len < ip->ip_len) {
		ipstat.ips_tooshort++;
		goto bad;
	}
	/* Drop the link layer's padding. */
	if (m->m_pkthdr.len > ip->ip_len)
		m_adj(m, ip->ip_len - m->m_pkthdr.len);

	if (in_ifaddr == NULL ||
	    (ip->ip_dst.s_addr != in_ifaddr->ia_addr.s_addr &&
	    !in_broadcast(ip->ip_dst, m->m_pkthdr.rcvif))) {
		ipstat.ips_notforus++;
		goto bad;
	}

	ip->ip_len -= hlen;
	if (ip->ip_off & (IP_MF | IP_OFFMASK)) {
		ipstat.ips_fragments++;
		m = ip_reass(m, ip, hlen);
		if (m == NULL)
			return;
		ipstat.ips_reassembled++;
		ip = (struct ip *)mtod(m, caddr_t);
	}

	ipstat.ips_delivered++;
	switch (ip->ip_p) {
	case IPPROTO_ICMP:
		icmp_input(m, hlen);
		return;
	case IPPROTO_UDP:
		udp_input(m, hlen);
		return;
	default:
		ipstat.ips_noproto++;
		break;
	}
bad:
	m_freem(m);
}

static void
ip_freef(fp)
	struct ipq *fp;
{
	struct ipq **pp;
	struct mbuf *m, *n;

	for (pp = &ipq; *pp != NULL; pp = &(*pp)->ipq_next)
		if (*pp == fp) {
			*pp = fp->ipq_next;
			break;
		}
	for (m = fp->ipq_frags; m != NULL; m = n) {
		n = m->m_nextpkt;
		m_freem(m);
	}
	free(fp, M_TEMP);
	ipq_count--;
}

/*
 * Take a fragment (its header in host order, ip_len its payload) into
 * its datagram's queue.  Returns the whole datagram, its fragments'
 * payloads chained after the first one's header, when the last piece
 * came; NULL otherwise.  A fragment overlapping one already held is a
 * duplicate and is dropped.
 */
static struct mbuf *
ip_reass(m, ip, hlen)
	struct mbuf *m;
	struct ip *ip;
	int hlen;
{
	struct ipq *fp, *next;
	struct mbuf **mp, *q, *t;
	struct ip *qip;
	int off, end, qoff, next_off, more;

	for (fp = ipq; fp != NULL; fp = next) {
		next = fp->ipq_next;
		if (ticks - fp->ipq_born > IPFRAGTTL * hz / 2) {
			ipstat.ips_fragtimeout += fp->ipq_nfrags;
			ip_freef(fp);
		}
	}
	for (fp = ipq; fp != NULL; fp = fp->ipq_next)
		if (ip->ip_id == fp->ipq_id &&
		    ip->ip_src.s_addr == fp->ipq_src.s_addr &&
		    ip->ip_dst.s_addr == fp->ipq_dst.s_addr &&
		    ip->ip_p == fp->ipq_p)
			break;
	if (fp == NULL) {
		if (ipq_count >= IPQ_MAXQUEUES ||
		    (fp = malloc(sizeof(*fp), M_TEMP, M_NOWAIT | M_ZERO)) ==
		    NULL)
			goto dropfrag;
		ipq_count++;
		fp->ipq_p = ip->ip_p;
		fp->ipq_id = ip->ip_id;
		fp->ipq_src = ip->ip_src;
		fp->ipq_dst = ip->ip_dst;
		fp->ipq_born = ticks;
		fp->ipq_next = ipq;
		ipq = fp;
	}
	if (fp->ipq_nfrags >= IPQ_MAXFRAGS)
		goto dropfrag;

	/* Every fragment but the last carries a multiple of 8 bytes. */
	off = (ip->ip_off & IP_OFFMASK) << 3;
	end = off + ip->ip_len;
	if (((ip->ip_off & IP_MF) && (ip->ip_len & 7) != 0) ||
	    end > IP_MAXPACKET)
		goto dropfrag;
	for (mp = &fp->ipq_frags; (q = *mp) != NULL; mp = &q->m_nextpkt) {
		qip = (struct ip *)mtod(q, caddr_t);
		qoff = (qip->ip_off & IP_OFFMASK) << 3;
		if (qoff >= end)
			break;
		if (qoff + qip->ip_len > off)
			goto dropfrag;
	}
	m->m_nextpkt = *mp;
	*mp = m;
	fp->ipq_nfrags++;

	/* Complete when the pieces touch from 0 to one without IP_MF. */
	next_off = 0;
	more = 1;
	for (q = fp->ipq_frags; q != NULL; q = q->m_nextpkt) {
		qip = (struct ip *)mtod(q, caddr_t);
		if (((qip->ip_off & IP_OFFMASK) << 3) != next_off)
			return (NULL);
		next_off += qip->ip_len;
		more = qip->ip_off & IP_MF;
	}
	if (more)
		return (NULL);

	/* Chain the payloads behind the first fragment's header. */
	m = fp->ipq_frags;
	fp->ipq_frags = NULL;
	q = m->m_nextpkt;
	m->m_nextpkt = NULL;
	while (q != NULL) {
		t = q->m_nextpkt;
		q->m_nextpkt = NULL;
		m_adj(q, IP_VHL_HL(((struct ip *)mtod(q, caddr_t))->ip_vhl) << 2);
		q->m_flags &= ~M_PKTHDR;
		m_cat(m, q);
		q = t;
	}
	ip = (struct ip *)mtod(m, caddr_t);
	ip->ip_len = next_off;
	ip->ip_off = 0;
	m->m_pkthdr.len = hlen + next_off;
	ip_freef(fp);
	return (m);

dropfrag:
	ipstat.ips_fragdropped++;
	m_freem(m);
	return (NULL);
}
