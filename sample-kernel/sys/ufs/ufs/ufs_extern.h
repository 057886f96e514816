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
 * The UFS layer's functions, shared by ffs.
 */

#ifndef _UFS_UFS_EXTERN_H_
#define	_UFS_UFS_EXTERN_H_

struct componentname;
struct direct;
struct inode;
struct mount;
struct proc;
struct ucred;
struct uio;
struct vnode;
struct vop_bmap_args;
struct vnodeopv_desc;

int	ufs_bmap __P((void *));
int	ufs_bmaparray __P((struct vnode *, daddr_t, daddr_t *, int *, int *));
int	ufs_checkpath __P((struct inode *, struct inode *, struct ucred *));
int	ufs_dirbadentry __P((struct vnode *, struct direct *, int));
int	ufs_dirempty __P((struct inode *, ino_t, struct ucred *));
int	ufs_direnter __P((struct vnode *, struct direct *,
	    struct componentname *));
int	ufs_dirremove __P((struct vnode *, struct inode *, int, int));
int	ufs_dirrewrite __P((struct inode *, struct inode *, ino_t, int, int));
void	ufs_makedirentry __P((struct inode *, struct componentname *,
	    struct direct *));
int	ufs_symlink __P((void *));
void	ufs_ihashinit __P((void));
struct	vnode *ufs_ihashlookup __P((dev_t, ino_t));
struct	vnode *ufs_ihashget __P((dev_t, ino_t));
void	ufs_ihashins __P((struct inode *));
void	ufs_ihashrem __P((struct inode *));
struct	inode *ufs_inode_alloc __P((void));
void	ufs_inode_free __P((struct inode *));
int	ufs_inactive __P((void *));
int	ufs_reclaim __P((void *));
int	ufs_lookup __P((void *));
int	ufs_readdir __P((void *));
int	ufs_open __P((void *));
int	ufs_close __P((void *));
int	ufs_access __P((void *));
int	ufs_getattr __P((void *));
int	ufs_readlink __P((void *));
int	ufs_strategy __P((void *));
int	ufs_create __P((void *));
int	ufs_remove __P((void *));
int	ufs_rename __P((void *));
int	ufs_mkdir __P((void *));
int	ufs_rmdir __P((void *));
int	ufs_setattr __P((void *));
int	ufs_root __P((struct mount *, struct vnode **));
int	ufs_vinit __P((struct mount *, vop_t **, vop_t **, struct vnode **));


#endif /* !_UFS_UFS_EXTERN_H_ */
