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
 * Vnodes and mounts.  Vnodes come from a static table; one whose use
 * count falls to zero is made inactive and kept, still naming its file,
 * on a free list in least recently used order, so a later lookup of the
 * same file finds it again through its file system's hash.  When the
 * table is used up getnewvnode() takes the oldest free vnode and has its
 * file system reclaim it (vgone) first.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#define	NVNODE		256		/* vnodes in the table */
#define	NMOUNT		4		/* mounted file systems */

int desiredvnodes = NVNODE;
struct vnode *rootvnode;
struct mount *mountlist;

static struct vnode vnode_table[NVNODE];
static int numvnodes;			/* table entries handed out so far */
static struct vnode *vnode_free_head;	/* least recently used first */
static struct vnode *vnode_free_tail;
static u_long vnode_next_id;

static struct mount mount_table[NMOUNT];

static void vfree_remove __P((struct vnode *vp));
static void insmntque __P((struct vnode *vp, struct mount *mp));

void
vntblinit()
{

	numvnodes = 0;
	vnode_free_head = vnode_free_tail = NULL;
}

static void
vfree_remove(vp)
	struct vnode *vp;
{

	if ((vp->v_flag & VFREE) == 0)
		return;
	if (vp->v_freeprev != NULL)
		vp->v_freeprev->v_freenext = vp->v_freenext;
	else
		vnode_free_head = vp->v_freenext;
	if (vp->v_freenext != NULL)
		vp->v_freenext->v_freeprev = vp->v_freeprev;
	else
		vnode_free_tail = vp->v_freeprev;
	vp->v_freenext = vp->v_freeprev = NULL;
	vp->v_flag &= ~VFREE;
}

/*
 * Move a vnode from one mount queue to another.
 */
static void
insmntque(vp, mp)
	struct vnode *vp;
	struct mount *mp;
{
	struct vnode **vpp;

	if (vp->v_mount != NULL) {
		for (vpp = &vp->v_mount->mnt_vnodelist; *vpp != NULL;
		    vpp = &(*vpp)->v_mntnext) {
			if (*vpp == vp) {
				*vpp = vp->v_mntnext;
				break;
			}
		}
	}
	vp->v_mount = mp;
	vp->v_mntnext = NULL;
	if (mp != NULL) {
		vp->v_mntnext = mp->mnt_vnodelist;
		mp->mnt_vnodelist = vp;
	}
}

/*
 * Return the next vnode from the free list.
 */
int
getnewvnode(tag, mp, vops, vpp)
	enum vtagtype tag;
	struct mount *mp;
	vop_t **vops;
	struct vnode **vpp;
{
	struct vnode *vp;

	if (numvnodes < desiredvnodes) {
		vp = &vnode_table[numvnodes++];
	} else {
		vp = vnode_free_head;
		if (vp == NULL) {
			printf("getnewvnode: all %d vnodes in use\n",
			    desiredvnodes);
			*vpp = NULL;
			return (ENFILE);
		}
		vfree_remove(vp);
		if (vp->v_data != NULL)
			vgone(vp);
		/* A device vnode has no file system to drop its blocks. */
		vinvalbuf(vp);
		insmntque(vp, NULL);
	}
	vp->v_flag = 0;
	vp->v_usecount = 1;
	vp->v_type = VNON;
	vp->v_tag = tag;
	vp->v_op = vops;
	vp->v_mountedhere = NULL;
	vp->v_rdev = NODEV;
	vp->v_data = NULL;
	vp->v_id = ++vnode_next_id;
	insmntque(vp, mp);
	*vpp = vp;
	return (0);
}

/*
 * Disassociate the underlying file system from a vnode.
 */
void
vgone(vp)
	struct vnode *vp;
{

	if (vp->v_data != NULL)
		(void)VOP_RECLAIM(vp, NULL);
	vp->v_data = NULL;
	vp->v_type = VBAD;
	vp->v_tag = VT_NON;
}

/*
 * Grab a particular vnode from the free list.
 */
int
vget(vp, flags, p)
	struct vnode *vp;
	int flags;
	struct proc *p;
{

	if (vp->v_usecount == 0)
		vfree_remove(vp);
	vp->v_usecount++;
	return (0);
}

void
vref(vp)
	struct vnode *vp;
{

	if (vp->v_usecount <= 0)
		panic("vref: vnode %p has use count %d", vp, vp->v_usecount);
	vp->v_usecount++;
}

/*
 * Vnode release.  The last reference makes the vnode inactive and puts
 * it at the end of the free list.
 */
void
vrele(vp)
	struct vnode *vp;
{

	if (vp == NULL)
		panic("vrele: null vp");
	if (vp->v_usecount <= 0)
		panic("vrele: vnode %p has use count %d", vp, vp->v_usecount);
	if (--vp->v_usecount > 0)
		return;
	(void)VOP_INACTIVE(vp, NULL);
	vp->v_flag |= VFREE;
	vp->v_freenext = NULL;
	vp->v_freeprev = vnode_free_tail;
	if (vnode_free_tail != NULL)
		vnode_free_tail->v_freenext = vp;
	else
		vnode_free_head = vp;
	vnode_free_tail = vp;
}

/*
 * Release a locked vnode: vnodes are not locked in this kernel.
 */
void
vput(vp)
	struct vnode *vp;
{

	vrele(vp);
}

/*
 * Create a vnode for a block device, used for mounting the root file
 * system.
 */
int
bdevvp(dev, vpp)
	dev_t dev;
	struct vnode **vpp;
{
	struct vnode *vp;
	int error;

	if (dev == NODEV) {
		*vpp = NULL;
		return (ENXIO);
	}
	error = getnewvnode(VT_SPEC, NULL, spec_vnodeop_p, &vp);
	if (error) {
		*vpp = NULL;
		return (error);
	}
	vp->v_type = VBLK;
	vp->v_rdev = dev;
	*vpp = vp;
	return (0);
}

/*
 * Set vnode attributes to VNOVAL.
 */
void
vattr_null(vap)
	struct vattr *vap;
{

	vap->va_type = VNON;
	vap->va_size = VNOVAL;
	vap->va_bytes = VNOVAL;
	vap->va_mode = VNOVAL;
	vap->va_nlink = VNOVAL;
	vap->va_uid = VNOVAL;
	vap->va_gid = VNOVAL;
	vap->va_fsid = VNOVAL;
	vap->va_fileid = VNOVAL;
	vap->va_blocksize = VNOVAL;
	vap->va_rdev = VNOVAL;
	vap->va_atime.tv_sec = VNOVAL;
	vap->va_atime.tv_nsec = VNOVAL;
	vap->va_mtime.tv_sec = VNOVAL;
	vap->va_mtime.tv_nsec = VNOVAL;
	vap->va_ctime.tv_sec = VNOVAL;
	vap->va_ctime.tv_nsec = VNOVAL;
	vap->va_flags = VNOVAL;
	vap->va_gen = VNOVAL;
}

static void
vfs_copyname(to, from, len)
	char *to;
	const char *from;
	int len;
{
	int i;

	for (i = 0; i < len - 1 && from[i] != '\0'; i++)
		to[i] = from[i];
	to[i] = '\0';
}

/*
 * Allocate and initialize a mount structure of type fstypename, from
 * the device devname, read-only until the caller says otherwise.  A
 * table entry with no vfsconf is free.
 */
int
vfs_mountalloc(fstypename, devname, mpp)
	const char *fstypename;
	const char *devname;
	struct mount **mpp;
{
	struct vfsconf *vfsp;
	struct mount *mp;
	int i;

	vfsp = vfs_byname(fstypename);
	if (vfsp == NULL)
		return (ENODEV);
	for (i = 0; i < NMOUNT && mount_table[i].mnt_vfc != NULL; i++)
		continue;
	if (i == NMOUNT)
		return (ENOMEM);
	mp = &mount_table[i];
	bzero(mp, sizeof(*mp));
	mp->mnt_vfc = vfsp;
	mp->mnt_op = vfsp->vfc_vfsops;
	mp->mnt_flag = MNT_RDONLY;
	vfsp->vfc_refcount++;
	mp->mnt_stat.f_type = vfsp->vfc_typenum;
	mp->mnt_flag |= vfsp->vfc_flags & MNT_LOCAL;
	vfs_copyname(mp->mnt_stat.f_fstypename, vfsp->vfc_name, MFSNAMELEN);
	vfs_copyname(mp->mnt_stat.f_mntfromname, devname, MNAMELEN);
	*mpp = mp;
	return (0);
}

/*
 * Allocate and initialize a mount structure for the root of type
 * fstypename, from the device devname.
 */
int
vfs_rootmountalloc(fstypename, devname, mpp)
	const char *fstypename;
	const char *devname;
	struct mount **mpp;
{
	int error;

	if ((error = vfs_mountalloc(fstypename, devname, mpp)) != 0)
		return (error);
	(*mpp)->mnt_stat.f_mntonname[0] = '/';
	(*mpp)->mnt_stat.f_mntonname[1] = '\0';
	return (0);
}

/*
 * Give back a mount structure no vnode names any more.
 */
void
vfs_mountfree(mp)
	struct mount *mp;
{

	if (mp->mnt_vnodelist != NULL)
		panic("vfs_mountfree: mount %p still has vnodes", mp);
	mp->mnt_vfc->vfc_refcount--;
	bzero(mp, sizeof(*mp));
}

/*
 * Remove every vnode of a mount, before it is unmounted: EBUSY if one
 * is still in use (rootrefs of them may be the references its caller
 * holds on the root), else each is reclaimed and taken off the mount.
 */
int
vflush(mp, rootrefs, flags)
	struct mount *mp;
	int rootrefs;
	int flags;
{
	struct vnode *vp;
	int busy;

	busy = 0;
	for (vp = mp->mnt_vnodelist; vp != NULL; vp = vp->v_mntnext) {
		if (vp->v_usecount == 0)
			continue;
		if ((vp->v_flag & VROOT) && vp->v_usecount <= rootrefs)
			continue;
		busy++;
	}
	if (busy && (flags & MNT_FORCE) == 0)
		return (EBUSY);
	while ((vp = mp->mnt_vnodelist) != NULL) {
		if (vp->v_usecount == 0)
			vfree_remove(vp);
		vgone(vp);
		insmntque(vp, NULL);
		/* Back on the free list, at its head: nothing names it. */
		if (vp->v_usecount == 0) {
			vp->v_flag |= VFREE;
			vp->v_freeprev = NULL;
			vp->v_freenext = vnode_free_head;
			if (vnode_free_head != NULL)
				vnode_free_head->v_freeprev = vp;
			else
				vnode_free_tail = vp;
			vnode_free_head = vp;
		}
	}
	return (0);
}

int
vfs_stdstart(mp, flags, p)
	struct mount *mp;
	int flags;
	struct proc *p;
{

	return (0);
}

int
vfs_stdsync(mp, waitfor, cred, p)
	struct mount *mp;
	int waitfor;
	struct ucred *cred;
	struct proc *p;
{

	return (0);
}
