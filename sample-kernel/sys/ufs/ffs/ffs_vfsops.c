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
 * system's inode count.  The root is mounted read-only; mount(2) can
 * mount a disk read-write, which reads the cylinder group summaries
 * into fs_csp and marks the superblock not clean on the disk until
 * ffs_unmount writes everything back and marks it clean again (a
 * read-only device refuses that first write, and the mount fails with
 * EROFS).  ffs_sync writes every changed inode and delayed block, then
 * the summaries and the superblock (ffs_sbupdate).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/malloc.h>
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

#define	FFS_NMOUNT	4

MALLOC_DEFINE(M_UFSMNT, "UFS mount", "UFS mount structure");

static struct ufsmount ffs_mounts[FFS_NMOUNT];

extern struct vnode *rootvp;

static int ffs_mount __P((struct mount *mp, char *path, caddr_t data,
	    struct nameidata *ndp, struct proc *p));
static int ffs_mountfs __P((struct vnode *devvp, struct mount *mp,
	    struct proc *p, int isroot));
static int ffs_sync __P((struct mount *mp, int waitfor,
	    struct ucred *cred, struct proc *p));
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
	ffs_sync,
	ffs_vget,
	ffs_init,
};

/*
 * ffs_mount: with a NULL path, mount the root; else the device data's
 * struct ufs_args names, read-only or not as mp's flags say.
 */
static int
ffs_mount(mp, path, data, ndp, p)
	struct mount *mp;
	char *path;
	caddr_t data;
	struct nameidata *ndp;
	struct proc *p;
{
	struct ufs_args args;
	struct vnode *devvp;
	size_t len;
	dev_t dev;
	int error, i;

	if (path == NULL)
		return (ffs_mountroot(mp, p));
	if ((error = copyin(data, (caddr_t)&args, sizeof(args))) != 0)
		return (error);
	error = copyinstr(args.fspec, mp->mnt_stat.f_mntfromname, MNAMELEN,
	    &len);
	if (error)
		return (error);
	dev = disk_lookup(mp->mnt_stat.f_mntfromname);
	if (dev == NODEV)
		return (ENXIO);
	/* A disk is mounted once (the root's too). */
	if (dev == rootdev)
		return (EBUSY);
	for (i = 0; i < FFS_NMOUNT; i++)
		if (ffs_mounts[i].um_mountp != NULL &&
		    ffs_mounts[i].um_dev == dev)
			return (EBUSY);
	if ((error = bdevvp(dev, &devvp)) != 0)
		return (error);
	error = ffs_mountfs(devvp, mp, p, 0);
	if (error) {
		/* The blocks read stay with no vnode to name them. */
		vinvalbuf(devvp);
		vrele(devvp);
		return (error);
	}
	(void)VFS_STATFS(mp, &mp->mnt_stat, p);
	return (0);
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
	if ((error = ffs_mountfs(rootvp, mp, p, 1)) != 0) {
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
ffs_mountfs(devvp, mp, p, isroot)
	struct vnode *devvp;
	struct mount *mp;
	struct proc *p;
	int isroot;
{
	struct ufsmount *ump;
	struct buf *bp;
	struct fs *fs;
	struct cg *cgp;
	struct cdevsw *sw;
	const char *devname;
	caddr_t space;
	daddr_t nsect;
	dev_t dev;
	int error, c, i, ronly, size, blks;

	dev = devvp->v_rdev;
	devname = mp->mnt_stat.f_mntfromname;
	sw = devsw(dev);
	nsect = (sw != NULL && sw->d_psize != NULL) ? (*sw->d_psize)(dev) : -1;
	if (nsect >= 0 && nsect < btodb(SBOFF + SBSIZE)) {
		printf("ffs_mountfs: %s: %d sectors, too small for a file "
		    "system\n", devname, nsect);
		return (EINVAL);
	}
	for (i = 0; i < FFS_NMOUNT && ffs_mounts[i].um_mountp != NULL; i++)
		continue;
	if (i == FFS_NMOUNT)
		return (ENOMEM);
	ump = &ffs_mounts[i];
	ronly = (mp->mnt_flag & MNT_RDONLY) != 0;

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
	/* The root's copy stays for good; another mount's goes with it. */
	if (isroot)
		fs = (struct fs *)kmem_alloc(SBSIZE);
	else
		fs = (struct fs *)malloc(SBSIZE, M_UFSMNT, M_WAITOK | M_ZERO);
	bcopy(bp->b_data, (caddr_t)fs, (u_int)c);
	brelse(bp);
	fs->fs_ronly = ronly;
	fs->fs_fmod = 0;
	fs->fs_csp = NULL;
	fs->fs_maxcluster = NULL;
	if (!ronly && !fs->fs_clean && (mp->mnt_flag & MNT_FORCE) == 0) {
		printf("WARNING: R/W mount of %s denied.  Filesystem is not "
		    "clean - run fsck\n", devname);
		error = EPERM;
		goto out;
	}

	/* The cylinder groups, as far as reading needs them: each valid. */
	for (c = 0; c < fs->fs_ncg; c++) {
		if (cgtod(fs, c) + fs->fs_frag > fs->fs_size) {
			printf("ffs_mountfs: %s: cylinder group %d lies past "
			    "the end of the file system\n", devname, c);
			error = EINVAL;
			goto out;
		}
		error = bread(devvp, fsbtodb(fs, cgtod(fs, c)),
		    (int)fragroundup(fs, (off_t)fs->fs_cgsize), NOCRED, &bp);
		if (error) {
			brelse(bp);
			goto out;
		}
		cgp = (struct cg *)bp->b_data;
		if (!cg_chkmagic(cgp) || cgp->cg_cgx != c) {
			printf("ffs_mountfs: %s: cylinder group %d has a bad "
			    "header (magic 0x%x)\n", devname, c, cgp->cg_magic);
			brelse(bp);
			error = EINVAL;
			goto out;
		}
		brelse(bp);
	}

	/*
	 * Writing needs the summary of every group: the area at
	 * fs_csaddr, fs_cssize bytes, read a block at a time.
	 */
	if (!ronly) {
		blks = howmany(fs->fs_cssize, fs->fs_fsize);
		if (fs->fs_csaddr < 0 || fs->fs_cssize <
		    fs->fs_ncg * (int)sizeof(struct csum) ||
		    fs->fs_csaddr + blks > fs->fs_size) {
			printf("ffs_mountfs: %s: superblock has a bad summary "
			    "area\n", devname);
			error = EINVAL;
			goto out;
		}
		space = (caddr_t)malloc((u_long)blks * fs->fs_fsize, M_UFSMNT,
		    M_WAITOK | M_ZERO);
		fs->fs_csp = (struct csum *)space;
		for (i = 0; i < blks; i += fs->fs_frag) {
			size = fs->fs_bsize;
			if (i + fs->fs_frag > blks)
				size = (blks - i) * fs->fs_fsize;
			error = bread(devvp, fsbtodb(fs, fs->fs_csaddr + i),
			    size, NOCRED, &bp);
			if (error) {
				brelse(bp);
				goto out;
			}
			bcopy(bp->b_data, space, (u_int)size);
			space += size;
			brelse(bp);
		}
	}

	bzero(ump, sizeof(*ump));
	mp->mnt_data = (qaddr_t)ump;
	mp->mnt_stat.f_fsid.val[0] = dev;
	mp->mnt_stat.f_fsid.val[1] = mp->mnt_vfc->vfc_typenum;
	mp->mnt_stat.f_iosize = fs->fs_bsize;
	mp->mnt_maxsymlinklen = fs->fs_maxsymlinklen;
	mp->mnt_flag |= MNT_LOCAL;
	if (ronly)
		mp->mnt_flag |= MNT_RDONLY;
	ump->um_mountp = mp;
	ump->um_dev = dev;
	ump->um_devvp = devvp;
	ump->um_fs = fs;
	ump->um_nindir = fs->fs_nindir;
	ump->um_bptrtodb = fs->fs_fsbtodb;
	ump->um_seqinc = fs->fs_frag;
	ump->um_nsectors = nsect;
	for (i = 0; i < MAXMNTLEN - 1 &&
	    mp->mnt_stat.f_mntonname[i] != '\0'; i++)
		fs->fs_fsmnt[i] = mp->mnt_stat.f_mntonname[i];
	fs->fs_fsmnt[i] = '\0';
	if (!ronly) {
		/* Not clean on the disk while mounted read-write. */
		fs->fs_clean = 0;
		if ((error = ffs_sbupdate(ump, MNT_WAIT)) != 0) {
			printf("ffs_mountfs: %s: cannot write the superblock "
			    "(error %d)\n", devname, error);
			bzero(ump, sizeof(*ump));
			mp->mnt_data = NULL;
			goto out;
		}
	}
	return (0);
out:
	if (!isroot) {
		if (fs->fs_csp != NULL)
			free(fs->fs_csp, M_UFSMNT);
		free(fs, M_UFSMNT);
	}
	return (error);
}

/*
 * Unmount: every vnode of the mount must be unused (else EBUSY); the
 * superblock is marked clean and written with the summaries, then the
 * device's cached blocks are written and forgotten.
 */
static int
ffs_unmount(mp, mntflags, p)
	struct mount *mp;
	int mntflags;
	struct proc *p;
{
	struct ufsmount *ump;
	struct fs *fs;
	int error;

	ump = VFSTOUFS(mp);
	fs = ump->um_fs;
	if (mp->mnt_flag & MNT_ROOTFS)
		return (EBUSY);
	if ((error = vflush(mp, 0, mntflags & MNT_FORCE)) != 0)
		return (error);
	if (!fs->fs_ronly) {
		fs->fs_clean = 1;
		if ((error = ffs_sbupdate(ump, MNT_WAIT)) != 0) {
			fs->fs_clean = 0;
			return (error);
		}
	}
	error = vflushbuf(ump->um_devvp);
	vinvalbuf(ump->um_devvp);
	vrele(ump->um_devvp);
	if (fs->fs_csp != NULL)
		free(fs->fs_csp, M_UFSMNT);
	free(fs, M_UFSMNT);
	bzero(ump, sizeof(*ump));
	mp->mnt_data = NULL;
	return (error);
}

/*
 * Go through the disk queues to initiate sandbagged IO; go through the
 * inodes to write those that have been modified; initiate the writing
 * of the super block if it has been modified.
 */
static int
ffs_sync(mp, waitfor, cred, p)
	struct mount *mp;
	int waitfor;
	struct ucred *cred;
	struct proc *p;
{
	struct ufsmount *ump;
	struct vnode *vp;
	struct inode *ip;
	struct fs *fs;
	int error, allerror;

	ump = VFSTOUFS(mp);
	fs = ump->um_fs;
	if (fs->fs_ronly)
		return (0);
	allerror = 0;
	for (vp = mp->mnt_vnodelist; vp != NULL; vp = vp->v_mntnext) {
		ip = VTOI(vp);
		if (ip == NULL || vp->v_type == VNON || vp->v_type == VBAD)
			continue;
		if ((error = vflushbuf(vp)) != 0 && allerror == 0)
			allerror = error;
		if ((ip->i_flag &
		    (IN_ACCESS | IN_CHANGE | IN_MODIFIED | IN_UPDATE)) &&
		    (error = ffs_update(vp, 0)) != 0 && allerror == 0)
			allerror = error;
	}
	if ((error = vflushbuf(ump->um_devvp)) != 0 && allerror == 0)
		allerror = error;
	if (fs->fs_fmod != 0 &&
	    (error = ffs_sbupdate(ump, waitfor)) != 0 && allerror == 0)
		allerror = error;
	return (allerror);
}

/*
 * Write a superblock and associated information back to disk: the
 * cylinder group summaries at fs_csaddr, then the superblock at SBOFF,
 * without the in-core pointers (bytes 728-855 of it).
 */
int
ffs_sbupdate(ump, waitfor)
	struct ufsmount *ump;
	int waitfor;
{
	struct fs *fs, *dfs;
	struct buf *bp;
	caddr_t space;
	int i, size, blks, error, allerror;

	fs = ump->um_fs;
	allerror = 0;
	/* First write back the summary information. */
	blks = howmany(fs->fs_cssize, fs->fs_fsize);
	space = (caddr_t)fs->fs_csp;
	for (i = 0; space != NULL && i < blks; i += fs->fs_frag) {
		size = fs->fs_bsize;
		if (i + fs->fs_frag > blks)
			size = (blks - i) * fs->fs_fsize;
		bp = getblk(ump->um_devvp, fsbtodb(fs, fs->fs_csaddr + i),
		    size, 0, 0);
		bcopy(space, bp->b_data, (u_int)size);
		space += size;
		if ((error = bwrite(bp)) != 0 && allerror == 0)
			allerror = error;
	}
	if (allerror)
		return (allerror);
	/* Now write back the superblock itself. */
	error = bread(ump->um_devvp, SBLOCK, SBSIZE, NOCRED, &bp);
	if (error) {
		brelse(bp);
		return (error);
	}
	fs->fs_fmod = 0;
	bcopy((caddr_t)fs, bp->b_data, (u_int)fs->fs_sbsize);
	dfs = (struct fs *)bp->b_data;
	bzero((caddr_t)dfs->fs_ocsp, sizeof(dfs->fs_ocsp));
	dfs->fs_csp = NULL;
	dfs->fs_maxcluster = NULL;
	dfs->fs_ronly = 0;
	error = bwrite(bp);
	if (error)
		fs->fs_fmod = 1;
	return (error);
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
