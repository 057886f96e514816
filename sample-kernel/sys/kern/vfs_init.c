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
 * Start of the virtual file system: the operation vectors are built
 * from each file system's table (vfs_opv_init) and the configured file
 * system types registered.  vfsinit() runs as a sysinit before the root
 * is mounted; it takes no memory from the page allocator (the vnode,
 * inode and buffer headers are static, buffer memory comes on first use).
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#include <ufs/ufs/ufs_extern.h>
#include <ufs/ffs/ffs_extern.h>

struct vfsconf *vfsconf;		/* head of list of filesystem types */

/* The vectors themselves: one per file system table. */
#define	NVECTORS	4
static vop_t *vop_vectors[NVECTORS][VOP_NOPS];
static int vop_nvectors;

extern struct vnodeopv_desc spec_vnodeop_opv_desc;
#ifdef NFS
extern struct vfsops nfs_vfsops;
extern struct vnodeopv_desc nfsv3_vnodeop_opv_desc;
#endif

static struct vnodeopv_desc *vfs_opv_descs[] = {
	&spec_vnodeop_opv_desc,
	&ffs_vnodeop_opv_desc,
#ifdef NFS
	&nfsv3_vnodeop_opv_desc,
#endif
	NULL
};

static struct vfsconf vfsconf_ufs = { &ufs_vfsops, "ufs", 1, 0, 0, NULL };
#ifdef NFS
static struct vfsconf vfsconf_nfs = { &nfs_vfsops, "nfs", 2, 0, 0, NULL };
#endif

/*
 * Build the vector of one table: every slot the table names gets its
 * function, every other one the table's default (vop_defaultop unless
 * the table says otherwise).
 */
void
vfs_opv_init(opv)
	struct vnodeopv_desc *opv;
{
	struct vnodeopv_entry_desc *opve;
	vop_t **vec, *def;
	int i;

	if (vop_nvectors >= NVECTORS)
		panic("vfs_opv_init: too many vnode operation tables");
	vec = vop_vectors[vop_nvectors++];
	def = vop_defaultop;
	for (opve = opv->opv_desc_ops; opve->opve_op != NULL; opve++)
		if (opve->opve_op == &vop_default_desc)
			def = opve->opve_impl;
	for (i = 0; i < VOP_NOPS; i++)
		vec[i] = def;
	for (opve = opv->opv_desc_ops; opve->opve_op != NULL; opve++) {
		if (opve->opve_op->vdesc_offset <= 0 ||
		    opve->opve_op->vdesc_offset >= VOP_NOPS)
			continue;
		vec[opve->opve_op->vdesc_offset] = opve->opve_impl;
	}
	*opv->opv_desc_vector_p = vec;
}

/*
 * Add a file system type to the list and let it initialize.
 */
int
vfs_register(vfc)
	struct vfsconf *vfc;
{
	struct vfsconf **vfcpp;

	for (vfcpp = &vfsconf; *vfcpp != NULL; vfcpp = &(*vfcpp)->vfc_next)
		if (strcmp((*vfcpp)->vfc_name, vfc->vfc_name) == 0)
			return (EEXIST);
	*vfcpp = vfc;
	if (vfc->vfc_vfsops->vfs_init != NULL)
		(*vfc->vfc_vfsops->vfs_init)(vfc);
	return (0);
}

struct vfsconf *
vfs_byname(name)
	const char *name;
{
	struct vfsconf *vfsp;

	for (vfsp = vfsconf; vfsp != NULL; vfsp = vfsp->vfc_next)
		if (strcmp(name, vfsp->vfc_name) == 0)
			return (vfsp);
	return (NULL);
}

/*
 * Initialize the vnode structures and initialize each file system type.
 */
void
vfsinit(dummy)
	void *dummy;
{
	int i;

	vntblinit();
	bufinit();
	for (i = 0; vfs_opv_descs[i] != NULL; i++)
		vfs_opv_init(vfs_opv_descs[i]);
	vfs_register(&vfsconf_ufs);
#ifdef NFS
	vfs_register(&vfsconf_nfs);
#endif
}
