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
 * mount(2) and unmount(2), in the shape of FreeBSD 4's vfs_syscalls.c:
 * mount(type, path, flags, data) looks up the directory to cover, has
 * the file system type's VFS_MOUNT take its arguments from data (for
 * ufs a struct ufs_args naming the device) and hangs the new mount on
 * the directory's v_mountedhere; lookup() then crosses into it.
 * unmount(path, flags) takes the root directory of a mounted file
 * system, writes everything it holds back (VFS_SYNC, then VFS_UNMOUNT,
 * which refuses with EBUSY while any of its vnodes is in use) and
 * uncovers the directory.  The root file system is never unmounted;
 * the others are at shutdown (vfs_unmountall).
 * Every caller is the superuser until processes have credentials.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/sysproto.h>
#include <sys/vnode.h>

/*
 * Mount a file system.
 */
int
mount(p, uap)
	struct proc *p;
	struct mount_args *uap;
{
	struct vnode *vp;
	struct mount *mp;
	struct nameidata nd;
	char fstypename[MFSNAMELEN];
	size_t len;
	int error;

	error = copyinstr(uap->type, fstypename, MFSNAMELEN, &len);
	if (error)
		return (error == ENAMETOOLONG ? ENODEV : error);
	if (vfs_byname(fstypename) == NULL)
		return (ENODEV);
	if (uap->flags & MNT_UPDATE)
		return (EOPNOTSUPP);
	NDINIT(&nd, LOOKUP, FOLLOW | LOCKLEAF, UIO_USERSPACE, uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	NDFREE(&nd, NDF_ONLY_PNBUF);
	vp = nd.ni_vp;
	if (vp->v_type != VDIR) {
		vput(vp);
		return (ENOTDIR);
	}
	if (vp->v_mountedhere != NULL || (vp->v_flag & VROOT)) {
		vput(vp);
		return (EBUSY);
	}
	error = vfs_mountalloc(fstypename, "", &mp);
	if (error) {
		vput(vp);
		return (error);
	}
	mp->mnt_flag &= ~MNT_RDONLY;
	mp->mnt_flag |= uap->flags & (MNT_RDONLY | MNT_FORCE);
	mp->mnt_vnodecovered = vp;
	/* The name it is mounted on, as the user gave it. */
	(void)copyinstr(uap->path, mp->mnt_stat.f_mntonname, MNAMELEN, &len);
	error = VFS_MOUNT(mp, mp->mnt_stat.f_mntonname, uap->data, &nd, p);
	if (error) {
		vfs_mountfree(mp);
		vput(vp);
		return (error);
	}
	/* The covered directory keeps the reference namei gave it. */
	vp->v_mountedhere = mp;
	mp->mnt_next = mountlist;
	mountlist = mp;
	(void)VFS_START(mp, 0, p);
	return (0);
}

/*
 * Unmount a file system.  The name must be the root of a mounted file
 * system.
 */
int
unmount(p, uap)
	struct proc *p;
	struct unmount_args *uap;
{
	struct vnode *vp;
	struct mount *mp;
	struct nameidata nd;
	int error;

	NDINIT(&nd, LOOKUP, FOLLOW | LOCKLEAF, UIO_USERSPACE, uap->path, p);
	if ((error = namei(&nd)) != 0)
		return (error);
	NDFREE(&nd, NDF_ONLY_PNBUF);
	vp = nd.ni_vp;
	mp = vp->v_mount;
	/* Must be the root of the filesystem. */
	if ((vp->v_flag & VROOT) == 0 || mp == NULL) {
		vput(vp);
		return (EINVAL);
	}
	vput(vp);
	if (mp->mnt_flag & MNT_ROOTFS)
		return (EBUSY);
	return (dounmount(mp, uap->flags, p));
}

/*
 * Do the actual file system unmount: write back, let the file system
 * let go of its device, uncover the directory.
 */
int
dounmount(mp, flags, p)
	struct mount *mp;
	int flags;
	struct proc *p;
{
	struct mount **mpp;
	struct vnode *coveredvp;
	int error;

	if ((mp->mnt_flag & MNT_RDONLY) == 0) {
		error = VFS_SYNC(mp, MNT_WAIT, NOCRED, p);
		if (error)
			return (error);
	}
	error = VFS_UNMOUNT(mp, flags, p);
	if (error)
		return (error);
	for (mpp = &mountlist; *mpp != NULL; mpp = &(*mpp)->mnt_next) {
		if (*mpp == mp) {
			*mpp = mp->mnt_next;
			break;
		}
	}
	coveredvp = mp->mnt_vnodecovered;
	if (coveredvp != NULL) {
		coveredvp->v_mountedhere = NULL;
		vrele(coveredvp);
	}
	vfs_mountfree(mp);
	return (0);
}

/*
 * Unmount the file systems at shutdown, the last mounted first, all but
 * the root: their dirty blocks and superblocks reach the disk and they
 * are marked clean.  Vnodes still in use are forced off.
 */
void
vfs_unmountall()
{
	struct mount *mp;
	int error;

	while ((mp = mountlist) != NULL && (mp->mnt_flag & MNT_ROOTFS) == 0) {
		error = dounmount(mp, MNT_FORCE, NULL);
		if (error) {
			printf("unmount of %s failed (error %d)\n",
			    mp->mnt_stat.f_mntonname, error);
			break;
		}
	}
}
