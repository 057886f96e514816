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
 * Logical to physical block translation: a file's block number to the
 * disk address of its data, through the inode's direct blocks and one,
 * two or three levels of indirect blocks.  Every address read from the
 * disk is checked against the file system's size before it is used.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufsmount.h>
#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/fs.h>
#include <ufs/ffs/ffs_extern.h>

/*
 * Bmap converts the logical block number of a file to its physical
 * block number on the disk.  The conversion is done by using the
 * logical block number to index into the array of block pointers
 * described by the dinode.
 */
int
ufs_bmap(v)
	void *v;
{
	struct vop_bmap_args *ap;

	ap = v;

	/*
	 * Check for underlying vnode requests and ensure that logical
	 * to physical mapping is requested.
	 */
	if (ap->a_vpp != NULL)
		*ap->a_vpp = VTOI(ap->a_vp)->i_devvp;
	if (ap->a_bnp == NULL)
		return (0);
	if (ap->a_runb != NULL)
		*ap->a_runb = 0;
	return (ufs_bmaparray(ap->a_vp, ap->a_bn, ap->a_bnp, ap->a_runp,
	    NULL));
}

/*
 * The disk address (in DEV_BSIZE sectors) of logical block bn of vp,
 * or -1 for a hole.
 */
int
ufs_bmaparray(vp, bn, bnp, runp, runb)
	struct vnode *vp;
	daddr_t bn;
	daddr_t *bnp;
	int *runp;
	int *runb;
{
	struct inode *ip;
	struct fs *fs;
	struct buf *bp;
	ufs_daddr_t daddr;
	u_int nindir, shift, idx;
	int level, error;

	ip = VTOI(vp);
	fs = ip->i_fs;
	if (runp != NULL)
		*runp = 0;
	if (runb != NULL)
		*runb = 0;
	*bnp = -1;
	if (bn < 0)
		return (EFBIG);
	if (bn < NDADDR) {
		daddr = ip->i_db[bn];
		if (daddr == 0)
			return (0);
		if ((error = ffs_checkblk(ip, daddr, "direct")) != 0)
			return (error);
		*bnp = fsbtodb(fs, daddr);
		return (0);
	}

	/*
	 * Determine the number of levels of indirection: the single
	 * indirect block covers nindir blocks, the double nindir^2, the
	 * triple nindir^3.  nindir is a power of two (checked at mount).
	 */
	nindir = NINDIR(fs);
	for (shift = 0; (1U << shift) < nindir; shift++)
		continue;
	bn -= NDADDR;
	for (level = 0; level < NIADDR; level++) {
		if ((level + 1) * shift >= 31 ||
		    (u_int)bn < (1U << ((level + 1) * shift)))
			break;
		bn -= 1U << ((level + 1) * shift);
	}
	if (level == NIADDR)
		return (EFBIG);
	daddr = ip->i_ib[level];
	for (; level >= 0; level--) {
		if (daddr == 0)
			return (0);
		if ((error = ffs_checkblk(ip, daddr, "indirect")) != 0)
			return (error);
		error = bread(ip->i_devvp, fsbtodb(fs, daddr), fs->fs_bsize,
		    NOCRED, &bp);
		if (error) {
			brelse(bp);
			return (error);
		}
		idx = ((u_int)bn >> (level * shift)) & (nindir - 1);
		daddr = ((ufs_daddr_t *)bp->b_data)[idx];
		brelse(bp);
	}
	if (daddr == 0)
		return (0);
	if ((error = ffs_checkblk(ip, daddr, "data")) != 0)
		return (error);
	*bnp = fsbtodb(fs, daddr);
	return (0);
}
