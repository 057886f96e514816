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
 * IP output, after FreeBSD 4's netinet/ip_output.c: the caller gives a
 * datagram with its IP header in front (ip_len, the whole length, and
 * ip_off in host order; ip_p, ip_dst, ip_ttl and ip_tos set; ip_src may be
 * INADDR_ANY).  The next hop is the destination on the attached network,
 * or the default router from boot.netif.gateway; a datagram larger than
 * the MTU leaves in fragments of at most MTU bytes, each a multiple of 8
 * payload bytes but the last.  The mbufs are consumed in every case.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>

int
ip_output(m0, opt, ro, flags, imo)
	struct mbuf *m0, *opt;
	void *ro;
	int flags;
	void *imo;
{
	struct ip *ip, *mhip;
	struct ifnet *ifp;
	struct mbuf *m, *n;
	struct sockaddr_in dst;
	int hlen, len, off, total, error;

	m = m0;
	ip = (struct ip *)mtod(m, caddr_t);
	hlen = sizeof(struct ip);
	if (in_ifaddr == NULL) {
		ipstat.ips_noroute++;
		m_freem(m);
		return (ENETUNREACH);
	}
	ifp = in_ifaddr->ia_ifp;
	ip->ip_vhl = IP_MAKE_VHL(IPVERSION, hlen >> 2);
	ip->ip_off &= IP_DF;
	ip->ip_id = htons(ip_id++);
	if (ip->ip_src.s_addr == INADDR_ANY)
		ip->ip_src = in_ifaddr->ia_addr;
	ipstat.ips_localout++;

	bzero(&dst, sizeof(dst));
	dst.sin_len = sizeof(dst);
	dst.sin_family = AF_INET;
	dst.sin_addr = ip->ip_dst;
	if (!in_localaddr(ip->ip_dst) && !in_broadcast(ip->ip_dst, ifp)) {
		if (in_ifaddr->ia_gateway.s_addr == INADDR_ANY) {
			ipstat.ips_noroute++;
			m_freem(m);
			return (EHOSTUNREACH);
		}
		dst.sin_addr = in_ifaddr->ia_gateway;
	}
	if (in_broadcast(ip->ip_dst, ifp))
		m->m_flags |= M_BCAST;

	if (ip->ip_len <= (int)ifp->if_mtu) {
		ip->ip_len = htons(ip->ip_len);
		ip->ip_off = htons(ip->ip_off);
		ip->ip_sum = 0;
		ip->ip_sum = in_cksum_hdr(ip);
		return ((*ifp->if_output)(ifp, m, (struct sockaddr *)&dst,
		    NULL));
	}

	/* Too large: fragment, unless the sender said not to. */
	if (ip->ip_off & IP_DF) {
		m_freem(m);
		return (EMSGSIZE);
	}
	len = (ifp->if_mtu - hlen) & ~7;
	total = ip->ip_len - hlen;
	error = 0;
	for (off = 0; off < total && error == 0; off += len) {
		if ((n = m_gethdr(M_DONTWAIT, MT_HEADER)) == NULL) {
			error = ENOBUFS;
			break;
		}
		n->m_data += max_linkhdr;
		n->m_flags |= m->m_flags & M_BCAST;
		mhip = (struct ip *)mtod(n, caddr_t);
		*mhip = *ip;
		mhip->ip_off = off >> 3;
		if (off + len < total)
			mhip->ip_off |= IP_MF;
		else
			len = total - off;
		m_copydata(m, hlen + off, len, (caddr_t)(mhip + 1));
		n->m_len = hlen + len;
		n->m_pkthdr.len = hlen + len;
		mhip->ip_len = htons(hlen + len);
		mhip->ip_off = htons(mhip->ip_off);
		mhip->ip_sum = 0;
		mhip->ip_sum = in_cksum_hdr(mhip);
		ipstat.ips_ofragments++;
		error = (*ifp->if_output)(ifp, n, (struct sockaddr *)&dst,
		    NULL);
	}
	if (error == 0)
		ipstat.ips_fragmented++;
	m_freem(m);
	return (error);
}
