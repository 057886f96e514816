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
 * The diskless boot configuration, in the shape of FreeBSD 4's
 * <nfs/nfsdiskless.h>: the interface, its address, mask and router, and
 * the NFS root's server and path.  nfs_setup_diskless() fills it from the
 * kernel environment: FreeBSD's boot.netif.ip, boot.netif.netmask,
 * boot.netif.gateway, boot.netif.name, boot.nfsroot.server and
 * boot.nfsroot.path, or the Linux-style words the Xen domain's command
 * line carries, ip=a.b.c.d/prefix and nfsroot=server:/path.
 */

#ifndef _NFS_NFSDISKLESS_H_
#define	_NFS_NFSDISKLESS_H_

#define	NFSD_PATHLEN	128

struct nfs_diskless {
	int	nd_configured;		/* the interface has its address */
	char	myif_name[IFNAMSIZ];	/* interface name, e.g. ``xn0'' */
	struct	in_addr myif_addr;	/* boot.netif.ip */
	struct	in_addr myif_mask;	/* boot.netif.netmask */
	struct	in_addr mygateway;	/* boot.netif.gateway, or 0 */
	int	nd_hasroot;		/* boot.nfsroot.* were given */
	struct	in_addr root_saddr;	/* boot.nfsroot.server */
	char	root_path[NFSD_PATHLEN];	/* boot.nfsroot.path */
};

extern struct nfs_diskless nfs_diskless;

void	nfs_setup_diskless __P((void *));

#endif /* !_NFS_NFSDISKLESS_H_ */
