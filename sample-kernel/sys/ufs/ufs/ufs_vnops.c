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
 * the strategy routine that maps a file's buffer to the disk; and the
 * changes, FreeBSD 4's ufs_vnops.c in shape: create, remove, mkdir,
 * rmdir, rename, setattr and symlink, over the directory routines of
 * ufs_lookup.c and the allocation of ffs_alloc.c.  Vnodes are not
 * locked in this kernel: each operation leaves the references it was
 * given with its caller and hands back a referenced new vnode.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/dirent.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include <ufs/ufs/dir.h>
#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufsmount.h>
#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/fs.h>
#include <ufs/ffs/ffs_extern.h>

/* Inode file types to vnode types, by the mode's top four bits. */
static enum vtype iftovt_tab[16] = {
	VNON, VFIFO, VCHR, VNON, VDIR, VNON, VBLK, VNON,
	VREG, VNON, VLNK, VNON, VSOCK, VNON, VNON, VBAD,
};
#define	IFTOVT(mode)	(iftovt_tab[((mode) & IFMT) >> 12])


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

/* Vnode types to inode file types, for a new inode's mode. */
static int
ufs_vttoif(type)
	enum vtype type;
{

	switch (type) {
	case VREG:
		return (IFREG);
	case VDIR:
		return (IFDIR);
	case VLNK:
		return (IFLNK);
	default:
		return (0);
	}
}

#define	MAKEIMODE(indx, mode)	(int)(ufs_vttoif(indx) | (mode))

#ifndef LINK_MAX
#define	LINK_MAX	32767
#endif

/*
 * Allocate a new inode, with mode and link count 1, and give it a name
 * in the directory dvp.
 */
static int
ufs_makeinode(mode, dvp, vpp, cnp)
	int mode;
	struct vnode *dvp;
	struct vnode **vpp;
	struct componentname *cnp;
{
	struct inode *ip, *pdir;
	struct direct newdir;
	struct vnode *tvp;
	int error;

	pdir = VTOI(dvp);
	*vpp = NULL;
	if ((mode & IFMT) == 0)
		mode |= IFREG;
	error = ffs_valloc(dvp, mode, cnp->cn_cred, &tvp);
	if (error)
		return (error);
	ip = VTOI(tvp);
	ip->i_gid = pdir->i_gid;
	ip->i_uid = 0;
	ip->i_mode = mode;
	tvp->v_type = IFTOVT(mode);
	ip->i_nlink = 1;
	ip->i_size = 0;
	ip->i_blocks = 0;
	bzero((char *)ip->i_db, sizeof(ip->i_db));
	bzero((char *)ip->i_ib, sizeof(ip->i_ib));
	ip->i_flag |= IN_ACCESS | IN_CHANGE | IN_UPDATE;
	/* Make sure inode goes to disk before directory entry. */
	error = ffs_update(tvp, 1);
	if (error)
		goto bad;
	ufs_makedirentry(ip, cnp, &newdir);
	error = ufs_direnter(dvp, &newdir, cnp);
	if (error)
		goto bad;
	*vpp = tvp;
	return (0);
bad:
	/* The inode is freed when its last reference goes. */
	ip->i_nlink = 0;
	ip->i_flag |= IN_CHANGE;
	vput(tvp);
	return (error);
}

/*
 * Create a regular file.
 */
int
ufs_create(v)
	void *v;
{
	struct vop_create_args *ap;

	ap = v;
	return (ufs_makeinode(MAKEIMODE(ap->a_vap->va_type,
	    ap->a_vap->va_mode & ALLPERMS), ap->a_dvp, ap->a_vpp, ap->a_cnp));
}

/*
 * Remove a file: its entry goes, and the inode when its last link and
 * its last reference have.
 */
int
ufs_remove(v)
	void *v;
{
	struct vop_remove_args *ap;
	struct vnode *vp;

	ap = v;
	vp = ap->a_vp;
	if (vp->v_type == VDIR)
		return (EPERM);
	return (ufs_dirremove(ap->a_dvp, VTOI(vp), ap->a_cnp->cn_flags, 0));
}

/*
 * Mkdir system call: a new inode with "." and "..", then its entry in
 * the parent, whose link count grows by the new "..".
 */
int
ufs_mkdir(v)
	void *v;
{
	struct vop_mkdir_args *ap;
	struct vnode *dvp, *tvp;
	struct componentname *cnp;
	struct inode *ip, *dp;
	struct buf *bp;
	struct dirtemplate dirtemplate;
	struct direct newdir;
	int error, dmode;

	ap = v;
	dvp = ap->a_dvp;
	cnp = ap->a_cnp;
	*ap->a_vpp = NULL;
	dp = VTOI(dvp);
	if (dp->i_nlink >= LINK_MAX)
		return (EMLINK);
	dmode = (ap->a_vap->va_mode & ACCESSPERMS) | IFDIR;
	error = ffs_valloc(dvp, dmode, cnp->cn_cred, &tvp);
	if (error)
		return (error);
	ip = VTOI(tvp);
	ip->i_gid = dp->i_gid;
	ip->i_uid = 0;
	ip->i_mode = dmode;
	tvp->v_type = VDIR;
	ip->i_nlink = 2;
	ip->i_size = 0;
	ip->i_blocks = 0;
	bzero((char *)ip->i_db, sizeof(ip->i_db));
	bzero((char *)ip->i_ib, sizeof(ip->i_ib));
	ip->i_flag |= IN_ACCESS | IN_CHANGE | IN_UPDATE;
	error = ffs_update(tvp, 1);

	/*
	 * Bump link count in parent directory to reflect work done below.
	 * Should be done before reference is created so cleanup is
	 * possible if we crash.
	 */
	dp->i_nlink++;
	dp->i_flag |= IN_CHANGE;
	if (error == 0)
		error = ffs_update(dvp, 1);
	if (error)
		goto bad;

	/* Initialize directory with "." and ".." from static template. */
	bzero((caddr_t)&dirtemplate, sizeof(dirtemplate));
	dirtemplate.dot_ino = ip->i_number;
	dirtemplate.dot_reclen = 12;
	dirtemplate.dot_type = DT_DIR;
	dirtemplate.dot_namlen = 1;
	dirtemplate.dot_name[0] = '.';
	dirtemplate.dotdot_ino = dp->i_number;
	dirtemplate.dotdot_reclen = DIRBLKSIZ - 12;
	dirtemplate.dotdot_type = DT_DIR;
	dirtemplate.dotdot_namlen = 2;
	dirtemplate.dotdot_name[0] = '.';
	dirtemplate.dotdot_name[1] = '.';
	error = ffs_balloc(ip, (off_t)0, DIRBLKSIZ, cnp->cn_cred, B_CLRBUF,
	    &bp);
	if (error)
		goto bad;
	ip->i_size = DIRBLKSIZ;
	ip->i_flag |= IN_CHANGE | IN_UPDATE;
	bcopy((caddr_t)&dirtemplate, (caddr_t)bp->b_data,
	    sizeof(dirtemplate));
	if ((error = bwrite(bp)) != 0)
		goto bad;
	if ((error = ffs_update(tvp, 1)) != 0)
		goto bad;

	/* Directory set up, now install its entry in the parent directory. */
	ufs_makedirentry(ip, cnp, &newdir);
	error = ufs_direnter(dvp, &newdir, cnp);
bad:
	if (error) {
		dp->i_nlink--;
		dp->i_flag |= IN_CHANGE;
		/* No one else can have a reference: it goes at the vput. */
		ip->i_nlink = 0;
		ip->i_flag |= IN_CHANGE;
		vput(tvp);
	} else
		*ap->a_vpp = tvp;
	return (error);
}

/*
 * Rmdir system call: only an empty directory ("." and ".." alone) goes;
 * its parent loses the link its ".." was.
 */
int
ufs_rmdir(v)
	void *v;
{
	struct vop_rmdir_args *ap;
	struct vnode *vp, *dvp;
	struct inode *ip, *dp;
	int error;

	ap = v;
	vp = ap->a_vp;
	dvp = ap->a_dvp;
	ip = VTOI(vp);
	dp = VTOI(dvp);
	if (dp == ip)
		return (EINVAL);
	if (vp->v_mountedhere != NULL)
		return (EBUSY);
	if (ip->i_nlink != 2 ||
	    !ufs_dirempty(ip, dp->i_number, ap->a_cnp->cn_cred))
		return (ENOTEMPTY);
	error = ufs_dirremove(dvp, ip, ap->a_cnp->cn_flags, 1);
	if (error)
		return (error);
	dp->i_nlink--;
	dp->i_flag |= IN_CHANGE;
	ip->i_nlink--;
	ip->i_flag |= IN_CHANGE;
	(void)ffs_update(dvp, 1);
	/* Its blocks go now; the inode when its last reference does. */
	return (ffs_truncate(vp, (off_t)0, IO_SYNC, ap->a_cnp->cn_cred));
}

/*
 * Rename: the target name is made to name the source's inode (a new
 * entry, or the old target's entry rewritten, the old target losing a
 * link), then the source's entry is found again and removed.  A
 * directory moved to another parent has its ".." rewritten and the
 * link counts of both parents follow.  The vnodes stay with the
 * caller.
 */
int
ufs_rename(v)
	void *v;
{
	struct vop_rename_args *ap;
	struct vnode *fdvp, *fvp, *tdvp, *tvp, *xvp;
	struct componentname *fcnp, *tcnp;
	struct inode *fip, *fdp, *tdp, *xp;
	struct dirtemplate *dirbuf;
	struct direct newdir;
	struct buf *bp;
	int doingdirectory, newparent, error;

	ap = v;
	fdvp = ap->a_fdvp;
	fvp = ap->a_fvp;
	fcnp = ap->a_fcnp;
	tdvp = ap->a_tdvp;
	tvp = ap->a_tvp;
	tcnp = ap->a_tcnp;
	fip = VTOI(fvp);
	fdp = VTOI(fdvp);
	tdp = VTOI(tdvp);
	if ((fcnp->cn_namelen == 1 && fcnp->cn_nameptr[0] == '.') ||
	    fdvp == fvp || ((fcnp->cn_flags | tcnp->cn_flags) & ISDOTDOT))
		return (EINVAL);
	doingdirectory = (fip->i_mode & IFMT) == IFDIR;
	newparent = doingdirectory && fdp->i_number != tdp->i_number;
	if (tvp != NULL && VTOI(tvp) == tdp)
		return (EINVAL);

	ufs_makedirentry(fip, tcnp, &newdir);

	/*
	 * 1) Bump link count while we're moving stuff around.  If we
	 *    crash somewhere before completing our work, the link count
	 *    may be wrong, but correctable.
	 */
	fip->i_nlink++;
	fip->i_flag |= IN_CHANGE;
	if ((error = ffs_update(fvp, 1)) != 0)
		goto bad;
	/* A directory cannot move into itself or below. */
	if (newparent && (error = ufs_checkpath(fip, tdp,
	    tcnp->cn_cred)) != 0)
		goto bad;

	/*
	 * 2) If target doesn't exist, link the target to the source and
	 *    unlink the source.  Otherwise, rewrite the target directory
	 *    entry to reference the source inode and expunge the original
	 *    entry's existence.
	 */
	if (tvp == NULL) {
		if (newparent) {
			if (tdp->i_nlink >= LINK_MAX) {
				error = EMLINK;
				goto bad;
			}
			tdp->i_nlink++;
			tdp->i_flag |= IN_CHANGE;
			if ((error = ffs_update(tdvp, 1)) != 0)
				goto bad;
		}
		error = ufs_direnter(tdvp, &newdir, tcnp);
		if (error) {
			if (newparent) {
				tdp->i_nlink--;
				tdp->i_flag |= IN_CHANGE;
			}
			goto bad;
		}
	} else {
		xp = VTOI(tvp);
		/*
		 * Target must be empty if a directory and have no links
		 * to it.  Also, ensure source and target are compatible
		 * (both directories, or both not directories).
		 */
		if ((xp->i_mode & IFMT) == IFDIR) {
			if (!doingdirectory) {
				error = ENOTDIR;
				goto bad;
			}
			if (xp->i_nlink > 2 ||
			    !ufs_dirempty(xp, tdp->i_number, tcnp->cn_cred)) {
				error = ENOTEMPTY;
				goto bad;
			}
		} else if (doingdirectory) {
			error = EISDIR;
			goto bad;
		}
		error = ufs_dirrewrite(tdp, xp, fip->i_number,
		    newdir.d_type, 0);
		if (error)
			goto bad;
		if (doingdirectory) {
			/* The old target's ".." no longer links its parent. */
			if (!newparent) {
				tdp->i_nlink--;
				tdp->i_flag |= IN_CHANGE;
			}
			xp->i_nlink--;
			xp->i_flag |= IN_CHANGE;
			(void)ffs_truncate(tvp, (off_t)0, IO_SYNC,
			    tcnp->cn_cred);
		}
		(void)ffs_update(tvp, 0);
	}

	/*
	 * 3) Unlink the source: look its name up again (the target's
	 *    lookup and entry may have moved things in the same
	 *    directory), then remove the entry, which takes back the
	 *    link count bumped in 1).
	 */
	fcnp->cn_nameiop = DELETE;
	fcnp->cn_flags |= ISLASTCN;
	fcnp->cn_flags &= ~ISDOTDOT;
	error = VOP_LOOKUP(fdvp, &xvp, fcnp);
	if (error == 0 && xvp != fvp)
		error = ENOENT;
	if (error == 0 || xvp != NULL)
		vrele(xvp);
	if (error) {
		printf("ufs_rename: the source went away (error %d)\n", error);
		goto bad;
	}
	error = ufs_dirremove(fdvp, fip, fcnp->cn_flags, 0);
	if (error)
		goto bad;
	if (newparent) {
		fdp->i_nlink--;
		fdp->i_flag |= IN_CHANGE;
		error = ffs_blkatoff(fvp, (off_t)0, (char **)&dirbuf, &bp);
		if (error == 0) {
			if (dirbuf->dotdot_namlen == 2 &&
			    dirbuf->dotdot_name[0] == '.' &&
			    dirbuf->dotdot_name[1] == '.') {
				dirbuf->dotdot_ino = tdp->i_number;
				error = bwrite(bp);
			} else {
				printf("ufs_rename: inode %d: no \"..\" to "
				    "rewrite\n", fip->i_number);
				brelse(bp);
			}
		}
	}
	(void)ffs_update(fvp, 0);
	(void)ffs_update(fdvp, 0);
	(void)ffs_update(tdvp, 0);
	return (error);
bad:
	fip->i_nlink--;
	fip->i_flag |= IN_CHANGE;
	return (error);
}

/*
 * Set attribute vnode op: the size (through ffs_truncate), the mode,
 * the owner and the times; nothing else may be set.
 */
int
ufs_setattr(v)
	void *v;
{
	struct vop_setattr_args *ap;
	struct vattr *vap;
	struct vnode *vp;
	struct inode *ip;
	int error;

	ap = v;
	vap = ap->a_vap;
	vp = ap->a_vp;
	ip = VTOI(vp);
	if (vap->va_type != VNON || vap->va_nlink != VNOVAL ||
	    vap->va_fsid != VNOVAL || vap->va_fileid != VNOVAL ||
	    vap->va_blocksize != VNOVAL || vap->va_rdev != VNOVAL ||
	    vap->va_bytes != (u_quad_t)VNOVAL || vap->va_gen != VNOVAL)
		return (EINVAL);
	if (vp->v_mount->mnt_flag & MNT_RDONLY)
		return (EROFS);
	if (vap->va_size != (u_quad_t)VNOVAL) {
		switch (vp->v_type) {
		case VDIR:
			return (EISDIR);
		case VLNK:
		case VREG:
			break;
		default:
			return (EOPNOTSUPP);
		}
		error = ffs_truncate(vp, (off_t)vap->va_size, 0, ap->a_cred);
		if (error)
			return (error);
	}
	if (vap->va_mode != (u_short)VNOVAL) {
		ip->i_mode = (ip->i_mode & IFMT) | (vap->va_mode & ALLPERMS);
		ip->i_flag |= IN_CHANGE;
	}
	if (vap->va_uid != (uid_t)VNOVAL) {
		ip->i_uid = vap->va_uid;
		ip->i_flag |= IN_CHANGE;
	}
	if (vap->va_gid != (gid_t)VNOVAL) {
		ip->i_gid = vap->va_gid;
		ip->i_flag |= IN_CHANGE;
	}
	if (vap->va_atime.tv_sec != VNOVAL) {
		ip->i_din.di_atime = vap->va_atime.tv_sec;
		ip->i_din.di_atimensec = vap->va_atime.tv_nsec;
		ip->i_flag |= IN_MODIFIED;
	}
	if (vap->va_mtime.tv_sec != VNOVAL) {
		ip->i_din.di_mtime = vap->va_mtime.tv_sec;
		ip->i_din.di_mtimensec = vap->va_mtime.tv_nsec;
		ip->i_flag |= IN_MODIFIED;
	}
	return (ffs_update(vp, 0));
}

/*
 * Symbolic link: a short target lives in the inode's block pointers
 * (shorter than the file system's fs_maxsymlinklen), a long one in a
 * block written like a file's.
 */
int
ufs_symlink(v)
	void *v;
{
	struct vop_symlink_args *ap;
	struct vnode *vp;
	struct inode *ip;
	int len, error;

	ap = v;
	error = ufs_makeinode(IFLNK | (ap->a_vap->va_mode & ALLPERMS),
	    ap->a_dvp, ap->a_vpp, ap->a_cnp);
	if (error)
		return (error);
	vp = *ap->a_vpp;
	len = strlen(ap->a_target);
	if (len < vp->v_mount->mnt_maxsymlinklen) {
		ip = VTOI(vp);
		bcopy(ap->a_target, (char *)ip->i_shortlink, len);
		ip->i_size = len;
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		error = ffs_update(vp, 1);
	} else
		error = vn_rdwr(UIO_WRITE, vp, ap->a_target, len, (off_t)0,
		    UIO_SYSSPACE, IO_NODELOCKED, ap->a_cnp->cn_cred, NULL,
		    NULL);
	if (error) {
		vput(vp);
		*ap->a_vpp = NULL;
	}
	return (error);
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
