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
 * Mounted file systems.  A struct mount per mounted file system, its
 * file system type's operations (struct vfsops, called through the
 * VFS_* macros) and the list of configured types (struct vfsconf).
 */

#ifndef _SYS_MOUNT_H_
#define	_SYS_MOUNT_H_

struct nameidata;
struct proc;
struct ucred;
struct vnode;

typedef struct fsid { int32_t val[2]; } fsid_t;	/* file system id type */

#define	MFSNAMELEN	16	/* length of fs type name, including null */
#define	MNAMELEN	80	/* length of buffer for returned name */

struct statfs {
	long	f_spare2;		/* placeholder */
	long	f_bsize;		/* fundamental file system block size */
	long	f_iosize;		/* optimal transfer block size */
	long	f_blocks;		/* total data blocks in file system */
	long	f_bfree;		/* free blocks in fs */
	long	f_bavail;		/* free blocks avail to non-superuser */
	long	f_files;		/* total file nodes in file system */
	long	f_ffree;		/* free file nodes in fs */
	fsid_t	f_fsid;			/* file system id */
	uid_t	f_owner;		/* user that mounted the filesystem */
	int	f_type;			/* type of filesystem */
	int	f_flags;		/* copy of mount exported flags */
	long	f_syncwrites;		/* count of sync writes since mount */
	long	f_asyncwrites;		/* count of async writes since mount */
	char	f_fstypename[MFSNAMELEN]; /* fs type name */
	char	f_mntonname[MNAMELEN];	/* directory on which mounted */
	long	f_syncreads;		/* count of sync reads since mount */
	long	f_asyncreads;		/* count of async reads since mount */
	short	f_spares1;		/* unused spare */
	char	f_mntfromname[MNAMELEN];/* mounted filesystem */
	short	f_spares2;		/* unused spare */
	long	f_spare[2];		/* unused spare */
};

struct mount {
	struct	mount *mnt_next;		/* mount list */
	struct	vfsops *mnt_op;			/* operations on fs */
	struct	vfsconf *mnt_vfc;		/* configuration info */
	struct	vnode *mnt_vnodecovered;	/* vnode we mounted on */
	struct	vnode *mnt_vnodelist;		/* list of vnodes this mount */
	int	mnt_flag;			/* flags shared with user */
	int	mnt_kern_flag;			/* kernel only flags */
	int	mnt_maxsymlinklen;		/* max size of short symlink */
	struct	statfs mnt_stat;		/* cache of filesystem stats */
	qaddr_t	mnt_data;			/* private data */
};

/* User specifiable flags. */
#define	MNT_RDONLY	0x00000001	/* read only filesystem */
#define	MNT_NOSUID	0x00000008	/* don't honor setuid bits on fs */
#define	MNT_LOCAL	0x00001000	/* filesystem is stored locally */
#define	MNT_ROOTFS	0x00004000	/* identifies the root filesystem */
#define	MNT_UPDATE	0x00010000	/* not a real mount, just an update */
#define	MNT_FORCE	0x00080000	/* force unmount or readonly change */

/* Flags for the sync calls. */
#define	MNT_WAIT	1	/* synchronously wait for I/O to complete */
#define	MNT_NOWAIT	2	/* start all I/O, but do not wait for it */

/*
 * Operations supported on mounted file system.  vfs_mount with a NULL
 * path mounts the root.
 */
struct vfsops {
	int	(*vfs_mount)	__P((struct mount *mp, char *path, caddr_t data,
				    struct nameidata *ndp, struct proc *p));
	int	(*vfs_start)	__P((struct mount *mp, int flags,
				    struct proc *p));
	int	(*vfs_unmount)	__P((struct mount *mp, int mntflags,
				    struct proc *p));
	int	(*vfs_root)	__P((struct mount *mp, struct vnode **vpp));
	int	(*vfs_statfs)	__P((struct mount *mp, struct statfs *sbp,
				    struct proc *p));
	int	(*vfs_sync)	__P((struct mount *mp, int waitfor,
				    struct ucred *cred, struct proc *p));
	int	(*vfs_vget)	__P((struct mount *mp, ino_t ino,
				    struct vnode **vpp));
	int	(*vfs_init)	__P((struct vfsconf *));
};

#define	VFS_MOUNT(MP, PATH, DATA, NDP, P) \
	(*(MP)->mnt_op->vfs_mount)(MP, PATH, DATA, NDP, P)
#define	VFS_START(MP, FLAGS, P)	  (*(MP)->mnt_op->vfs_start)(MP, FLAGS, P)
#define	VFS_UNMOUNT(MP, FORCE, P) (*(MP)->mnt_op->vfs_unmount)(MP, FORCE, P)
#define	VFS_ROOT(MP, VPP)	  (*(MP)->mnt_op->vfs_root)(MP, VPP)
#define	VFS_STATFS(MP, SBP, P)	  (*(MP)->mnt_op->vfs_statfs)(MP, SBP, P)
#define	VFS_SYNC(MP, WAIT, C, P)  (*(MP)->mnt_op->vfs_sync)(MP, WAIT, C, P)
#define	VFS_VGET(MP, INO, VPP)	  (*(MP)->mnt_op->vfs_vget)(MP, INO, VPP)

/* A configured file system type. */
struct vfsconf {
	struct	vfsops *vfc_vfsops;	/* filesystem operations vector */
	char	vfc_name[MFSNAMELEN];	/* filesystem type name */
	int	vfc_typenum;		/* historic filesystem type number */
	int	vfc_refcount;		/* number mounted of this type */
	int	vfc_flags;		/* permanent flags */
	struct	vfsconf *vfc_next;	/* next in list */
};

#ifdef _KERNEL
extern	struct mount *mountlist;	/* mounted filesystem list */
extern	struct vfsconf *vfsconf;	/* head of list of filesystem types */

int	vfs_register __P((struct vfsconf *));
struct	vfsconf *vfs_byname __P((const char *));
int	vfs_rootmountalloc __P((const char *, const char *, struct mount **));
int	vfs_mountalloc __P((const char *, const char *, struct mount **));
void	vfs_mountfree __P((struct mount *));
int	vflush __P((struct mount *, int, int));
int	dounmount __P((struct mount *, int, struct proc *));
void	vfs_unmountall __P((void));
int	vfs_stdstart __P((struct mount *, int, struct proc *));
int	vfs_stdsync __P((struct mount *, int, struct ucred *, struct proc *));
void	vfsinit __P((void *));
#else /* !_KERNEL */

int	mount __P((const char *, const char *, int, void *));
int	unmount __P((const char *, int));
#endif

#endif /* !_SYS_MOUNT_H_ */
