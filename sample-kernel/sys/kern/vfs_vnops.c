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
 * Vnode operations on behalf of the rest of the kernel: open a path
 * (vn_open), close, read or write a kernel buffer at an offset (vn_rdwr)
 * and fill a struct stat (vn_stat); and the fileops of a descriptor open
 * on a vnode (vnops).  O_CREAT makes the file through VOP_CREATE and
 * O_TRUNC empties it through VOP_SETATTR; on a read-only mount creating
 * or writing fails with EROFS.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/vnode.h>

/*
 * Common code for vnode open operations.  Check permissions, and call
 * the VOP_OPEN routine.  The opened vnode is in ndp->ni_vp.
 */
int
vn_open(ndp, fmode, cmode)
	struct nameidata *ndp;
	int fmode;
	int cmode;
{
	struct componentname *cnp;
	struct vattr vat;
	struct vnode *vp;
	struct proc *p;
	int error, mode;

	cnp = &ndp->ni_cnd;
	p = cnp->cn_proc;
	if (fmode & O_CREAT) {
		ndp->ni_cnd.cn_nameiop = CREATE;
		ndp->ni_cnd.cn_flags = LOCKPARENT | LOCKLEAF | SAVENAME;
		if ((fmode & O_EXCL) == 0 && (fmode & O_NOFOLLOW) == 0)
			ndp->ni_cnd.cn_flags |= FOLLOW;
		if ((error = namei(ndp)) != 0)
			return (error);
		if (ndp->ni_vp == NULL) {
			vattr_null(&vat);
			vat.va_type = VREG;
			vat.va_mode = cmode;
			if (ndp->ni_dvp->v_mount->mnt_flag & MNT_RDONLY)
				error = EROFS;
			else
				error = VOP_CREATE(ndp->ni_dvp, &ndp->ni_vp,
				    &ndp->ni_cnd, &vat);
			NDFREE(ndp, NDF_ONLY_PNBUF);
			vrele(ndp->ni_dvp);
			ndp->ni_dvp = NULL;
			if (error) {
				ndp->ni_vp = NULL;
				return (error);
			}
			/* A new file is empty: nothing to truncate. */
			fmode &= ~O_TRUNC;
			vp = ndp->ni_vp;
		} else {
			NDFREE(ndp, NDF_ONLY_PNBUF);
			vrele(ndp->ni_dvp);
			ndp->ni_dvp = NULL;
			vp = ndp->ni_vp;
			if (fmode & O_EXCL) {
				error = EEXIST;
				goto bad;
			}
			fmode &= ~O_CREAT;
		}
	} else {
		ndp->ni_cnd.cn_nameiop = LOOKUP;
		ndp->ni_cnd.cn_flags =
		    ((fmode & O_NOFOLLOW) ? NOFOLLOW : FOLLOW) | LOCKLEAF;
		if ((error = namei(ndp)) != 0)
			return (error);
	}
	vp = ndp->ni_vp;
	if (vp->v_type == VLNK) {
		error = EMLINK;
		goto bad;
	}
	if (vp->v_type == VSOCK) {
		error = EOPNOTSUPP;
		goto bad;
	}
	mode = 0;
	if (fmode & (FWRITE | O_TRUNC)) {
		if (vp->v_type == VDIR) {
			error = EISDIR;
			goto bad;
		}
		mode |= VWRITE;
	}
	if (fmode & FREAD)
		mode |= VREAD;
	if (mode) {
		error = VOP_ACCESS(vp, mode, cnp->cn_cred, p);
		if (error)
			goto bad;
	}
	if (fmode & O_TRUNC) {
		vattr_null(&vat);
		vat.va_size = 0;
		error = VOP_SETATTR(vp, &vat, cnp->cn_cred, p);
		if (error)
			goto bad;
	}
	error = VOP_OPEN(vp, fmode, cnp->cn_cred, p);
	if (error)
		goto bad;
	return (0);
bad:
	vput(vp);
	ndp->ni_vp = NULL;
	return (error);
}

/*
 * Vnode close call
 */
int
vn_close(vp, flags, cred, p)
	struct vnode *vp;
	int flags;
	struct ucred *cred;
	struct proc *p;
{
	int error;

	error = VOP_CLOSE(vp, flags, cred, p);
	vrele(vp);
	return (error);
}

/*
 * Package up an I/O request on a vnode into a uio and do it.
 */
int
vn_rdwr(rw, vp, base, len, offset, segflg, ioflg, cred, aresid, p)
	enum uio_rw rw;
	struct vnode *vp;
	caddr_t base;
	int len;
	off_t offset;
	enum uio_seg segflg;
	int ioflg;
	struct ucred *cred;
	int *aresid;
	struct proc *p;
{
	struct uio auio;
	struct iovec aiov;
	int error;

	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
	aiov.iov_base = base;
	aiov.iov_len = len;
	auio.uio_resid = len;
	auio.uio_offset = offset;
	auio.uio_segflg = segflg;
	auio.uio_rw = rw;
	auio.uio_procp = p;
	if (rw == UIO_READ)
		error = VOP_READ(vp, &auio, ioflg, cred);
	else
		error = VOP_WRITE(vp, &auio, ioflg, cred);
	if (aresid)
		*aresid = auio.uio_resid;
	else if (auio.uio_resid && error == 0)
		error = EIO;
	return (error);
}

/*
 * Stat a vnode; implementation for the stat syscall
 */
int
vn_stat(vp, sb, p)
	struct vnode *vp;
	struct stat *sb;
	struct proc *p;
{
	struct vattr vattr;
	struct vattr *vap;
	int error;
	u_short mode;

	vap = &vattr;
	error = VOP_GETATTR(vp, vap, NOCRED, p);
	if (error)
		return (error);
	bzero(sb, sizeof(*sb));
	sb->st_dev = vap->va_fsid;
	sb->st_ino = vap->va_fileid;
	mode = vap->va_mode;
	switch (vap->va_type) {
	case VREG:
		mode |= S_IFREG;
		break;
	case VDIR:
		mode |= S_IFDIR;
		break;
	case VBLK:
		mode |= S_IFBLK;
		break;
	case VCHR:
		mode |= S_IFCHR;
		break;
	case VLNK:
		mode |= S_IFLNK;
		break;
	case VSOCK:
		mode |= S_IFSOCK;
		break;
	case VFIFO:
		mode |= S_IFIFO;
		break;
	default:
		return (EBADF);
	}
	sb->st_mode = mode;
	sb->st_nlink = vap->va_nlink;
	sb->st_uid = vap->va_uid;
	sb->st_gid = vap->va_gid;
	sb->st_rdev = vap->va_rdev;
	sb->st_size = vap->va_size;
	sb->st_atimespec = vap->va_atime;
	sb->st_mtimespec = vap->va_mtime;
	sb->st_ctimespec = vap->va_ctime;
	sb->st_blksize = vap->va_blocksize;
	sb->st_flags = vap->va_flags;
	sb->st_gen = vap->va_gen;
	sb->st_blocks = vap->va_bytes / S_BLKSIZE;
	return (0);
}

/*
 * The fileops of an open vnode: read and write at the file's offset,
 * stat, close.
 */
static int vn_read __P((struct file *fp, struct uio *uio,
	    struct ucred *cred, int flags, struct proc *p));
static int vn_write __P((struct file *fp, struct uio *uio,
	    struct ucred *cred, int flags, struct proc *p));
static int vn_statfile __P((struct file *fp, struct stat *sb,
	    struct proc *p));
static int vn_closefile __P((struct file *fp, struct proc *p));

struct fileops vnops = {
	vn_read,
	vn_write,
	vn_statfile,
	vn_closefile
};

/*
 * File table vnode read routine.
 */
static int
vn_read(fp, uio, cred, flags, p)
	struct file *fp;
	struct uio *uio;
	struct ucred *cred;
	int flags;
	struct proc *p;
{
	struct vnode *vp;
	int error;

	vp = (struct vnode *)fp->f_data;
	if ((flags & FOF_OFFSET) == 0)
		uio->uio_offset = fp->f_offset;
	error = VOP_READ(vp, uio, 0, cred);
	if ((flags & FOF_OFFSET) == 0)
		fp->f_offset = uio->uio_offset;
	return (error);
}

/*
 * File table vnode write routine.
 */
static int
vn_write(fp, uio, cred, flags, p)
	struct file *fp;
	struct uio *uio;
	struct ucred *cred;
	int flags;
	struct proc *p;
{
	struct vnode *vp;
	int error, ioflag;

	vp = (struct vnode *)fp->f_data;
	ioflag = 0;
	if (vp->v_type == VREG && (fp->f_flag & O_APPEND))
		ioflag |= IO_APPEND;
	if ((flags & FOF_OFFSET) == 0)
		uio->uio_offset = fp->f_offset;
	error = VOP_WRITE(vp, uio, ioflag, cred);
	if ((flags & FOF_OFFSET) == 0)
		fp->f_offset = uio->uio_offset;
	return (error);
}

/*
 * File table vnode stat routine.
 */
static int
vn_statfile(fp, sb, p)
	struct file *fp;
	struct stat *sb;
	struct proc *p;
{

	return (vn_stat((struct vnode *)fp->f_data, sb, p));
}

/*
 * File table vnode close routine.
 */
static int
vn_closefile(fp, p)
	struct file *fp;
	struct proc *p;
{

	fp->f_ops = &badfileops;
	return (vn_close((struct vnode *)fp->f_data, fp->f_flag, fp->f_cred,
	    p));
}
