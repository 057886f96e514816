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
 * UFS vnode operations common to the file systems built on it: open,
 * close, access, attributes, directories read as struct dirent records,
 * symbolic links (short ones from the inode, long ones from their block),
 * the strategy routine that maps a file's buffer to the disk, and the
 * changes a read-only mount refuses with EROFS.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/dirent.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include <ufs/ufs/dir.h>
#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufsmount.h>
#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/fs.h>

/* Inode file types to vnode types, by the mode's top four bits. */
static enum vtype iftovt_tab[16] = {
	VNON, VFIFO, VCHR, VNON, VDIR, VNON, VBLK, VNON,
	VREG, VNON, VLNK, VNON, VSOCK, VNON, VNON, VBAD,
};
#define	IFTOVT(mode)	(iftovt_tab[((mode) & IFMT) >> 12])

static int ufs_rdonly __P((struct vnode *vp));

/*
 * Open called.  Nothing to do.
 */
int
ufs_open(v)
	void *v;
{

	return (0);
}

/*
 * Close called.  Nothing to write back.
 */
int
ufs_close(v)
	void *v;
{

	return (0);
}

/*
 * Check mode permission on inode pointer.  Every caller is the
 * superuser until processes have credentials: writing is refused on a
 * read-only file system, and executing needs an execute bit.
 */
int
ufs_access(v)
	void *v;
{
	struct vop_access_args *ap;
	struct vnode *vp;
	struct inode *ip;

	ap = v;
	vp = ap->a_vp;
	ip = VTOI(vp);
	if (ap->a_mode & VWRITE) {
		switch (vp->v_type) {
		case VDIR:
		case VLNK:
		case VREG:
			if (vp->v_mount->mnt_flag & MNT_RDONLY)
				return (EROFS);
			break;
		default:
			break;
		}
	}
	if ((ap->a_mode & VEXEC) && vp->v_type != VDIR &&
	    (ip->i_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0)
		return (EACCES);
	return (0);
}

int
ufs_getattr(v)
	void *v;
{
	struct vop_getattr_args *ap;
	struct vnode *vp;
	struct inode *ip;
	struct vattr *vap;

	ap = v;
	vp = ap->a_vp;
	ip = VTOI(vp);
	vap = ap->a_vap;
	/*
	 * Copy from inode table
	 */
	vap->va_fsid = ip->i_dev;
	vap->va_fileid = ip->i_number;
	vap->va_mode = ip->i_mode & ~IFMT;
	vap->va_nlink = ip->i_nlink;
	vap->va_uid = ip->i_uid;
	vap->va_gid = ip->i_gid;
	vap->va_rdev = (vp->v_type == VBLK || vp->v_type == VCHR) ?
	    (udev_t)ip->i_db[0] : 0;
	vap->va_size = ip->i_size;
	vap->va_atime.tv_sec = ip->i_din.di_atime;
	vap->va_atime.tv_nsec = ip->i_din.di_atimensec;
	vap->va_mtime.tv_sec = ip->i_din.di_mtime;
	vap->va_mtime.tv_nsec = ip->i_din.di_mtimensec;
	vap->va_ctime.tv_sec = ip->i_din.di_ctime;
	vap->va_ctime.tv_nsec = ip->i_din.di_ctimensec;
	vap->va_flags = ip->i_flags;
	vap->va_gen = ip->i_gen;
	vap->va_blocksize = vp->v_mount->mnt_stat.f_iosize;
	vap->va_bytes = dbtob((u_quad_t)ip->i_blocks);
	vap->va_type = IFTOVT(ip->i_mode);
	return (0);
}

/*
 * Vnode op for reading directories.
 *
 * A UFS directory entry has the layout of a struct dirent, so the
 * directory is read as it is, in whole DIRBLKSIZ chunks.  Entries of
 * removed files (d_fileno 0) are left for the reader to skip.
 */
int
ufs_readdir(v)
	void *v;
{
	struct vop_readdir_args *ap;
	struct uio *uio;
	struct inode *ip;
	int error, count, lost;

	ap = v;
	uio = ap->a_uio;
	ip = VTOI(ap->a_vp);
	if ((ip->i_mode & IFMT) != IFDIR)
		return (ENOTDIR);
	if (uio->uio_offset < 0 || (uio->uio_offset & (DIRBLKSIZ - 1)))
		return (EINVAL);
	count = uio->uio_resid;
	/* Make sure we don't return partial entries. */
	count -= (uio->uio_offset + count) & (DIRBLKSIZ - 1);
	if (count <= 0)
		return (EINVAL);
	lost = uio->uio_resid - count;
	uio->uio_resid = count;
	uio->uio_iov->iov_len = count;
	error = VOP_READ(ap->a_vp, uio, 0, ap->a_cred);
	uio->uio_resid += lost;
	if (ap->a_ncookies != NULL)
		*ap->a_ncookies = 0;
	if (ap->a_eofflag != NULL)
		*ap->a_eofflag = (off_t)ip->i_size <= uio->uio_offset;
	return (error);
}

/*
 * Return target name of a symbolic link
 */
int
ufs_readlink(v)
	void *v;
{
	struct vop_readlink_args *ap;
	struct vnode *vp;
	struct inode *ip;
	int isize;

	ap = v;
	vp = ap->a_vp;
	ip = VTOI(vp);
	if (vp->v_type != VLNK)
		return (EINVAL);
	if (ip->i_size > MAXPATHLEN) {
		printf("ufs_readlink: inode %d: link of %lld bytes\n",
		    ip->i_number, (long long)ip->i_size);
		return (EIO);
	}
	isize = ip->i_size;
	if (isize < vp->v_mount->mnt_maxsymlinklen ||
	    (vp->v_mount->mnt_maxsymlinklen == 0 && ip->i_blocks == 0))
		return (uiomove((char *)ip->i_shortlink, isize, ap->a_uio));
	return (VOP_READ(vp, ap->a_uio, 0, ap->a_cred));
}

/*
 * Calculate the logical to physical mapping if not done already, then
 * call the device strategy routine.  A hole reads as zeros.
 */
int
ufs_strategy(v)
	void *v;
{
	struct vop_strategy_args *ap;
	struct buf *bp;
	struct vnode *vp;
	struct inode *ip;
	int error;

	ap = v;
	bp = ap->a_bp;
	vp = ap->a_vp;
	ip = VTOI(vp);
	if (vp->v_type == VBLK || vp->v_type == VCHR)
		panic("ufs_strategy: spec");
	if (bp->b_blkno == bp->b_lblkno) {
		error = VOP_BMAP(vp, bp->b_lblkno, NULL, &bp->b_blkno, NULL,
		    NULL);
		if (error) {
			bp->b_error = error;
			bp->b_flags |= B_ERROR;
			biodone(bp);
			return (error);
		}
		if (bp->b_blkno == (daddr_t)-1)
			clrbuf(bp);
	}
	if (bp->b_blkno == (daddr_t)-1) {
		biodone(bp);
		return (0);
	}
	bp->b_dev = ip->i_dev;
	return (VOP_STRATEGY(ip->i_devvp, bp));
}

/*
 * Changes to the file system: refused while it is mounted read-only,
 * which is the only way it is mounted yet.
 */
static int
ufs_rdonly(vp)
	struct vnode *vp;
{

	if (vp->v_mount->mnt_flag & MNT_RDONLY)
		return (EROFS);
	return (EOPNOTSUPP);
}

int
ufs_create(v)
	void *v;
{

	return (ufs_rdonly(((struct vop_create_args *)v)->a_dvp));
}

int
ufs_remove(v)
	void *v;
{

	return (ufs_rdonly(((struct vop_remove_args *)v)->a_dvp));
}

int
ufs_rename(v)
	void *v;
{

	return (ufs_rdonly(((struct vop_rename_args *)v)->a_fdvp));
}

int
ufs_mkdir(v)
	void *v;
{

	return (ufs_rdonly(((struct vop_mkdir_args *)v)->a_dvp));
}

int
ufs_rmdir(v)
	void *v;
{

	return (ufs_rdonly(((struct vop_rmdir_args *)v)->a_dvp));
}

int
ufs_setattr(v)
	void *v;
{

	return (ufs_rdonly(((struct vop_setattr_args *)v)->a_vp));
}

int
ufs_write(v)
	void *v;
{

	return (ufs_rdonly(((struct vop_write_args *)v)->a_vp));
}

/*
 * Initialize the vnode associated with a new inode.
 */
int
ufs_vinit(mntp, specops, fifoops, vpp)
	struct mount *mntp;
	vop_t **specops;
	vop_t **fifoops;
	struct vnode **vpp;
{
	struct inode *ip;
	struct vnode *vp;

	vp = *vpp;
	ip = VTOI(vp);
	vp->v_type = IFTOVT(ip->i_mode);
	if (ip->i_number == ROOTINO)
		vp->v_flag |= VROOT;
	return (0);
}

/*
 * Return the root of a filesystem.
 */
int
ufs_root(mp, vpp)
	struct mount *mp;
	struct vnode **vpp;
{
	struct vnode *nvp;
	int error;

	error = VFS_VGET(mp, (ino_t)ROOTINO, &nvp);
	if (error)
		return (error);
	*vpp = nvp;
	return (0);
}
