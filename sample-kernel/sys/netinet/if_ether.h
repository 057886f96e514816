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
 * Ethernet interfaces and ARP (RFC 826), in the shape of FreeBSD 4's
 * <netinet/if_ether.h> and <net/if_arp.h>.
 */

#ifndef _NETINET_IF_ETHER_H_
#define	_NETINET_IF_ETHER_H_

#include <net/ethernet.h>

struct arphdr {
	u_short	ar_hrd;			/* format of hardware address */
#define	ARPHRD_ETHER	1		/* ethernet hardware format */
	u_short	ar_pro;			/* format of protocol address */
	u_char	ar_hln;			/* length of hardware address */
	u_char	ar_pln;			/* length of protocol address */
	u_short	ar_op;			/* one of: */
#define	ARPOP_REQUEST	1		/* request to resolve address */
#define	ARPOP_REPLY	2		/* response to previous request */
};

struct ether_arp {
	struct	arphdr ea_hdr;		/* fixed-size header */
	u_char	arp_sha[ETHER_ADDR_LEN];	/* sender hardware address */
	u_char	arp_spa[4];		/* sender protocol address */
	u_char	arp_tha[ETHER_ADDR_LEN];	/* target hardware address */
	u_char	arp_tpa[4];		/* target protocol address */
};
#define	arp_hrd	ea_hdr.ar_hrd
#define	arp_pro	ea_hdr.ar_pro
#define	arp_hln	ea_hdr.ar_hln
#define	arp_pln	ea_hdr.ar_pln
#define	arp_op	ea_hdr.ar_op

/* The Ethernet common part of an interface's softc. */
struct arpcom {
	struct	ifnet ac_if;		/* network-visible interface */
	u_char	ac_enaddr[ETHER_ADDR_LEN];	/* ethernet hardware address */
};

int	arpresolve __P((struct arpcom *, struct mbuf *, struct in_addr,
	    u_char *));
void	arpinput __P((struct arpcom *, struct mbuf *));
void	arp_ifinit __P((struct arpcom *, struct in_addr *));
void	arprequest __P((struct arpcom *, struct in_addr *, struct in_addr *,
	    u_char *));

#endif /* !_NETINET_IF_ETHER_H_ */
