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
 * The fast file system's vnode operations table, and its read: a file is
 * read block by block through the buffer cache, each buffer keyed by the
 * file's vnode and logical block number and mapped to the disk by
 * ufs_strategy; the last block of a small file is read as just the
 * fragments it has.  Writing (ffs_write) gets each block from
 * ffs_balloc, copies the user's bytes in and leaves it a delayed write
 * (written at once with IO_SYNC); ffs_fsync writes a file's dirty
 * blocks, the device's (indirect, inode and cylinder group blocks) and
 * the inode.
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

vop_t **ffs_vnodeop_p;
static struct vnodeopv_entry_desc ffs_vnodeop_entries[] = {
	{ &vop_default_desc,		(vop_t *)vop_defaultop },
	{ &vop_lookup_desc,		(vop_t *)ufs_lookup },
	{ &vop_create_desc,		(vop_t *)ufs_create },
	{ &vop_open_desc,		(vop_t *)ufs_open },
	{ &vop_close_desc,		(vop_t *)ufs_close },
	{ &vop_access_desc,		(vop_t *)ufs_access },
	{ &vop_getattr_desc,		(vop_t *)ufs_getattr },
	{ &vop_setattr_desc,		(vop_t *)ufs_setattr },
	{ &vop_read_desc,		(vop_t *)ffs_read },
	{ &vop_write_desc,		(vop_t *)ffs_write },
	{ &vop_remove_desc,		(vop_t *)ufs_remove },
	{ &vop_rename_desc,		(vop_t *)ufs_rename },
	{ &vop_mkdir_desc,		(vop_t *)ufs_mkdir },
	{ &vop_rmdir_desc,		(vop_t *)ufs_rmdir },
	{ &vop_readdir_desc,		(vop_t *)ufs_readdir },
	{ &vop_readlink_desc,		(vop_t *)ufs_readlink },
	{ &vop_inactive_desc,		(vop_t *)ufs_inactive },
	{ &vop_reclaim_desc,		(vop_t *)ufs_reclaim },
	{ &vop_bmap_desc,		(vop_t *)ufs_bmap },
	{ &vop_strategy_desc,		(vop_t *)ufs_strategy },
	{ &vop_fsync_desc,		(vop_t *)ffs_fsync },
	{ &vop_symlink_desc,		(vop_t *)ufs_symlink },
	{ NULL, NULL }
};
struct vnodeopv_desc ffs_vnodeop_opv_desc =
	{ &ffs_vnodeop_p, ffs_vnodeop_entries };

/*
 * Vnode op for reading.
 */
int
ffs_read(v)
	void *v;
{
	struct vop_read_args *ap;
	struct vnode *vp;
	struct inode *ip;
	struct uio *uio;
	struct fs *fs;
	struct buf *bp;
	daddr_t lbn;
	off_t bytesinfile;
	long size, xfersize, blkoffset;
	int error;

	ap = v;
	vp = ap->a_vp;
	ip = VTOI(vp);
	uio = ap->a_uio;
	if (uio->uio_rw != UIO_READ)
		panic("ffs_read: mode");
	if (vp->v_type != VREG && vp->v_type != VDIR && vp->v_type != VLNK)
		return (EINVAL);
	fs = ip->i_fs;
	if (uio->uio_offset < 0)
		return (EINVAL);
	if ((u_int64_t)uio->uio_offset > fs->fs_maxfilesize)
		return (EFBIG);

	error = 0;
	for (bp = NULL; uio->uio_resid > 0; bp = NULL) {
		if ((bytesinfile = (off_t)ip->i_size - uio->uio_offset) <= 0)
			break;
		lbn = lblkno(fs, uio->uio_offset);
		size = blksize(fs, ip, lbn);
		blkoffset = blkoff(fs, uio->uio_offset);

		/*
		 * The amount we want to transfer in this iteration is one
		 * FS block less the amount of the data before our startpoint
		 * (duh!), but no more than what is left to read and what is
		 * left in the file.
		 */
		xfersize = fs->fs_bsize - blkoffset;
		if (uio->uio_resid < xfersize)
			xfersize = uio->uio_resid;
		if (bytesinfile < xfersize)
			xfersize = bytesinfile;

		error = bread(vp, lbn, size, NOCRED, &bp);
		if (error) {
			brelse(bp);
			bp = NULL;
			break;
		}

		/*
		 * We should only get non-zero b_resid when an I/O error
		 * has occurred, which should cause us to break above.
		 * However, if the short read did not cause an error, then
		 * we want to ensure that we do not uiomove bad or
		 * uninitialized data.
		 */
		size -= bp->b_resid;
		if (size < xfersize) {
			if (size == 0)
				break;
			xfersize = size;
		}
		error = uiomove((char *)bp->b_data + blkoffset, (int)xfersize,
		    uio);
		if (error)
			break;
		brelse(bp);
	}
	if (bp != NULL)
		brelse(bp);
	return (error);
}

/*
 * Vnode op for writing.
 */
int
ffs_write(v)
	void *v;
{
	struct vop_write_args *ap;
	struct vnode *vp;
	struct uio *uio;
	struct inode *ip;
	struct fs *fs;
	struct buf *bp;
	ufs_daddr_t lbn;
	off_t osize;
	int blkoffset, error, flags, ioflag, resid, size, xfersize;

	ap = v;
	vp = ap->a_vp;
	uio = ap->a_uio;
	ioflag = ap->a_ioflag;
	ip = VTOI(vp);
	if (uio->uio_rw != UIO_WRITE)
		panic("ffs_write: mode");
	switch (vp->v_type) {
	case VREG:
		if (ioflag & IO_APPEND)
			uio->uio_offset = ip->i_size;
		break;
	case VLNK:
		break;
	case VDIR:
		return (EISDIR);
	default:
		return (EINVAL);
	}
	if (vp->v_mount->mnt_flag & MNT_RDONLY)
		return (EROFS);
	fs = ip->i_fs;
	if (uio->uio_offset < 0 ||
	    (u_int64_t)uio->uio_offset + uio->uio_resid > fs->fs_maxfilesize)
		return (EFBIG);

	resid = uio->uio_resid;
	osize = ip->i_size;
	flags = (ioflag & IO_SYNC) ? B_SYNC : 0;
	for (error = 0; uio->uio_resid > 0;) {
		lbn = lblkno(fs, uio->uio_offset);
		blkoffset = blkoff(fs, uio->uio_offset);
		xfersize = fs->fs_bsize - blkoffset;
		if (uio->uio_resid < xfersize)
			xfersize = uio->uio_resid;
		/* A block written only in part keeps (or gets zeros in) the rest. */
		if (fs->fs_bsize > xfersize)
			flags |= B_CLRBUF;
		else
			flags &= ~B_CLRBUF;
		error = ffs_balloc(ip, uio->uio_offset, xfersize, ap->a_cred,
		    flags, &bp);
		if (error != 0)
			break;
		if ((u_int64_t)uio->uio_offset + xfersize > ip->i_size)
			ip->i_size = uio->uio_offset + xfersize;
		size = blksize(fs, ip, lbn) - bp->b_resid;
		if (size < xfersize)
			xfersize = size;
		error = uiomove((char *)bp->b_data + blkoffset, xfersize, uio);
		if (ioflag & IO_SYNC)
			(void)bwrite(bp);
		else
			bdwrite(bp);
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		if (error || xfersize == 0)
			break;
	}
	/*
	 * If we successfully wrote any data, and we are not the
	 * superuser we clear the setuid and setgid bits as a precaution
	 * against tampering; every caller is the superuser here.  On an
	 * error a write that must be whole is undone.
	 */
	if (error) {
		if (ioflag & IO_UNIT) {
			(void)ffs_truncate(vp, osize, ioflag & IO_SYNC,
			    ap->a_cred);
			uio->uio_offset -= resid - uio->uio_resid;
			uio->uio_resid = resid;
		}
	} else if (resid > uio->uio_resid && (ioflag & IO_SYNC))
		error = ffs_update(vp, 1);
	return (error);
}

/*
 * Synch an open file: its delayed writes, then the device's (its
 * indirect blocks, and the inode and cylinder group blocks), then the
 * inode itself.
 */
int
ffs_fsync(v)
	void *v;
{
	struct vop_fsync_args *ap;
	struct vnode *vp;
	struct inode *ip;
	int error, e;

	ap = v;
	vp = ap->a_vp;
	ip = VTOI(vp);
	error = vflushbuf(vp);
	ip->i_flag |= IN_MODIFIED;
	if ((e = ffs_update(vp, 1)) != 0 && error == 0)
		error = e;
	if ((e = vflushbuf(ip->i_devvp)) != 0 && error == 0)
		error = e;
	return (error);
}
