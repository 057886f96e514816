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
 * Ethernet address resolution protocol (RFC 826), after FreeBSD 4's
 * netinet/if_ether.c: a small table of resolved neighbours, one packet
 * held per unresolved neighbour while its request is out (sent again at
 * most once a second, given up after ARP_MAXTRIES), and answers to
 * requests for our address.  Entries learnt from replies and from
 * requests for us never expire: the network is one link to domain 0.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>
#include <net/ethernet.h>

#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/if_ether.h>

#define	ARP_TABSIZE	8
#define	ARP_MAXTRIES	5

struct llinfo_arp {
	struct	in_addr la_addr;	/* the neighbour; 0: a free slot */
	u_char	la_enaddr[ETHER_ADDR_LEN];
	int	la_resolved;
	struct	mbuf *la_hold;		/* last packet until resolved */
	int	la_asked;		/* requests sent */
	int	la_lastask;		/* ticks at the last request */
};

static struct llinfo_arp llinfo_arp[ARP_TABSIZE];
static int arp_next;			/* next slot to recycle */

static struct llinfo_arp *
arplookup(addr, create)
	u_int32_t addr;
	int create;
{
	struct llinfo_arp *la;
	int i;

	for (i = 0; i < ARP_TABSIZE; i++)
		if (llinfo_arp[i].la_addr.s_addr == addr)
			return (&llinfo_arp[i]);
	if (!create)
		return (NULL);
	la = &llinfo_arp[arp_next];
	arp_next = (arp_next + 1) % ARP_TABSIZE;
	if (la->la_hold != NULL)
		m_freem(la->la_hold);
	bzero(la, sizeof(*la));
	la->la_addr.s_addr = addr;
	return (la);
}

/*
 * Broadcast an ARP request for tip, from sip and our hardware address.
 */
void
arprequest(ac, sip, tip, enaddr)
	struct arpcom *ac;
	struct in_addr *sip, *tip;
	u_char *enaddr;
{
	struct mbuf *m;
	struct ether_header *eh;
	struct ether_arp *ea;
	struct sockaddr sa;

	if ((m = m_gethdr(M_DONTWAIT, MT_DATA)) == NULL)
		return;
	m->m_len = sizeof(*ea);
	m->m_pkthdr.len = sizeof(*ea);
	MH_ALIGN(m, sizeof(*ea));
	ea = (struct ether_arp *)mtod(m, caddr_t);
	bzero(ea, sizeof(*ea));
	ea->arp_hrd = htons(ARPHRD_ETHER);
	ea->arp_pro = htons(ETHERTYPE_IP);
	ea->arp_hln = sizeof(ea->arp_sha);
	ea->arp_pln = sizeof(ea->arp_spa);
	ea->arp_op = htons(ARPOP_REQUEST);
	bcopy(enaddr, ea->arp_sha, sizeof(ea->arp_sha));
	bcopy(sip, ea->arp_spa, sizeof(ea->arp_spa));
	bcopy(tip, ea->arp_tpa, sizeof(ea->arp_tpa));
	sa.sa_family = AF_UNSPEC;
	sa.sa_len = sizeof(sa);
	eh = (struct ether_header *)sa.sa_data;
	bcopy(etherbroadcastaddr, eh->ether_dhost, sizeof(eh->ether_dhost));
	eh->ether_type = htons(ETHERTYPE_ARP);
	(*ac->ac_if.if_output)(&ac->ac_if, m, &sa, NULL);
}

/*
 * Resolve an IP address into an Ethernet address in desten.  Returns 1
 * when it is known; otherwise holds m (freeing the packet held before),
 * sends a request if none went out in the last second, and returns 0.
 */
int
arpresolve(ac, m, dst, desten)
	struct arpcom *ac;
	struct mbuf *m;
	struct in_addr dst;
	u_char *desten;
{
	struct llinfo_arp *la;

	if ((m->m_flags & M_BCAST) || dst.s_addr == INADDR_BROADCAST ||
	    in_broadcast(dst, &ac->ac_if)) {
		bcopy(etherbroadcastaddr, desten, ETHER_ADDR_LEN);
		return (1);
	}
	la = arplookup(dst.s_addr, 1);
	if (la->la_resolved) {
		bcopy(la->la_enaddr, desten, ETHER_ADDR_LEN);
		return (1);
	}
	if (la->la_hold != NULL)
		m_freem(la->la_hold);
	la->la_hold = m;
	if (la->la_asked == 0 || ticks - la->la_lastask >= hz) {
		if (la->la_asked >= ARP_MAXTRIES) {
			/* Give up on this packet; the next one asks again. */
			m_freem(la->la_hold);
			la->la_hold = NULL;
			la->la_asked = 0;
			return (0);
		}
		la->la_asked++;
		la->la_lastask = ticks;
		if (in_ifaddr != NULL)
			arprequest(ac, &in_ifaddr->ia_addr, &dst, ac->ac_enaddr);
	}
	return (0);
}

/*
 * A received ARP packet: learn the sender when it asks for us or
 * answers us, and answer requests for our address.
 */
void
arpinput(ac, m)
	struct arpcom *ac;
	struct mbuf *m;
{
	struct ether_arp *ea;
	struct ether_header *eh;
	struct llinfo_arp *la;
	struct in_addr isaddr, itaddr;
	struct sockaddr sa;
	struct mbuf *hold;
	int op;

	if (m->m_pkthdr.len < (int)sizeof(*ea) ||
	    (m = m_pullup(m, sizeof(*ea))) == NULL)
		return;
	ea = (struct ether_arp *)mtod(m, caddr_t);
	op = ntohs(ea->arp_op);
	if (ntohs(ea->arp_hrd) != ARPHRD_ETHER ||
	    ntohs(ea->arp_pro) != ETHERTYPE_IP || ea->arp_hln != 6 ||
	    ea->arp_pln != 4 || in_ifaddr == NULL ||
	    (op != ARPOP_REQUEST && op != ARPOP_REPLY)) {
		m_freem(m);
		return;
	}
	bcopy(ea->arp_spa, &isaddr, sizeof(isaddr));
	bcopy(ea->arp_tpa, &itaddr, sizeof(itaddr));
	if (bcmp(ea->arp_sha, ac->ac_enaddr, ETHER_ADDR_LEN) == 0 ||
	    isaddr.s_addr == INADDR_ANY) {
		m_freem(m);
		return;
	}
	if (isaddr.s_addr == in_ifaddr->ia_addr.s_addr) {
		printf("arp: %02x:%02x:%02x:%02x:%02x:%02x is using my IP "
		    "address\n", ea->arp_sha[0], ea->arp_sha[1],
		    ea->arp_sha[2], ea->arp_sha[3], ea->arp_sha[4],
		    ea->arp_sha[5]);
		m_freem(m);
		return;
	}
	la = arplookup(isaddr.s_addr,
	    itaddr.s_addr == in_ifaddr->ia_addr.s_addr);
	if (la != NULL) {
		bcopy(ea->arp_sha, la->la_enaddr, ETHER_ADDR_LEN);
		la->la_resolved = 1;
		la->la_asked = 0;
		if ((hold = la->la_hold) != NULL) {
			la->la_hold = NULL;
			sa.sa_family = AF_INET;
			((struct sockaddr_in *)&sa)->sin_addr = isaddr;
			(*ac->ac_if.if_output)(&ac->ac_if, hold, &sa, NULL);
		}
	}
	if (op != ARPOP_REQUEST || itaddr.s_addr != in_ifaddr->ia_addr.s_addr) {
		m_freem(m);
		return;
	}
	/* Answer in place: the request becomes our reply. */
	bcopy(ea->arp_sha, ea->arp_tha, sizeof(ea->arp_sha));
	bcopy(ac->ac_enaddr, ea->arp_sha, sizeof(ea->arp_sha));
	bcopy(&isaddr, ea->arp_tpa, sizeof(ea->arp_tpa));
	bcopy(&itaddr, ea->arp_spa, sizeof(ea->arp_spa));
	ea->arp_op = htons(ARPOP_REPLY);
	m->m_flags &= ~M_BCAST;
	sa.sa_family = AF_UNSPEC;
	sa.sa_len = sizeof(sa);
	eh = (struct ether_header *)sa.sa_data;
	bcopy(ea->arp_tha, eh->ether_dhost, sizeof(eh->ether_dhost));
	eh->ether_type = htons(ETHERTYPE_ARP);
	(*ac->ac_if.if_output)(&ac->ac_if, m, &sa, NULL);
}

/*
 * The interface has a new address: announce it (a gratuitous ARP
 * request for ourselves, as FreeBSD's arp_ifinit does), so that
 * neighbours update their caches.
 */
void
arp_ifinit(ac, addr)
	struct arpcom *ac;
	struct in_addr *addr;
{

	arprequest(ac, addr, addr, ac->ac_enaddr);
}
