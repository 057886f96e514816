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
 * Ethernet framing, after FreeBSD 4's net/if_ethersubr.c: ether_output()
 * resolves the next hop with ARP, prepends the Ethernet header and queues
 * the frame on the interface; ether_input() takes a received frame apart
 * and hands its payload to IP or ARP.  Everything runs in the receiving
 * driver's interrupt or in the sender's context; there is no netisr.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/ethernet.h>

#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/ip_var.h>
#include <netinet/if_ether.h>

const u_char etherbroadcastaddr[ETHER_ADDR_LEN] =
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };

static int ether_output __P((struct ifnet *, struct mbuf *,
	    struct sockaddr *, struct rtentry *));

/*
 * Ethernet output routine.  Encapsulate a packet of type family for the
 * local net.  The packet may wait for ARP: then it is held there and 0
 * is returned.
 */
static int
ether_output(ifp, m, dst, rt)
	struct ifnet *ifp;
	struct mbuf *m;
	struct sockaddr *dst;
	struct rtentry *rt;
{
	struct arpcom *ac;
	struct ether_header *eh;
	u_char edst[ETHER_ADDR_LEN];
	u_short type;

	ac = (struct arpcom *)ifp;
	if ((ifp->if_flags & (IFF_UP | IFF_RUNNING)) != (IFF_UP | IFF_RUNNING)) {
		m_freem(m);
		return (ENETDOWN);
	}
	switch (dst->sa_family) {
	case AF_INET:
		if (!arpresolve(ac, m,
		    ((struct sockaddr_in *)dst)->sin_addr, edst))
			return (0);	/* if not yet resolved */
		type = htons(ETHERTYPE_IP);
		break;
	case AF_UNSPEC:
		/* A complete link-level header in sa_data (ARP). */
		eh = (struct ether_header *)dst->sa_data;
		bcopy(eh->ether_dhost, edst, sizeof(edst));
		type = eh->ether_type;
		break;
	default:
		printf("%s%d: can't handle af%d\n", ifp->if_name,
		    ifp->if_unit, dst->sa_family);
		m_freem(m);
		return (EAFNOSUPPORT);
	}

	M_PREPEND(m, ETHER_HDR_LEN, M_DONTWAIT);
	if (m == NULL)
		return (ENOBUFS);
	eh = (struct ether_header *)mtod(m, caddr_t);
	bcopy(&type, &eh->ether_type, sizeof(eh->ether_type));
	bcopy(edst, eh->ether_dhost, sizeof(edst));
	bcopy(ac->ac_enaddr, eh->ether_shost, sizeof(eh->ether_shost));

	if (IF_QFULL(&ifp->if_snd)) {
		IF_DROP(&ifp->if_snd);
		ifp->if_oerrors++;
		m_freem(m);
		return (ENOBUFS);
	}
	IF_ENQUEUE(&ifp->if_snd, m);
	if ((ifp->if_flags & IFF_OACTIVE) == 0)
		(*ifp->if_start)(ifp);
	return (0);
}

/*
 * Process a received Ethernet packet; the packet is in the mbuf chain m
 * with the Ethernet header at the front.
 */
void
ether_input(ifp, m)
	struct ifnet *ifp;
	struct mbuf *m;
{
	struct ether_header eh;
	u_short ether_type;

	if ((ifp->if_flags & IFF_UP) == 0 || m->m_pkthdr.len < ETHER_HDR_LEN) {
		m_freem(m);
		return;
	}
	m_copydata(m, 0, ETHER_HDR_LEN, (caddr_t)&eh);
	m_adj(m, ETHER_HDR_LEN);
	ifp->if_ipackets++;
	if (bcmp(eh.ether_dhost, etherbroadcastaddr, ETHER_ADDR_LEN) == 0)
		m->m_flags |= M_BCAST;
	else if (bcmp(eh.ether_dhost, ((struct arpcom *)ifp)->ac_enaddr,
	    ETHER_ADDR_LEN) != 0) {
		/* Not for us (another host's unicast, or multicast). */
		m_freem(m);
		return;
	}
	ether_type = ntohs(eh.ether_type);
	switch (ether_type) {
	case ETHERTYPE_IP:
		ip_input(m);
		break;
	case ETHERTYPE_ARP:
		arpinput((struct arpcom *)ifp, m);
		break;
	default:
		m_freem(m);
		break;
	}
}

/*
 * Perform common duties while attaching to interface list.
 */
void
ether_ifattach(ifp, lla)
	struct ifnet *ifp;
	const u_char *lla;
{

	ifp->if_addrlen = ETHER_ADDR_LEN;
	ifp->if_hdrlen = ETHER_HDR_LEN;
	ifp->if_mtu = ETHERMTU;
	ifp->if_output = ether_output;
	ifp->if_flags |= IFF_BROADCAST | IFF_SIMPLEX;
	bcopy(lla, ((struct arpcom *)ifp)->ac_enaddr, ETHER_ADDR_LEN);
	if_attach(ifp);
}
