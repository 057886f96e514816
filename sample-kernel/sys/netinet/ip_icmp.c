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
 * ICMP, after FreeBSD 4's netinet/ip_icmp.c, the part a host needs to
 * answer ping: an echo request to our address comes back as an echo
 * reply (icmp_reflect) with the same identifier, sequence and data.
 * Echo requests to a broadcast address are not answered; every other
 * message is counted and dropped.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/ip_icmp.h>

struct icmpstat icmpstat;

static void icmp_reflect __P((struct mbuf *, int));

/*
 * Process a received ICMP message; ip_len is its length.
 */
void
icmp_input(m, hlen)
	struct mbuf *m;
	int hlen;
{
	struct icmp *icp;
	struct ip *ip;
	int icmplen;

	ip = (struct ip *)mtod(m, caddr_t);
	icmplen = ip->ip_len;
	if (icmplen < ICMP_MINLEN) {
		icmpstat.icps_tooshort++;
		goto freeit;
	}
	if ((m = m_pullup(m, hlen + ICMP_MINLEN)) == NULL) {
		icmpstat.icps_tooshort++;
		return;
	}
	ip = (struct ip *)mtod(m, caddr_t);
	m->m_len -= hlen;
	m->m_data += hlen;
	icp = (struct icmp *)mtod(m, caddr_t);
	if (in_cksum(m, icmplen) != 0) {
		icmpstat.icps_checksum++;
		m->m_len += hlen;
		m->m_data -= hlen;
		goto freeit;
	}
	m->m_len += hlen;
	m->m_data -= hlen;

	switch (icp->icmp_type) {
	case ICMP_ECHO:
		if (m->m_flags & M_BCAST)
			break;
		icp->icmp_type = ICMP_ECHOREPLY;
		icmpstat.icps_echo++;
		icmp_reflect(m, hlen);
		return;
	default:
		break;
	}
freeit:
	m_freem(m);
}

/*
 * Send an ICMP message back to the source of the datagram in m, from
 * our address, with a fresh checksum.
 */
static void
icmp_reflect(m, hlen)
	struct mbuf *m;
	int hlen;
{
	struct ip *ip;
	struct icmp *icp;
	int icmplen;

	ip = (struct ip *)mtod(m, caddr_t);
	icmplen = ip->ip_len;
	/* Options are not reflected: keep the plain 20-byte header. */
	if (hlen > (int)sizeof(struct ip)) {
		bcopy(ip, (caddr_t)ip + hlen - sizeof(struct ip),
		    sizeof(struct ip));
		m->m_data += hlen - sizeof(struct ip);
		m->m_len -= hlen - sizeof(struct ip);
		m->m_pkthdr.len -= hlen - sizeof(struct ip);
		hlen = sizeof(struct ip);
		ip = (struct ip *)mtod(m, caddr_t);
	}
	ip->ip_dst = ip->ip_src;
	ip->ip_src = in_ifaddr->ia_addr;
	ip->ip_ttl = IPDEFTTL;
	ip->ip_len = hlen + icmplen;
	ip->ip_off = 0;
	m->m_data += hlen;
	m->m_len -= hlen;
	icp = (struct icmp *)mtod(m, caddr_t);
	icp->icmp_cksum = 0;
	icp->icmp_cksum = in_cksum(m, icmplen);
	m->m_data -= hlen;
	m->m_len += hlen;
	m->m_flags &= ~M_BCAST;
	(void)ip_output(m, NULL, NULL, 0, NULL);
}
