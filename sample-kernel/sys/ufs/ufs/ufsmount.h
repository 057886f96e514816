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
 * The per-mount data of a UFS file system (mnt_data).
 */

#ifndef _UFS_UFS_UFSMOUNT_H_
#define	_UFS_UFS_UFSMOUNT_H_

/*
 * Arguments to mount UFS-based filesystems: the device, as
 * "/dev/xbd0" (FreeBSD's struct ufs_args, less the export arguments).
 */
struct ufs_args {
	char	*fspec;			/* block special device to mount */
};

#ifdef _KERNEL
struct ufsmount {
	struct	mount *um_mountp;		/* filesystem vfs structure */
	dev_t	um_dev;				/* device mounted */
	struct	vnode *um_devvp;		/* block device mounted vnode */
	struct	fs *um_fs;			/* pointer to superblock */
	u_long	um_nindir;			/* indirect ptrs per block */
	u_long	um_bptrtodb;			/* indir ptr to disk block */
	u_long	um_seqinc;			/* inc between seq blocks */
	daddr_t	um_nsectors;			/* the device's size */
};

#define	VFSTOUFS(mp)	((struct ufsmount *)((mp)->mnt_data))

/* Convert mount ptr to indirect block pointers per block. */
#define	MNINDIR(ump)	((ump)->um_nindir)

#endif /* _KERNEL */

#endif /* !_UFS_UFS_UFSMOUNT_H_ */
