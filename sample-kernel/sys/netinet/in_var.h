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
 * The interface's Internet address, in the shape of FreeBSD 4's
 * <netinet/in_var.h>: this kernel configures one address (from
 * boot.netif.*), so in_ifaddr is a single structure, not a list.
 */

#ifndef _NETINET_IN_VAR_H_
#define	_NETINET_IN_VAR_H_

struct ifnet;
struct mbuf;

struct in_ifaddr {
	struct	ifnet *ia_ifp;		/* back-pointer to interface */
	struct	in_addr ia_addr;	/* the address */
	struct	in_addr ia_netmask;	/* its mask */
	struct	in_addr ia_gateway;	/* default router, or INADDR_ANY */
	u_int32_t ia_subnet;		/* the network, host order */
	u_int32_t ia_subnetmask;	/* the mask, host order */
};

extern struct in_ifaddr *in_ifaddr;	/* the configured address, or NULL */

int	in_ifinit __P((struct ifnet *, struct in_addr, struct in_addr,
	    struct in_addr));
int	in_localaddr __P((struct in_addr));
int	in_broadcast __P((struct in_addr, struct ifnet *));
u_short	in_cksum __P((struct mbuf *, int));
u_short	in_cksum_hdr __P((const void *));
int	inet_aton __P((const char *, struct in_addr *));
char	*inet_ntoa __P((struct in_addr));

#endif /* !_NETINET_IN_VAR_H_ */
