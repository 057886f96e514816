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
 * The inode hash: the in-core inodes by (device, inode number), so that
 * a file has one vnode however it is reached.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/vnode.h>

#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufs_extern.h>

#define	IHASHSZ		64
#define	INOHASH(dev, ino)	(&ihashtbl[((dev) + (ino)) & (IHASHSZ - 1)])

static struct inode *ihashtbl[IHASHSZ];

void
ufs_ihashinit()
{
	int i;

	for (i = 0; i < IHASHSZ; i++)
		ihashtbl[i] = NULL;
}

/*
 * Use the device/inum pair to find the incore inode, and return a
 * pointer to it.  If it is in core, return it, even if it is locked.
 */
struct vnode *
ufs_ihashlookup(dev, inum)
	dev_t dev;
	ino_t inum;
{
	struct inode *ip;

	for (ip = *INOHASH(dev, inum); ip != NULL; ip = ip->i_hashnext)
		if (inum == ip->i_number && dev == ip->i_dev)
			return (ITOV(ip));
	return (NULL);
}

/*
 * Use the device/inum pair to find the incore inode, and return a
 * pointer to it, referenced.
 */
struct vnode *
ufs_ihashget(dev, inum)
	dev_t dev;
	ino_t inum;
{
	struct vnode *vp;

	vp = ufs_ihashlookup(dev, inum);
	if (vp != NULL)
		vget(vp, 0, NULL);
	return (vp);
}

/*
 * Insert the inode into the hash table.
 */
void
ufs_ihashins(ip)
	struct inode *ip;
{
	struct inode **ipp;

	ipp = INOHASH(ip->i_dev, ip->i_number);
	ip->i_hashnext = *ipp;
	*ipp = ip;
}

/*
 * Remove the inode from the hash table.
 */
void
ufs_ihashrem(ip)
	struct inode *ip;
{
	struct inode **ipp;

	for (ipp = INOHASH(ip->i_dev, ip->i_number); *ipp != NULL;
	    ipp = &(*ipp)->i_hashnext) {
		if (*ipp == ip) {
			*ipp = ip->i_hashnext;
			break;
		}
	}
	ip->i_hashnext = NULL;
}
