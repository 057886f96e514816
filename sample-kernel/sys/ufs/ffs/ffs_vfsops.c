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
 * Mounting a fast file system: the superblock is read from SBOFF of
 * the device and every field the address arithmetic depends on is
 * checked (ffs_sbcheck) before it is trusted, then each cylinder group's
 * header; a bad one stops the mount with a console line naming what is
 * wrong.  ffs_vget() reads inodes, checking the number against the file
 * system's inode count.  The root is mounted read-only: writing comes
 * with block allocation, which this file system does not have yet.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include <vm/vm.h>
#include <vm/vm_page.h>

#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufsmount.h>
#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/fs.h>
#include <ufs/ffs/ffs_extern.h>

#define	FFS_NMOUNT	2

static struct ufsmount ffs_mounts[FFS_NMOUNT];
static int ffs_nmounts;

extern struct vnode *rootvp;

static int ffs_mount __P((struct mount *mp, char *path, caddr_t data,
	    struct nameidata *ndp, struct proc *p));
static int ffs_mountfs __P((struct vnode *devvp, struct mount *mp,
	    struct proc *p));
static int ffs_unmount __P((struct mount *mp, int mntflags,
	    struct proc *p));
static int ffs_statfs __P((struct mount *mp, struct statfs *sbp,
	    struct proc *p));
static int ffs_log2 __P((int32_t v));

struct vfsops ufs_vfsops = {
	ffs_mount,
	vfs_stdstart,
	ffs_unmount,
	ufs_root,
	ffs_statfs,
	vfs_stdsync,
	ffs_vget,
	ffs_init,
};

/*
 * ffs_mount: with a NULL path, mount the root; other mounts come
 * later.
 */
static int
ffs_mount(mp, path, data, ndp, p)
	struct mount *mp;
	char *path;
	caddr_t data;
	struct nameidata *ndp;
	struct proc *p;
{

	if (path == NULL)
		return (ffs_mountroot(mp, p));
	return (EOPNOTSUPP);
}

/*
 * Mount the root: the vnode of rootdev, then the file system on it.
 */
int
ffs_mountroot(mp, p)
	struct mount *mp;
	struct proc *p;
{
	int error;

	if ((error = bdevvp(rootdev, &rootvp)) != 0) {
		printf("ffs_mountroot: can't find rootvp\n");
		return (error);
	}
	if ((error = ffs_mountfs(rootvp, mp, p)) != 0) {
		vrele(rootvp);
		rootvp = NULL;
		return (error);
	}
	(void)VFS_STATFS(mp, &mp->mnt_stat, p);
	return (0);
}

/* log2 of a power of two, or -1. */
static int
ffs_log2(v)
	int32_t v;
{
	int n;

	if (v <= 0 || (v & (v - 1)) != 0)
		return (-1);
	for (n = 0; (1 << n) != v; n++)
		continue;
	return (n);
}

/*
 * Check a superblock read from a device of nsect DEV_BSIZE sectors
 * (or -1 when unknown): 0, or EINVAL after a console line saying what
 * is wrong.
 */
int
ffs_sbcheck(fs, nsect, devname)
	struct fs *fs;
	daddr_t nsect;
	const char *devname;
{
	const char *why;
	int bshift, fshift;

	why = NULL;
	bshift = ffs_log2(fs->fs_bsize);
	fshift = ffs_log2(fs->fs_fsize);
	if (fs->fs_magic != FS_MAGIC) {
		printf("ffs_mountfs: %s: bad superblock magic 0x%x (want "
		    "0x%x): not a UFS1 file system\n", devname, fs->fs_magic,
		    FS_MAGIC);
		return (EINVAL);
	}
	if (bshift < 0 || fs->fs_bsize < MINBSIZE || fs->fs_bsize > MAXBSIZE)
		why = "block size";
	else if (fshift < DEV_BSHIFT || fs->fs_fsize > fs->fs_bsize ||
	    fs->fs_bsize / fs->fs_fsize > MAXFRAG)
		why = "fragment size";
	else if (fs->fs_bshift != bshift || fs->fs_fshift != fshift ||
	    fs->fs_frag != fs->fs_bsize / fs->fs_fsize ||
	    fs->fs_fragshift != bshift - fshift ||
	    fs->fs_fsbtodb != fshift - DEV_BSHIFT)
		why = "block and fragment shifts";
	else if (fs->fs_bmask != ~(fs->fs_bsize - 1) ||
	    fs->fs_fmask != ~(fs->fs_fsize - 1) ||
	    fs->fs_qbmask != (int64_t)(fs->fs_bsize - 1) ||
	    fs->fs_qfmask != (int64_t)(fs->fs_fsize - 1))
		why = "block and fragment masks";
	else if (fs->fs_nindir != fs->fs_bsize / (int)sizeof(ufs_daddr_t) ||
	    fs->fs_inopb != fs->fs_bsize / (int)sizeof(struct dinode))
		why = "pointers or inodes per block";
	else if (fs->fs_sbsize < (int)sizeof(struct fs) - 1 ||
	    fs->fs_sbsize > SBSIZE)
		why = "superblock size";
	else if (fs->fs_ncg < 1 || fs->fs_fpg < fs->fs_frag ||
	    fs->fs_ipg < fs->fs_inopb || fs->fs_ipg % fs->fs_inopb != 0 ||
	    fs->fs_size < 1 ||
	    (int64_t)fs->fs_ncg * fs->fs_fpg < (int64_t)fs->fs_size ||
	    (int64_t)fs->fs_ncg * fs->fs_ipg > 0x7fffffff)
		why = "cylinder group geometry";
	else if (fs->fs_sblkno < 0 || fs->fs_cblkno < 0 ||
	    fs->fs_iblkno < fs->fs_cblkno || fs->fs_dblkno < fs->fs_iblkno ||
	    fs->fs_dblkno > fs->fs_fpg || fs->fs_cgsize < (int)sizeof(struct cg) ||
	    fs->fs_cgsize > fs->fs_bsize)
		why = "cylinder group layout";
	else if (fs->fs_inodefmt != FS_44INODEFMT ||
	    fs->fs_maxsymlinklen < 0 ||
	    fs->fs_maxsymlinklen > (int)MAXSYMLINKLEN)
		why = "inode format";
	else if (nsect >= 0 &&
	    ((int64_t)fs->fs_size << fs->fs_fsbtodb) > (int64_t)nsect)
		why = "size (larger than its device)";
	if (why != NULL) {
		printf("ffs_mountfs: %s: superblock has a bad %s\n", devname,
		    why);
		return (EINVAL);
	}
	return (0);
}

/*
 * Common code for mount and mountroot
 */
static int
ffs_mountfs(devvp, mp, p)
	struct vnode *devvp;
	struct mount *mp;
	struct proc *p;
{
	struct ufsmount *ump;
	struct buf *bp;
	struct fs *fs;
	struct cg *cgp;
	struct cdevsw *sw;
	const char *devname;
	daddr_t nsect;
	dev_t dev;
	int error, c;

	dev = devvp->v_rdev;
	devname = mp->mnt_stat.f_mntfromname;
	sw = devsw(dev);
	nsect = (sw != NULL && sw->d_psize != NULL) ? (*sw->d_psize)(dev) : -1;
	if (nsect >= 0 && nsect < btodb(SBOFF + SBSIZE)) {
		printf("ffs_mountfs: %s: %d sectors, too small for a file "
		    "system\n", devname, nsect);
		return (EINVAL);
	}
	if (ffs_nmounts >= FFS_NMOUNT)
		return (ENOMEM);

	error = bread(devvp, SBLOCK, SBSIZE, NOCRED, &bp);
	if (error) {
		printf("ffs_mountfs: %s: cannot read the superblock "
		    "(error %d)\n", devname, error);
		brelse(bp);
		return (error);
	}
	if ((error = ffs_sbcheck((struct fs *)bp->b_data, nsect,
	    devname)) != 0) {
		brelse(bp);
		return (error);
	}
	fs = (struct fs *)bp->b_data;
	c = fs->fs_sbsize;
	fs = (struct fs *)kmem_alloc(SBSIZE);
	bcopy(bp->b_data, (caddr_t)fs, (u_int)c);
	brelse(bp);
	fs->fs_ronly = 1;
	fs->fs_fmod = 0;
	fs->fs_csp = NULL;
	fs->fs_maxcluster = NULL;

	/* The cylinder groups, as far as reading needs them: each valid. */
	for (c = 0; c < fs->fs_ncg; c++) {
		if (cgtod(fs, c) + fs->fs_frag > fs->fs_size) {
			printf("ffs_mountfs: %s: cylinder group %d lies past "
			    "the end of the file system\n", devname, c);
			return (EINVAL);
		}
		error = bread(devvp, fsbtodb(fs, cgtod(fs, c)),
		    (int)fragroundup(fs, (off_t)fs->fs_cgsize), NOCRED, &bp);
		if (error) {
			brelse(bp);
			return (error);
		}
		cgp = (struct cg *)bp->b_data;
		if (!cg_chkmagic(cgp) || cgp->cg_cgx != c) {
			printf("ffs_mountfs: %s: cylinder group %d has a bad "
			    "header (magic 0x%x)\n", devname, c, cgp->cg_magic);
			brelse(bp);
			return (EINVAL);
		}
		brelse(bp);
	}

	ump = &ffs_mounts[ffs_nmounts++];
	bzero(ump, sizeof(*ump));
	mp->mnt_data = (qaddr_t)ump;
	mp->mnt_stat.f_fsid.val[0] = dev;
	mp->mnt_stat.f_fsid.val[1] = mp->mnt_vfc->vfc_typenum;
	mp->mnt_stat.f_iosize = fs->fs_bsize;
	mp->mnt_maxsymlinklen = fs->fs_maxsymlinklen;
	mp->mnt_flag |= MNT_LOCAL | MNT_RDONLY;
	ump->um_mountp = mp;
	ump->um_dev = dev;
	ump->um_devvp = devvp;
	ump->um_fs = fs;
	ump->um_nindir = fs->fs_nindir;
	ump->um_bptrtodb = fs->fs_fsbtodb;
	ump->um_seqinc = fs->fs_frag;
	ump->um_nsectors = nsect;
	return (0);
}

static int
ffs_unmount(mp, mntflags, p)
	struct mount *mp;
	int mntflags;
	struct proc *p;
{

	return (EBUSY);
}

/*
 * Get file system statistics.
 */
static int
ffs_statfs(mp, sbp, p)
	struct mount *mp;
	struct statfs *sbp;
	struct proc *p;
{
	struct ufsmount *ump;
	struct fs *fs;

	ump = VFSTOUFS(mp);
	fs = ump->um_fs;
	sbp->f_bsize = fs->fs_fsize;
	sbp->f_iosize = fs->fs_bsize;
	sbp->f_blocks = fs->fs_dsize;
	sbp->f_bfree = fs->fs_cstotal.cs_nbfree * fs->fs_frag +
	    fs->fs_cstotal.cs_nffree;
	sbp->f_bavail = sbp->f_bfree;
	sbp->f_files = fs->fs_ncg * fs->fs_ipg - ROOTINO;
	sbp->f_ffree = fs->fs_cstotal.cs_nifree;
	sbp->f_flags = mp->mnt_flag;
	return (0);
}

/*
 * Look up a FFS dinode number to find its incore vnode, otherwise read
 * it in from disk.  The vnode comes back referenced.
 */
int
ffs_vget(mp, ino, vpp)
	struct mount *mp;
	ino_t ino;
	struct vnode **vpp;
{
	struct ufsmount *ump;
	struct fs *fs;
	struct inode *ip;
	struct buf *bp;
	struct vnode *vp;
	ufs_daddr_t fsba;
	dev_t dev;
	int error;

	ump = VFSTOUFS(mp);
	dev = ump->um_dev;
	if ((*vpp = ufs_ihashget(dev, ino)) != NULL)
		return (0);
	fs = ump->um_fs;
	if (ino < ROOTINO || ino >= (ino_t)(fs->fs_ncg * fs->fs_ipg)) {
		printf("ffs_vget: inode %u is out of range (the file system "
		    "has %d)\n", ino, fs->fs_ncg * fs->fs_ipg);
		return (EINVAL);
	}
	fsba = ino_to_fsba(fs, ino);
	if (fsba < 0 || fsba + fs->fs_frag > fs->fs_size) {
		printf("ffs_vget: inode %u lies past the end of the file "
		    "system\n", ino);
		return (EINVAL);
	}

	/* Allocate a new vnode/inode. */
	error = getnewvnode(VT_UFS, mp, ffs_vnodeop_p, &vp);
	if (error)
		return (error);
	ip = ufs_inode_alloc();
	if (ip == NULL)
		panic("ffs_vget: no free inode for a new vnode");
	vp->v_data = ip;
	ip->i_vnode = vp;
	ip->i_fs = fs;
	ip->i_dev = dev;
	ip->i_number = ino;
	ip->i_devvp = ump->um_devvp;
	ip->i_ump = ump;

	/*
	 * Put it onto its hash chain, so that a second lookup of the same
	 * inode finds this one.
	 */
	ufs_ihashins(ip);

	/* Read in the disk contents for the inode, copy into the inode. */
	error = bread(ump->um_devvp, fsbtodb(fs, fsba), (int)fs->fs_bsize,
	    NOCRED, &bp);
	if (error) {
		/*
		 * The inode does not contain anything useful, so it would
		 * be misleading to leave it on its hash chain.
		 */
		brelse(bp);
		vgone(vp);
		vrele(vp);
		*vpp = NULL;
		return (error);
	}
	ip->i_din = *((struct dinode *)bp->b_data + ino_to_fsbo(fs, ino));
	brelse(bp);

	/* Initialize the vnode from the inode. */
	error = ufs_vinit(mp, NULL, NULL, &vp);
	if (error) {
		vgone(vp);
		vrele(vp);
		*vpp = NULL;
		return (error);
	}
	*vpp = vp;
	return (0);
}

int
ffs_init(vfsp)
	struct vfsconf *vfsp;
{

	ufs_ihashinit();
	return (0);
}
