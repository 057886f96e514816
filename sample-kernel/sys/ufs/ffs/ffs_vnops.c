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
 * fragments it has.
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
	{ &vop_write_desc,		(vop_t *)ufs_write },
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
