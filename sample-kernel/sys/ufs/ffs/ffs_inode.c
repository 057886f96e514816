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
 * Inodes written back and cut short, in the shape of FreeBSD 4's
 * ffs_inode.c: ffs_update() copies an in-core inode into its inode
 * block (through the device vnode, where ffs_vget reads it); and
 * ffs_truncate() sets a file's length, freeing the blocks past it
 * (direct, then each level of indirect blocks, whose cached copies are
 * dropped) and the tail fragments of a new last block, or allocating
 * the last byte of a longer file.  The cached blocks of the file past
 * its new end are dropped unwritten (vtruncbuf).
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

static int ffs_indirtrunc __P((struct inode *, daddr_t, ufs_daddr_t,
	    daddr_t, int, long *));

/*
 * Update the access, modified, and inode change times as specified by
 * the IN_ACCESS, IN_UPDATE, and IN_CHANGE flags respectively, and write
 * the inode to its block: at once if waitfor, else a delayed write.
 */
int
ffs_update(vp, waitfor)
	struct vnode *vp;
	int waitfor;
{
	struct fs *fs;
	struct buf *bp;
	struct inode *ip;
	int error;

	ip = VTOI(vp);
	if ((ip->i_flag &
	    (IN_ACCESS | IN_CHANGE | IN_MODIFIED | IN_UPDATE)) == 0)
		return (0);
	ip->i_flag &= ~(IN_ACCESS | IN_CHANGE | IN_MODIFIED | IN_UPDATE);
	if (vp->v_mount->mnt_flag & MNT_RDONLY)
		return (0);
	fs = ip->i_fs;
	error = bread(ip->i_devvp, fsbtodb(fs, ino_to_fsba(fs, ip->i_number)),
	    (int)fs->fs_bsize, NOCRED, &bp);
	if (error) {
		brelse(bp);
		return (error);
	}
	*((struct dinode *)bp->b_data + ino_to_fsbo(fs, ip->i_number)) =
	    ip->i_din;
	if (waitfor)
		return (bwrite(bp));
	bdwrite(bp);
	return (0);
}

/*
 * Release the blocks under indirect block dbn (of the given level,
 * mapping file blocks from base on) that lie past file block lastbn;
 * when none is left, dbn itself.  The fragments freed are added to
 * *countp.
 */
static int
ffs_indirtrunc(ip, base, dbn, lastbn, level, countp)
	struct inode *ip;
	daddr_t base;
	ufs_daddr_t dbn;
	daddr_t lastbn;
	int level;
	long *countp;
{
	struct fs *fs;
	struct buf *bp;
	ufs_daddr_t *bap, nb;
	daddr_t per, ebase;
	u_int shift;
	int i, error;

	fs = ip->i_fs;
	for (shift = 0; (1U << shift) < (u_int)NINDIR(fs); shift++)
		continue;
	per = (daddr_t)1 << (level * shift);
	if ((error = ffs_checkblk(ip, dbn, "indirect")) != 0)
		return (error);
	error = bread(ip->i_devvp, fsbtodb(fs, dbn), (int)fs->fs_bsize,
	    NOCRED, &bp);
	if (error) {
		brelse(bp);
		return (error);
	}
	bap = (ufs_daddr_t *)bp->b_data;
	for (i = NINDIR(fs) - 1; i >= 0; i--) {
		ebase = base + i * per;
		if (ebase + per - 1 <= lastbn)
			break;
		nb = bap[i];
		if (nb == 0)
			continue;
		if (level > 0)
			(void)ffs_indirtrunc(ip, ebase, nb, lastbn, level - 1,
			    countp);
		else if (ffs_checkblk(ip, nb, "data") == 0) {
			ffs_blkfree(ip, nb, fs->fs_bsize);
			*countp += btodb(fs->fs_bsize);
		}
		if (ebase > lastbn)
			bap[i] = 0;
	}
	if (lastbn < base) {
		/* Nothing left under it: drop the cached copy, free it. */
		bp->b_flags |= B_INVAL;
		brelse(bp);
		ffs_blkfree(ip, dbn, fs->fs_bsize);
		*countp += btodb(fs->fs_bsize);
	} else
		bdwrite(bp);
	return (0);
}

/*
 * Truncate the inode ip to at most length size, freeing the disk
 * blocks; or extend it to length.
 */
int
ffs_truncate(vp, length, flags, cred)
	struct vnode *vp;
	off_t length;
	int flags;
	struct ucred *cred;
{
	struct inode *ip;
	struct fs *fs;
	struct buf *bp;
	ufs_daddr_t nb;
	daddr_t lastblock, base, span;
	off_t osize;
	long count;
	u_int shift;
	int i, level, size, nsize, offset, error;

	ip = VTOI(vp);
	fs = ip->i_fs;
	if (length < 0)
		return (EINVAL);
	if ((u_int64_t)length > fs->fs_maxfilesize)
		return (EFBIG);
	if (vp->v_type == VLNK && (int)ip->i_size < vp->v_mount->mnt_maxsymlinklen &&
	    ip->i_blocks == 0) {
		/* A short symbolic link lives in the inode. */
		bzero((char *)&ip->i_shortlink, (u_int)ip->i_size);
		ip->i_size = 0;
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		return (ffs_update(vp, 1));
	}
	if (ip->i_size == (u_int64_t)length) {
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		return (ffs_update(vp, 0));
	}
	osize = ip->i_size;
	if (length > osize) {
		/* Extend: allocate the last byte of the longer file. */
		error = ffs_balloc(ip, length - 1, 1, cred, flags | B_CLRBUF,
		    &bp);
		if (error)
			return (error);
		ip->i_size = length;
		bdwrite(bp);
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		return (ffs_update(vp, 1));
	}

	/*
	 * Shorten: lastblock is the last block that keeps data, -1 when
	 * none does.  First zero the part of the new last block past the
	 * end, and give back its tail fragments if it becomes a fragment.
	 */
	lastblock = lblkno(fs, length + fs->fs_bsize - 1) - 1;
	offset = blkoff(fs, length);
	if (lastblock >= 0 && offset != 0) {
		size = blksize(fs, ip, lastblock);
		error = bread(vp, lastblock, size, NOCRED, &bp);
		if (error) {
			brelse(bp);
			return (error);
		}
		bzero((char *)bp->b_data + offset, (u_int)(size - offset));
		ip->i_size = length;
		nsize = blksize(fs, ip, lastblock);
		if (lastblock < NDADDR && nsize < size) {
			ffs_blkfree(ip, ip->i_db[lastblock] + numfrags(fs, nsize),
			    (long)(size - nsize));
			ip->i_blocks -= btodb(size - nsize);
			bp->b_bcount = nsize;
		}
		ip->i_size = osize;
		bdwrite(bp);
	}

	/* The direct blocks past the last one, with their old sizes. */
	count = 0;
	for (i = NDADDR - 1; i > lastblock; i--) {
		nb = ip->i_db[i];
		if (nb == 0)
			continue;
		size = blksize(fs, ip, i);
		ip->i_db[i] = 0;
		if (ffs_checkblk(ip, nb, "direct") == 0) {
			ffs_blkfree(ip, nb, (long)size);
			count += btodb(size);
		}
	}

	/* Each level of indirect blocks. */
	for (shift = 0; (1U << shift) < (u_int)NINDIR(fs); shift++)
		continue;
	base = NDADDR;
	for (level = 0; level < NIADDR; level++) {
		span = (daddr_t)1 << ((level + 1) * shift);
		nb = ip->i_ib[level];
		if (nb != 0 && lastblock < base + span - 1) {
			(void)ffs_indirtrunc(ip, base, nb, lastblock, level,
			    &count);
			if (lastblock < base)
				ip->i_ib[level] = 0;
		}
		base += span;
		if ((level + 2) * shift >= 31)
			break;
	}
	ip->i_blocks -= count;
	if (ip->i_blocks < 0)
		ip->i_blocks = 0;
	ip->i_size = length;
	vtruncbuf(vp, lastblock + 1);
	ip->i_flag |= IN_CHANGE | IN_UPDATE;
	return (ffs_update(vp, 1));
}
