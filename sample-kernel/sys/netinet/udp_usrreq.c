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
 * UDP, after FreeBSD 4's netinet/udp_usrreq.c, for the kernel's own
 * clients (no sockets): udp_input() checks the length and the checksum
 * (when the sender computed one) and queues the datagram on the endpoint
 * bound to its destination port, at most IFQ_MAXLEN of them;
 * udp_pcbrecv() takes the oldest one; udp_output() sends one with a
 * checksum.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <machine/ipl.h>

#include <net/if.h>
#include <net/if_var.h>

#include <netinet/in.h>
#include <netinet/in_systm.h>
#include <netinet/in_var.h>
#include <netinet/ip.h>
#include <netinet/ip_var.h>
#include <netinet/udp.h>
#include <netinet/udp_var.h>

struct udpstat udpstat;
static struct inpcb *udb;		/* the bound endpoints */

struct udpiphdr {
	struct	ipovly ui_i;		/* overlaid ip structure */
	struct	udphdr ui_u;		/* udp header */
};

void
udp_input(m, iphlen)
	struct mbuf *m;
	int iphlen;
{
	struct ip *ip;
	struct udphdr *uh;
	struct udpiphdr *ui;
	struct inpcb *inp;
	struct ip save_ip;
	int len;

	udpstat.udps_ipackets++;
	/* IP options are not expected from domain 0: drop such datagrams. */
	if (iphlen != sizeof(struct ip) ||
	    (m = m_pullup(m, sizeof(struct udpiphdr))) == NULL) {
		udpstat.udps_hdrops++;
		if (m != NULL)
			m_freem(m);
		return;
	}
	ip = (struct ip *)mtod(m, caddr_t);
	uh = (struct udphdr *)(ip + 1);
	len = ntohs(uh->uh_ulen);
	if (len < (int)sizeof(struct udphdr) || len > ip->ip_len) {
		udpstat.udps_badlen++;
		goto bad;
	}
	if (ip->ip_len != len) {
		m_adj(m, len - ip->ip_len);
		ip->ip_len = len;
	}
	save_ip = *ip;
	if (uh->uh_sum != 0) {
		ui = (struct udpiphdr *)ip;
		bzero(ui->ui_i.ih_x1, sizeof(ui->ui_i.ih_x1));
		ui->ui_i.ih_pr = IPPROTO_UDP;
		ui->ui_i.ih_len = uh->uh_ulen;
		ui->ui_i.ih_src = save_ip.ip_src;
		ui->ui_i.ih_dst = save_ip.ip_dst;
		if (in_cksum(m, len + sizeof(struct ip)) != 0) {
			udpstat.udps_badsum++;
			goto bad;
		}
	}
	*ip = save_ip;
	for (inp = udb; inp != NULL; inp = inp->inp_next)
		if (inp->inp_lport == uh->uh_dport)
			break;
	if (inp == NULL) {
		udpstat.udps_noport++;
		goto bad;
	}
	if (IF_QFULL(&inp->inp_rcv)) {
		udpstat.udps_fullsock++;
		goto bad;
	}
	/* Queued with its headers: udp_pcbrecv() reads the sender there. */
	IF_ENQUEUE(&inp->inp_rcv, m);
	return;
bad:
	m_freem(m);
}

/*
 * Bind an endpoint to the local port lport (network order).
 */
struct inpcb *
udp_pcballoc(lport)
	u_short lport;
{
	struct inpcb *inp;

	for (inp = udb; inp != NULL; inp = inp->inp_next)
		if (inp->inp_lport == lport)
			return (NULL);
	inp = malloc(sizeof(*inp), M_TEMP, M_WAITOK | M_ZERO);
	inp->inp_lport = lport;
	inp->inp_rcv.ifq_maxlen = IFQ_MAXLEN;
	inp->inp_next = udb;
	udb = inp;
	return (inp);
}

void
udp_pcbfree(inp)
	struct inpcb *inp;
{
	struct inpcb **pp;
	struct mbuf *m;
	int s;

	s = splnet();
	for (pp = &udb; *pp != NULL; pp = &(*pp)->inp_next)
		if (*pp == inp) {
			*pp = inp->inp_next;
			break;
		}
	for (;;) {
		IF_DEQUEUE(&inp->inp_rcv, m);
		if (m == NULL)
			break;
		m_freem(m);
	}
	splx(s);
	free(inp, M_TEMP);
}

/*
 * The oldest datagram received on inp, its payload only, with the
 * sender's address in from; NULL when none is queued.
 */
struct mbuf *
udp_pcbrecv(inp, from)
	struct inpcb *inp;
	struct sockaddr_in *from;
{
	struct mbuf *m;
	struct ip *ip;
	struct udphdr *uh;
	int s;

	s = splnet();
	IF_DEQUEUE(&inp->inp_rcv, m);
	splx(s);
	if (m == NULL)
		return (NULL);
	ip = (struct ip *)mtod(m, caddr_t);
	uh = (struct udphdr *)(ip + 1);
	if (from != NULL) {
		bzero(from, sizeof(*from));
		from->sin_len = sizeof(*from);
		from->sin_family = AF_INET;
		from->sin_addr = ip->ip_src;
		from->sin_port = uh->uh_sport;
	}
	m_adj(m, sizeof(struct ip) + sizeof(struct udphdr));
	return (m);
}

/*
 * Send the payload in m (a packet header chain) from inp to addr.
 */
int
udp_output(inp, m, addr)
	struct inpcb *inp;
	struct mbuf *m;
	struct sockaddr_in *addr;
{
	struct udpiphdr *ui;
	struct ip *ip;
	int len, s, error;

	len = m->m_pkthdr.len;
	if (len + sizeof(struct udpiphdr) > IP_MAXPACKET) {
		m_freem(m);
		return (EMSGSIZE);
	}
	M_PREPEND(m, sizeof(struct udpiphdr), M_DONTWAIT);
	if (m == NULL)
		return (ENOBUFS);
	if (in_ifaddr == NULL) {
		m_freem(m);
		return (ENETDOWN);
	}
	ui = (struct udpiphdr *)mtod(m, caddr_t);
	bzero(ui->ui_i.ih_x1, sizeof(ui->ui_i.ih_x1));
	ui->ui_i.ih_pr = IPPROTO_UDP;
	ui->ui_i.ih_len = htons((u_short)len + sizeof(struct udphdr));
	ui->ui_i.ih_src = in_ifaddr->ia_addr;
	ui->ui_i.ih_dst = addr->sin_addr;
	ui->ui_u.uh_sport = inp->inp_lport;
	ui->ui_u.uh_dport = addr->sin_port;
	ui->ui_u.uh_ulen = ui->ui_i.ih_len;
	ui->ui_u.uh_sum = 0;
	ui->ui_u.uh_sum = in_cksum(m, sizeof(struct udpiphdr) + len);
	if (ui->ui_u.uh_sum == 0)
		ui->ui_u.uh_sum = 0xffff;
	ip = (struct ip *)ui;
	ip->ip_len = sizeof(struct udpiphdr) + len;
	ip->ip_off = 0;
	ip->ip_ttl = IPDEFTTL;
	ip->ip_tos = 0;
	ip->ip_p = IPPROTO_UDP;
	udpstat.udps_opackets++;
	s = splnet();
	error = ip_output(m, NULL, NULL, 0, NULL);
	splx(s);
	return (error);
}
