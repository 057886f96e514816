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
 * IP's kernel state, in the shape of FreeBSD 4's <netinet/ip_var.h>: the
 * reassembly queues (one per datagram being put together) and the
 * statistics.
 */

#ifndef _NETINET_IP_VAR_H_
#define	_NETINET_IP_VAR_H_

/*
 * Overlay for the IP header used by UDP's checksum: the pseudo header
 * (zeros, protocol, length, addresses) in the IP header's 20 bytes.
 */
struct ipovly {
	u_char	ih_x1[9];		/* (unused) */
	u_char	ih_pr;			/* protocol */
	u_short	ih_len;			/* protocol length */
	struct	in_addr ih_src;		/* source internet address */
	struct	in_addr ih_dst;		/* destination internet address */
};

/*
 * A datagram being reassembled: its fragments, in offset order, chained
 * by m_nextpkt; they are kept with their IP headers, ip_len and ip_off
 * in host order, ip_off in bytes.
 */
struct ipq {
	struct	ipq *ipq_next;		/* to other reass headers */
	struct	mbuf *ipq_frags;	/* to ip headers of fragments */
	u_char	ipq_p;			/* protocol of this fragment */
	u_short	ipq_id;			/* sequence id for reassembly */
	struct	in_addr ipq_src, ipq_dst;
	int	ipq_born;		/* ticks when the first fragment came */
	int	ipq_nfrags;		/* fragments held */
};

#define	IPQ_MAXFRAGS	64		/* fragments per datagram */
#define	IPQ_MAXQUEUES	16		/* datagrams reassembled at once */

struct ipstat {
	u_long	ips_total;		/* total packets received */
	u_long	ips_badsum;		/* checksum bad */
	u_long	ips_tooshort;		/* packet too short */
	u_long	ips_badhlen;		/* ip header length < data size */
	u_long	ips_badvers;		/* ip version != 4 */
	u_long	ips_fragments;		/* fragments received */
	u_long	ips_fragdropped;	/* frags dropped (dups, out of space) */
	u_long	ips_fragtimeout;	/* fragments timed out */
	u_long	ips_reassembled;	/* total packets reassembled ok */
	u_long	ips_delivered;		/* datagrams delivered to upper level */
	u_long	ips_noproto;		/* unknown or unsupported protocol */
	u_long	ips_localout;		/* total ip packets generated here */
	u_long	ips_fragmented;		/* datagrams successfully fragmented */
	u_long	ips_ofragments;		/* output fragments created */
	u_long	ips_noroute;		/* packets discarded due to no route */
	u_long	ips_notforus;		/* packets not addressed to us */
};

extern struct ipstat ipstat;
extern u_short ip_id;

void	ip_input __P((struct mbuf *));
int	ip_output __P((struct mbuf *, struct mbuf *, void *, int, void *));
void	icmp_input __P((struct mbuf *, int));
void	udp_input __P((struct mbuf *, int));

#endif /* !_NETINET_IP_VAR_H_ */
