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
 * Special files: the vnode of a block device (made by bdevvp for the
 * root disk, or found in devfs for a program that opens /dev/xbd0)
 * hands its buffers to the device's strategy routine.  read(2) and
 * write(2) on a block device go through the buffer cache in blocks of
 * BLKDEV_IOSIZE bytes, as FreeBSD 4's spec_read and spec_write do: a
 * write of part of a block reads the block first.  Every write is
 * synchronous and no block stays cached after the call (B_NOCACHE), so
 * a file system mounted from the same disk later, through a vnode of
 * its own, never meets a stale copy of what a program wrote here.  The
 * device's size (d_psize) bounds both: a read at the end returns 0
 * bytes, a write past it ENOSPC.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/fcntl.h>
#include <sys/uio.h>
#include <sys/vnode.h>

/* The unit of a block device's read and write (FreeBSD's BLKDEV_IOSIZE). */
#define	BLKDEV_IOSIZE	PAGE_SIZE

static int spec_open __P((void *));
static int spec_close __P((void *));
static int spec_access __P((void *));
static int spec_read __P((void *));
static int spec_write __P((void *));
static int spec_strategy __P((void *));
static int spec_getattr __P((void *));
static int spec_rdwr __P((struct vnode *vp, struct uio *uio));

vop_t **spec_vnodeop_p;
static struct vnodeopv_entry_desc spec_vnodeop_entries[] = {
	{ &vop_default_desc,		(vop_t *)vop_defaultop },
	{ &vop_open_desc,		(vop_t *)spec_open },
	{ &vop_close_desc,		(vop_t *)spec_close },
	{ &vop_access_desc,		(vop_t *)spec_access },
	{ &vop_read_desc,		(vop_t *)spec_read },
	{ &vop_write_desc,		(vop_t *)spec_write },
	{ &vop_getattr_desc,		(vop_t *)spec_getattr },
	{ &vop_inactive_desc,		(vop_t *)vop_null },
	{ &vop_reclaim_desc,		(vop_t *)vop_null },
	{ &vop_strategy_desc,		(vop_t *)spec_strategy },
	{ NULL, NULL }
};
struct vnodeopv_desc spec_vnodeop_opv_desc =
	{ &spec_vnodeop_p, spec_vnodeop_entries };

/*
 * The size of the device in DEV_BSIZE sectors, or -1 when its driver
 * does not say.
 */
static int
spec_psize(vp)
	struct vnode *vp;
{
	struct cdevsw *sw;

	sw = devsw(vp->v_rdev);
	if (sw == NULL || sw->d_psize == NULL)
		return (-1);
	return ((*sw->d_psize)(vp->v_rdev));
}

/*
 * Open a special file: the device must have a driver.
 */
static int
spec_open(v)
	void *v;
{
	struct vop_open_args *ap;
	struct cdevsw *sw;

	ap = v;
	if (ap->a_vp->v_type != VBLK)
		return (ENXIO);
	sw = devsw(ap->a_vp->v_rdev);
	if (sw == NULL || sw->d_strategy == NULL)
		return (ENXIO);
	return (0);
}

/*
 * Close a special file: nothing is left to write, every write having
 * been synchronous.
 */
static int
spec_close(v)
	void *v;
{

	return (0);
}

/*
 * Anyone may read and write a device here: there is one user, root.
 * A read-only disk refuses writes itself, with EROFS from its driver.
 */
static int
spec_access(v)
	void *v;
{

	return (0);
}

static int
spec_read(v)
	void *v;
{
	struct vop_read_args *ap;

	ap = v;
	return (spec_rdwr(ap->a_vp, ap->a_uio));
}

static int
spec_write(v)
	void *v;
{
	struct vop_write_args *ap;

	ap = v;
	return (spec_rdwr(ap->a_vp, ap->a_uio));
}

/*
 * Read or write a block device, a block of BLKDEV_IOSIZE bytes at a
 * time (the last one of the device may be shorter).
 */
static int
spec_rdwr(vp, uio)
	struct vnode *vp;
	struct uio *uio;
{
	struct buf *bp;
	daddr_t bn;
	off_t devsize;
	int bsize, on, n, nsect, error;

	if (vp->v_type != VBLK)
		return (EOPNOTSUPP);
	if (uio->uio_offset < 0)
		return (EINVAL);
	if (uio->uio_resid == 0)
		return (0);
	nsect = spec_psize(vp);
	devsize = nsect < 0 ? (off_t)0x7fffffff : dbtob(nsect);
	error = 0;
	while (error == 0 && uio->uio_resid > 0) {
		if (uio->uio_offset >= devsize) {
			/* A read stops at the end; a write cannot go on. */
			if (uio->uio_rw == UIO_WRITE)
				error = ENOSPC;
			break;
		}
		bn = btodb(uio->uio_offset) & ~(btodb(BLKDEV_IOSIZE) - 1);
		bsize = BLKDEV_IOSIZE;
		if (dbtob(bn) + bsize > devsize)
			bsize = (int)(devsize - dbtob(bn));
		on = (int)(uio->uio_offset - dbtob(bn));
		n = bsize - on;
		if (n > uio->uio_resid)
			n = uio->uio_resid;
		if (uio->uio_rw == UIO_WRITE && on == 0 && n == bsize) {
			/* A whole block: nothing to read first. */
			bp = getblk(vp, bn, bsize, 0, 0);
			error = 0;
		} else
			error = bread(vp, bn, bsize, NOCRED, &bp);
		if (error == 0)
			error = uiomove((char *)bp->b_data + on, n, uio);
		bp->b_flags |= B_NOCACHE;
		if (error == 0 && uio->uio_rw == UIO_WRITE)
			error = bwrite(bp);
		else
			brelse(bp);
	}
	return (error);
}

/*
 * Just call the device strategy routine
 */
static int
spec_strategy(v)
	void *v;
{
	struct vop_strategy_args *ap;
	struct buf *bp;
	struct cdevsw *sw;

	ap = v;
	bp = ap->a_bp;
	bp->b_dev = ap->a_vp->v_rdev;
	sw = devsw(bp->b_dev);
	if (sw == NULL || sw->d_strategy == NULL) {
		bp->b_flags |= B_ERROR;
		bp->b_error = ENXIO;
		biodone(bp);
		return (0);
	}
	(*sw->d_strategy)(bp);
	return (0);
}

static int
spec_getattr(v)
	void *v;
{
	struct vop_getattr_args *ap;

	ap = v;
	vattr_null(ap->a_vap);
	ap->a_vap->va_type = ap->a_vp->v_type;
	ap->a_vap->va_rdev = ap->a_vp->v_rdev;
	ap->a_vap->va_blocksize = BLKDEV_IOSIZE;
	ap->a_vap->va_mode = 0640;
	ap->a_vap->va_nlink = 1;
	ap->a_vap->va_uid = 0;
	ap->a_vap->va_gid = 0;
	ap->a_vap->va_fileid = 0;
	ap->a_vap->va_fsid = 0xde7f5;		/* devfs's */
	ap->a_vap->va_size = spec_psize(ap->a_vp) < 0 ? 0 :
	    dbtob(spec_psize(ap->a_vp));
	ap->a_vap->va_bytes = 0;
	return (0);
}
