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
 * The in-core inode: the on-disk inode of a file in use plus where it
 * came from, hanging off its vnode's v_data.  The i_* names read the
 * copy of the disk inode.
 */

#ifndef _UFS_UFS_INODE_H_
#define	_UFS_UFS_INODE_H_

#include <ufs/ufs/dinode.h>

typedef	int32_t	doff_t;			/* a directory offset */

struct inode {
	struct	inode *i_hashnext;	/* hash chain, by (device, number) */
	struct	inode *i_freenext;	/* free inodes */
	struct	vnode *i_vnode;		/* vnode associated with this inode */
	struct	vnode *i_devvp;		/* vnode for block I/O */
	u_int32_t i_flag;		/* flags, see below */
	dev_t	i_dev;			/* device where inode resides */
	ino_t	i_number;		/* the identity of the inode */
	struct	fs *i_fs;		/* associated filesystem superblock */
	struct	ufsmount *i_ump;	/* its mount */
	/* Side effects of ufs_lookup, as FreeBSD's. */
	doff_t	i_endoff;		/* end of useful stuff in directory */
	doff_t	i_diroff;		/* offset in dir, where we found last entry */
	doff_t	i_offset;		/* offset of free space in directory */
	doff_t	i_count;		/* size of free slot in directory */
	ino_t	i_ino;			/* inode number of found directory */
	u_int32_t i_reclen;		/* size of found directory entry */
	struct	dinode i_din;		/* the on-disk dinode */
};

#define	i_mode		i_din.di_mode
#define	i_nlink		i_din.di_nlink
#define	i_size		i_din.di_size
#define	i_db		i_din.di_db
#define	i_ib		i_din.di_ib
#define	i_flags		i_din.di_flags
#define	i_blocks	i_din.di_blocks
#define	i_gen		i_din.di_gen
#define	i_uid		i_din.di_uid
#define	i_gid		i_din.di_gid
#define	i_shortlink	i_din.di_shortlink

/* These flags are kept in i_flag. */
#define	IN_ACCESS	0x0001		/* access time update request */
#define	IN_CHANGE	0x0002		/* inode change time update request */
#define	IN_UPDATE	0x0004		/* modification time update request */
#define	IN_MODIFIED	0x0008		/* inode has been modified */

#define	VTOI(vp)	((struct inode *)(vp)->v_data)
#define	ITOV(ip)	((ip)->i_vnode)

#endif /* !_UFS_UFS_INODE_H_ */
