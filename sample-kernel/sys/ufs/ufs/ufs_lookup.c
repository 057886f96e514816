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
 * create, delete or rename gives EROFS.  Looking up a name to create
 * finds a slot for it (i_offset, i_count); one to delete, where its
 * entry and the one before it are.  ufs_direnter, ufs_dirremove and
 * ufs_dirrewrite change a directory there, one DIRBLKSIZ chunk at a
 * time, each chunk written at once.
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
	doff_t offset, entryoffsetinblock, endsearch, prevoff, slotoffset;
	int error, flags, nameiop, i, needed, size;

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
	 * When creating, look for a slot with room for the new entry: an
	 * entry whose record is longer than it needs by at least the new
	 * one's size, or a free one that big.
	 */
	slotoffset = -1;
	needed = 0;
	if ((nameiop == CREATE || nameiop == RENAME) && (flags & ISLASTCN))
		needed = DIRECTSIZ(cnp->cn_namelen);

	/*
	 * Search the directory from its start, one entry at a time.
	 */
	entryoffsetinblock = 0;
	prevoff = 0;
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
		if ((offset & (DIRBLKSIZ - 1)) == 0)
			prevoff = offset;
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
		if (needed != 0 && slotoffset < 0) {
			size = ep->d_reclen;
			if (ep->d_ino != 0)
				size -= DIRSIZ(0, ep);
			if (size >= needed)
				slotoffset = offset;
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
		prevoff = offset;
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
		/*
		 * The entry goes in the slot found (i_count not 0), or in
		 * a new DIRBLKSIZ chunk at the end of the directory.
		 */
		if (slotoffset >= 0) {
			dp->i_offset = slotoffset;
			dp->i_count = 1;
		} else {
			dp->i_offset = roundup(endsearch, DIRBLKSIZ);
			dp->i_count = 0;
		}
		/* The name is needed to make the entry. */
		cnp->cn_flags |= SAVENAME;
		return (EJUSTRETURN);
	}
	return (ENOENT);

found:
	brelse(bp);
	/*
	 * For a deletion (or the target of a rename), remember where the
	 * entry is: i_offset, and i_count, the distance back to the
	 * entry before it in its chunk (0 for a chunk's first entry).
	 */
	if ((nameiop == DELETE || nameiop == RENAME) && (flags & ISLASTCN)) {
		dp->i_offset = offset;
		if ((offset & (DIRBLKSIZ - 1)) == 0)
			dp->i_count = 0;
		else
			dp->i_count = offset - prevoff;
		cnp->cn_flags |= SAVENAME;
	}
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

/*
 * Construct a new directory entry after a call to namei, using the
 * parameters that it left in the componentname argument cnp.
 */
void
ufs_makedirentry(ip, cnp, newdirp)
	struct inode *ip;
	struct componentname *cnp;
	struct direct *newdirp;
{
	int type;

	bzero((caddr_t)newdirp, sizeof(*newdirp));
	newdirp->d_ino = ip->i_number;
	newdirp->d_namlen = cnp->cn_namelen;
	bcopy(cnp->cn_nameptr, newdirp->d_name, (unsigned)cnp->cn_namelen);
	switch (ip->i_mode & IFMT) {
	case IFDIR:
		type = DT_DIR;
		break;
	case IFREG:
		type = DT_REG;
		break;
	case IFLNK:
		type = DT_LNK;
		break;
	default:
		type = DT_UNKNOWN;
		break;
	}
	newdirp->d_type = type;
}

/*
 * Write a directory entry after a call to namei, in the slot ufs_lookup
 * found (i_count not 0) or in a new chunk at the end of the directory.
 */
int
ufs_direnter(dvp, dirp, cnp)
	struct vnode *dvp;
	struct direct *dirp;
	struct componentname *cnp;
{
	struct inode *dp;
	struct direct *ep;
	struct buf *bp;
	struct fs *fs;
	char *dirbuf;
	int error, newentrysize, dsize;

	dp = VTOI(dvp);
	fs = dp->i_fs;
	newentrysize = DIRSIZ(0, dirp);
	if (dp->i_count == 0) {
		/*
		 * If dp->i_count is 0, then namei could find no space in
		 * the directory.  Here, dp->i_offset will be on a directory
		 * block boundary and we will write the new entry into a
		 * fresh block.
		 */
		if (dp->i_offset & (DIRBLKSIZ - 1))
			panic("ufs_direnter: newblk");
		dirp->d_reclen = DIRBLKSIZ;
		error = ffs_balloc(dp, (off_t)dp->i_offset, DIRBLKSIZ,
		    cnp->cn_cred, B_CLRBUF, &bp);
		if (error)
			return (error);
		dp->i_size = dp->i_offset + DIRBLKSIZ;
		dp->i_flag |= IN_CHANGE | IN_UPDATE;
		bcopy((caddr_t)dirp,
		    (char *)bp->b_data + blkoff(fs, dp->i_offset),
		    (u_int)newentrysize);
		if ((error = bwrite(bp)) != 0)
			return (error);
		return (ffs_update(dvp, 1));
	}
	error = ffs_blkatoff(dvp, (off_t)dp->i_offset, &dirbuf, &bp);
	if (error)
		return (error);
	ep = (struct direct *)dirbuf;
	if (ep->d_ino == 0) {
		/* A free entry: the new one takes its whole record. */
		dirp->d_reclen = ep->d_reclen;
		dsize = 0;
	} else {
		/* Split the entry: it keeps what it needs. */
		dsize = DIRSIZ(0, ep);
		dirp->d_reclen = ep->d_reclen - dsize;
		ep->d_reclen = dsize;
	}
	if (dirp->d_reclen < newentrysize)
		panic("ufs_direnter: slot of %d bytes for %d", dirp->d_reclen,
		    newentrysize);
	bcopy((caddr_t)dirp, (char *)ep + dsize, (u_int)newentrysize);
	error = bwrite(bp);
	dp->i_flag |= IN_CHANGE | IN_UPDATE;
	return (error);
}

/*
 * Remove a directory entry after a call to namei, using the parameters
 * which it left in the directory inode: the entry at i_offset is
 * merged into the one before it (i_count back), or, as the first of
 * its chunk, marked free.  The inode it named loses a link.
 */
int
ufs_dirremove(dvp, ip, flags, isrmdir)
	struct vnode *dvp;
	struct inode *ip;
	int flags;
	int isrmdir;
{
	struct inode *dp;
	struct direct *ep;
	struct buf *bp;
	int error;

	dp = VTOI(dvp);
	error = ffs_blkatoff(dvp, (off_t)(dp->i_offset - dp->i_count),
	    (char **)&ep, &bp);
	if (error)
		return (error);
	if (dp->i_count == 0) {
		/* First entry in block: set d_ino to zero. */
		ep->d_ino = 0;
	} else {
		/* Collapse new free space into previous entry. */
		ep->d_reclen += dp->i_reclen;
	}
	error = bwrite(bp);
	if (ip != NULL) {
		ip->i_nlink--;
		ip->i_flag |= IN_CHANGE;
	}
	dp->i_flag |= IN_CHANGE | IN_UPDATE;
	return (error);
}

/*
 * Rewrite an existing directory entry to point at the inode supplied.
 * The parameters describing the directory entry are set up by a call
 * to namei.
 */
int
ufs_dirrewrite(dp, oip, newinum, newtype, isrmdir)
	struct inode *dp, *oip;
	ino_t newinum;
	int newtype;
	int isrmdir;
{
	struct buf *bp;
	struct direct *ep;
	int error;

	error = ffs_blkatoff(ITOV(dp), (off_t)dp->i_offset, (char **)&ep,
	    &bp);
	if (error)
		return (error);
	ep->d_ino = newinum;
	ep->d_type = newtype;
	oip->i_nlink--;
	oip->i_flag |= IN_CHANGE;
	error = bwrite(bp);
	dp->i_flag |= IN_CHANGE | IN_UPDATE;
	return (error);
}

/*
 * Check if a directory is empty or not.  Inode supplied must be
 * locked.  Using a struct dirtemplate here is not precisely what we
 * want, but better than using a struct direct.
 */
int
ufs_dirempty(ip, parentino, cred)
	struct inode *ip;
	ino_t parentino;
	struct ucred *cred;
{
	union {
		struct direct d;
		struct dirtemplate t;
	} dbuf;
	struct direct *dp;
	off_t off;
	int error, count, namlen;

	/* The smallest entry: its header and a name of up to 3 bytes. */
	dp = &dbuf.d;
	for (off = 0; off < (off_t)ip->i_size; off += dp->d_reclen) {
		error = vn_rdwr(UIO_READ, ITOV(ip), (caddr_t)dp,
		    (int)sizeof(struct dirtemplate) / 2, off, UIO_SYSSPACE,
		    IO_NODELOCKED, cred, &count, NULL);
		/*
		 * Since we read the smallest entry's bytes, count could be
		 * non-zero only if the directory is too short.
		 */
		if (error || count != 0)
			return (0);
		/* Avoid infinite loops. */
		if (dp->d_reclen == 0)
			return (0);
		/* Skip empty entries. */
		if (dp->d_ino == 0)
			continue;
		/* Accept only "." and "..". */
		namlen = dp->d_namlen;
		if (namlen > 2)
			return (0);
		if (dp->d_name[0] != '.')
			return (0);
		/*
		 * At this point namlen must be 1 or 2.  1 implies ".", 2
		 * implies ".." if second char is also ".".
		 */
		if (namlen == 1 && dp->d_ino == ip->i_number)
			continue;
		if (dp->d_name[1] == '.' && dp->d_ino == parentino)
			continue;
		return (0);
	}
	return (1);
}

/*
 * Check if source directory is in the path of the target directory:
 * EINVAL if target lies under source (a directory cannot be moved
 * into itself), following ".." up to the root.
 */
int
ufs_checkpath(source, target, cred)
	struct inode *source, *target;
	struct ucred *cred;
{
	struct dirtemplate dirbuf;
	struct vnode *vp, *nvp;
	ino_t ino;
	int error, rootino, depth;

	rootino = ROOTINO;
	vp = ITOV(target);
	if (target->i_number == source->i_number)
		return (EEXIST);
	if (target->i_number == rootino)
		return (0);
	vref(vp);
	error = 0;
	for (depth = 0; depth < 1024; depth++) {
		if (vp->v_type != VDIR) {
			error = ENOTDIR;
			break;
		}
		error = vn_rdwr(UIO_READ, vp, (caddr_t)&dirbuf,
		    (int)sizeof(struct dirtemplate), (off_t)0, UIO_SYSSPACE,
		    IO_NODELOCKED, cred, NULL, NULL);
		if (error != 0)
			break;
		if (dirbuf.dotdot_namlen != 2 ||
		    dirbuf.dotdot_name[0] != '.' ||
		    dirbuf.dotdot_name[1] != '.') {
			error = ENOTDIR;
			break;
		}
		ino = dirbuf.dotdot_ino;
		if (ino == source->i_number) {
			error = EINVAL;
			break;
		}
		if (ino == rootino)
			break;
		error = VFS_VGET(vp->v_mount, ino, &nvp);
		vrele(vp);
		if (error) {
			vp = NULL;
			break;
		}
		vp = nvp;
	}
	if (vp != NULL)
		vrele(vp);
	return (error);
}
