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
 * The interface's Internet address, after FreeBSD 4's netinet/in.c:
 * in_ifinit() gives the one configured interface its address, mask and
 * default router and announces it (arp_ifinit); in_localaddr() and
 * in_broadcast() answer for IP and ARP; inet_aton() reads dotted quads
 * for the boot configuration.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <net/if.h>
#include <net/if_var.h>

#include <netinet/in.h>
#include <netinet/in_var.h>
#include <netinet/if_ether.h>

static struct in_ifaddr in_ifaddr0;
struct in_ifaddr *in_ifaddr;

int
in_ifinit(ifp, addr, mask, gateway)
	struct ifnet *ifp;
	struct in_addr addr, mask, gateway;
{
	struct in_ifaddr *ia;
	u_int32_t m;

	m = ntohl(mask.s_addr);
	/* A mask is contiguous ones from the top. */
	if (m == 0 || ((~m + 1) & ~m) != 0)
		return (EINVAL);
	ia = &in_ifaddr0;
	ia->ia_ifp = ifp;
	ia->ia_addr = addr;
	ia->ia_netmask = mask;
	ia->ia_gateway = gateway;
	ia->ia_subnetmask = m;
	ia->ia_subnet = ntohl(addr.s_addr) & m;
	in_ifaddr = ia;
	ifp->if_flags |= IFF_UP;
	if (ifp->if_addrlen == ETHER_ADDR_LEN)
		arp_ifinit((struct arpcom *)ifp, &ia->ia_addr);
	return (0);
}

/*
 * Return 1 if an internet address is on the directly attached network.
 */
int
in_localaddr(in)
	struct in_addr in;
{

	return (in_ifaddr != NULL &&
	    (ntohl(in.s_addr) & in_ifaddr->ia_subnetmask) ==
	    in_ifaddr->ia_subnet);
}

/*
 * Return 1 if the address might be a local broadcast address.
 */
int
in_broadcast(in, ifp)
	struct in_addr in;
	struct ifnet *ifp;
{
	u_int32_t t;

	if (in.s_addr == INADDR_BROADCAST || in.s_addr == INADDR_ANY)
		return (1);
	if (in_ifaddr == NULL || in_ifaddr->ia_ifp != ifp)
		return (0);
	t = ntohl(in.s_addr);
	return ((t & in_ifaddr->ia_subnetmask) == in_ifaddr->ia_subnet &&
	    (t | in_ifaddr->ia_subnetmask) == 0xffffffff);
}

/*
 * Dotted quad to address: four decimal parts 0-255, nothing else.
 * Returns 1 on success, 0 for anything malformed.
 */
int
inet_aton(cp, addr)
	const char *cp;
	struct in_addr *addr;
{
	u_int32_t val, part;
	int i, digits;

	val = 0;
	for (i = 0; i < 4; i++) {
		part = 0;
		digits = 0;
		while (*cp >= '0' && *cp <= '9') {
			part = part * 10 + (*cp++ - '0');
			if (++digits > 3 || part > 255)
				return (0);
		}
		if (digits == 0)
			return (0);
		val = (val << 8) | part;
		if (i < 3 && *cp++ != '.')
			return (0);
	}
	if (*cp != '\0')
		return (0);
	addr->s_addr = htonl(val);
	return (1);
}
