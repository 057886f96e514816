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
 * The fast file system's functions.
 */

#ifndef _UFS_FFS_EXTERN_H_
#define	_UFS_FFS_EXTERN_H_

struct fs;
struct ufsmount;
struct inode;
struct mount;
struct proc;
struct vnode;
struct vfsconf;
struct buf;
struct ucred;
struct cg;

int	ffs_alloc __P((struct inode *, ufs_daddr_t, ufs_daddr_t, int,
	    struct ucred *, ufs_daddr_t *));
int	ffs_balloc __P((struct inode *, off_t, int, struct ucred *, int,
	    struct buf **));
void	ffs_blkfree __P((struct inode *, ufs_daddr_t, long));
ufs_daddr_t ffs_blkpref __P((struct inode *, ufs_daddr_t, int, ufs_daddr_t *));
void	ffs_clrblock __P((struct fs *, u_char *, ufs_daddr_t));
void	ffs_clusteracct __P((struct fs *, struct cg *, ufs_daddr_t, int));
void	ffs_fragacct __P((struct fs *, int, int32_t [], int));
int	ffs_fragmap __P((struct fs *, u_char *, ufs_daddr_t));
int	ffs_fsync __P((void *));
int	ffs_isblock __P((struct fs *, u_char *, ufs_daddr_t));
int	ffs_isfreeblock __P((struct fs *, u_char *, ufs_daddr_t));
int	ffs_realloccg __P((struct inode *, ufs_daddr_t, ufs_daddr_t, int, int,
	    struct ucred *, ufs_daddr_t *));
int	ffs_sbupdate __P((struct ufsmount *, int));
void	ffs_setblock __P((struct fs *, u_char *, ufs_daddr_t));
int	ffs_truncate __P((struct vnode *, off_t, int, struct ucred *));
int	ffs_update __P((struct vnode *, int));
int	ffs_valloc __P((struct vnode *, int, struct ucred *, struct vnode **));
int	ffs_vfree __P((struct vnode *, ino_t, int));
int	ffs_write __P((void *));
int	ffs_blkatoff __P((struct vnode *, off_t, char **, struct buf **));
int	ffs_checkblk __P((struct inode *, ufs_daddr_t, const char *));
int	ffs_init __P((struct vfsconf *));
int	ffs_mountroot __P((struct mount *, struct proc *));
int	ffs_read __P((void *));
int	ffs_sbcheck __P((struct fs *, daddr_t, const char *));
int	ffs_vget __P((struct mount *, ino_t, struct vnode **));

extern struct vfsops ufs_vfsops;
extern vop_t **ffs_vnodeop_p;
extern struct vnodeopv_desc ffs_vnodeop_opv_desc;

#endif /* !_UFS_FFS_EXTERN_H_ */
