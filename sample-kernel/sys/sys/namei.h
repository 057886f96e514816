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
 * Path name lookup: the request (struct nameidata, filled by NDINIT),
 * the component being looked up (struct componentname, what a file
 * system's VOP_LOOKUP sees) and the flags of both.
 */

#ifndef _SYS_NAMEI_H_
#define	_SYS_NAMEI_H_

#include <sys/uio.h>

struct componentname {
	/* Arguments to lookup. */
	u_long	cn_nameiop;	/* namei operation */
	u_long	cn_flags;	/* flags to namei */
	struct	proc *cn_proc;	/* process requesting lookup */
	struct	ucred *cn_cred;	/* credentials */
	/* Shared between lookup and commit routines. */
	char	*cn_pnbuf;	/* pathname buffer */
	char	*cn_nameptr;	/* pointer to looked up name */
	long	cn_namelen;	/* length of looked up component */
	long	cn_consume;	/* chars to consume in lookup() */
};

struct nameidata {
	/* Arguments to namei/lookup. */
	const	char *ni_dirp;		/* pathname pointer */
	enum	uio_seg ni_segflg;	/* location of pathname */
	/* Arguments to lookup. */
	struct	vnode *ni_startdir;	/* starting directory */
	struct	vnode *ni_rootdir;	/* logical root directory */
	struct	vnode *ni_topdir;	/* logical top directory */
	/* Results: returned from/manipulated by lookup. */
	struct	vnode *ni_vp;		/* vnode of result */
	struct	vnode *ni_dvp;		/* vnode of intermediate directory */
	/* Shared between namei and lookup/commit routines. */
	size_t	ni_pathlen;		/* remaining chars in path */
	char	*ni_next;		/* next location in pathname */
	u_long	ni_loopcnt;		/* count of symlinks encountered */
	struct	componentname ni_cnd;
};

/* namei operations. */
#define	LOOKUP		0	/* perform name lookup only */
#define	CREATE		1	/* setup for file creation */
#define	DELETE		2	/* setup for file deletion */
#define	RENAME		3	/* setup for file renaming */
#define	OPMASK		3	/* mask for operation */

/* namei operational modifier flags, stored in ni_cnd.cn_flags. */
#define	LOCKLEAF	0x0004	/* lock inode on return */
#define	LOCKPARENT	0x0008	/* want parent vnode returned locked */
#define	WANTPARENT	0x0010	/* want parent vnode returned unlocked */
#define	NOCACHE		0x0020	/* name must not be left in cache */
#define	FOLLOW		0x0040	/* follow symbolic links */
#define	NOOBJ		0x0080	/* don't create object */
#define	NOFOLLOW	0x0000	/* do not follow symbolic links (pseudo) */
#define	MODMASK		0x00fc	/* mask of operational modifiers */

/* namei parameter descriptors, also in ni_cnd.cn_flags. */
#define	RDONLY		0x000200 /* lookup with read-only semantics */
#define	HASBUF		0x000400 /* has allocated pathname buffer */
#define	SAVENAME	0x000800 /* save pathname buffer */
#define	SAVESTART	0x001000 /* save starting directory */
#define	ISDOTDOT	0x002000 /* current component name is .. */
#define	MAKEENTRY	0x004000 /* entry is to be added to name cache */
#define	ISLASTCN	0x008000 /* this is last component of pathname */
#define	ISSYMLINK	0x010000 /* symlink needs interpretation */
#define	PARAMASK	0x1fff00 /* mask of parameter descriptors */

/* Initialization of a nameidata structure. */
static __inline void
NDINIT(struct nameidata *ndp, u_long op, u_long flags, enum uio_seg segflg,
    const char *namep, struct proc *p)
{
	ndp->ni_cnd.cn_nameiop = op;
	ndp->ni_cnd.cn_flags = flags;
	ndp->ni_segflg = segflg;
	ndp->ni_dirp = namep;
	ndp->ni_cnd.cn_proc = p;
	ndp->ni_startdir = NULL;
}

#define	NDF_NO_DVP_RELE		0x00000001
#define	NDF_NO_VP_RELE		0x00000004
#define	NDF_NO_VP_PUT		0x0000000c
#define	NDF_NO_STARTDIR_RELE	0x00000010
#define	NDF_NO_FREE_PNBUF	0x00000020
#define	NDF_ONLY_PNBUF		(~NDF_NO_FREE_PNBUF)

#ifdef _KERNEL
int	namei __P((struct nameidata *ndp));
int	lookup __P((struct nameidata *ndp));
void	NDFREE __P((struct nameidata *, const u_int));
char	*namei_zalloc __P((void));
void	namei_zfree __P((char *));
#endif

#endif /* !_SYS_NAMEI_H_ */
