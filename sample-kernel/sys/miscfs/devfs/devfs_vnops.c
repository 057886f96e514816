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
 * The device file system: the disks the drivers registered (md0, xbd0,
 * ...) as block special files in /dev, so that a program can open
 * /dev/xbd0 (newfs(8) writes its file system through it) and mount(2)
 * can name it.  In the shape of FreeBSD 5's devfs, cut down to one flat
 * directory: devfs_mountdev() mounts it on the root file system's /dev
 * once the root is mounted (FreeBSD 5's vfs_mountroot does the same),
 * when the root has a /dev directory to cover; a root without one keeps
 * no devfs, and nothing else changes.  Each disk gets one block-device
 * vnode (bdevvp, spec_vnops) the first time it is looked up; devfs holds
 * a reference to it for good, so every open of /dev/xbd0 meets the same
 * vnode and the same buffers.  The names are read-only: nothing is made
 * or removed in /dev.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/conf.h>
#include <sys/dirent.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#define	DEVFS_NDEVS	8		/* as many as kern_conf's disks */
#define	DEVFS_ROOTINO	2		/* the directory's file number */
#define	DEVFS_DIRBLKSIZ	512
#define	DEVFS_FSID	0xde7f5		/* st_dev of /dev: no disk's */		/* one directory block, as UFS's */

static int devfs_lookup __P((void *));
static int devfs_access __P((void *));
static int devfs_getattr __P((void *));
static int devfs_readdir __P((void *));
static int devfs_vfs_root __P((struct mount *mp, struct vnode **vpp));
static int devfs_vfs_statfs __P((struct mount *mp, struct statfs *sbp,
	    struct proc *p));

vop_t **devfs_vnodeop_p;
static void devfs_copyname __P((char *to, const char *from, int len));

static struct vnodeopv_entry_desc devfs_vnodeop_entries[] = {
	{ &vop_default_desc,		(vop_t *)vop_defaultop },
	{ &vop_lookup_desc,		(vop_t *)devfs_lookup },
	{ &vop_open_desc,		(vop_t *)vop_null },
	{ &vop_close_desc,		(vop_t *)vop_null },
	{ &vop_access_desc,		(vop_t *)devfs_access },
	{ &vop_getattr_desc,		(vop_t *)devfs_getattr },
	{ &vop_readdir_desc,		(vop_t *)devfs_readdir },
	{ &vop_inactive_desc,		(vop_t *)vop_null },
	{ &vop_reclaim_desc,		(vop_t *)vop_null },
	{ NULL, NULL }
};
static struct vnodeopv_desc devfs_vnodeop_opv_desc =
	{ &devfs_vnodeop_p, devfs_vnodeop_entries };

static struct vfsops devfs_vfsops = {
	NULL,				/* mount: devfs_mountdev instead */
	vfs_stdstart,
	NULL,				/* unmount: never */
	devfs_vfs_root,
	devfs_vfs_statfs,
	vfs_stdsync,
	NULL,				/* vget */
	NULL				/* init */
};

static struct mount devfs_mount;
static struct vnode *devfs_rootvp;
static struct devfs_dev {
	dev_t		dd_dev;
	struct vnode	*dd_vp;
} devfs_devs[DEVFS_NDEVS];

/*
 * Mount devfs on the root's /dev, if it has one.
 */
void
devfs_mountdev(dummy)
	void *dummy;
{
	struct nameidata nd;
	struct vnode *dvp, *vp;
	int error;

	if (rootvnode == NULL)
		return;
	NDINIT(&nd, LOOKUP, FOLLOW | LOCKLEAF, UIO_SYSSPACE, "/dev", NULL);
	if (namei(&nd) != 0)
		return;
	NDFREE(&nd, NDF_ONLY_PNBUF);
	dvp = nd.ni_vp;
	if (dvp->v_type != VDIR || dvp->v_mountedhere != NULL) {
		vput(dvp);
		return;
	}
	vfs_opv_init(&devfs_vnodeop_opv_desc);
	error = getnewvnode(VT_NON, &devfs_mount, devfs_vnodeop_p, &vp);
	if (error) {
		printf("devfs: no vnode for /dev: %d\n", error);
		vput(dvp);
		return;
	}
	vp->v_type = VDIR;
	vp->v_flag |= VROOT;
	devfs_rootvp = vp;

	devfs_mount.mnt_op = &devfs_vfsops;
	devfs_mount.mnt_vnodecovered = dvp;	/* keeps its reference */
	devfs_mount.mnt_flag = MNT_LOCAL;
	devfs_copyname(devfs_mount.mnt_stat.f_fstypename, "devfs", MFSNAMELEN);
	devfs_copyname(devfs_mount.mnt_stat.f_mntonname, "/dev", MNAMELEN);
	devfs_copyname(devfs_mount.mnt_stat.f_mntfromname, "devfs", MNAMELEN);
	dvp->v_mountedhere = &devfs_mount;
}

static void
devfs_copyname(to, from, len)
	char *to;
	const char *from;
	int len;
{
	int i;

	for (i = 0; i < len - 1 && from[i] != '\0'; i++)
		to[i] = from[i];
	to[i] = '\0';
}

static int
devfs_vfs_root(mp, vpp)
	struct mount *mp;
	struct vnode **vpp;
{

	vref(devfs_rootvp);
	*vpp = devfs_rootvp;
	return (0);
}

static int
devfs_vfs_statfs(mp, sbp, p)
	struct mount *mp;
	struct statfs *sbp;
	struct proc *p;
{

	*sbp = mp->mnt_stat;
	return (0);
}

/*
 * The vnode of the disk named by cnp (kept referenced by devfs), or
 * ENOENT.
 */
static int
devfs_lookup(v)
	void *v;
{
	struct vop_lookup_args *ap;
	struct componentname *cnp;
	struct devfs_dev *dd;
	char name[16];
	dev_t dev;
	int error, i;

	ap = v;
	cnp = ap->a_cnp;
	*ap->a_vpp = NULL;
	if (cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.') {
		vref(ap->a_dvp);
		*ap->a_vpp = ap->a_dvp;
		return (0);
	}
	if (cnp->cn_namelen >= (long)sizeof(name))
		return (ENOENT);
	for (i = 0; i < cnp->cn_namelen; i++)
		name[i] = cnp->cn_nameptr[i];
	name[i] = '\0';
	dev = disk_lookup(name);
	if (dev == NODEV)
		return ((cnp->cn_flags & ISLASTCN) && cnp->cn_nameiop != LOOKUP ?
		    EROFS : ENOENT);
	for (i = 0, dd = devfs_devs; i < DEVFS_NDEVS; i++, dd++)
		if (dd->dd_vp == NULL || dd->dd_dev == dev)
			break;
	if (i == DEVFS_NDEVS)
		return (ENFILE);
	if (dd->dd_vp == NULL) {
		if ((error = bdevvp(dev, &dd->dd_vp)) != 0)
			return (error);
		dd->dd_dev = dev;
	}
	vref(dd->dd_vp);
	*ap->a_vpp = dd->dd_vp;
	return (0);
}

/*
 * The directory can be read and searched, not written.
 */
static int
devfs_access(v)
	void *v;
{
	struct vop_access_args *ap;

	ap = v;
	return ((ap->a_mode & VWRITE) ? EROFS : 0);
}

static int
devfs_getattr(v)
	void *v;
{
	struct vop_getattr_args *ap;

	ap = v;
	vattr_null(ap->a_vap);
	ap->a_vap->va_type = VDIR;
	ap->a_vap->va_mode = 0555;
	ap->a_vap->va_nlink = 2;
	ap->a_vap->va_uid = 0;
	ap->a_vap->va_gid = 0;
	ap->a_vap->va_fileid = DEVFS_ROOTINO;
	ap->a_vap->va_fsid = DEVFS_FSID;
	ap->a_vap->va_size = DEVFS_DIRBLKSIZ;
	ap->a_vap->va_blocksize = DEVFS_DIRBLKSIZ;
	ap->a_vap->va_bytes = 0;
	ap->a_vap->va_rdev = NODEV;
	return (0);
}

/*
 * One block of entries: ".", ".." and a block special file per disk.
 */
static int
devfs_readdir(v)
	void *v;
{
	struct vop_readdir_args *ap;
	struct dirent *dp, *last;
	char block[DEVFS_DIRBLKSIZ];
	const char *name;
	dev_t dev;
	int off, i, n;

	ap = v;
	bzero(block, sizeof(block));
	off = 0;
	last = NULL;
	for (i = -2; ; i++) {
		if (i == -2)
			name = ".";
		else if (i == -1)
			name = "..";
		else if ((name = disk_name(i, &dev)) == NULL)
			break;
		dp = (struct dirent *)(block + off);
		dp->d_fileno = i < 0 ? DEVFS_ROOTINO : DEVFS_ROOTINO + 1 + i;
		dp->d_type = i < 0 ? DT_DIR : DT_BLK;
		dp->d_namlen = strlen(name);
		dp->d_reclen = GENERIC_DIRSIZ(dp);
		if (off + dp->d_reclen > DEVFS_DIRBLKSIZ) {
			bzero(dp, DEVFS_DIRBLKSIZ - off);
			break;
		}
		bcopy(name, dp->d_name, dp->d_namlen);
		off += dp->d_reclen;
		last = dp;
	}
	/* The last entry takes the rest of the block, as in UFS. */
	if (last != NULL)
		last->d_reclen += DEVFS_DIRBLKSIZ - off;
	if (ap->a_eofflag != NULL)
		*ap->a_eofflag = 1;
	if (ap->a_uio->uio_offset < 0)
		return (EINVAL);
	if (ap->a_uio->uio_offset >= DEVFS_DIRBLKSIZ)
		return (0);
	n = DEVFS_DIRBLKSIZ - (int)ap->a_uio->uio_offset;
	if (n > ap->a_uio->uio_resid)
		n = ap->a_uio->uio_resid;
	return (uiomove(block + ap->a_uio->uio_offset, n, ap->a_uio));
}
