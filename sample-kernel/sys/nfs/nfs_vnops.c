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
 * The NFS client's vnode operations, in the shape of FreeBSD 4's
 * nfs/nfs_vnops.c, read-only: LOOKUP, ACCESS is answered from the
 * attributes, GETATTR from the attributes of the last reply, READ in
 * rsize pieces (8 KiB: six IP fragments each), READLINK, and READDIRPLUS,
 * whose entries are read once per directory and kept as struct dirent in
 * DIRBLKSIZ chunks so that VOP_READDIR works by byte offset as on UFS.
 * Anything that would change the file system gives EROFS.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/dirent.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/vnode.h>

#include <net/if.h>

#include <netinet/in.h>

#include <nfs/rpcv2.h>
#include <nfs/krpc.h>
#include <nfs/nfsproto.h>
#include <nfs/nfsdiskless.h>
#include <nfs/nfsnode.h>

#define	NFS_DIRBLKSIZ	512		/* as UFS's DIRBLKSIZ */
#define	NFS_MAXDIRBUF	(64 * 1024)	/* the largest directory read */

MALLOC_DECLARE(M_NFSNODE);

static int nfs_lookup __P((void *));
static int nfs_open __P((void *));
static int nfs_access __P((void *));
static int nfs_getattr __P((void *));
static int nfs_read __P((void *));
static int nfs_readdir __P((void *));
static int nfs_readlink __P((void *));
static int nfs_inactive __P((void *));
static int nfs_reclaim __P((void *));

vop_t **nfsv3_vnodeop_p;
static struct vnodeopv_entry_desc nfsv3_vnodeop_entries[] = {
	{ &vop_default_desc,		(vop_t *)vop_defaultop },
	{ &vop_lookup_desc,		(vop_t *)nfs_lookup },
	{ &vop_create_desc,		(vop_t *)vop_erofs },
	{ &vop_open_desc,		(vop_t *)nfs_open },
	{ &vop_close_desc,		(vop_t *)vop_null },
	{ &vop_access_desc,		(vop_t *)nfs_access },
	{ &vop_getattr_desc,		(vop_t *)nfs_getattr },
	{ &vop_setattr_desc,		(vop_t *)vop_erofs },
	{ &vop_read_desc,		(vop_t *)nfs_read },
	{ &vop_write_desc,		(vop_t *)vop_erofs },
	{ &vop_remove_desc,		(vop_t *)vop_erofs },
	{ &vop_rename_desc,		(vop_t *)vop_erofs },
	{ &vop_mkdir_desc,		(vop_t *)vop_erofs },
	{ &vop_rmdir_desc,		(vop_t *)vop_erofs },
	{ &vop_readdir_desc,		(vop_t *)nfs_readdir },
	{ &vop_readlink_desc,		(vop_t *)nfs_readlink },
	{ &vop_inactive_desc,		(vop_t *)nfs_inactive },
	{ &vop_reclaim_desc,		(vop_t *)nfs_reclaim },
	{ NULL, NULL }
};
struct vnodeopv_desc nfsv3_vnodeop_opv_desc =
	{ &nfsv3_vnodeop_p, nfsv3_vnodeop_entries };

/* Arguments that start with a file handle. */
static struct mbuf *
nfsm_fhargs(np)
	struct nfsnode *np;
{
	struct mbuf *m;

	if ((m = krpc_args()) == NULL)
		return (NULL);
	if (nfsm_fhtom(m, np->n_fh, np->n_fhsize) != 0) {
		m_freem(m);
		return (NULL);
	}
	return (m);
}

static int
nfs_lookup(v)
	void *v;
{
	struct vop_lookup_args *ap;
	struct componentname *cnp;
	struct vnode *dvp;
	struct nfsnode *dnp, *np;
	struct nfsmount *nmp;
	struct krpc_xdr xd;
	struct vattr va, dva;
	struct mbuf *m;
	u_char fh[NFSX_V3FHMAX];
	int error, fhsize, got, dgot;

	ap = v;
	dvp = ap->a_dvp;
	cnp = ap->a_cnp;
	*ap->a_vpp = NULL;
	if (dvp->v_type != VDIR)
		return (ENOTDIR);
	if ((cnp->cn_flags & ISLASTCN) && cnp->cn_nameiop != LOOKUP)
		return (EROFS);
	if ((cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.') ||
	    ((cnp->cn_flags & ISDOTDOT) && (dvp->v_flag & VROOT))) {
		vref(dvp);
		*ap->a_vpp = dvp;
		return (0);
	}
	dnp = VTONFS(dvp);
	nmp = VFSTONFS(dvp->v_mount);
	if ((m = nfsm_fhargs(dnp)) == NULL)
		return (ENOBUFS);
	if ((error = krpc_put32(m, cnp->cn_namelen)) != 0 ||
	    (error = krpc_putopaque(m, cnp->cn_nameptr, cnp->cn_namelen)) !=
	    0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(nmp, NFSPROC_LOOKUP, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = nfsm_status(&xd);
	if (error == 0 && (error = nfsm_getfh(&xd, fh, &fhsize)) == 0 &&
	    (error = nfsm_postop_attr(&xd, &va, &got)) == 0)
		error = nfsm_postop_attr(&xd, &dva, &dgot);
	m_freem(m);
	if (error)
		return (error);
	if ((error = nfs_nget(dvp->v_mount, fh, fhsize, &np)) != 0)
		return (error);
	if (got)
		np->n_vattr = va;
	else if ((error = nfs_getattrcall(nmp, np)) != 0) {
		vrele(NFSTOV(np));
		return (error);
	}
	NFSTOV(np)->v_type = np->n_vattr.va_type;
	*ap->a_vpp = NFSTOV(np);
	return (0);
}

static int
nfs_open(v)
	void *v;
{

	return (0);
}

/* Mode bits against the credential, as ufs_access() does. */
static int
nfs_access(v)
	void *v;
{
	struct vop_access_args *ap;
	struct vattr *vap;
	int mode;

	ap = v;
	vap = &VTONFS(ap->a_vp)->n_vattr;
	mode = ap->a_mode;
	if ((mode & VWRITE) != 0)
		return (EROFS);
	/* The kernel's own lookups and root have every right but exec. */
	if ((mode & VEXEC) != 0 && vap->va_type != VDIR &&
	    (vap->va_mode & 0111) == 0)
		return (EACCES);
	return (0);
}

static int
nfs_getattr(v)
	void *v;
{
	struct vop_getattr_args *ap;

	ap = v;
	*ap->a_vap = VTONFS(ap->a_vp)->n_vattr;
	return (0);
}

static int
nfs_read(v)
	void *v;
{
	struct vop_read_args *ap;
	struct vnode *vp;
	struct nfsnode *np;
	struct nfsmount *nmp;
	struct uio *uio;
	struct krpc_xdr xd;
	struct vattr va;
	struct mbuf *m;
	u_int32_t count, eof;
	char *buf;
	int error, n, got;

	ap = v;
	vp = ap->a_vp;
	uio = ap->a_uio;
	if (vp->v_type == VDIR)
		return (EISDIR);
	if (vp->v_type != VREG)
		return (EOPNOTSUPP);
	if (uio->uio_offset < 0)
		return (EINVAL);
	np = VTONFS(vp);
	nmp = VFSTONFS(vp->v_mount);
	buf = malloc(nmp->nm_rsize, M_TEMP, M_WAITOK);
	error = 0;
	while (uio->uio_resid > 0 &&
	    (u_quad_t)uio->uio_offset < np->n_vattr.va_size) {
		n = min(uio->uio_resid, nmp->nm_rsize);
		if ((m = nfsm_fhargs(np)) == NULL) {
			error = ENOBUFS;
			break;
		}
		if ((error = krpc_put32(m, (u_int32_t)(uio->uio_offset >> 32))) ||
		    (error = krpc_put32(m, (u_int32_t)uio->uio_offset)) ||
		    (error = krpc_put32(m, n))) {
			m_freem(m);
			break;
		}
		if ((error = nfs_request(nmp, NFSPROC_READ, &m)) != 0)
			break;
		krpc_xdr_init(&xd, m);
		if ((error = nfsm_status(&xd)) == 0 &&
		    (error = nfsm_postop_attr(&xd, &va, &got)) == 0 &&
		    (error = krpc_get32(&xd, &count)) == 0 &&
		    (error = krpc_get32(&xd, &eof)) == 0 &&
		    (error = krpc_get32(&xd, &count)) == 0) {
			if ((int)count > n)
				error = EBADRPC;
			else
				error = krpc_getopaque(&xd, buf, count);
		}
		m_freem(m);
		if (error == 0 && got)
			np->n_vattr = va;
		if (error == 0 && count > 0)
			error = uiomove(buf, count, uio);
		if (error || count == 0 || eof)
			break;
	}
	free(buf, M_TEMP);
	return (error);
}

static int
nfs_readlink(v)
	void *v;
{
	struct vop_readlink_args *ap;
	struct nfsnode *np;
	struct krpc_xdr xd;
	struct vattr va;
	struct mbuf *m;
	u_int32_t len;
	char *buf;
	int error, got;

	ap = v;
	if (ap->a_vp->v_type != VLNK)
		return (EINVAL);
	np = VTONFS(ap->a_vp);
	if ((m = nfsm_fhargs(np)) == NULL)
		return (ENOBUFS);
	if ((error = nfs_request(VFSTONFS(ap->a_vp->v_mount),
	    NFSPROC_READLINK, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	buf = NULL;
	if ((error = nfsm_status(&xd)) == 0 &&
	    (error = nfsm_postop_attr(&xd, &va, &got)) == 0 &&
	    (error = krpc_get32(&xd, &len)) == 0) {
		if (len > MAXPATHLEN)
			error = EBADRPC;
		else {
			buf = malloc(len + 1, M_TEMP, M_WAITOK);
			error = krpc_getopaque(&xd, buf, len);
		}
	}
	m_freem(m);
	if (error == 0)
		error = uiomove(buf, min(len, ap->a_uio->uio_resid), ap->a_uio);
	if (buf != NULL)
		free(buf, M_TEMP);
	return (error);
}

/*
 * Append one entry to the directory buffer; no entry crosses a
 * NFS_DIRBLKSIZ boundary (the last one of a chunk is stretched).
 */
static int
nfs_diradd(np, last, fileno, type, name, namlen)
	struct nfsnode *np;
	int *last;
	u_int32_t fileno;
	int type;
	const char *name;
	int namlen;
{
	struct dirent *dp;
	int reclen, room;

	reclen = (sizeof(struct dirent) - (MAXNAMLEN + 1)) +
	    ((namlen + 1 + 3) & ~3);
	room = NFS_DIRBLKSIZ - (np->n_dirlen & (NFS_DIRBLKSIZ - 1));
	if (reclen > room) {
		if (*last >= 0 && (*last & ~(NFS_DIRBLKSIZ - 1)) ==
		    (np->n_dirlen & ~(NFS_DIRBLKSIZ - 1))) {
			dp = (struct dirent *)(np->n_dirbuf + *last);
			dp->d_reclen += room;
		} else {
			dp = (struct dirent *)(np->n_dirbuf + np->n_dirlen);
			bzero(dp, 8);
			dp->d_reclen = room;
		}
		np->n_dirlen += room;
	}
	if (np->n_dirlen + reclen > NFS_MAXDIRBUF)
		return (EFBIG);
	dp = (struct dirent *)(np->n_dirbuf + np->n_dirlen);
	dp->d_fileno = fileno;
	dp->d_reclen = reclen;
	dp->d_type = type;
	dp->d_namlen = namlen;
	bcopy(name, dp->d_name, namlen);
	bzero(dp->d_name + namlen, reclen - 8 - namlen);
	*last = np->n_dirlen;
	np->n_dirlen += reclen;
	return (0);
}

/* A vnode type as a directory entry's d_type. */
static int
nfs_dtype(type)
	enum vtype type;
{

	switch (type) {
	case VREG:
		return (DT_REG);
	case VDIR:
		return (DT_DIR);
	case VLNK:
		return (DT_LNK);
	case VCHR:
		return (DT_CHR);
	case VBLK:
		return (DT_BLK);
	case VFIFO:
		return (DT_FIFO);
	case VSOCK:
		return (DT_SOCK);
	default:
		return (DT_UNKNOWN);
	}
}

/*
 * READDIRPLUS until eof, into the node's dirent buffer: its attributes
 * give each entry its d_type, as UFS directories have it.
 */
static int
nfs_readdirrpc(np, nmp)
	struct nfsnode *np;
	struct nfsmount *nmp;
{
	struct krpc_xdr xd;
	struct vattr va;
	struct mbuf *m;
	u_int64_t cookie, fileid;
	u_int32_t more, eof, len, hasfh;
	u_char verf[NFSX_V3COOKIEVERF], fh[NFSX_V3FHMAX];
	char name[MAXNAMLEN + 1];
	int error, got, last, fhsize;

	np->n_dirbuf = malloc(NFS_MAXDIRBUF, M_NFSNODE, M_WAITOK);
	np->n_dirlen = 0;
	cookie = 0;
	bzero(verf, sizeof(verf));
	last = -1;
	for (eof = 0; !eof;) {
		if ((m = nfsm_fhargs(np)) == NULL)
			return (ENOBUFS);
		if ((error = krpc_put32(m, (u_int32_t)(cookie >> 32))) ||
		    (error = krpc_put32(m, (u_int32_t)cookie)) ||
		    (error = krpc_putopaque(m, verf, sizeof(verf))) ||
		    (error = krpc_put32(m, nmp->nm_readdirsize)) ||
		    (error = krpc_put32(m, nmp->nm_readdirsize))) {
			m_freem(m);
			return (error);
		}
		if ((error = nfs_request(nmp, NFSPROC_READDIRPLUS, &m)) != 0)
			return (error);
		krpc_xdr_init(&xd, m);
		if ((error = nfsm_status(&xd)) != 0 ||
		    (error = nfsm_postop_attr(&xd, &va, &got)) != 0 ||
		    (error = krpc_getopaque(&xd, verf, sizeof(verf))) != 0) {
			m_freem(m);
			return (error);
		}
		for (;;) {
			if ((error = krpc_get32(&xd, &more)) != 0 || !more)
				break;
			if ((error = krpc_get64(&xd, &fileid)) != 0 ||
			    (error = krpc_get32(&xd, &len)) != 0)
				break;
			if (len == 0 || len > MAXNAMLEN) {
				error = EBADRPC;
				break;
			}
			if ((error = krpc_getopaque(&xd, name, len)) != 0 ||
			    (error = krpc_get64(&xd, &cookie)) != 0 ||
			    (error = nfsm_postop_attr(&xd, &va, &got)) != 0 ||
			    (error = krpc_get32(&xd, &hasfh)) != 0 ||
			    (hasfh && (error = nfsm_getfh(&xd, fh, &fhsize)) != 0))
				break;
			if ((error = nfs_diradd(np, &last, (u_int32_t)fileid,
			    got ? nfs_dtype(va.va_type) : DT_UNKNOWN, name,
			    len)) != 0)
				break;
		}
		if (error == 0)
			error = krpc_get32(&xd, &eof);
		m_freem(m);
		if (error)
			return (error);
	}
	/* The last chunk ends at a chunk boundary too. */
	if (np->n_dirlen & (NFS_DIRBLKSIZ - 1)) {
		((struct dirent *)(np->n_dirbuf + last))->d_reclen +=
		    NFS_DIRBLKSIZ - (np->n_dirlen & (NFS_DIRBLKSIZ - 1));
		np->n_dirlen = roundup(np->n_dirlen, NFS_DIRBLKSIZ);
	}
	return (0);
}

static int
nfs_readdir(v)
	void *v;
{
	struct vop_readdir_args *ap;
	struct vnode *vp;
	struct nfsnode *np;
	struct uio *uio;
	int error, count;

	ap = v;
	vp = ap->a_vp;
	uio = ap->a_uio;
	if (vp->v_type != VDIR)
		return (ENOTDIR);
	if (uio->uio_offset < 0 || (uio->uio_offset & (NFS_DIRBLKSIZ - 1)))
		return (EINVAL);
	np = VTONFS(vp);
	if (np->n_dirbuf == NULL &&
	    (error = nfs_readdirrpc(np, VFSTONFS(vp->v_mount))) != 0) {
		if (np->n_dirbuf != NULL)
			free(np->n_dirbuf, M_NFSNODE);
		np->n_dirbuf = NULL;
		return (error);
	}
	count = uio->uio_resid & ~(NFS_DIRBLKSIZ - 1);
	if (uio->uio_offset + count > np->n_dirlen)
		count = np->n_dirlen - uio->uio_offset;
	error = 0;
	if (count > 0)
		error = uiomove(np->n_dirbuf + uio->uio_offset, count, uio);
	if (ap->a_ncookies != NULL)
		*ap->a_ncookies = 0;
	if (ap->a_eofflag != NULL)
		*ap->a_eofflag = uio->uio_offset >= np->n_dirlen;
	return (error);
}

/* Drop the cached directory when the last user goes. */
static int
nfs_inactive(v)
	void *v;
{
	struct vop_inactive_args *ap;
	struct nfsnode *np;

	ap = v;
	np = VTONFS(ap->a_vp);
	if (np != NULL && np->n_dirbuf != NULL) {
		free(np->n_dirbuf, M_NFSNODE);
		np->n_dirbuf = NULL;
	}
	return (0);
}

static int
nfs_reclaim(v)
	void *v;
{
	struct vop_reclaim_args *ap;
	struct vnode *vp;
	struct nfsnode *np, **npp;
	struct nfsmount *nmp;

	ap = v;
	vp = ap->a_vp;
	np = VTONFS(vp);
	if (np == NULL)
		return (0);
	nmp = VFSTONFS(vp->v_mount);
	for (npp = &nmp->nm_nodes; *npp != NULL; npp = &(*npp)->n_hnext)
		if (*npp == np) {
			*npp = np->n_hnext;
			break;
		}
	if (np->n_dirbuf != NULL)
		free(np->n_dirbuf, M_NFSNODE);
	vp->v_data = NULL;
	nfs_node_free(np);
	return (0);
}
