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
 * nfs/nfs_vnops.c: LOOKUP, ACCESS is answered from the attributes,
 * GETATTR from the attributes of the last reply; READ, READLINK,
 * READDIR, WRITE and COMMIT are the data path, in nfs_bio.c.  The
 * changes (RFC 1813 section 3.3): CREATE (GUARDED: the name must be
 * new), MKDIR, SYMLINK, REMOVE, RMDIR, RENAME and SETATTR (mode, owner,
 * size).  Each change drops the cached entries of the directories it
 * touched.  The server decides what may be changed: a read-only export
 * answers NFS3ERR_ROFS, which is EROFS here; a mount flagged read-only
 * fails before any call.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
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

MALLOC_DECLARE(M_NFSNODE);

static int nfs_lookup __P((void *));
static int nfs_create __P((void *));
static int nfs_open __P((void *));
static int nfs_close __P((void *));
static int nfs_access __P((void *));
static int nfs_getattr __P((void *));
static int nfs_setattr __P((void *));
static int nfs_remove __P((void *));
static int nfs_rename __P((void *));
static int nfs_mkdir __P((void *));
static int nfs_rmdir __P((void *));
static int nfs_symlink __P((void *));
static int nfs_fsync __P((void *));
static int nfs_inactive __P((void *));
static int nfs_reclaim __P((void *));

vop_t **nfsv3_vnodeop_p;
static struct vnodeopv_entry_desc nfsv3_vnodeop_entries[] = {
	{ &vop_default_desc,		(vop_t *)vop_defaultop },
	{ &vop_lookup_desc,		(vop_t *)nfs_lookup },
	{ &vop_create_desc,		(vop_t *)nfs_create },
	{ &vop_open_desc,		(vop_t *)nfs_open },
	{ &vop_close_desc,		(vop_t *)nfs_close },
	{ &vop_access_desc,		(vop_t *)nfs_access },
	{ &vop_getattr_desc,		(vop_t *)nfs_getattr },
	{ &vop_setattr_desc,		(vop_t *)nfs_setattr },
	{ &vop_read_desc,		(vop_t *)nfs_read },
	{ &vop_write_desc,		(vop_t *)nfs_write },
	{ &vop_remove_desc,		(vop_t *)nfs_remove },
	{ &vop_rename_desc,		(vop_t *)nfs_rename },
	{ &vop_mkdir_desc,		(vop_t *)nfs_mkdir },
	{ &vop_rmdir_desc,		(vop_t *)nfs_rmdir },
	{ &vop_symlink_desc,		(vop_t *)nfs_symlink },
	{ &vop_readdir_desc,		(vop_t *)nfs_readdir },
	{ &vop_readlink_desc,		(vop_t *)nfs_readlink },
	{ &vop_fsync_desc,		(vop_t *)nfs_fsync },
	{ &vop_inactive_desc,		(vop_t *)nfs_inactive },
	{ &vop_reclaim_desc,		(vop_t *)nfs_reclaim },
	{ NULL, NULL }
};
struct vnodeopv_desc nfsv3_vnodeop_opv_desc =
	{ &nfsv3_vnodeop_p, nfsv3_vnodeop_entries };

/*
 * LOOKUP of name in directory dvp: the node, referenced, with the
 * attributes of the reply (or of a GETATTR when the reply had none).
 */
static int
nfs_lookitup(dvp, name, len, npp)
	struct vnode *dvp;
	const char *name;
	int len;
	struct nfsnode **npp;
{
	struct nfsmount *nmp;
	struct nfsnode *np;
	struct krpc_xdr xd;
	struct vattr va, dva;
	struct mbuf *m;
	u_char fh[NFSX_V3FHMAX];
	int error, fhsize, got, dgot;

	nmp = VFSTONFS(dvp->v_mount);
	if ((m = krpc_args()) == NULL)
		return (ENOBUFS);
	if ((error = nfsm_diropargs(m, VTONFS(dvp), name, len)) != 0) {
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
	*npp = np;
	return (0);
}

/*
 * The last component of a CREATE or RENAME that does not exist is
 * EJUSTRETURN: namei then leaves the directory for the creation.
 */
static int
nfs_lookup(v)
	void *v;
{
	struct vop_lookup_args *ap;
	struct componentname *cnp;
	struct vnode *dvp;
	struct nfsnode *np;
	int error;

	ap = v;
	dvp = ap->a_dvp;
	cnp = ap->a_cnp;
	*ap->a_vpp = NULL;
	if (dvp->v_type != VDIR)
		return (ENOTDIR);
	if ((cnp->cn_flags & ISLASTCN) && cnp->cn_nameiop != LOOKUP &&
	    (dvp->v_mount->mnt_flag & MNT_RDONLY))
		return (EROFS);
	if ((cnp->cn_namelen == 1 && cnp->cn_nameptr[0] == '.') ||
	    ((cnp->cn_flags & ISDOTDOT) && (dvp->v_flag & VROOT))) {
		vref(dvp);
		*ap->a_vpp = dvp;
		return (0);
	}
	error = nfs_lookitup(dvp, cnp->cn_nameptr, cnp->cn_namelen, &np);
	if (error == ENOENT && (cnp->cn_flags & ISLASTCN) &&
	    (cnp->cn_nameiop == CREATE || cnp->cn_nameiop == RENAME))
		return (EJUSTRETURN);
	if (error)
		return (error);
	*ap->a_vpp = NFSTOV(np);
	return (0);
}

/*
 * The reply of CREATE, MKDIR or SYMLINK (RFC 1813 sections 3.3.8-3.3.10):
 * post_op_fh3, post_op_attr, then the directory's wcc_data.  The new
 * node, referenced, in *vpp; without a file handle in the reply, a
 * LOOKUP finds it.
 */
static int
nfs_mtofh(dvp, cnp, m, vpp)
	struct vnode *dvp;
	struct componentname *cnp;
	struct mbuf *m;
	struct vnode **vpp;
{
	struct nfsmount *nmp;
	struct nfsnode *np;
	struct krpc_xdr xd;
	struct vattr va, dva;
	u_char fh[NFSX_V3FHMAX];
	u_int32_t hasfh;
	int error, fhsize, got, dgot;

	nmp = VFSTONFS(dvp->v_mount);
	krpc_xdr_init(&xd, m);
	got = 0;
	hasfh = 0;
	error = nfsm_status(&xd);
	if (error == 0 && (error = krpc_get32(&xd, &hasfh)) == 0 &&
	    (!hasfh || (error = nfsm_getfh(&xd, fh, &fhsize)) == 0) &&
	    (error = nfsm_postop_attr(&xd, &va, &got)) == 0 &&
	    nfsm_wcc_data(&xd, &dva, &dgot) == 0 && dgot)
		VTONFS(dvp)->n_vattr = dva;
	m_freem(m);
	if (error)
		return (error);
	nfs_dirchanged(VTONFS(dvp));
	if (!hasfh)
		error = nfs_lookitup(dvp, cnp->cn_nameptr, cnp->cn_namelen,
		    &np);
	else if ((error = nfs_nget(dvp->v_mount, fh, fhsize, &np)) == 0) {
		if (got)
			np->n_vattr = va;
		else if ((error = nfs_getattrcall(nmp, np)) != 0)
			vrele(NFSTOV(np));
	}
	if (error)
		return (error);
	NFSTOV(np)->v_type = np->n_vattr.va_type;
	*vpp = NFSTOV(np);
	return (0);
}

/*
 * A call whose reply is a status and the wcc_data of directory dvp
 * (REMOVE, RMDIR); the directory's cached entries are dropped.
 */
static int
nfs_dirop(dvp, procnum, m)
	struct vnode *dvp;
	int procnum;
	struct mbuf *m;
{
	struct krpc_xdr xd;
	struct vattr va;
	int error, got;

	if ((error = nfs_request(VFSTONFS(dvp->v_mount), procnum, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = nfsm_status(&xd);
	if (nfsm_wcc_data(&xd, &va, &got) == 0 && got)
		VTONFS(dvp)->n_vattr = va;
	m_freem(m);
	nfs_dirchanged(VTONFS(dvp));
	return (error);
}

/* Arguments of diropargs3 for cnp in dvp, or NULL. */
static struct mbuf *
nfs_dirargs(dvp, cnp)
	struct vnode *dvp;
	struct componentname *cnp;
{
	struct mbuf *m;

	if ((m = krpc_args()) == NULL)
		return (NULL);
	if (nfsm_diropargs(m, VTONFS(dvp), cnp->cn_nameptr,
	    cnp->cn_namelen) != 0) {
		m_freem(m);
		return (NULL);
	}
	return (m);
}

/* CREATE, GUARDED: the name must not exist on the server either. */
static int
nfs_create(v)
	void *v;
{
	struct vop_create_args *ap;
	struct vattr va;
	struct mbuf *m;
	int error;

	ap = v;
	if (ap->a_vap->va_type != VREG)
		return (EOPNOTSUPP);
	if ((m = nfs_dirargs(ap->a_dvp, ap->a_cnp)) == NULL)
		return (ENOBUFS);
	vattr_null(&va);
	va.va_mode = ap->a_vap->va_mode;
	if ((error = krpc_put32(m, NFSV3CREATE_GUARDED)) != 0 ||
	    (error = nfsm_sattr(m, &va)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(VFSTONFS(ap->a_dvp->v_mount),
	    NFSPROC_CREATE, &m)) != 0)
		return (error);
	return (nfs_mtofh(ap->a_dvp, ap->a_cnp, m, ap->a_vpp));
}

static int
nfs_mkdir(v)
	void *v;
{
	struct vop_mkdir_args *ap;
	struct vattr va;
	struct mbuf *m;
	int error;

	ap = v;
	if ((m = nfs_dirargs(ap->a_dvp, ap->a_cnp)) == NULL)
		return (ENOBUFS);
	vattr_null(&va);
	va.va_mode = ap->a_vap->va_mode;
	if ((error = nfsm_sattr(m, &va)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(VFSTONFS(ap->a_dvp->v_mount),
	    NFSPROC_MKDIR, &m)) != 0)
		return (error);
	return (nfs_mtofh(ap->a_dvp, ap->a_cnp, m, ap->a_vpp));
}

/* SYMLINK: symlinkdata3 is a sattr3 and the link's text. */
static int
nfs_symlink(v)
	void *v;
{
	struct vop_symlink_args *ap;
	struct vattr va;
	struct mbuf *m;
	int error, len;

	ap = v;
	len = strlen(ap->a_target);
	if (len > MAXPATHLEN)
		return (ENAMETOOLONG);
	if ((m = nfs_dirargs(ap->a_dvp, ap->a_cnp)) == NULL)
		return (ENOBUFS);
	vattr_null(&va);
	va.va_mode = ap->a_vap->va_mode;
	if ((error = nfsm_sattr(m, &va)) != 0 ||
	    (error = krpc_put32(m, len)) != 0 ||
	    (error = krpc_putopaque(m, ap->a_target, len)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(VFSTONFS(ap->a_dvp->v_mount),
	    NFSPROC_SYMLINK, &m)) != 0)
		return (error);
	return (nfs_mtofh(ap->a_dvp, ap->a_cnp, m, ap->a_vpp));
}

static int
nfs_remove(v)
	void *v;
{
	struct vop_remove_args *ap;
	struct mbuf *m;

	ap = v;
	if (ap->a_vp->v_type == VDIR)
		return (EPERM);
	if ((m = nfs_dirargs(ap->a_dvp, ap->a_cnp)) == NULL)
		return (ENOBUFS);
	return (nfs_dirop(ap->a_dvp, NFSPROC_REMOVE, m));
}

static int
nfs_rmdir(v)
	void *v;
{
	struct vop_rmdir_args *ap;
	struct mbuf *m;

	ap = v;
	if (ap->a_vp->v_type != VDIR)
		return (ENOTDIR);
	if (ap->a_vp == ap->a_dvp)
		return (EINVAL);
	if ((m = nfs_dirargs(ap->a_dvp, ap->a_cnp)) == NULL)
		return (ENOBUFS);
	return (nfs_dirop(ap->a_dvp, NFSPROC_RMDIR, m));
}

/* RENAME: the reply has the wcc_data of both directories. */
static int
nfs_rename(v)
	void *v;
{
	struct vop_rename_args *ap;
	struct krpc_xdr xd;
	struct vattr va;
	struct mbuf *m;
	int error, got;

	ap = v;
	if (ap->a_fvp->v_mount != ap->a_tdvp->v_mount ||
	    (ap->a_tvp != NULL && ap->a_fvp->v_mount != ap->a_tvp->v_mount))
		return (EXDEV);
	if ((m = nfs_dirargs(ap->a_fdvp, ap->a_fcnp)) == NULL)
		return (ENOBUFS);
	if ((error = nfsm_diropargs(m, VTONFS(ap->a_tdvp),
	    ap->a_tcnp->cn_nameptr, ap->a_tcnp->cn_namelen)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(VFSTONFS(ap->a_fdvp->v_mount),
	    NFSPROC_RENAME, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = nfsm_status(&xd);
	if (nfsm_wcc_data(&xd, &va, &got) == 0 && got) {
		VTONFS(ap->a_fdvp)->n_vattr = va;
		if (nfsm_wcc_data(&xd, &va, &got) == 0 && got)
			VTONFS(ap->a_tdvp)->n_vattr = va;
	}
	m_freem(m);
	nfs_dirchanged(VTONFS(ap->a_fdvp));
	nfs_dirchanged(VTONFS(ap->a_tdvp));
	return (error);
}

static int
nfs_open(v)
	void *v;
{

	return (0);
}

/*
 * Close-to-open consistency: what was written is committed before
 * close returns.
 */
static int
nfs_close(v)
	void *v;
{
	struct vop_close_args *ap;

	ap = v;
	if (ap->a_vp->v_type != VREG)
		return (0);
	return (nfs_flush(ap->a_vp));
}

static int
nfs_fsync(v)
	void *v;
{
	struct vop_fsync_args *ap;

	ap = v;
	return (nfs_flush(ap->a_vp));
}

/*
 * Mode bits against the credential, as ufs_access() does; a write is
 * the server's to refuse.
 */
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
	if ((mode & VWRITE) != 0 &&
	    (ap->a_vp->v_mount->mnt_flag & MNT_RDONLY) != 0)
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

/* SETATTR: mode, owner and size; no guard on the change time. */
static int
nfs_setattr(v)
	void *v;
{
	struct vop_setattr_args *ap;
	struct vnode *vp;
	struct nfsnode *np;
	struct vattr *vap, va;
	struct krpc_xdr xd;
	struct mbuf *m;
	int error, got;

	ap = v;
	vp = ap->a_vp;
	vap = ap->a_vap;
	np = VTONFS(vp);
	if (vp->v_mount->mnt_flag & MNT_RDONLY)
		return (EROFS);
	if (vap->va_size != (u_quad_t)VNOVAL && vp->v_type == VDIR)
		return (EISDIR);
	if ((m = nfsm_fhargs(np)) == NULL)
		return (ENOBUFS);
	if ((error = nfsm_sattr(m, vap)) != 0 ||
	    (error = krpc_put32(m, 0)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(VFSTONFS(vp->v_mount), NFSPROC_SETATTR,
	    &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = nfsm_status(&xd);
	if (nfsm_wcc_data(&xd, &va, &got) == 0 && got)
		np->n_vattr = va;
	m_freem(m);
	if (error == 0 && !got && vap->va_size != (u_quad_t)VNOVAL)
		np->n_vattr.va_size = vap->va_size;
	return (error);
}

/*
 * When the last user goes: drop the cached directory, and commit writes
 * that came without a close (vn_rdwr).
 */
static int
nfs_inactive(v)
	void *v;
{
	struct vop_inactive_args *ap;
	struct nfsnode *np;

	ap = v;
	np = VTONFS(ap->a_vp);
	if (np == NULL)
		return (0);
	if (np->n_dirbuf != NULL) {
		free(np->n_dirbuf, M_NFSNODE);
		np->n_dirbuf = NULL;
	}
	if (np->n_flag & NMODIFIED)
		(void)nfs_flush(ap->a_vp);
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
