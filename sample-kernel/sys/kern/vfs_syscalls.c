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
 * The file system calls that name files: open, chdir, unlink, mkdir,
 * rename, rmdir, symlink, readlink, chmod, truncate, stat and lstat, and
 * those that work on a vnode descriptor: lseek, ftruncate, fsync and
 * getdirentries.  Each looks the path up
 * with namei() relative to the process's directories; a change to a
 * file system mounted read-only fails with EROFS (from the lookup, or
 * from here before the file system's operation is called).  A name to
 * create, delete or rename is looked up with SAVENAME, so the last
 * component stays for the file system's operation, and NDFREE lets it
 * go.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/fcntl.h>
#include <sys/file.h>
#include <sys/filedesc.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/stat.h>
#include <sys/sysproto.h>
#include <sys/ucred.h>
#include <sys/unistd.h>
#include <sys/vnode.h>

/*
 * Check permissions, allocate an open file structure, and call the
 * device open routine if any.
 */
int
open(p, uap)
	struct proc *p;
	struct open_args *uap;
{
	struct filedesc *fdp;
	struct file *fp;
	struct vnode *vp;
	struct nameidata nd;
	int cmode, flags, oflags, indx, error;

	fdp = p->p_fd;
	oflags = uap->flags;
	if ((oflags & O_ACCMODE) == O_ACCMODE)
		return (EINVAL);
	flags = FFLAGS(oflags);
	error = falloc(p, &fp, &indx);
	if (error)
		return (error);
	cmode = ((uap->mode & ~fdp->fd_cmask) & ALLPERMS) & ~S_ISTXT;
	NDINIT(&nd, LOOKUP, FOLLOW, UIO_USERSPACE, uap->path, p);
	fhold(fp);
	error = vn_open(&nd, flags, cmode);
	if (error) {
		/*
		 * Clean up the descriptor, but only if another thread
		 * hadn't replaced or closed it.
		 */
		if (fdp->fd_ofiles[indx] == fp) {
			fdp->fd_ofiles[indx] = NULL;
			fdrop(fp, p);
		}
		fdrop(fp, p);
		return (error);
	}
	NDFREE(&nd, NDF_ONLY_PNBUF);
	vp = nd.ni_vp;

	fp->f_data = (caddr_t)vp;
	fp->f_flag = flags & FMASK;
	fp->f_ops = &vnops;
	fp->f_type = (vp->v_type == VFIFO ? DTYPE_FIFO : DTYPE_VNODE);
	fdrop(fp, p);
	p->p_retval[0] = indx;
	return (0);
}

/*
 * Change current working directory (``.'').
 */
int
chdir(p, uap)
	struct proc *p;
	struct chdir_args *uap;
{
	struct filedesc *fdp;
	struct nameidata nd;
	struct vnode *vp;
	int error;

	fdp = p->p_fd;
	NDINIT(&nd, LOOKUP, FOLLOW | LOCKLEAF, UIO_USERSPACE, uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	NDFREE(&nd, NDF_ONLY_PNBUF);
	vp = nd.ni_vp;
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else
		error = VOP_ACCESS(vp, VEXEC, p->p_ucred, p);
	if (error) {
		vput(vp);
		return (error);
	}
	if (fdp->fd_cdir != NULL)
		vrele(fdp->fd_cdir);
	fdp->fd_cdir = vp;
	return (0);
}

/*
 * Delete a name from the filesystem.
 */
int
unlink(p, uap)
	struct proc *p;
	struct unlink_args *uap;
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	NDINIT(&nd, DELETE, LOCKPARENT | LOCKLEAF | SAVENAME, UIO_USERSPACE,
	    uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	vp = nd.ni_vp;
	if (vp->v_type == VDIR)
		error = EPERM;		/* POSIX */
	else if (vp->v_mount->mnt_flag & MNT_RDONLY)
		error = EROFS;
	else
		error = VOP_REMOVE(nd.ni_dvp, vp, &nd.ni_cnd);
	NDFREE(&nd, 0);
	return (error);
}

/*
 * Make a directory file.
 */
int
mkdir(p, uap)
	struct proc *p;
	struct mkdir_args *uap;
{
	struct nameidata nd;
	struct vattr vattr;
	struct vnode *vp;
	int error;

	NDINIT(&nd, CREATE, LOCKPARENT | SAVENAME, UIO_USERSPACE, uap->path,
	    p);
	if ((error = namei(&nd)) != 0)
		return (error);
	if (nd.ni_vp != NULL) {
		NDFREE(&nd, 0);
		return (EEXIST);
	}
	vattr_null(&vattr);
	vattr.va_type = VDIR;
	vattr.va_mode = (uap->mode & ACCESSPERMS) & ~p->p_fd->fd_cmask;
	if (nd.ni_dvp->v_mount->mnt_flag & MNT_RDONLY)
		error = EROFS;
	else
		error = VOP_MKDIR(nd.ni_dvp, &vp, &nd.ni_cnd, &vattr);
	NDFREE(&nd, 0);
	if (error == 0)
		vput(vp);
	return (error);
}

/*
 * Remove a directory file.
 */
int
rmdir(p, uap)
	struct proc *p;
	struct rmdir_args *uap;
{
	struct nameidata nd;
	struct vnode *vp;
	int error;

	NDINIT(&nd, DELETE, LOCKPARENT | LOCKLEAF | SAVENAME, UIO_USERSPACE,
	    uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	vp = nd.ni_vp;
	if (vp->v_type != VDIR)
		error = ENOTDIR;
	else if (nd.ni_dvp == vp)
		error = EINVAL;		/* No rmdir "." please. */
	else if (vp->v_flag & VROOT)
		error = EBUSY;		/* The root of a mounted file system. */
	else if (vp->v_mount->mnt_flag & MNT_RDONLY)
		error = EROFS;
	else
		error = VOP_RMDIR(nd.ni_dvp, vp, &nd.ni_cnd);
	NDFREE(&nd, 0);
	return (error);
}

/*
 * Make a symbolic link.
 */
int
symlink(p, uap)
	struct proc *p;
	struct symlink_args *uap;
{
	struct nameidata nd;
	struct vattr vattr;
	struct vnode *vp;
	char *path;
	size_t len;
	int error;

	path = namei_zalloc();
	if ((error = copyinstr(uap->path, path, MAXPATHLEN, &len)) != 0)
		goto out;
	NDINIT(&nd, CREATE, LOCKPARENT | SAVENAME, UIO_USERSPACE, uap->link,
	    p);
	if ((error = namei(&nd)) != 0)
		goto out;
	if (nd.ni_vp != NULL) {
		NDFREE(&nd, 0);
		error = EEXIST;
		goto out;
	}
	vattr_null(&vattr);
	vattr.va_type = VLNK;
	vattr.va_mode = ACCESSPERMS & ~p->p_fd->fd_cmask;
	if (nd.ni_dvp->v_mount->mnt_flag & MNT_RDONLY)
		error = EROFS;
	else
		error = VOP_SYMLINK(nd.ni_dvp, &vp, &nd.ni_cnd, &vattr, path);
	NDFREE(&nd, 0);
	if (error == 0)
		vput(vp);
out:
	namei_zfree(path);
	return (error);
}

/*
 * Sync an open file.
 */
int
fsync(p, uap)
	struct proc *p;
	struct fsync_args *uap;
{
	struct file *fp;
	struct vnode *vp;

	if ((fp = holdfp(p->p_fd, uap->fd, 0)) == NULL)
		return (EBADF);
	if (fp->f_type != DTYPE_VNODE)
		return (EINVAL);
	vp = (struct vnode *)fp->f_data;
	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MNT_RDONLY))
		return (0);
	return (VOP_FSYNC(vp, fp->f_cred, MNT_WAIT, p));
}

/*
 * Rename files.  Source and destination must either both be directories,
 * or both not be directories.  If target is a directory, it must be
 * empty.
 */
int
rename(p, uap)
	struct proc *p;
	struct rename_args *uap;
{
	struct nameidata fromnd, tond;
	struct vnode *fvp, *tvp, *tdvp;
	int error;

	NDINIT(&fromnd, DELETE, WANTPARENT | SAVENAME, UIO_USERSPACE,
	    uap->from, p);
	if ((error = namei(&fromnd)) != 0)
		return (error);
	fvp = fromnd.ni_vp;
	NDINIT(&tond, RENAME, LOCKPARENT | LOCKLEAF | SAVENAME, UIO_USERSPACE,
	    uap->to, p);
	if ((error = namei(&tond)) != 0) {
		NDFREE(&fromnd, 0);
		return (error);
	}
	tdvp = tond.ni_dvp;
	tvp = tond.ni_vp;
	if (tvp != NULL) {
		if (fvp->v_type == VDIR && tvp->v_type != VDIR)
			error = ENOTDIR;
		else if (fvp->v_type != VDIR && tvp->v_type == VDIR)
			error = EISDIR;
	}
	if (error == 0 && fvp->v_mount != tdvp->v_mount)
		error = EXDEV;
	if (error == 0 && (fvp->v_mount->mnt_flag & MNT_RDONLY))
		error = EROFS;
	if (error == 0 && fvp == tvp)
		error = -1;		/* same file: nothing to do */
	if (error == 0)
		error = VOP_RENAME(fromnd.ni_dvp, fvp, &fromnd.ni_cnd,
		    tdvp, tvp, &tond.ni_cnd);
	NDFREE(&tond, 0);
	NDFREE(&fromnd, 0);
	return (error == -1 ? 0 : error);
}

/*
 * The body of stat and lstat, which differ only in following a last
 * symbolic link (the split FreeBSD 5 made as kern_stat).
 */
static int
kern_stat(struct proc *p, char *path, int follow, struct stat *ub)
{
	struct nameidata nd;
	struct stat sb;
	int error;

	NDINIT(&nd, LOOKUP, follow | LOCKLEAF, UIO_USERSPACE, path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	NDFREE(&nd, NDF_ONLY_PNBUF);
	error = vn_stat(nd.ni_vp, &sb, p);
	vput(nd.ni_vp);
	if (error)
		return (error);
	return (copyout(&sb, ub, sizeof(sb)));
}

/*
 * Get file status; this version follows links.
 */
int
stat(p, uap)
	struct proc *p;
	struct stat_args *uap;
{

	return (kern_stat(p, uap->path, FOLLOW, uap->ub));
}

/*
 * Get file status; this version does not follow links.
 */
int
lstat(p, uap)
	struct proc *p;
	struct lstat_args *uap;
{

	return (kern_stat(p, uap->path, NOFOLLOW, uap->ub));
}

/*
 * Return target name of a symbolic link.
 */
int
readlink(p, uap)
	struct proc *p;
	struct readlink_args *uap;
{
	struct vnode *vp;
	struct iovec aiov;
	struct uio auio;
	struct nameidata nd;
	int error;

	if (uap->count < 0)
		return (EINVAL);
	NDINIT(&nd, LOOKUP, NOFOLLOW | LOCKLEAF, UIO_USERSPACE, uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	NDFREE(&nd, NDF_ONLY_PNBUF);
	vp = nd.ni_vp;
	if (vp->v_type != VLNK)
		error = EINVAL;
	else {
		aiov.iov_base = uap->buf;
		aiov.iov_len = uap->count;
		auio.uio_iov = &aiov;
		auio.uio_iovcnt = 1;
		auio.uio_offset = 0;
		auio.uio_rw = UIO_READ;
		auio.uio_segflg = UIO_USERSPACE;
		auio.uio_procp = p;
		auio.uio_resid = uap->count;
		error = VOP_READLINK(vp, &auio, p->p_ucred);
	}
	vput(vp);
	if (error == 0)
		p->p_retval[0] = uap->count - auio.uio_resid;
	return (error);
}

/*
 * Change mode of a file given path name.
 */
int
chmod(p, uap)
	struct proc *p;
	struct chmod_args *uap;
{
	struct nameidata nd;
	struct vattr vattr;
	struct vnode *vp;
	int error;

	NDINIT(&nd, LOOKUP, FOLLOW | LOCKLEAF, UIO_USERSPACE, uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	NDFREE(&nd, NDF_ONLY_PNBUF);
	vp = nd.ni_vp;
	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MNT_RDONLY))
		error = EROFS;
	else {
		vattr_null(&vattr);
		vattr.va_mode = uap->mode & ALLPERMS;
		error = VOP_SETATTR(vp, &vattr, p->p_ucred, p);
	}
	vput(vp);
	return (error);
}

/*
 * Truncate a file given its path name.  A longer length extends the file
 * with zeros; the file system's setattr does both.
 */
int
truncate(p, uap)
	struct proc *p;
	struct truncate_args *uap;
{
	struct nameidata nd;
	struct vattr vattr;
	struct vnode *vp;
	int error;

	if (uap->length < 0)
		return (EINVAL);
	NDINIT(&nd, LOOKUP, FOLLOW | LOCKLEAF, UIO_USERSPACE, uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	NDFREE(&nd, NDF_ONLY_PNBUF);
	vp = nd.ni_vp;
	if (vp->v_type == VDIR)
		error = EISDIR;
	else if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MNT_RDONLY))
		error = EROFS;
	else if ((error = VOP_ACCESS(vp, VWRITE, p->p_ucred, p)) == 0) {
		vattr_null(&vattr);
		vattr.va_size = uap->length;
		error = VOP_SETATTR(vp, &vattr, p->p_ucred, p);
	}
	vput(vp);
	return (error);
}

/*
 * Truncate a file given a file descriptor open for writing.
 */
int
ftruncate(p, uap)
	struct proc *p;
	struct ftruncate_args *uap;
{
	struct file *fp;
	struct vattr vattr;
	struct vnode *vp;

	if (uap->length < 0)
		return (EINVAL);
	if ((fp = holdfp(p->p_fd, uap->fd, 0)) == NULL)
		return (EBADF);
	if (fp->f_type != DTYPE_VNODE || (fp->f_flag & FWRITE) == 0)
		return (EINVAL);
	vp = (struct vnode *)fp->f_data;
	if (vp->v_type == VDIR)
		return (EISDIR);
	if (vp->v_mount != NULL && (vp->v_mount->mnt_flag & MNT_RDONLY))
		return (EROFS);
	vattr_null(&vattr);
	vattr.va_size = uap->length;
	return (VOP_SETATTR(vp, &vattr, fp->f_cred, p));
}

/*
 * Reposition read/write file offset.
 */
int
lseek(p, uap)
	struct proc *p;
	struct lseek_args *uap;
{
	struct file *fp;
	struct vattr vattr;
	struct vnode *vp;
	off_t offset;
	int error;

	if ((fp = holdfp(p->p_fd, uap->fd, 0)) == NULL)
		return (EBADF);
	if (fp->f_type != DTYPE_VNODE)
		return (ESPIPE);
	vp = (struct vnode *)fp->f_data;
	switch (uap->whence) {
	case L_INCR:
		offset = fp->f_offset + uap->offset;
		break;
	case L_XTND:
		error = VOP_GETATTR(vp, &vattr, p->p_ucred, p);
		if (error)
			return (error);
		offset = uap->offset + vattr.va_size;
		break;
	case L_SET:
		offset = uap->offset;
		break;
	default:
		return (EINVAL);
	}
	if (offset < 0)
		return (EINVAL);
	fp->f_offset = offset;
	p->p_retval[0] = (int)offset;
	p->p_retval[1] = (int)(offset >> 32);
	return (0);
}

/*
 * Read a block of directory entries in a file system independent
 * format.
 */
int
getdirentries(p, uap)
	struct proc *p;
	struct getdirentries_args *uap;
{
	struct vnode *vp;
	struct file *fp;
	struct uio auio;
	struct iovec aiov;
	long loff;
	int error, eofflag;

	if ((fp = holdfp(p->p_fd, uap->fd, FREAD)) == NULL)
		return (EBADF);
	if (fp->f_type != DTYPE_VNODE)
		return (EINVAL);
	vp = (struct vnode *)fp->f_data;
	if (vp->v_type != VDIR)
		return (EINVAL);
	aiov.iov_base = uap->buf;
	aiov.iov_len = uap->count;
	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
	auio.uio_rw = UIO_READ;
	auio.uio_segflg = UIO_USERSPACE;
	auio.uio_procp = p;
	auio.uio_resid = uap->count;
	loff = auio.uio_offset = fp->f_offset;
	error = VOP_READDIR(vp, &auio, fp->f_cred, &eofflag, NULL, NULL);
	fp->f_offset = auio.uio_offset;
	if (error)
		return (error);
	if (uap->basep != NULL)
		error = copyout(&loff, uap->basep, sizeof(long));
	p->p_retval[0] = uap->count - auio.uio_resid;
	return (error);
}
