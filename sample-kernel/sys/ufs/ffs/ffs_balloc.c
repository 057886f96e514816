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
 * Block allocation for a file, in the shape of FreeBSD 4's
 * ffs_balloc.c: ffs_balloc() makes sure the file has disk space for
 * size bytes at startoffset and returns the buffer of that block,
 * bound to its disk address.  A small file's last block is a run of
 * fragments: it grows by ffs_realloccg (in place or moved, the data
 * going with the buffer), and becomes a whole block once the file grows
 * past it.  Blocks past the direct ones hang from single, double or
 * triple indirect blocks, which are read and written through the
 * device vnode by disk address, as ufs_bmaparray reads them; a new
 * indirect block is written out, zeroed, before a pointer to it is.
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

static int ffs_growfrag __P((struct inode *, ufs_daddr_t, int, int,
	    struct ucred *, struct buf **));
static int ffs_newindir __P((struct inode *, ufs_daddr_t, struct ucred *,
	    ufs_daddr_t *));

/*
 * Grow the fragments of direct block lbn from osize to nsize bytes; the
 * buffer comes back busy with the old data and zeros after it.
 */
static int
ffs_growfrag(ip, lbn, osize, nsize, cred, bpp)
	struct inode *ip;
	ufs_daddr_t lbn;
	int osize, nsize;
	struct ucred *cred;
	struct buf **bpp;
{
	struct fs *fs;
	struct buf *bp;
	ufs_daddr_t newb;
	int error;

	fs = ip->i_fs;
	*bpp = NULL;
	error = bread(ITOV(ip), lbn, osize, NOCRED, &bp);
	if (error) {
		brelse(bp);
		return (error);
	}
	error = ffs_realloccg(ip, ip->i_db[lbn],
	    ffs_blkpref(ip, lbn, (int)lbn, &ip->i_db[0]), osize, nsize, cred,
	    &newb);
	if (error) {
		brelse(bp);
		return (error);
	}
	bzero((char *)bp->b_data + osize, (u_int)(nsize - osize));
	bp->b_bcount = nsize;
	bp->b_blkno = fsbtodb(fs, newb);
	ip->i_db[lbn] = newb;
	ip->i_flag |= IN_CHANGE | IN_UPDATE;
	*bpp = bp;
	return (0);
}

/* Allocate an indirect block and write it out zeroed. */
static int
ffs_newindir(ip, pref, cred, bnp)
	struct inode *ip;
	ufs_daddr_t pref;
	struct ucred *cred;
	ufs_daddr_t *bnp;
{
	struct fs *fs;
	struct buf *bp;
	ufs_daddr_t nb;
	int error;

	fs = ip->i_fs;
	error = ffs_alloc(ip, 0, pref, fs->fs_bsize, cred, &nb);
	if (error)
		return (error);
	bp = getblk(ip->i_devvp, fsbtodb(fs, nb), fs->fs_bsize, 0, 0);
	clrbuf(bp);
	if ((error = bwrite(bp)) != 0) {
		ffs_blkfree(ip, nb, fs->fs_bsize);
		ip->i_blocks -= btodb(fs->fs_bsize);
		return (error);
	}
	*bnp = nb;
	return (0);
}

/*
 * Balloc defines the structure of file system storage by allocating
 * the physical blocks on a device given the inode and the logical
 * block number in a file.
 */
int
ffs_balloc(ip, startoffset, size, cred, flags, bpp)
	struct inode *ip;
	off_t startoffset;
	int size;
	struct ucred *cred;
	int flags;
	struct buf **bpp;
{
	struct fs *fs;
	struct vnode *vp;
	struct buf *bp, *nbp;
	ufs_daddr_t lbn, nb, newb, pref, *bap;
	daddr_t bn;
	u_int nindir, shift, idx;
	int osize, nsize, level, error;

	vp = ITOV(ip);
	fs = ip->i_fs;
	*bpp = NULL;
	if (startoffset < 0)
		return (EFBIG);
	lbn = lblkno(fs, startoffset);
	size = blkoff(fs, startoffset) + size;
	if (size > fs->fs_bsize)
		panic("ffs_balloc: blk too big");

	/*
	 * If the next write will extend the file into a new block, and
	 * the file is currently composed of a fragment, this fragment has
	 * to be extended to be a full block.
	 */
	nb = lblkno(fs, ip->i_size);
	if (nb < NDADDR && nb < lbn) {
		osize = blksize(fs, ip, nb);
		if (osize < fs->fs_bsize && osize > 0 && ip->i_db[nb] != 0) {
			error = ffs_growfrag(ip, nb, osize, fs->fs_bsize, cred,
			    &bp);
			if (error)
				return (error);
			ip->i_size = lblktosize(fs, nb + 1);
			ip->i_flag |= IN_CHANGE | IN_UPDATE;
			if (flags & B_SYNC)
				(void)bwrite(bp);
			else
				bdwrite(bp);
		}
	}

	/* The first NDADDR blocks are direct blocks. */
	if (lbn < NDADDR) {
		nb = ip->i_db[lbn];
		if (nb != 0 && ip->i_size >= lblktosize(fs, lbn + 1)) {
			error = bread(vp, lbn, fs->fs_bsize, NOCRED, &bp);
			if (error) {
				brelse(bp);
				return (error);
			}
			*bpp = bp;
			return (0);
		}
		if (nb != 0) {
			/* Consider need to reallocate a fragment. */
			osize = fragroundup(fs, blkoff(fs, ip->i_size));
			nsize = fragroundup(fs, size);
			if (nsize <= osize) {
				error = bread(vp, lbn, osize, NOCRED, &bp);
				if (error) {
					brelse(bp);
					return (error);
				}
			} else {
				error = ffs_growfrag(ip, lbn, osize, nsize,
				    cred, &bp);
				if (error)
					return (error);
			}
		} else {
			if (ip->i_size < lblktosize(fs, lbn + 1))
				nsize = fragroundup(fs, size);
			else
				nsize = fs->fs_bsize;
			error = ffs_alloc(ip, lbn,
			    ffs_blkpref(ip, lbn, (int)lbn, &ip->i_db[0]),
			    nsize, cred, &newb);
			if (error)
				return (error);
			bp = getblk(vp, lbn, nsize, 0, 0);
			bp->b_blkno = fsbtodb(fs, newb);
			if (flags & B_CLRBUF)
				clrbuf(bp);
			ip->i_db[lbn] = newb;
			ip->i_flag |= IN_CHANGE | IN_UPDATE;
		}
		*bpp = bp;
		return (0);
	}

	/*
	 * Determine the number of levels of indirection, as
	 * ufs_bmaparray does.
	 */
	nindir = NINDIR(fs);
	for (shift = 0; (1U << shift) < nindir; shift++)
		continue;
	bn = lbn - NDADDR;
	for (level = 0; level < NIADDR; level++) {
		if ((level + 1) * shift >= 31 ||
		    (u_int)bn < (1U << ((level + 1) * shift)))
			break;
		bn -= 1U << ((level + 1) * shift);
	}
	if (level == NIADDR)
		return (EFBIG);

	/* Fetch the first indirect block, allocating if necessary. */
	nb = ip->i_ib[level];
	if (nb == 0) {
		pref = ffs_blkpref(ip, lbn, 0, NULL);
		if ((error = ffs_newindir(ip, pref, cred, &nb)) != 0)
			return (error);
		ip->i_ib[level] = nb;
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
	}

	/* Fetch through the indirect blocks, allocating as necessary. */
	for (;;) {
		error = bread(ip->i_devvp, fsbtodb(fs, nb), fs->fs_bsize,
		    NOCRED, &bp);
		if (error) {
			brelse(bp);
			return (error);
		}
		bap = (ufs_daddr_t *)bp->b_data;
		idx = ((u_int)bn >> (level * shift)) & (nindir - 1);
		nb = bap[idx];
		if (level == 0)
			break;
		level--;
		if (nb != 0) {
			if ((error = ffs_checkblk(ip, nb, "indirect")) != 0) {
				brelse(bp);
				return (error);
			}
			brelse(bp);
			continue;
		}
		pref = ffs_blkpref(ip, lbn, 0, NULL);
		if ((error = ffs_newindir(ip, pref, cred, &nb)) != 0) {
			brelse(bp);
			return (error);
		}
		bap[idx] = nb;
		if (flags & B_SYNC)
			(void)bwrite(bp);
		else
			bdwrite(bp);
	}

	/* Get the data block, allocating if necessary. */
	if (nb == 0) {
		pref = ffs_blkpref(ip, lbn, (int)idx, bap);
		error = ffs_alloc(ip, lbn, pref, fs->fs_bsize, cred, &newb);
		if (error) {
			brelse(bp);
			return (error);
		}
		bap[idx] = newb;
		if (flags & B_SYNC)
			(void)bwrite(bp);
		else
			bdwrite(bp);
		nbp = getblk(vp, lbn, fs->fs_bsize, 0, 0);
		nbp->b_blkno = fsbtodb(fs, newb);
		if (flags & B_CLRBUF)
			clrbuf(nbp);
		*bpp = nbp;
		return (0);
	}
	brelse(bp);
	if ((error = ffs_checkblk(ip, nb, "data")) != 0)
		return (error);
	if (flags & B_CLRBUF) {
		error = bread(vp, lbn, fs->fs_bsize, NOCRED, &nbp);
		if (error) {
			brelse(nbp);
			return (error);
		}
	} else {
		nbp = getblk(vp, lbn, fs->fs_bsize, 0, 0);
		nbp->b_blkno = fsbtodb(fs, nb);
	}
	*bpp = nbp;
	return (0);
}
