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
 * The buffer cache's buffer: one block of a vnode (a file's logical
 * block, or a device's block in DEV_BSIZE units) and the memory holding it.
 * A buffer is B_BUSY while one caller owns it (between getblk/bread and
 * brelse); I/O is started through VOP_STRATEGY and ends in biodone().
 * bwrite() writes and waits; bdwrite() keeps the block dirty (B_DELWRI)
 * until its buffer is reused or vflushbuf() writes it; bawrite() starts a
 * write nobody waits for.
 */

#ifndef _SYS_BUF_H_
#define	_SYS_BUF_H_

struct vnode;
struct ucred;

struct buf {
	struct	buf *b_hashnext;	/* hash chain, by (vnode, block) */
	struct	buf *b_freenext;	/* free list, least recently used first */
	struct	buf *b_freeprev;
	long	b_flags;		/* B_* flags */
	int	b_error;		/* errno value */
	long	b_bufsize;		/* allocated buffer size */
	long	b_bcount;		/* valid bytes in buffer */
	long	b_resid;		/* remaining I/O */
	dev_t	b_dev;			/* device associated with buffer */
	caddr_t	b_data;			/* memory, superblocks, indirect etc. */
	daddr_t	b_lblkno;		/* logical block number */
	daddr_t	b_blkno;		/* underlying physical block number */
	struct	vnode *b_vp;		/* device vnode */
	void	(*b_iodone) __P((struct buf *));
};

/* These flags are kept in b_flags. */
#define	B_AGE		0x00000001	/* move to age queue when I/O done */
#define	B_ASYNC		0x00000004	/* start I/O, do not wait */
#define	B_BUSY		0x00000010	/* I/O in progress or owned */
#define	B_CACHE		0x00000020	/* bread found us in the cache */
#define	B_DELWRI	0x00000080	/* delay I/O until buffer reused */
#define	B_DONE		0x00000200	/* I/O completed */
#define	B_ERROR		0x00000800	/* I/O error occurred */
#define	B_INVAL		0x00002000	/* does not contain valid info */
#define	B_NOCACHE	0x00008000	/* do not cache block after use */
#define	B_READ		0x00100000	/* read buffer */
#define	B_WRITE		0x00000000	/* write buffer (pseudo flag) */


/* Flags to low-level allocation routines (ffs_balloc). */
#define	B_CLRBUF	0x01		/* request allocated buffer be cleared */
#define	B_SYNC		0x02		/* do all allocations synchronously */

#define	NBUF		48		/* buffers in the cache */

#define	clrbuf(bp) do {							\
	bzero((bp)->b_data, (u_int)((bp)->b_bcount));			\
	(bp)->b_resid = 0;						\
} while (0)

#ifdef _KERNEL
void	bufinit __P((void));
int	bread __P((struct vnode *, daddr_t, int, struct ucred *,
	    struct buf **));
int	bwrite __P((struct buf *));
void	bdwrite __P((struct buf *));
void	bawrite __P((struct buf *));
void	brelse __P((struct buf *));
struct	buf *getblk __P((struct vnode *, daddr_t, int, int, int));
struct	buf *incore __P((struct vnode *, daddr_t));
int	biowait __P((struct buf *));
void	biodone __P((struct buf *));
void	vinvalbuf __P((struct vnode *));
int	vflushbuf __P((struct vnode *));
void	vtruncbuf __P((struct vnode *, daddr_t));
#endif

#endif /* !_SYS_BUF_H_ */
