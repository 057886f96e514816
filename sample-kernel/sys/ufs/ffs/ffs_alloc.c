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
 * Allocation in the fast file system, in the shape of FreeBSD 4's
 * ffs_alloc.c: blocks and fragments (ffs_alloc, ffs_realloccg,
 * ffs_blkfree) and inodes (ffs_valloc, ffs_vfree), each taken from a
 * cylinder group's bitmaps.  Every change to a group's maps changes, in
 * the same step, its cg_cs counts, the superblock's copy of them
 * (fs_cs) and the totals (fs_cstotal), the fragment run counts
 * (cg_frsum) and the cluster map and its run counts (cg_clustersum,
 * where fs_contigsumsize is set); so after a sync the bitmaps, the group
 * summaries and the superblock agree.  The per-cylinder rotational
 * tables (cg_blktot, cg_blks) are not kept: makefs, which makes the
 * disks, leaves them zero.  A cylinder group is read and
 * written through the device vnode with the size the mount read it at.
 * Running out of space gives ENOSPC after a console line, never a
 * panic.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/mount.h>
#include <sys/ucred.h>
#include <sys/vnode.h>

#include <ufs/ufs/dir.h>
#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufsmount.h>
#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/fs.h>
#include <ufs/ffs/ffs_extern.h>

typedef ufs_daddr_t allocfcn_t __P((struct inode *ip, int cg,
	    ufs_daddr_t bpref, int size));

static ufs_daddr_t ffs_alloccg __P((struct inode *, int, ufs_daddr_t, int));
static ufs_daddr_t ffs_alloccgblk __P((struct inode *, struct buf *,
	    ufs_daddr_t));
static ufs_daddr_t ffs_fragextend __P((struct inode *, int, ufs_daddr_t,
	    int, int));
static ufs_daddr_t ffs_hashalloc __P((struct inode *, int, ufs_daddr_t,
	    int, allocfcn_t *));
static ufs_daddr_t ffs_nodealloccg __P((struct inode *, int, ufs_daddr_t,
	    int));
static ufs_daddr_t ffs_mapsearch __P((struct fs *, struct cg *,
	    ufs_daddr_t, int));
static int ffs_getcg __P((struct inode *, int, struct buf **));
static int ffs_cgok __P((struct fs *, struct cg *));
static void ffs_fserr __P((struct fs *, u_int, const char *));

/* The bit of fragment or inode h in a map. */
#define	ISSET(a, h)	(((a)[(h) >> 3] >> ((h) & 7)) & 1)
#define	SETBIT(a, h)	((a)[(h) >> 3] |= 1 << ((h) & 7))
#define	CLRBIT(a, h)	((a)[(h) >> 3] &= ~(1 << ((h) & 7)))

/*
 * Check if a block is available: all of its fs_frag fragments are free
 * in the map.
 */
int
ffs_isblock(fs, cp, h)
	struct fs *fs;
	u_char *cp;
	ufs_daddr_t h;
{
	int i;

	for (i = 0; i < fs->fs_frag; i++)
		if (!ISSET(cp, h * fs->fs_frag + i))
			return (0);
	return (1);
}

/* Take a block out of the free map. */
void
ffs_clrblock(fs, cp, h)
	struct fs *fs;
	u_char *cp;
	ufs_daddr_t h;
{
	int i;

	for (i = 0; i < fs->fs_frag; i++)
		CLRBIT(cp, h * fs->fs_frag + i);
}

/* Put a block into the free map. */
void
ffs_setblock(fs, cp, h)
	struct fs *fs;
	u_char *cp;
	ufs_daddr_t h;
{
	int i;

	for (i = 0; i < fs->fs_frag; i++)
		SETBIT(cp, h * fs->fs_frag + i);
}

/*
 * Update the frsum fields to reflect addition or deletion of some
 * fragments: fragmap holds the free bits of one block; each maximal
 * run of free fragments shorter than a block counts in fraglist.
 */
void
ffs_fragacct(fs, fragmap, fraglist, cnt)
	struct fs *fs;
	int fragmap;
	int32_t fraglist[];
	int cnt;
{
	int i, run;

	run = 0;
	for (i = 0; i <= fs->fs_frag; i++) {
		if (i < fs->fs_frag && (fragmap & (1 << i))) {
			run++;
			continue;
		}
		if (run > 0 && run < fs->fs_frag)
			fraglist[run] += cnt;
		run = 0;
	}
}

/*
 * Update the cluster map because of an allocation or free: block blkno
 * of the group becomes free (cnt 1) or used (cnt -1), and the counts of
 * free runs of each length (cg_clustersum, capped at fs_contigsumsize)
 * follow.
 */
void
ffs_clusteracct(fs, cgp, blkno, cnt)
	struct fs *fs;
	struct cg *cgp;
	ufs_daddr_t blkno;
	int cnt;
{
	int32_t *sump;
	u_char *freemapp;
	int back, forw, i, end, len;

	if (fs->fs_contigsumsize <= 0)
		return;
	freemapp = cg_clustersfree(cgp);
	sump = cg_clustersum(cgp);
	if (cnt > 0)
		SETBIT(freemapp, blkno);
	else
		CLRBIT(freemapp, blkno);
	/* Find the size of the cluster going forward. */
	end = blkno + 1 + fs->fs_contigsumsize;
	if (end >= cgp->cg_nclusterblks)
		end = cgp->cg_nclusterblks;
	for (i = blkno + 1; i < end && ISSET(freemapp, i); i++)
		continue;
	forw = i - (blkno + 1);
	/* Find the size of the cluster going backward. */
	end = blkno - 1 - fs->fs_contigsumsize;
	if (end < 0)
		end = -1;
	for (i = blkno - 1; i > end && ISSET(freemapp, i); i--)
		continue;
	back = blkno - 1 - i;
	/*
	 * Account for old cluster and the possibly new forward and back
	 * clusters.
	 */
	len = back + forw + 1;
	if (len > fs->fs_contigsumsize)
		len = fs->fs_contigsumsize;
	sump[len] += cnt;
	if (back > 0)
		sump[back < fs->fs_contigsumsize ? back :
		    fs->fs_contigsumsize] -= cnt;
	if (forw > 0)
		sump[forw < fs->fs_contigsumsize ? forw :
		    fs->fs_contigsumsize] -= cnt;
}

/* Read cylinder group cg, checking its header. */
static int
ffs_getcg(ip, cg, bpp)
	struct inode *ip;
	int cg;
	struct buf **bpp;
{
	struct fs *fs;
	struct cg *cgp;
	int error;

	fs = ip->i_fs;
	error = bread(ip->i_devvp, fsbtodb(fs, cgtod(fs, cg)),
	    (int)fragroundup(fs, (off_t)fs->fs_cgsize), NOCRED, bpp);
	if (error) {
		brelse(*bpp);
		*bpp = NULL;
		return (error);
	}
	cgp = (struct cg *)(*bpp)->b_data;
	if (!cg_chkmagic(cgp) || cgp->cg_cgx != cg || !ffs_cgok(fs, cgp)) {
		printf("ffs: cylinder group %d has a bad header\n", cg);
		brelse(*bpp);
		*bpp = NULL;
		return (EIO);
	}
	/* Rotors are only hints: one out of range starts from the front. */
	if (cgp->cg_rotor < 0 || cgp->cg_rotor >= cgp->cg_ndblk)
		cgp->cg_rotor = 0;
	if (cgp->cg_frotor < 0 || cgp->cg_frotor >= cgp->cg_ndblk)
		cgp->cg_frotor = 0;
	if (cgp->cg_irotor < 0 || cgp->cg_irotor >= fs->fs_ipg)
		cgp->cg_irotor = 0;
	return (0);
}

/*
 * The maps a cylinder group header points at lie inside the group's
 * block and are as long as the group needs: a damaged disk must not
 * make the allocator read or write past the buffer.
 */
static int
ffs_cgok(fs, cgp)
	struct fs *fs;
	struct cg *cgp;
{
	int size;

	size = fs->fs_cgsize;
	if (cgp->cg_ndblk <= 0 || cgp->cg_ndblk > fs->fs_fpg)
		return (0);
	if (cgp->cg_iusedoff < (int)sizeof(struct cg) - 1 ||
	    cgp->cg_iusedoff + howmany(fs->fs_ipg, NBBY) > size)
		return (0);
	if (cgp->cg_freeoff < (int)sizeof(struct cg) - 1 ||
	    cgp->cg_freeoff + howmany(fs->fs_fpg, NBBY) > size)
		return (0);
	if (fs->fs_contigsumsize > 0) {
		if (fs->fs_contigsumsize > FS_MAXCONTIG ||
		    cgp->cg_nclusterblks < 0 ||
		    cgp->cg_nclusterblks > fragstoblks(fs, cgp->cg_ndblk) ||
		    cgp->cg_clusteroff < (int)sizeof(struct cg) - 1 ||
		    cgp->cg_clusteroff + howmany(cgp->cg_nclusterblks, NBBY) >
		    size || cgp->cg_clustersumoff < (int)sizeof(struct cg) - 1 ||
		    (cgp->cg_clustersumoff & 3) != 0 ||
		    cgp->cg_clustersumoff + (fs->fs_contigsumsize + 1) *
		    (int)sizeof(int32_t) > size)
			return (0);
	}
	return (1);
}

/*
 * Allocate a block in the file system.
 *
 * The size of the requested block is given, which must be some
 * multiple of fs_fsize and <= fs_bsize.  A preference may be given:
 * a block near bpref, else one in the inode's cylinder group, else
 * any.  The block's fragments are counted in the inode's i_blocks.
 * The last fs_minfree percent is for the superuser (and the kernel)
 * alone.
 */
int
ffs_alloc(ip, lbn, bpref, size, cred, bnp)
	struct inode *ip;
	ufs_daddr_t lbn, bpref;
	int size;
	struct ucred *cred;
	ufs_daddr_t *bnp;
{
	struct fs *fs;
	ufs_daddr_t bno;
	int cg;

	*bnp = 0;
	fs = ip->i_fs;
	if ((u_int)size > fs->fs_bsize || fragoff(fs, size) != 0)
		panic("ffs_alloc: bad size %d", size);
	if (size == fs->fs_bsize && fs->fs_cstotal.cs_nbfree == 0)
		goto nospace;
	if (cred != NOCRED && cred->cr_uid != 0 &&
	    freespace(fs, fs->fs_minfree) - numfrags(fs, size) < 0)
		goto nospace;
	if (bpref >= fs->fs_size)
		bpref = 0;
	if (bpref == 0)
		cg = ino_to_cg(fs, ip->i_number);
	else
		cg = dtog(fs, bpref);
	bno = ffs_hashalloc(ip, cg, bpref, size, ffs_alloccg);
	if (bno > 0) {
		ip->i_blocks += btodb(size);
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		*bnp = bno;
		return (0);
	}
nospace:
	ffs_fserr(fs, ip->i_number, "file system full");
	return (ENOSPC);
}

/*
 * Reallocate a fragment to a bigger size: extend it in place if the
 * fragments after it are free, else allocate a new one and free the
 * old (the caller moves the data).  The new address is in *bnp.
 */
int
ffs_realloccg(ip, bprev, bpref, osize, nsize, cred, bnp)
	struct inode *ip;
	ufs_daddr_t bprev, bpref;
	int osize, nsize;
	struct ucred *cred;
	ufs_daddr_t *bnp;
{
	struct fs *fs;
	ufs_daddr_t bno;
	int cg;

	*bnp = 0;
	fs = ip->i_fs;
	if ((u_int)osize > fs->fs_bsize || fragoff(fs, osize) != 0 ||
	    (u_int)nsize > fs->fs_bsize || fragoff(fs, nsize) != 0 ||
	    nsize <= osize)
		panic("ffs_realloccg: bad size (%d to %d)", osize, nsize);
	if (cred != NOCRED && cred->cr_uid != 0 &&
	    freespace(fs, fs->fs_minfree) - numfrags(fs, nsize - osize) < 0)
		goto nospace;
	if (bprev == 0)
		panic("ffs_realloccg: no block to extend");
	/* Allocate the extra space in the current block. */
	cg = dtog(fs, bprev);
	bno = ffs_fragextend(ip, cg, bprev, osize, nsize);
	if (bno != 0) {
		ip->i_blocks += btodb(nsize - osize);
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		*bnp = bno;
		return (0);
	}
	/* Allocate a new disk location. */
	if (bpref >= fs->fs_size)
		bpref = 0;
	bno = ffs_hashalloc(ip, cg, bpref, nsize, ffs_alloccg);
	if (bno > 0) {
		ffs_blkfree(ip, bprev, (long)osize);
		ip->i_blocks += btodb(nsize - osize);
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		*bnp = bno;
		return (0);
	}
nospace:
	ffs_fserr(fs, ip->i_number, "file system full");
	return (ENOSPC);
}

/*
 * Select the desired position for the next block in a file: right
 * after the previous block of the file if it has one, else the first
 * data block of the inode's cylinder group.
 */
ufs_daddr_t
ffs_blkpref(ip, lbn, indx, bap)
	struct inode *ip;
	ufs_daddr_t lbn;
	int indx;
	ufs_daddr_t *bap;
{
	struct fs *fs;

	fs = ip->i_fs;
	if (bap != NULL && indx > 0 && bap[indx - 1] != 0)
		return (bap[indx - 1] + fs->fs_frag);
	return (cgdmin(fs, ino_to_cg(fs, ip->i_number)));
}

/*
 * Implement the cylinder overflow algorithm: the preferred group, then
 * every other group in turn.
 */
static ufs_daddr_t
ffs_hashalloc(ip, cg, pref, size, allocator)
	struct inode *ip;
	int cg;
	ufs_daddr_t pref;
	int size;
	allocfcn_t *allocator;
{
	struct fs *fs;
	ufs_daddr_t result;
	int i;

	fs = ip->i_fs;
	for (i = 0; i < fs->fs_ncg; i++) {
		result = (*allocator)(ip, cg, pref, size);
		if (result != 0)
			return (result);
		pref = 0;
		if (++cg == fs->fs_ncg)
			cg = 0;
	}
	return (0);
}

/*
 * Determine whether a fragment can be extended: the fragments after it
 * in its block must be free.
 */
static ufs_daddr_t
ffs_fragextend(ip, cg, bprev, osize, nsize)
	struct inode *ip;
	int cg;
	ufs_daddr_t bprev;
	int osize, nsize;
{
	struct fs *fs;
	struct cg *cgp;
	struct buf *bp;
	u_char *blksfree;
	ufs_daddr_t bno;
	int frags, bbase, i;

	fs = ip->i_fs;
	if (fs->fs_cs(fs, cg).cs_nffree < numfrags(fs, nsize - osize))
		return (0);
	frags = numfrags(fs, nsize);
	bbase = fragnum(fs, bprev);
	if (bbase > fragnum(fs, (bprev + frags - 1))) {
		/* Cannot extend across a block boundary. */
		return (0);
	}
	if (ffs_getcg(ip, cg, &bp) != 0)
		return (0);
	cgp = (struct cg *)bp->b_data;
	blksfree = cg_blksfree(cgp);
	bno = dtogd(fs, bprev);
	for (i = numfrags(fs, osize); i < frags; i++) {
		if (!ISSET(blksfree, bno + i)) {
			brelse(bp);
			return (0);
		}
	}
	/*
	 * The current fragment can be extended: take the block's free
	 * runs out of the counts, mark the new fragments used, and put
	 * what is left back.
	 */
	ffs_fragacct(fs, ffs_fragmap(fs, blksfree, bno - bbase), cgp->cg_frsum,
	    -1);
	for (i = numfrags(fs, osize); i < frags; i++)
		CLRBIT(blksfree, bno + i);
	ffs_fragacct(fs, ffs_fragmap(fs, blksfree, bno - bbase), cgp->cg_frsum,
	    1);
	i = frags - numfrags(fs, osize);
	cgp->cg_cs.cs_nffree -= i;
	fs->fs_cstotal.cs_nffree -= i;
	fs->fs_cs(fs, cg).cs_nffree -= i;
	fs->fs_fmod = 1;
	bdwrite(bp);
	return (bprev);
}

/*
 * The free bits of the block whose first fragment is fragment bno of
 * its group, as a number.
 */
int
ffs_fragmap(fs, blksfree, bno)
	struct fs *fs;
	u_char *blksfree;
	ufs_daddr_t bno;
{
	int i, map;

	map = 0;
	for (i = 0; i < fs->fs_frag; i++)
		if (ISSET(blksfree, bno + i))
			map |= 1 << i;
	return (map);
}

/*
 * Determine whether a block can be allocated in cylinder group cg:
 * a whole block for a whole-block request, else the smallest free run
 * of fragments that fits, else a whole block broken up.
 */
static ufs_daddr_t
ffs_alloccg(ip, cg, bpref, size)
	struct inode *ip;
	int cg;
	ufs_daddr_t bpref;
	int size;
{
	struct fs *fs;
	struct cg *cgp;
	struct buf *bp;
	u_char *blksfree;
	ufs_daddr_t bno, blkno;
	int i, allocsiz, frags;

	fs = ip->i_fs;
	if (fs->fs_cs(fs, cg).cs_nbfree == 0 && size == fs->fs_bsize)
		return (0);
	if (ffs_getcg(ip, cg, &bp) != 0)
		return (0);
	cgp = (struct cg *)bp->b_data;
	if (cgp->cg_cs.cs_nbfree == 0 && size == fs->fs_bsize) {
		brelse(bp);
		return (0);
	}
	if (size == fs->fs_bsize) {
		bno = ffs_alloccgblk(ip, bp, bpref);
		bdwrite(bp);
		return (bno);
	}
	/*
	 * Check to see if any fragments are already available: allocsiz
	 * is the size which will be allocated, hacking it down to a
	 * smaller size if necessary.
	 */
	blksfree = cg_blksfree(cgp);
	frags = numfrags(fs, size);
	for (allocsiz = frags; allocsiz < fs->fs_frag; allocsiz++)
		if (cgp->cg_frsum[allocsiz] != 0)
			break;
	if (allocsiz == fs->fs_frag) {
		/*
		 * No fragments were available, so a block will be
		 * allocated, and hacked up.
		 */
		if (cgp->cg_cs.cs_nbfree == 0) {
			brelse(bp);
			return (0);
		}
		bno = ffs_alloccgblk(ip, bp, bpref);
		if (bno == 0) {
			brelse(bp);
			return (0);
		}
		bpref = dtogd(fs, bno);
		for (i = frags; i < fs->fs_frag; i++)
			SETBIT(blksfree, bpref + i);
		i = fs->fs_frag - frags;
		cgp->cg_cs.cs_nffree += i;
		fs->fs_cstotal.cs_nffree += i;
		fs->fs_cs(fs, cg).cs_nffree += i;
		fs->fs_fmod = 1;
		cgp->cg_frsum[i]++;
		bdwrite(bp);
		return (bno);
	}
	bno = ffs_mapsearch(fs, cgp, bpref, allocsiz);
	if (bno < 0) {
		brelse(bp);
		return (0);
	}
	blkno = bno - fragnum(fs, bno);
	ffs_fragacct(fs, ffs_fragmap(fs, blksfree, blkno), cgp->cg_frsum, -1);
	for (i = 0; i < frags; i++)
		CLRBIT(blksfree, bno + i);
	ffs_fragacct(fs, ffs_fragmap(fs, blksfree, blkno), cgp->cg_frsum, 1);
	cgp->cg_cs.cs_nffree -= frags;
	fs->fs_cstotal.cs_nffree -= frags;
	fs->fs_cs(fs, cg).cs_nffree -= frags;
	fs->fs_fmod = 1;
	bdwrite(bp);
	return (cg * fs->fs_fpg + bno);
}

/*
 * Allocate a block in a cylinder group: the preferred one if it is
 * free, else the next free one after the group's rotor.  The group's
 * buffer stays with the caller.
 */
static ufs_daddr_t
ffs_alloccgblk(ip, bp, bpref)
	struct inode *ip;
	struct buf *bp;
	ufs_daddr_t bpref;
{
	struct fs *fs;
	struct cg *cgp;
	u_char *blksfree;
	ufs_daddr_t bno, blkno;
	int nblks, i;

	fs = ip->i_fs;
	cgp = (struct cg *)bp->b_data;
	blksfree = cg_blksfree(cgp);
	nblks = fragstoblks(fs, cgp->cg_ndblk);
	if (bpref == 0 || dtog(fs, bpref) != cgp->cg_cgx)
		bpref = cgp->cg_rotor;
	else
		bpref = blknum(fs, dtogd(fs, bpref));
	bno = -1;
	/* If the requested block is available, use it. */
	if (bpref >= 0 && bpref < cgp->cg_ndblk &&
	    ffs_isblock(fs, blksfree, fragstoblks(fs, bpref)))
		bno = bpref;
	else {
		for (i = 0; i < nblks; i++) {
			blkno = (fragstoblks(fs, cgp->cg_rotor) + i) % nblks;
			if (ffs_isblock(fs, blksfree, blkno)) {
				bno = blkstofrags(fs, blkno);
				break;
			}
		}
		if (bno < 0) {
			printf("ffs_alloccgblk: cylinder group %d: the map has "
			    "no free block but cg_cs says %d\n", cgp->cg_cgx,
			    cgp->cg_cs.cs_nbfree);
			return (0);
		}
	}
	cgp->cg_rotor = bno;
	blkno = fragstoblks(fs, bno);
	ffs_clrblock(fs, blksfree, blkno);
	ffs_clusteracct(fs, cgp, blkno, -1);
	cgp->cg_cs.cs_nbfree--;
	fs->fs_cstotal.cs_nbfree--;
	fs->fs_cs(fs, cgp->cg_cgx).cs_nbfree--;
	fs->fs_fmod = 1;
	return (cgp->cg_cgx * fs->fs_fpg + bno);
}

/*
 * Free a block or fragment.
 *
 * The specified block or fragment is placed back in the free map.  If
 * a fragment is deallocated, a possible block reassembly is checked.
 */
void
ffs_blkfree(ip, bno, size)
	struct inode *ip;
	ufs_daddr_t bno;
	long size;
{
	struct fs *fs;
	struct cg *cgp;
	struct buf *bp;
	u_char *blksfree;
	ufs_daddr_t blkno;
	int i, cg, frags, bbase;

	fs = ip->i_fs;
	if ((u_int)size > fs->fs_bsize || fragoff(fs, size) != 0 ||
	    fragnum(fs, bno) + numfrags(fs, size) > fs->fs_frag) {
		printf("ffs_blkfree: inode %d: bad block %d of %ld bytes\n",
		    ip->i_number, bno, size);
		return;
	}
	cg = dtog(fs, bno);
	if ((u_int)bno >= (u_int)fs->fs_size) {
		ffs_fserr(fs, ip->i_number, "bad block");
		return;
	}
	if (ffs_getcg(ip, cg, &bp) != 0)
		return;
	cgp = (struct cg *)bp->b_data;
	blksfree = cg_blksfree(cgp);
	bno = dtogd(fs, bno);
	if (size == fs->fs_bsize) {
		blkno = fragstoblks(fs, bno);
		if (!ffs_isfreeblock(fs, blksfree, blkno)) {
			printf("ffs_blkfree: inode %d: freeing free block "
			    "%d\n", ip->i_number, cg * fs->fs_fpg + bno);
			brelse(bp);
			return;
		}
		ffs_setblock(fs, blksfree, blkno);
		ffs_clusteracct(fs, cgp, blkno, 1);
		cgp->cg_cs.cs_nbfree++;
		fs->fs_cstotal.cs_nbfree++;
		fs->fs_cs(fs, cg).cs_nbfree++;
	} else {
		bbase = bno - fragnum(fs, bno);
		/* Decrement the counts associated with the old frags. */
		ffs_fragacct(fs, ffs_fragmap(fs, blksfree, bbase),
		    cgp->cg_frsum, -1);
		/* Deallocate the fragment. */
		frags = numfrags(fs, size);
		for (i = 0; i < frags; i++) {
			if (ISSET(blksfree, bno + i)) {
				printf("ffs_blkfree: inode %d: freeing free "
				    "fragment %d\n", ip->i_number,
				    cg * fs->fs_fpg + bno + i);
				ffs_fragacct(fs, ffs_fragmap(fs, blksfree,
				    bbase), cgp->cg_frsum, 1);
				brelse(bp);
				return;
			}
			SETBIT(blksfree, bno + i);
		}
		cgp->cg_cs.cs_nffree += i;
		fs->fs_cstotal.cs_nffree += i;
		fs->fs_cs(fs, cg).cs_nffree += i;
		/* Add back in counts associated with the new frags. */
		ffs_fragacct(fs, ffs_fragmap(fs, blksfree, bbase),
		    cgp->cg_frsum, 1);
		/* If a complete block has been reassembled, account for it. */
		blkno = fragstoblks(fs, bbase);
		if (ffs_isblock(fs, blksfree, blkno)) {
			cgp->cg_cs.cs_nffree -= fs->fs_frag;
			fs->fs_cstotal.cs_nffree -= fs->fs_frag;
			fs->fs_cs(fs, cg).cs_nffree -= fs->fs_frag;
			ffs_clusteracct(fs, cgp, blkno, 1);
			cgp->cg_cs.cs_nbfree++;
			fs->fs_cstotal.cs_nbfree++;
			fs->fs_cs(fs, cg).cs_nbfree++;
		}
	}
	fs->fs_fmod = 1;
	bdwrite(bp);
}

/* True when none of the block's fragments is free. */
int
ffs_isfreeblock(fs, cp, h)
	struct fs *fs;
	u_char *cp;
	ufs_daddr_t h;
{
	int i;

	for (i = 0; i < fs->fs_frag; i++)
		if (ISSET(cp, h * fs->fs_frag + i))
			return (0);
	return (1);
}

/*
 * Find a block of the specified size in the specified cylinder group:
 * a maximal run of exactly allocsiz free fragments inside one block,
 * searching from the group's fragment rotor.  The fragment number in
 * the group, or -1.
 */
static ufs_daddr_t
ffs_mapsearch(fs, cgp, bpref, allocsiz)
	struct fs *fs;
	struct cg *cgp;
	ufs_daddr_t bpref;
	int allocsiz;
{
	u_char *blksfree;
	ufs_daddr_t start, blk;
	int nblks, i, j, run, map;

	blksfree = cg_blksfree(cgp);
	nblks = fragstoblks(fs, cgp->cg_ndblk);
	if (bpref != 0 && dtog(fs, bpref) == cgp->cg_cgx)
		start = fragstoblks(fs, dtogd(fs, bpref));
	else
		start = fragstoblks(fs, cgp->cg_frotor);
	for (i = 0; i < nblks; i++) {
		blk = (start + i) % nblks;
		map = ffs_fragmap(fs, blksfree, blkstofrags(fs, blk));
		if (map == 0 || map == (1 << fs->fs_frag) - 1)
			continue;
		run = 0;
		for (j = 0; j <= fs->fs_frag; j++) {
			if (j < fs->fs_frag && (map & (1 << j))) {
				run++;
				continue;
			}
			if (run == allocsiz) {
				cgp->cg_frotor = blkstofrags(fs, blk);
				return (blkstofrags(fs, blk) + j - run);
			}
			run = 0;
		}
	}
	printf("ffs_mapsearch: cylinder group %d: no run of %d fragments "
	    "though cg_frsum says so\n", cgp->cg_cgx, allocsiz);
	return (-1);
}

/*
 * Allocate an inode in the file system: in the parent's cylinder group
 * for a file, in the group with the most free inodes for a directory.
 * The new inode comes back as a referenced vnode, its dinode cleared
 * except the generation number.
 */
int
ffs_valloc(pvp, mode, cred, vpp)
	struct vnode *pvp;
	int mode;
	struct ucred *cred;
	struct vnode **vpp;
{
	struct inode *pip, *ip;
	struct vnode *vp;
	struct fs *fs;
	ino_t ino, ipref;
	int cg, error, i, best;

	*vpp = NULL;
	pip = VTOI(pvp);
	fs = pip->i_fs;
	if (fs->fs_cstotal.cs_nifree == 0)
		goto noinodes;
	ipref = ino_to_cg(fs, pip->i_number) * fs->fs_ipg;
	if ((mode & IFMT) == IFDIR) {
		best = -1;
		for (i = 0; i < fs->fs_ncg; i++)
			if (fs->fs_cs(fs, i).cs_nifree > 0 && (best < 0 ||
			    fs->fs_cs(fs, i).cs_nifree >
			    fs->fs_cs(fs, best).cs_nifree))
				best = i;
		if (best >= 0)
			ipref = best * fs->fs_ipg;
	}
	cg = ino_to_cg(fs, ipref);
	ino = (ino_t)ffs_hashalloc(pip, cg, (ufs_daddr_t)ipref, mode,
	    ffs_nodealloccg);
	if (ino == 0)
		goto noinodes;
	error = VFS_VGET(pvp->v_mount, ino, &vp);
	if (error) {
		ffs_vfree(pvp, ino, mode);
		return (error);
	}
	ip = VTOI(vp);
	if (ip->i_mode) {
		/*
		 * The map said free, the inode is in use: a damaged disk.
		 * FreeBSD panics; here the inode stays allocated and the
		 * creation fails.
		 */
		printf("ffs_valloc: %s: inode %d is marked free but has mode "
		    "0%o\n", fs->fs_fsmnt, ip->i_number, ip->i_mode);
		vput(vp);
		return (EIO);
	}
	if (ip->i_blocks) {
		printf("free inode %s/%d had %d blocks\n", fs->fs_fsmnt,
		    ino, ip->i_blocks);
		ip->i_blocks = 0;
	}
	ip->i_flags = 0;
	/* Set up a new generation number for this inode. */
	ip->i_gen++;
	if (ip->i_gen == 0)
		ip->i_gen = 1;
	*vpp = vp;
	return (0);
noinodes:
	ffs_fserr(fs, pip->i_number, "out of inodes");
	return (ENOSPC);
}

/*
 * Determine whether an inode can be allocated in cylinder group cg,
 * and take the first free one from the group's inode rotor on.
 */
static ufs_daddr_t
ffs_nodealloccg(ip, cg, ipref, mode)
	struct inode *ip;
	int cg;
	ufs_daddr_t ipref;
	int mode;
{
	struct fs *fs;
	struct cg *cgp;
	struct buf *bp;
	u_char *inosused;
	int i, start;

	fs = ip->i_fs;
	if (fs->fs_cs(fs, cg).cs_nifree == 0)
		return (0);
	if (ffs_getcg(ip, cg, &bp) != 0)
		return (0);
	cgp = (struct cg *)bp->b_data;
	if (cgp->cg_cs.cs_nifree == 0) {
		brelse(bp);
		return (0);
	}
	inosused = cg_inosused(cgp);
	start = cgp->cg_irotor;
	if (ipref != 0 && ino_to_cg(fs, ipref) == cg)
		start = ipref % fs->fs_ipg;
	for (i = 0; i < fs->fs_ipg; i++) {
		ipref = (start + i) % fs->fs_ipg;
		/* The group's first inodes below ROOTINO are never handed out. */
		if (cg == 0 && ipref < ROOTINO)
			continue;
		if (!ISSET(inosused, ipref))
			break;
	}
	if (i == fs->fs_ipg) {
		printf("ffs_nodealloccg: cylinder group %d: no free inode "
		    "but cg_cs says %d\n", cg, cgp->cg_cs.cs_nifree);
		brelse(bp);
		return (0);
	}
	cgp->cg_irotor = ipref;
	SETBIT(inosused, ipref);
	cgp->cg_cs.cs_nifree--;
	fs->fs_cstotal.cs_nifree--;
	fs->fs_cs(fs, cg).cs_nifree--;
	fs->fs_fmod = 1;
	if ((mode & IFMT) == IFDIR) {
		cgp->cg_cs.cs_ndir++;
		fs->fs_cstotal.cs_ndir++;
		fs->fs_cs(fs, cg).cs_ndir++;
	}
	bdwrite(bp);
	return (cg * fs->fs_ipg + ipref);
}

/*
 * Free an inode: clear its bit in its group's map and count it free.
 */
int
ffs_vfree(pvp, ino, mode)
	struct vnode *pvp;
	ino_t ino;
	int mode;
{
	struct inode *pip;
	struct fs *fs;
	struct cg *cgp;
	struct buf *bp;
	u_char *inosused;
	int cg, error;

	pip = VTOI(pvp);
	fs = pip->i_fs;
	if ((u_int)ino >= fs->fs_ipg * fs->fs_ncg)
		panic("ffs_vfree: range: ino = %d, fs = %s", ino,
		    fs->fs_fsmnt);
	cg = ino_to_cg(fs, ino);
	if ((error = ffs_getcg(pip, cg, &bp)) != 0)
		return (error);
	cgp = (struct cg *)bp->b_data;
	inosused = cg_inosused(cgp);
	ino %= fs->fs_ipg;
	if (!ISSET(inosused, ino)) {
		printf("ffs_vfree: inode %d of %s is already free\n",
		    cg * fs->fs_ipg + ino, fs->fs_fsmnt);
		brelse(bp);
		return (0);
	}
	CLRBIT(inosused, ino);
	if (ino < cgp->cg_irotor)
		cgp->cg_irotor = ino;
	cgp->cg_cs.cs_nifree++;
	fs->fs_cstotal.cs_nifree++;
	fs->fs_cs(fs, cg).cs_nifree++;
	if ((mode & IFMT) == IFDIR) {
		cgp->cg_cs.cs_ndir--;
		fs->fs_cstotal.cs_ndir--;
		fs->fs_cs(fs, cg).cs_ndir--;
	}
	fs->fs_fmod = 1;
	bdwrite(bp);
	return (0);
}

/*
 * Fserr prints the name of a file system with an error diagnostic.
 */
static void
ffs_fserr(fs, inum, cp)
	struct fs *fs;
	u_int inum;
	const char *cp;
{

	printf("%s: inode %u: %s\n", fs->fs_fsmnt[0] != '\0' ?
	    (char *)fs->fs_fsmnt : "/", inum, cp);
}
