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
 * Directory lookup: find one name in a UFS directory, block by block.
 * A damaged entry (bad record length, name overrunning it) is reported
 * once on the console and the rest of its DIRBLKSIZ chunk skipped, as
 * FreeBSD's ufs_lookup does; an entry naming an inode that holds no file
 * makes the lookup fail with EIO.  On a read-only mount, asking to
 * create, delete or rename gives EROFS.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include <ufs/ufs/dir.h>
#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufsmount.h>
#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/fs.h>
#include <ufs/ffs/ffs_extern.h>

static void ufs_dirbad __P((struct inode *ip, doff_t offset,
	    const char *how));

/*
 * Convert a component of a pathname into a pointer to a vnode.
 *
 * On success the vnode comes back referenced in *vpp; the directory
 * keeps its reference.  A name that is not there gives ENOENT, or
 * EJUSTRETURN when it is the last component of a CREATE or RENAME on a
 * writable file system (the caller then makes the entry).
 */
int
ufs_lookup(v)
	void *v;
{
	struct vop_lookup_args *ap;
	struct vnode *vdp, *tdp;
	struct inode *dp;
	struct buf *bp;
	struct direct *ep;
	struct componentname *cnp;
	struct vnode **vpp;
	struct fs *fs;
	doff_t offset, entryoffsetinblock, endsearch;
	int error, flags, nameiop, i;

	ap = v;
	bp = NULL;
	vdp = ap->a_dvp;
	dp = VTOI(vdp);
	fs = dp->i_fs;
	vpp = ap->a_vpp;
	cnp = ap->a_cnp;
	flags = cnp->cn_flags;
	nameiop = cnp->cn_nameiop;
	*vpp = NULL;

	if ((dp->i_mode & IFMT) != IFDIR)
		return (ENOTDIR);
	if ((flags & ISLASTCN) && (vdp->v_mount->mnt_flag & MNT_RDONLY) &&
	    (nameiop == DELETE || nameiop == RENAME))
		return (EROFS);

	/*
	 * Search the directory from its start, one entry at a time.
	 */
	entryoffsetinblock = 0;
	endsearch = dp->i_size;
	if ((off_t)endsearch != (off_t)dp->i_size) {
		printf("ufs_lookup: directory inode %d is %lld bytes long\n",
		    dp->i_number, (long long)dp->i_size);
		return (EIO);
	}
	for (offset = 0; offset < endsearch;) {
		/*
		 * If necessary, get the next directory block.
		 */
		if (blkoff(fs, offset) == 0) {
			if (bp != NULL)
				brelse(bp);
			error = ffs_blkatoff(vdp, (off_t)offset, NULL, &bp);
			if (error)
				return (error);
			entryoffsetinblock = 0;
		}
		/*
		 * Get pointer to next entry.  Full validation checks are
		 * slow, so we only check enough to insure forward progress
		 * through the directory.
		 */
		ep = (struct direct *)((char *)bp->b_data + entryoffsetinblock);
		if (ep->d_reclen == 0 ||
		    ufs_dirbadentry(vdp, ep, entryoffsetinblock)) {
			ufs_dirbad(dp, offset, "mangled entry");
			i = DIRBLKSIZ - (entryoffsetinblock & (DIRBLKSIZ - 1));
			offset += i;
			entryoffsetinblock += i;
			continue;
		}
		/*
		 * Check for a name match.
		 */
		if (ep->d_ino != 0 && ep->d_namlen == cnp->cn_namelen &&
		    bcmp(cnp->cn_nameptr, ep->d_name,
		    (unsigned)ep->d_namlen) == 0) {
			dp->i_ino = ep->d_ino;
			dp->i_reclen = ep->d_reclen;
			dp->i_diroff = offset;
			goto found;
		}
		offset += ep->d_reclen;
		entryoffsetinblock += ep->d_reclen;
	}
	/* notfound: */
	if (bp != NULL)
		brelse(bp);
	if ((nameiop == CREATE || nameiop == RENAME) &&
	    (flags & ISLASTCN) && dp->i_nlink != 0) {
		if (vdp->v_mount->mnt_flag & MNT_RDONLY)
			return (EROFS);
		/* The place for the new entry is found when writing. */
		dp->i_offset = endsearch;
		return (EJUSTRETURN);
	}
	return (ENOENT);

found:
	brelse(bp);
	if (dp->i_number == dp->i_ino) {
		vref(vdp);
		*vpp = vdp;
		return (0);
	}
	error = VFS_VGET(vdp->v_mount, dp->i_ino, &tdp);
	if (error)
		return (error);
	if (tdp->v_type == VNON || tdp->v_type == VBAD) {
		printf("ufs_lookup: %.*s: inode %d is not in use "
		    "(mode 0%o)\n", (int)cnp->cn_namelen, cnp->cn_nameptr,
		    dp->i_ino, VTOI(tdp)->i_mode);
		vput(tdp);
		return (EIO);
	}
	*vpp = tdp;
	return (0);
}

static void
ufs_dirbad(ip, offset, how)
	struct inode *ip;
	doff_t offset;
	const char *how;
{

	printf("%s: bad dir ino %lu at offset %ld: %s\n",
	    ip->i_fs->fs_fsmnt[0] != '\0' ? (char *)ip->i_fs->fs_fsmnt :
	    "/", (u_long)ip->i_number, (long)offset, how);
}

/*
 * Do consistency checking on a directory entry:
 *	record length must be multiple of 4
 *	entry must fit in rest of its DIRBLKSIZ block
 *	record must be large enough to contain entry
 *	name is not longer than MAXNAMLEN
 *	name must be as long as advertised, and null terminated
 */
int
ufs_dirbadentry(dp, ep, entryoffsetinblock)
	struct vnode *dp;
	struct direct *ep;
	int entryoffsetinblock;
{
	int i, namlen;

	namlen = ep->d_namlen;
	if ((ep->d_reclen & 0x3) != 0 ||
	    ep->d_reclen > DIRBLKSIZ - (entryoffsetinblock & (DIRBLKSIZ - 1)) ||
	    ep->d_reclen < DIRSIZ(0, ep) || namlen > UFS_MAXNAMLEN)
		return (1);
	for (i = 0; i < namlen; i++)
		if (ep->d_name[i] == '\0')
			return (1);
	if (ep->d_name[i] != '\0')
		return (1);
	return (0);
}
