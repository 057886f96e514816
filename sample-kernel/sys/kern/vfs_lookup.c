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
 * Path name translation: namei() copies the path, picks the starting
 * directory and calls lookup() once per symbolic link; lookup() walks the
 * components, one VOP_LOOKUP each, handling "." and "..", mount points
 * and the last component's flags.  Symbolic links are followed at most
 * MAXSYMLINKS times in one translation (ELOOP after that); a component
 * longer than MAXNAMLEN gives ENAMETOOLONG, as does a path (or a path with
 * a link's text spliced in) of MAXPATHLEN bytes or more.
 *
 * Until processes have directories of their own every translation starts
 * at rootvnode, and only kernel-space paths are accepted.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/dirent.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/vnode.h>

#include <vm/vm.h>
#include <vm/vm_page.h>

/*
 * Path name buffers: MAXPATHLEN bytes each, from one allocation made on
 * first use.  A translation holds at most two (the path and a link's
 * text); a caller keeping one with SAVENAME holds another.
 */
#define	NAMEI_NBUF	8

static char *namei_bufs;
static u_int namei_busy;		/* bit i: buffer i in use */

char *
namei_zalloc()
{
	int i;

	if (namei_bufs == NULL)
		namei_bufs = (char *)kmem_alloc(NAMEI_NBUF * MAXPATHLEN);
	for (i = 0; i < NAMEI_NBUF; i++) {
		if ((namei_busy & (1U << i)) == 0) {
			namei_busy |= 1U << i;
			return (namei_bufs + i * MAXPATHLEN);
		}
	}
	panic("namei_zalloc: all %d path buffers in use", NAMEI_NBUF);
	return (NULL);
}

void
namei_zfree(cp)
	char *cp;
{
	int i;

	i = (cp - namei_bufs) / MAXPATHLEN;
	if (namei_bufs == NULL || i < 0 || i >= NAMEI_NBUF ||
	    (namei_busy & (1U << i)) == 0)
		panic("namei_zfree: %p is not a busy path buffer", cp);
	namei_busy &= ~(1U << i);
}

/*
 * Convert a pathname into a pointer to a vnode.
 *
 * The result is in ndp->ni_vp, referenced; with LOCKPARENT or
 * WANTPARENT the parent is in ndp->ni_dvp, referenced too.
 */
int
namei(ndp)
	struct nameidata *ndp;
{
	struct componentname *cnp;
	struct vnode *dp;
	struct iovec aiov;
	struct uio auio;
	char *cp;
	int error, linklen, i;

	cnp = &ndp->ni_cnd;
	cnp->cn_cred = NOCRED;
	ndp->ni_vp = NULL;
	ndp->ni_dvp = NULL;

	/*
	 * Get a buffer for the name to be translated, and copy the
	 * name into the buffer.
	 */
	if ((cnp->cn_flags & HASBUF) == 0)
		cnp->cn_pnbuf = namei_zalloc();
	error = 0;
	if (ndp->ni_segflg == UIO_SYSSPACE) {
		for (i = 0; i < MAXPATHLEN && ndp->ni_dirp[i] != '\0'; i++)
			cnp->cn_pnbuf[i] = ndp->ni_dirp[i];
		if (i == MAXPATHLEN)
			error = ENAMETOOLONG;
		else {
			cnp->cn_pnbuf[i] = '\0';
			ndp->ni_pathlen = i + 1;
		}
	} else
		error = EFAULT;
	if (error == 0 && *cnp->cn_pnbuf == '\0')
		error = ENOENT;
	if (error == 0 && rootvnode == NULL)
		error = ENOENT;
	if (error) {
		namei_zfree(cnp->cn_pnbuf);
		cnp->cn_flags &= ~HASBUF;
		return (error);
	}
	ndp->ni_loopcnt = 0;

	/*
	 * Get starting point for the translation: the root, which is also
	 * the current directory until processes have their own.
	 */
	ndp->ni_rootdir = rootvnode;
	ndp->ni_topdir = NULL;
	dp = ndp->ni_startdir != NULL ? ndp->ni_startdir : rootvnode;
	vref(dp);
	for (;;) {
		/*
		 * Check if root directory should replace current directory.
		 * Done at start of translation and after symbolic link.
		 */
		cnp->cn_nameptr = cnp->cn_pnbuf;
		if (*(cnp->cn_nameptr) == '/') {
			vrele(dp);
			while (*(cnp->cn_nameptr) == '/') {
				cnp->cn_nameptr++;
				ndp->ni_pathlen--;
			}
			dp = ndp->ni_rootdir;
			vref(dp);
		}
		ndp->ni_startdir = dp;
		error = lookup(ndp);
		if (error) {
			namei_zfree(cnp->cn_pnbuf);
			cnp->cn_flags &= ~HASBUF;
			return (error);
		}
		/*
		 * Check for symbolic link
		 */
		if ((cnp->cn_flags & ISSYMLINK) == 0) {
			if ((cnp->cn_flags & (SAVENAME | SAVESTART)) == 0) {
				namei_zfree(cnp->cn_pnbuf);
				cnp->cn_flags &= ~HASBUF;
			} else
				cnp->cn_flags |= HASBUF;
			return (0);
		}
		if (ndp->ni_loopcnt++ >= MAXSYMLINKS) {
			error = ELOOP;
			break;
		}
		if (ndp->ni_pathlen > 1)
			cp = namei_zalloc();
		else
			cp = cnp->cn_pnbuf;
		aiov.iov_base = cp;
		aiov.iov_len = MAXPATHLEN;
		auio.uio_iov = &aiov;
		auio.uio_iovcnt = 1;
		auio.uio_offset = 0;
		auio.uio_rw = UIO_READ;
		auio.uio_segflg = UIO_SYSSPACE;
		auio.uio_procp = NULL;
		auio.uio_resid = MAXPATHLEN;
		error = VOP_READLINK(ndp->ni_vp, &auio, cnp->cn_cred);
		if (error) {
			if (ndp->ni_pathlen > 1)
				namei_zfree(cp);
			break;
		}
		linklen = MAXPATHLEN - auio.uio_resid;
		if (linklen == 0) {
			if (ndp->ni_pathlen > 1)
				namei_zfree(cp);
			error = ENOENT;
			break;
		}
		if (linklen + ndp->ni_pathlen >= MAXPATHLEN) {
			if (ndp->ni_pathlen > 1)
				namei_zfree(cp);
			error = ENAMETOOLONG;
			break;
		}
		if (ndp->ni_pathlen > 1) {
			bcopy(ndp->ni_next, cp + linklen, ndp->ni_pathlen);
			namei_zfree(cnp->cn_pnbuf);
			cnp->cn_pnbuf = cp;
		} else
			cnp->cn_pnbuf[linklen] = '\0';
		ndp->ni_pathlen += linklen;
		vput(ndp->ni_vp);
		dp = ndp->ni_dvp;
	}
	namei_zfree(cnp->cn_pnbuf);
	cnp->cn_flags &= ~HASBUF;
	vrele(ndp->ni_dvp);
	vput(ndp->ni_vp);
	ndp->ni_vp = NULL;
	ndp->ni_dvp = NULL;
	return (error);
}

/*
 * Search a pathname.  This is a very central and rather complicated
 * routine.
 *
 * The pathname is pointed to by ni_nameptr and is of length ni_pathlen.
 * The starting directory is taken from ni_startdir.  The pathname is
 * descended until done, or a symbolic link is encountered.  The variable
 * ni_more is clear if the path is completed; it is set to one if a
 * symbolic link needing interpretation is encountered.
 *
 * The flag argument is LOOKUP, CREATE, RENAME, or DELETE depending on
 * whether the name is to be looked up, created, renamed, or deleted.
 * When CREATE, RENAME, or DELETE is specified, information usable in
 * creating, renaming, or deleting a directory entry may be calculated.
 * If flag has LOCKPARENT or'ed into it, the parent directory is returned
 * referenced.  If the target of the pathname exists, lookup returns it
 * referenced in ni_vp; if it does not, ni_vp is NULL and, when creating
 * the last component, the parent is returned in ni_dvp.
 */
int
lookup(ndp)
	struct nameidata *ndp;
{
	struct componentname *cnp;
	struct vnode *dp, *tdp;
	struct mount *mp;
	char *cp;
	int wantparent, rdonly, error;

	cnp = &ndp->ni_cnd;
	error = 0;
	wantparent = cnp->cn_flags & (LOCKPARENT | WANTPARENT);
	rdonly = cnp->cn_flags & RDONLY;
	ndp->ni_dvp = NULL;
	cnp->cn_flags &= ~ISSYMLINK;
	dp = ndp->ni_startdir;
	ndp->ni_startdir = NULL;

dirloop:
	/*
	 * Search a new directory.
	 *
	 * The last component of the filename is left accessible via
	 * cnp->cn_nameptr for callers that need the name.
	 */
	cnp->cn_consume = 0;
	for (cp = cnp->cn_nameptr; *cp != 0 && *cp != '/'; cp++)
		continue;
	cnp->cn_namelen = cp - cnp->cn_nameptr;
	if (cnp->cn_namelen > MAXNAMLEN) {
		error = ENAMETOOLONG;
		goto bad;
	}
	ndp->ni_pathlen -= cnp->cn_namelen;
	ndp->ni_next = cp;
	cnp->cn_flags |= MAKEENTRY;
	if (*cp == '\0')
		cnp->cn_flags |= ISLASTCN;
	else
		cnp->cn_flags &= ~ISLASTCN;
	if (cnp->cn_namelen == 2 &&
	    cnp->cn_nameptr[1] == '.' && cnp->cn_nameptr[0] == '.')
		cnp->cn_flags |= ISDOTDOT;
	else
		cnp->cn_flags &= ~ISDOTDOT;

	/*
	 * Check for degenerate name (e.g. / or "") which is a way of
	 * talking about a directory, e.g. like "/." or ".".
	 */
	if (cnp->cn_nameptr[0] == '\0') {
		if (dp->v_type != VDIR) {
			error = ENOTDIR;
			goto bad;
		}
		if (cnp->cn_nameiop != LOOKUP) {
			error = EISDIR;
			goto bad;
		}
		if (wantparent) {
			ndp->ni_dvp = dp;
			vref(dp);
		}
		ndp->ni_vp = dp;
		return (0);
	}

	/*
	 * Handle "..": stay at the root; at the root of a mounted file
	 * system, continue from the directory it covers.
	 */
	if (cnp->cn_flags & ISDOTDOT) {
		for (;;) {
			if (dp == ndp->ni_rootdir || dp == rootvnode) {
				ndp->ni_dvp = dp;
				ndp->ni_vp = dp;
				vref(dp);
				goto nextname;
			}
			if ((dp->v_flag & VROOT) == 0 ||
			    dp->v_mount->mnt_vnodecovered == NULL)
				break;
			tdp = dp;
			dp = dp->v_mount->mnt_vnodecovered;
			vput(tdp);
			vref(dp);
		}
	}

	/*
	 * We now have a segment name to search for, and a directory to
	 * search.
	 */
	ndp->ni_dvp = dp;
	ndp->ni_vp = NULL;
	if (dp->v_type != VDIR) {
		error = ENOTDIR;
		goto bad;
	}
	error = VOP_LOOKUP(dp, &ndp->ni_vp, cnp);
	if (error != 0) {
		if (error != EJUSTRETURN)
			goto bad;
		/*
		 * If creating and at end of pathname, then can consider
		 * allowing file to be created.
		 */
		if (rdonly) {
			error = EROFS;
			goto bad;
		}
		/*
		 * We return with ni_vp NULL to indicate that the entry
		 * doesn't currently exist, leaving a pointer to the
		 * directory in ndp->ni_dvp.
		 */
		if (cnp->cn_flags & SAVESTART) {
			ndp->ni_startdir = ndp->ni_dvp;
			vref(ndp->ni_startdir);
		}
		return (0);
	}
	dp = ndp->ni_vp;

	/*
	 * Check to see if the vnode has been mounted on; if so find the
	 * root of the mounted file system.
	 */
	while (dp->v_type == VDIR && (mp = dp->v_mountedhere) != NULL) {
		error = VFS_ROOT(mp, &tdp);
		if (error)
			goto bad2;
		vput(dp);
		ndp->ni_vp = dp = tdp;
	}

	/*
	 * Check for symbolic link
	 */
	if (dp->v_type == VLNK &&
	    ((cnp->cn_flags & FOLLOW) || *ndp->ni_next == '/')) {
		cnp->cn_flags |= ISSYMLINK;
		return (0);
	}

nextname:
	/*
	 * Not a symbolic link.  If more pathname, continue at next
	 * component, else return.
	 */
	if (*ndp->ni_next == '/') {
		cnp->cn_nameptr = ndp->ni_next;
		while (*cnp->cn_nameptr == '/') {
			cnp->cn_nameptr++;
			ndp->ni_pathlen--;
		}
		vrele(ndp->ni_dvp);
		goto dirloop;
	}
	/*
	 * Disallow directory write attempts on read-only file systems.
	 */
	if (rdonly &&
	    (cnp->cn_nameiop == DELETE || cnp->cn_nameiop == RENAME)) {
		error = EROFS;
		goto bad2;
	}
	if (cnp->cn_flags & SAVESTART) {
		ndp->ni_startdir = ndp->ni_dvp;
		vref(ndp->ni_startdir);
	}
	if (!wantparent)
		vrele(ndp->ni_dvp);
	return (0);

bad2:
	vrele(ndp->ni_dvp);
bad:
	vput(dp);
	ndp->ni_vp = NULL;
	ndp->ni_dvp = NULL;
	return (error);
}

/*
 * Free the pathname buffer and release the vnodes of a finished
 * namei(), except what flags asks to keep.
 */
void
NDFREE(ndp, flags)
	struct nameidata *ndp;
	const u_int flags;
{

	if (!(flags & NDF_NO_FREE_PNBUF) &&
	    (ndp->ni_cnd.cn_flags & HASBUF)) {
		namei_zfree(ndp->ni_cnd.cn_pnbuf);
		ndp->ni_cnd.cn_flags &= ~HASBUF;
	}
	if (!(flags & NDF_NO_DVP_RELE) &&
	    (ndp->ni_cnd.cn_flags & (LOCKPARENT | WANTPARENT)) &&
	    ndp->ni_dvp != NULL) {
		vrele(ndp->ni_dvp);
		ndp->ni_dvp = NULL;
	}
	if (!(flags & NDF_NO_VP_RELE) && ndp->ni_vp != NULL) {
		vrele(ndp->ni_vp);
		ndp->ni_vp = NULL;
	}
	if (!(flags & NDF_NO_STARTDIR_RELE) &&
	    (ndp->ni_cnd.cn_flags & SAVESTART) && ndp->ni_startdir != NULL) {
		vrele(ndp->ni_startdir);
		ndp->ni_startdir = NULL;
	}
}
