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
 * In-core inodes: a static pool (one inode per vnode at most), and the
 * end of an inode's life, when its vnode is inactivated (a file with
 * no links left is freed then) or reclaimed (written back first).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/buf.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#include <ufs/ufs/inode.h>
#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/fs.h>
#include <ufs/ffs/ffs_extern.h>

#define	NINODE		256		/* as many as there are vnodes */

static struct inode inode_pool[NINODE];
static struct inode *inode_free;
static int inode_next;			/* pool entries handed out so far */

struct inode *
ufs_inode_alloc()
{
	struct inode *ip;

	if (inode_free != NULL) {
		ip = inode_free;
		inode_free = ip->i_freenext;
	} else if (inode_next < NINODE)
		ip = &inode_pool[inode_next++];
	else
		return (NULL);
	bzero(ip, sizeof(*ip));
	return (ip);
}

void
ufs_inode_free(ip)
	struct inode *ip;
{

	ip->i_freenext = inode_free;
	inode_free = ip;
}

/*
 * Last reference to an inode.  A file with no links left is emptied
 * and its inode freed (mode 0, reclaimed at once); a changed one is
 * written back to its inode block.
 */
int
ufs_inactive(v)
	void *v;
{
	struct vop_inactive_args *ap;
	struct vnode *vp;
	struct inode *ip;
	int mode;

	ap = v;
	vp = ap->a_vp;
	ip = VTOI(vp);
	if (ip == NULL)
		return (0);
	if (ip->i_mode != 0 && ip->i_nlink <= 0 && vp->v_mount != NULL &&
	    (vp->v_mount->mnt_flag & MNT_RDONLY) == 0) {
		(void)ffs_truncate(vp, (off_t)0, 0, NOCRED);
		mode = ip->i_mode;
		ip->i_mode = 0;
		ip->i_flag |= IN_CHANGE | IN_UPDATE;
		(void)ffs_vfree(vp, ip->i_number, mode);
	}
	if (ip->i_flag & (IN_ACCESS | IN_CHANGE | IN_MODIFIED | IN_UPDATE))
		(void)ffs_update(vp, 0);
	if (ip->i_mode == 0)
		vgone(vp);
	return (0);
}

/*
 * Reclaim an inode so that it can be used for other purposes.
 */
int
ufs_reclaim(v)
	void *v;
{
	struct vop_reclaim_args *ap;
	struct vnode *vp;
	struct inode *ip;

	ap = v;
	vp = ap->a_vp;
	ip = VTOI(vp);
	if (ip != NULL && vp->v_mount != NULL &&
	    (ip->i_flag & (IN_ACCESS | IN_CHANGE | IN_MODIFIED | IN_UPDATE)))
		(void)ffs_update(vp, 0);
	vinvalbuf(vp);
	if (ip == NULL)
		return (0);
	ufs_ihashrem(ip);
	vp->v_data = NULL;
	ufs_inode_free(ip);
	return (0);
}
