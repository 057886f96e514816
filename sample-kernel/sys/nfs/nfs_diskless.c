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
 * The static network configuration of a diskless boot, after FreeBSD 4's
 * nfs_setup_diskless() (nfs/nfs_vfsops.c): read the boot.netif.* and
 * boot.nfsroot.* variables of the kernel environment (or the ip= and
 * nfsroot= words a Xen domain's command line carries), give the
 * interface its address, and keep the NFS root's server and path for
 * the root mount.  Nothing happens when the environment names no
 * address.  A configuration that cannot be used (a malformed address,
 * mask or path, no such interface) is reported on the console and the
 * boot stops: a diskless kernel cannot go on without its network.
 *
 * boot.netif.wait=N keeps the kernel in its idle loop, answering the
 * network, for N seconds after the interface is up and before the root
 * is mounted (the tests ping the guest then).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>
#include <sys/mbuf.h>
#include <sys/socket.h>

#include <machine/cpufunc.h>

#include <net/if.h>
#include <net/if_var.h>

#include <netinet/in.h>
#include <netinet/in_var.h>

#include <nfs/nfsdiskless.h>

#define	NETIF_WAIT_MAX	600		/* seconds */

struct nfs_diskless nfs_diskless;

static void nfs_diskless_fail __P((const char *, const char *,
	    const char *));
static int nfs_parse_ip __P((const char *, struct in_addr *,
	    struct in_addr *));
static int nfs_parse_root __P((const char *, struct in_addr *, char *));

static void
nfs_diskless_fail(what, value, expected)
	const char *what, *value, *expected;
{

	printf("nfs_diskless: malformed %s=%s (expected %s)\n", what, value,
	    expected);
	panic("nfs_diskless: no usable network configuration");
}

/*
 * "a.b.c.d/prefix" (the prefix 1 to 32; without it, /32 is not assumed:
 * the prefix is required).
 */
static int
nfs_parse_ip(s, addr, mask)
	const char *s;
	struct in_addr *addr, *mask;
{
	char buf[20];
	const char *slash;
	int i, prefix;

	slash = strchr(s, '/');
	if (slash == NULL || slash - s >= (int)sizeof(buf) || slash == s)
		return (0);
	for (i = 0; s + i < slash; i++)
		buf[i] = s[i];
	buf[i] = '\0';
	if (!inet_aton(buf, addr))
		return (0);
	prefix = 0;
	for (i = 1; slash[i] >= '0' && slash[i] <= '9' && i < 4; i++)
		prefix = prefix * 10 + (slash[i] - '0');
	if (i == 1 || slash[i] != '\0' || prefix < 1 || prefix > 32)
		return (0);
	mask->s_addr = htonl(prefix == 32 ? 0xffffffff :
	    ~(0xffffffffU >> prefix));
	return (1);
}

/*
 * "server:/path", the server a dotted quad and the path absolute.
 */
static int
nfs_parse_root(s, server, path)
	const char *s;
	struct in_addr *server;
	char *path;
{
	char buf[20];
	const char *colon;
	int i;

	colon = strchr(s, ':');
	if (colon == NULL || colon - s >= (int)sizeof(buf) || colon[1] != '/' ||
	    strlen(colon + 1) >= NFSD_PATHLEN)
		return (0);
	for (i = 0; s + i < colon; i++)
		buf[i] = s[i];
	buf[i] = '\0';
	if (!inet_aton(buf, server))
		return (0);
	bcopy(colon + 1, path, strlen(colon + 1) + 1);
	return (1);
}

void
nfs_setup_diskless(dummy)
	void *dummy;
{
	struct nfs_diskless *nd;
	struct ifnet *ifp;
	char *cp, *ip, *mask, *gw, *root;
	int error, secs, deadline;

	nd = &nfs_diskless;
	ip = getenv("boot.netif.ip");
	mask = getenv("boot.netif.netmask");
	gw = getenv("boot.netif.gateway");
	root = getenv("nfsroot");
	if (ip != NULL) {
		if (!inet_aton(ip, &nd->myif_addr))
			nfs_diskless_fail("boot.netif.ip", ip, "a.b.c.d");
		if (mask == NULL || !inet_aton(mask, &nd->myif_mask))
			nfs_diskless_fail("boot.netif.netmask",
			    mask != NULL ? mask : "", "a.b.c.d");
	} else if ((cp = getenv("ip")) != NULL) {
		if (!nfs_parse_ip(cp, &nd->myif_addr, &nd->myif_mask))
			nfs_diskless_fail("ip", cp, "ip=a.b.c.d/prefix");
	} else
		return;
	if (gw != NULL && !inet_aton(gw, &nd->mygateway))
		nfs_diskless_fail("boot.netif.gateway", gw, "a.b.c.d");
	if ((cp = getenv("boot.nfsroot.server")) != NULL) {
		if (!inet_aton(cp, &nd->root_saddr))
			nfs_diskless_fail("boot.nfsroot.server", cp, "a.b.c.d");
		if ((root = getenv("boot.nfsroot.path")) == NULL ||
		    root[0] != '/' || strlen(root) >= NFSD_PATHLEN)
			nfs_diskless_fail("boot.nfsroot.path",
			    root != NULL ? root : "", "an absolute path");
		bcopy(root, nd->root_path, strlen(root) + 1);
		nd->nd_hasroot = 1;
	} else if (root != NULL) {
		if (!nfs_parse_root(root, &nd->root_saddr, nd->root_path))
			nfs_diskless_fail("nfsroot", root,
			    "nfsroot=a.b.c.d:/path");
		nd->nd_hasroot = 1;
	}

	cp = getenv("boot.netif.name");
	if (cp != NULL) {
		if (strlen(cp) >= IFNAMSIZ)
			nfs_diskless_fail("boot.netif.name", cp,
			    "an interface name");
		bcopy(cp, nd->myif_name, strlen(cp) + 1);
		ifp = ifunit(cp);
	} else {
		/* The first interface, as the loader's default. */
		ifp = ifnet;
		if (ifp != NULL)
			sprintf(nd->myif_name, "%s%d", ifp->if_name,
			    ifp->if_unit);
	}
	if (ifp == NULL) {
		printf("nfs_diskless: no network interface%s%s to configure\n",
		    cp != NULL ? " " : "", cp != NULL ? cp : "");
		panic("nfs_diskless: no usable network configuration");
	}
	error = in_ifinit(ifp, nd->myif_addr, nd->myif_mask, nd->mygateway);
	if (error) {
		printf("nfs_diskless: netmask 0x%x is not contiguous\n",
		    ntohl(nd->myif_mask.s_addr));
		panic("nfs_diskless: no usable network configuration");
	}
	nd->nd_configured = 1;
	printf("%s: inet %s", nd->myif_name, inet_ntoa(nd->myif_addr));
	printf(" netmask 0x%x", ntohl(nd->myif_mask.s_addr));
	if (nd->mygateway.s_addr != INADDR_ANY)
		printf(" gateway %s", inet_ntoa(nd->mygateway));
	printf("\n");
	if (nd->nd_hasroot)
		printf("nfs_diskless: root on %s:%s\n",
		    inet_ntoa(nd->root_saddr), nd->root_path);

	if (getenv_int("boot.netif.wait", &secs) && secs > 0) {
		if (secs > NETIF_WAIT_MAX)
			secs = NETIF_WAIT_MAX;
		printf("%s: answering the network for %d seconds\n",
		    nd->myif_name, secs);
		deadline = ticks + secs * hz;
		while (ticks - deadline < 0)
			cpu_idle_hlt();
	}
}
