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
 * The buffer cache.  NBUF buffer headers, found by (vnode, block) through
 * a hash and reused least recently used first; each gets MAXBSIZE bytes of
 * wired kernel memory the first time it is used (so booting takes nothing
 * from the page allocator before the root is mounted).  bread() returns a
 * cached block or reads it through VOP_STRATEGY; I/O completes in
 * biodone().  A buffer is owned (B_BUSY) from getblk/bread to brelse.
 *
 * Writing: bwrite() starts the write and waits for it; bdwrite() marks
 * the buffer B_DELWRI and releases it, still valid and cached, and the
 * write happens when getblk() reuses the buffer for another block (or
 * for the same block at another size) or when vflushbuf() writes a
 * vnode's dirty buffers (before vinvalbuf() forgets them); bawrite() is
 * a write nobody waits for, which on these disks (every request done
 * before the strategy routine returns) is bwrite().  vtruncbuf() drops
 * the blocks of a file cut short, dirty or not.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/vnode.h>

#include <vm/vm.h>
#include <vm/vm_page.h>

#define	BUFHSZ		64
#define	BUFHASH(vp, bn)	\
	(&bufhashtbl[(((u_int)(vp) >> 5) + (u_int)(bn)) & (BUFHSZ - 1)])

static struct buf buf[NBUF];		/* the buffer headers */
static struct buf *bufhashtbl[BUFHSZ];
static struct buf *bfree_head;		/* least recently used first */
static struct buf *bfree_tail;

static void bremfree __P((struct buf *bp));
static void bremhash __P((struct buf *bp));
static void binsfree __P((struct buf *bp, int head));

void
bufinit()
{
	int i;

	bfree_head = bfree_tail = NULL;
	for (i = 0; i < BUFHSZ; i++)
		bufhashtbl[i] = NULL;
	for (i = 0; i < NBUF; i++) {
		bzero(&buf[i], sizeof(buf[i]));
		buf[i].b_flags = B_INVAL;
		/*
		 * The data pages now, once: memory the cache holds does not
		 * grow while processes run, so their pages can be counted.
		 */
		buf[i].b_data = (caddr_t)kmem_alloc(MAXBSIZE);
		buf[i].b_bufsize = MAXBSIZE;
		binsfree(&buf[i], 0);
	}
}

static void
binsfree(bp, head)
	struct buf *bp;
	int head;
{

	if (head) {
		bp->b_freeprev = NULL;
		bp->b_freenext = bfree_head;
		if (bfree_head != NULL)
			bfree_head->b_freeprev = bp;
		else
			bfree_tail = bp;
		bfree_head = bp;
	} else {
		bp->b_freenext = NULL;
		bp->b_freeprev = bfree_tail;
		if (bfree_tail != NULL)
			bfree_tail->b_freenext = bp;
		else
			bfree_head = bp;
		bfree_tail = bp;
	}
}

static void
bremfree(bp)
	struct buf *bp;
{

	if (bp->b_freeprev != NULL)
		bp->b_freeprev->b_freenext = bp->b_freenext;
	else
		bfree_head = bp->b_freenext;
	if (bp->b_freenext != NULL)
		bp->b_freenext->b_freeprev = bp->b_freeprev;
	else
		bfree_tail = bp->b_freeprev;
	bp->b_freenext = bp->b_freeprev = NULL;
}

static void
bremhash(bp)
	struct buf *bp;
{
	struct buf **bpp;

	if (bp->b_vp == NULL)
		return;
	for (bpp = BUFHASH(bp->b_vp, bp->b_lblkno); *bpp != NULL;
	    bpp = &(*bpp)->b_hashnext) {
		if (*bpp == bp) {
			*bpp = bp->b_hashnext;
			break;
		}
	}
	bp->b_hashnext = NULL;
	bp->b_vp = NULL;
}

/*
 * The buffer holding block blkno of vp, if the cache has it.
 */
struct buf *
incore(vp, blkno)
	struct vnode *vp;
	daddr_t blkno;
{
	struct buf *bp;

	for (bp = *BUFHASH(vp, blkno); bp != NULL; bp = bp->b_hashnext)
		if (bp->b_vp == vp && bp->b_lblkno == blkno &&
		    (bp->b_flags & B_INVAL) == 0)
			return (bp);
	return (NULL);
}

/*
 * Get a block given a specified block and offset into a file/device.
 * The buffer comes back owned; B_CACHE says its contents are valid.
 */
struct buf *
getblk(vp, blkno, size, slpflag, slptimeo)
	struct vnode *vp;
	daddr_t blkno;
	int size;
	int slpflag;
	int slptimeo;
{
	struct buf *bp;

	if (size < 0 || size > MAXBSIZE)
		panic("getblk: size %d", size);
loop:
	bp = incore(vp, blkno);
	if (bp != NULL) {
		if (bp->b_flags & B_BUSY)
			panic("getblk: block %d of vnode %p is busy", blkno,
			    vp);
		bremfree(bp);
		if (bp->b_bcount == size && (bp->b_flags & B_DONE) &&
		    (bp->b_flags & B_ERROR) == 0) {
			bp->b_flags |= B_BUSY | B_CACHE;
			return (bp);
		}
		/* Cached with another size: write it if dirty, read it again. */
		if (bp->b_flags & B_DELWRI) {
			bp->b_flags |= B_BUSY;
			(void)bwrite(bp);
			goto loop;
		}
		bremhash(bp);
	} else {
		bp = bfree_head;
		if (bp == NULL)
			panic("getblk: all %d buffers are in use", NBUF);
		bremfree(bp);
		/* A delayed write goes out before its buffer is reused. */
		if (bp->b_flags & B_DELWRI) {
			bp->b_flags |= B_BUSY;
			(void)bwrite(bp);
			goto loop;
		}
		bremhash(bp);
	}
	if (bp->b_data == NULL) {
		bp->b_data = (caddr_t)kmem_alloc(MAXBSIZE);
		bp->b_bufsize = MAXBSIZE;
	}
	bp->b_flags = B_BUSY;
	bp->b_error = 0;
	bp->b_resid = 0;
	bp->b_bcount = size;
	bp->b_lblkno = blkno;
	bp->b_blkno = blkno;
	bp->b_dev = NODEV;
	bp->b_iodone = NULL;
	bp->b_vp = vp;
	bp->b_hashnext = *BUFHASH(vp, blkno);
	*BUFHASH(vp, blkno) = bp;
	return (bp);
}

/*
 * Get a buffer with the specified data.  Look in the cache first.
 */
int
bread(vp, blkno, size, cred, bpp)
	struct vnode *vp;
	daddr_t blkno;
	int size;
	struct ucred *cred;
	struct buf **bpp;
{
	struct buf *bp;

	bp = getblk(vp, blkno, size, 0, 0);
	*bpp = bp;
	if (bp->b_flags & B_CACHE)
		return (0);
	bp->b_flags |= B_READ;
	bp->b_flags &= ~(B_DONE | B_ERROR | B_INVAL);
	(void)VOP_STRATEGY(vp, bp);
	return (biowait(bp));
}

/*
 * Write, wait for the write, release the buffer.
 */
int
bwrite(bp)
	struct buf *bp;
{
	int error;

	if ((bp->b_flags & B_BUSY) == 0)
		panic("bwrite: buffer %p is not busy", bp);
	bp->b_flags &= ~(B_READ | B_DONE | B_ERROR | B_DELWRI | B_CACHE);
	bp->b_error = 0;
	(void)VOP_STRATEGY(bp->b_vp, bp);
	error = biowait(bp);
	brelse(bp);
	return (error);
}

/*
 * Delayed write: the buffer is dirty and stays cached; it is written
 * when reused or flushed.
 */
void
bdwrite(bp)
	struct buf *bp;
{

	if ((bp->b_flags & B_BUSY) == 0)
		panic("bdwrite: buffer %p is not busy", bp);
	bp->b_flags &= ~(B_READ | B_ERROR);
	bp->b_flags |= B_DELWRI | B_DONE;
	brelse(bp);
}

/*
 * Start a write and do not wait for it.
 */
void
bawrite(bp)
	struct buf *bp;
{

	(void)bwrite(bp);
}

/*
 * Write every delayed-write buffer of a vnode; the first error.
 */
int
vflushbuf(vp)
	struct vnode *vp;
{
	struct buf *bp;
	int error, i, e;

	error = 0;
	for (i = 0; i < NBUF; i++) {
		bp = &buf[i];
		if (bp->b_vp != vp || (bp->b_flags & B_DELWRI) == 0)
			continue;
		if (bp->b_flags & B_BUSY)
			panic("vflushbuf: busy buffer of vnode %p", vp);
		bremfree(bp);
		bp->b_flags |= B_BUSY;
		if ((e = bwrite(bp)) != 0 && error == 0)
			error = e;
	}
	return (error);
}

/*
 * Release a busy buffer.  Valid buffers go to the end of the free
 * list, to be found again; invalid ones to the front, to be reused
 * first.
 */
void
brelse(bp)
	struct buf *bp;
{

	if ((bp->b_flags & B_BUSY) == 0)
		panic("brelse: buffer %p is not busy", bp);
	if (bp->b_flags & (B_ERROR | B_INVAL | B_NOCACHE)) {
		bremhash(bp);
		bp->b_flags = B_INVAL;
		binsfree(bp, 1);
		return;
	}
	bp->b_flags &= ~(B_BUSY | B_CACHE | B_READ | B_AGE);
	binsfree(bp, 0);
}

/*
 * Wait for I/O to complete.  Every disk driver here (md, and xbd under
 * Xen, which waits for its back end) completes a request before its
 * strategy routine returns.
 */
int
biowait(bp)
	struct buf *bp;
{

	if ((bp->b_flags & B_DONE) == 0) {
		printf("biowait: block %d: I/O did not complete\n",
		    bp->b_blkno);
		bp->b_flags |= B_ERROR;
		bp->b_error = EIO;
	}
	if (bp->b_flags & B_ERROR)
		return (bp->b_error ? bp->b_error : EIO);
	return (0);
}

/*
 * Finish I/O on a buffer.
 */
void
biodone(bp)
	struct buf *bp;
{

	if (bp->b_flags & B_DONE)
		panic("biodone: buffer %p already done", bp);
	bp->b_flags |= B_DONE;
	if (bp->b_iodone != NULL)
		(*bp->b_iodone)(bp);
}

/*
 * Forget every cached block of a vnode (it is being reused for
 * another file), after writing its delayed writes.
 */
void
vinvalbuf(vp)
	struct vnode *vp;
{
	int i;

	(void)vflushbuf(vp);
	for (i = 0; i < NBUF; i++) {
		if (buf[i].b_vp != vp)
			continue;
		if (buf[i].b_flags & B_BUSY)
			panic("vinvalbuf: busy buffer of vnode %p", vp);
		bremhash(&buf[i]);
		buf[i].b_flags = B_INVAL;
		bremfree(&buf[i]);
		binsfree(&buf[i], 1);
	}
}

/*
 * Forget the cached blocks of a vnode from block trunclbn on, dirty
 * ones too: the file was cut short and the disk blocks they were bound
 * for may already belong to another file.
 */
void
vtruncbuf(vp, trunclbn)
	struct vnode *vp;
	daddr_t trunclbn;
{
	int i;

	for (i = 0; i < NBUF; i++) {
		if (buf[i].b_vp != vp || buf[i].b_lblkno < trunclbn)
			continue;
		if (buf[i].b_flags & B_BUSY)
			panic("vtruncbuf: busy buffer of vnode %p", vp);
		bremhash(&buf[i]);
		buf[i].b_flags = B_INVAL;
		bremfree(&buf[i]);
		binsfree(&buf[i], 1);
	}
}
