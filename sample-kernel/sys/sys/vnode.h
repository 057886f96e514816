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
 * The vnode: the kernel's handle on a file of any file system.  Its
 * v_op vector, built by vfs_opv_init() from a file system's table of
 * (operation, function) pairs, is what the VOP_* calls of vnode_if.h go
 * through; v_data points at the file system's own node (UFS: the inode).
 *
 * Vnodes are not locked in this kernel: it has one CPU and no file system
 * operation sleeps (the root disk is in memory), so namei's LOCKLEAF and
 * LOCKPARENT are accepted and vput() is vrele().
 */

#ifndef _SYS_VNODE_H_
#define	_SYS_VNODE_H_

#include <sys/uio.h>
#include <sys/time.h>

struct buf;
struct componentname;
struct mount;
struct nameidata;
struct proc;
struct stat;
struct ucred;

/* Vnode types.  VNON means no type. */
enum vtype	{ VNON, VREG, VDIR, VBLK, VCHR, VLNK, VSOCK, VFIFO, VBAD };

/* Vnode tag types: which file system a vnode belongs to. */
enum vtagtype	{ VT_NON, VT_UFS, VT_SPEC, VT_NFS };

typedef	int	vop_t __P((void *));

struct vnode {
	u_long	v_flag;				/* vnode flags (see below) */
	int	v_usecount;			/* reference count of users */
	struct	mount *v_mount;			/* ptr to vfs we are in */
	vop_t	**v_op;				/* vnode operations vector */
	struct	vnode *v_freenext;		/* vnode freelist */
	struct	vnode *v_freeprev;
	struct	vnode *v_mntnext;		/* vnodes for mount point */
	enum	vtype v_type;			/* vnode type */
	enum	vtagtype v_tag;			/* type of underlying data */
	struct	mount *v_mountedhere;		/* ptr to mounted vfs (VDIR) */
	dev_t	v_rdev;				/* device (VCHR, VBLK) */
	void	*v_data;			/* private data for fs */
	u_long	v_id;				/* capability identifier */
};

/* Vnode flags. */
#define	VROOT		0x00001	/* root of its file system */
#define	VTEXT		0x00002	/* vnode is a pure text prototype */
#define	VSYSTEM		0x00004	/* vnode being used by kernel */
#define	VFREE		0x80000	/* this vnode is on the freelist */

/*
 * Vnode attributes.  A field value of VNOVAL represents a field whose
 * value is unavailable (getattr) or which is not to be changed (setattr).
 */
struct vattr {
	enum vtype	va_type;	/* vnode type (for create) */
	u_short		va_mode;	/* files access mode and type */
	short		va_nlink;	/* number of references to file */
	uid_t		va_uid;		/* owner user id */
	gid_t		va_gid;		/* owner group id */
	udev_t		va_fsid;	/* file system id */
	long		va_fileid;	/* file id */
	u_quad_t	va_size;	/* file size in bytes */
	long		va_blocksize;	/* blocksize preferred for i/o */
	struct timespec	va_atime;	/* time of last access */
	struct timespec	va_mtime;	/* time of last modification */
	struct timespec	va_ctime;	/* time file changed */
	u_long		va_gen;		/* generation number of file */
	u_long		va_flags;	/* flags defined for file */
	udev_t		va_rdev;	/* device the special file represents */
	u_quad_t	va_bytes;	/* bytes of disk space held by file */
};

#define	VNOVAL	(-1)

#define	NOCRED	((struct ucred *)0)	/* no credential available */

/* Flags for ioflag. */
#define	IO_UNIT		0x01		/* do I/O as atomic unit */
#define	IO_APPEND	0x02		/* append write to end */
#define	IO_SYNC		0x04		/* do I/O synchronously */
#define	IO_NODELOCKED	0x08		/* underlying node already locked */

/* Modes for VOP_ACCESS: the owner's bits of the mode. */
#define	VREAD		00400		/* read, write, execute permissions */
#define	VWRITE		00200
#define	VEXEC		00100

/* The description of one vnode operation: its slot in every vector. */
struct vnodeop_desc {
	int		vdesc_offset;	/* offset in vector */
	const char	*vdesc_name;	/* a readable name for debugging */
};

/* A file system's implementation of one operation. */
struct vnodeopv_entry_desc {
	struct vnodeop_desc *opve_op;	/* which operation this is */
	vop_t *opve_impl;		/* code implementing this operation */
};

/* A file system's table of operations and the vector built from it. */
struct vnodeopv_desc {
	vop_t ***opv_desc_vector_p;	/* ptr to the ptr to the vector */
	struct vnodeopv_entry_desc *opv_desc_ops;	/* null terminated */
};

#define	VOFFSET(OP)	(OP##_desc.vdesc_offset)
#define	VCALL(VP, OFF, AP)	((*((VP)->v_op[(OFF)]))(AP))
#define	VDESC(OP)	(&(OP##_desc))

extern	struct vnode *rootvnode;	/* root (i.e. "/") vnode */
extern	int desiredvnodes;		/* number of vnodes desired */

#ifdef _KERNEL
#include <sys/vnode_if.h>

struct vattr;

void	vattr_null __P((struct vattr *vap));
int	getnewvnode __P((enum vtagtype tag, struct mount *mp, vop_t **vops,
	    struct vnode **vpp));
int	bdevvp __P((dev_t dev, struct vnode **vpp));
void	vref __P((struct vnode *vp));
void	vrele __P((struct vnode *vp));
void	vput __P((struct vnode *vp));
int	vget __P((struct vnode *vp, int lockflag, struct proc *p));
void	vgone __P((struct vnode *vp));
void	vntblinit __P((void));
void	vfs_opv_init __P((struct vnodeopv_desc *opv));
int	vop_defaultop __P((void *ap));
int	vop_eopnotsupp __P((void *ap));
int	vop_null __P((void *ap));
int	vop_erofs __P((void *ap));
int	vn_open __P((struct nameidata *ndp, int fmode, int cmode));
int	vn_close __P((struct vnode *vp, int flags, struct ucred *cred,
	    struct proc *p));
int	vn_rdwr __P((enum uio_rw rw, struct vnode *vp, caddr_t base,
	    int len, off_t offset, enum uio_seg segflg, int ioflg,
	    struct ucred *cred, int *aresid, struct proc *p));
int	vn_stat __P((struct vnode *vp, struct stat *sb, struct proc *p));

extern	vop_t **default_vnodeop_p;
extern	vop_t **spec_vnodeop_p;
#endif

#endif /* !_SYS_VNODE_H_ */
