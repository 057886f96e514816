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
 * NFSv3 client helpers, in the shape of FreeBSD 4's nfs/nfs_subs.c: the
 * XDR of file handles and attributes (RFC 1813's nfs_fh3, fattr3,
 * post_op_attr, wcc_data, sattr3, diropargs3), nfsstat3 to errno, the call through the kernel RPC
 * client, and nfs_nget(), which finds or makes the vnode of a file
 * handle.  Nodes live on their mount's list until their vnode is
 * reclaimed.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#include <net/if.h>

#include <netinet/in.h>

#include <nfs/rpcv2.h>
#include <nfs/krpc.h>
#include <nfs/nfsproto.h>
#include <nfs/nfsdiskless.h>
#include <nfs/nfsnode.h>

MALLOC_DEFINE(M_NFSNODE, "nfsdir", "NFS client directory buffers");

/*
 * Nodes come from a fixed pool, as UFS's inodes do, one per vnode the
 * kernel can have: a node cached with its vnode on the free list is not
 * an allocation that outlives a process.
 */
#define	NNFSNODE	256
static struct nfsnode nfsnode_pool[NNFSNODE];
static struct nfsnode *nfsnode_free;
static int nfsnode_next;

static struct nfsnode *
nfs_node_alloc(void)
{
	struct nfsnode *np;

	if (nfsnode_free != NULL) {
		np = nfsnode_free;
		nfsnode_free = np->n_hnext;
	} else if (nfsnode_next < NNFSNODE)
		np = &nfsnode_pool[nfsnode_next++];
	else
		return (NULL);
	bzero(np, sizeof(*np));
	return (np);
}

void
nfs_node_free(np)
	struct nfsnode *np;
{

	np->n_hnext = nfsnode_free;
	nfsnode_free = np;
}

int
nfs_errno(stat)
	u_int32_t stat;
{

	switch (stat) {
	case NFS_OK:
		return (0);
	case NFSERR_PERM:
		return (EPERM);
	case NFSERR_NOENT:
		return (ENOENT);
	case NFSERR_ACCES:
		return (EACCES);
	case NFSERR_EXIST:
		return (EEXIST);
	case NFSERR_XDEV:
		return (EXDEV);
	case NFSERR_NOTDIR:
		return (ENOTDIR);
	case NFSERR_ISDIR:
		return (EISDIR);
	case NFSERR_INVAL:
		return (EINVAL);
	case NFSERR_FBIG:
		return (EFBIG);
	case NFSERR_NOSPC:
		return (ENOSPC);
	case NFSERR_ROFS:
		return (EROFS);
	case NFSERR_MLINK:
		return (EMLINK);
	case NFSERR_NAMETOL:
		return (ENAMETOOLONG);
	case NFSERR_NOTEMPTY:
		return (ENOTEMPTY);
	case NFSERR_DQUOT:
		return (EDQUOT);
	case NFSERR_STALE:
	case NFSERR_BADHANDLE:
		return (ESTALE);
	case NFSERR_NOTSUPP:
		return (EOPNOTSUPP);
	default:
		return (EIO);
	}
}

const char *
nfs_strerror(stat)
	u_int32_t stat;
{

	switch (stat) {
	case NFSERR_PERM:
		return ("not owner");
	case NFSERR_NOENT:
		return ("no such file or directory");
	case NFSERR_ACCES:
		return ("permission denied");
	case NFSERR_NOTDIR:
		return ("not a directory");
	case NFSERR_INVAL:
		return ("invalid argument");
	case NFSERR_ROFS:
		return ("read-only file system");
	case NFSERR_STALE:
		return ("stale file handle");
	case NFSERR_SERVERFAULT:
		return ("server fault");
	default:
		return ("error");
	}
}

/* The call's nfsstat3, as an errno. */
int
nfsm_status(xd)
	struct krpc_xdr *xd;
{
	u_int32_t stat;

	if (krpc_get32(xd, &stat) != 0)
		return (EBADRPC);
	return (nfs_errno(stat));
}

int
nfsm_fhtom(m, fh, len)
	struct mbuf *m;
	const u_char *fh;
	int len;
{
	int error;

	if ((error = krpc_put32(m, len)) != 0)
		return (error);
	return (krpc_putopaque(m, fh, len));
}

int
nfsm_getfh(xd, fh, lenp)
	struct krpc_xdr *xd;
	u_char *fh;
	int *lenp;
{
	u_int32_t len;
	int error;

	if ((error = krpc_get32(xd, &len)) != 0)
		return (error);
	if (len == 0 || len > NFSX_V3FHMAX)
		return (EBADRPC);
	*lenp = len;
	return (krpc_getopaque(xd, fh, len));
}

/* fattr3 into a vattr. */
int
nfsm_loadattr(xd, vap)
	struct krpc_xdr *xd;
	struct vattr *vap;
{
	u_int32_t type, mode, nlink, uid, gid, t[6], rdev[2];
	u_int64_t size, used, fsid, fileid;
	int error, i;

	if ((error = krpc_get32(xd, &type)) != 0 ||
	    (error = krpc_get32(xd, &mode)) != 0 ||
	    (error = krpc_get32(xd, &nlink)) != 0 ||
	    (error = krpc_get32(xd, &uid)) != 0 ||
	    (error = krpc_get32(xd, &gid)) != 0 ||
	    (error = krpc_get64(xd, &size)) != 0 ||
	    (error = krpc_get64(xd, &used)) != 0 ||
	    (error = krpc_get32(xd, &rdev[0])) != 0 ||
	    (error = krpc_get32(xd, &rdev[1])) != 0 ||
	    (error = krpc_get64(xd, &fsid)) != 0 ||
	    (error = krpc_get64(xd, &fileid)) != 0)
		return (error);
	for (i = 0; i < 6; i++)
		if ((error = krpc_get32(xd, &t[i])) != 0)
			return (error);
	bzero(vap, sizeof(*vap));
	switch (type) {
	case NFREG:
		vap->va_type = VREG;
		break;
	case NFDIR:
		vap->va_type = VDIR;
		break;
	case NFLNK:
		vap->va_type = VLNK;
		break;
	case NFCHR:
		vap->va_type = VCHR;
		break;
	case NFBLK:
		vap->va_type = VBLK;
		break;
	case NFFIFO:
		vap->va_type = VFIFO;
		break;
	case NFSOCK:
		vap->va_type = VSOCK;
		break;
	default:
		vap->va_type = VBAD;
		break;
	}
	vap->va_mode = mode & 07777;
	vap->va_nlink = nlink;
	vap->va_uid = uid;
	vap->va_gid = gid;
	vap->va_size = size;
	vap->va_bytes = used;
	vap->va_rdev = (rdev[0] << 8) | (rdev[1] & 0xff);
	vap->va_fsid = (udev_t)fsid;
	vap->va_fileid = (long)fileid;
	vap->va_blocksize = 8192;
	vap->va_atime.tv_sec = t[0];
	vap->va_atime.tv_nsec = t[1];
	vap->va_mtime.tv_sec = t[2];
	vap->va_mtime.tv_nsec = t[3];
	vap->va_ctime.tv_sec = t[4];
	vap->va_ctime.tv_nsec = t[5];
	return (0);
}

/* post_op_attr: *gotp says whether attributes followed. */
int
nfsm_postop_attr(xd, vap, gotp)
	struct krpc_xdr *xd;
	struct vattr *vap;
	int *gotp;
{
	u_int32_t follows;
	int error;

	*gotp = 0;
	if ((error = krpc_get32(xd, &follows)) != 0)
		return (error);
	if (!follows)
		return (0);
	*gotp = 1;
	return (nfsm_loadattr(xd, vap));
}

/*
 * wcc_data (RFC 1813 section 2.6): the pre-operation attributes, which
 * this client does not use, then the post-operation ones.
 */
int
nfsm_wcc_data(xd, vap, gotp)
	struct krpc_xdr *xd;
	struct vattr *vap;
	int *gotp;
{
	u_int32_t follows;
	int error;

	*gotp = 0;
	if ((error = krpc_get32(xd, &follows)) != 0)
		return (error);
	if (follows && (error = krpc_skip(xd, NFSX_V3WCCATTR)) != 0)
		return (error);
	return (nfsm_postop_attr(xd, vap, gotp));
}

/*
 * sattr3 (RFC 1813 section 2.6) from the fields of vap that are not
 * VNOVAL: mode, uid, gid and size; the times are the server's to set.
 */
int
nfsm_sattr(m, vap)
	struct mbuf *m;
	struct vattr *vap;
{
	int error;

	if (vap->va_mode != (u_short)VNOVAL) {
		if ((error = krpc_put32(m, 1)) != 0 ||
		    (error = krpc_put32(m, vap->va_mode & 07777)) != 0)
			return (error);
	} else if ((error = krpc_put32(m, 0)) != 0)
		return (error);
	if (vap->va_uid != (uid_t)VNOVAL) {
		if ((error = krpc_put32(m, 1)) != 0 ||
		    (error = krpc_put32(m, vap->va_uid)) != 0)
			return (error);
	} else if ((error = krpc_put32(m, 0)) != 0)
		return (error);
	if (vap->va_gid != (gid_t)VNOVAL) {
		if ((error = krpc_put32(m, 1)) != 0 ||
		    (error = krpc_put32(m, vap->va_gid)) != 0)
			return (error);
	} else if ((error = krpc_put32(m, 0)) != 0)
		return (error);
	if (vap->va_size != (u_quad_t)VNOVAL) {
		if ((error = krpc_put32(m, 1)) != 0 ||
		    (error = krpc_put32(m, (u_int32_t)(vap->va_size >> 32))) !=
		    0 ||
		    (error = krpc_put32(m, (u_int32_t)vap->va_size)) != 0)
			return (error);
	} else if ((error = krpc_put32(m, 0)) != 0)
		return (error);
	if ((error = krpc_put32(m, NFSV3SATTRTIME_DONTCHANGE)) != 0)
		return (error);
	return (krpc_put32(m, NFSV3SATTRTIME_DONTCHANGE));
}

/* Arguments that start with a file handle. */
struct mbuf *
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

/* diropargs3: the directory's file handle and a name in it. */
int
nfsm_diropargs(m, dnp, name, len)
	struct mbuf *m;
	struct nfsnode *dnp;
	const char *name;
	int len;
{
	int error;

	if ((error = nfsm_fhtom(m, dnp->n_fh, dnp->n_fhsize)) != 0 ||
	    (error = krpc_put32(m, len)) != 0)
		return (error);
	return (krpc_putopaque(m, name, len));
}

/*
 * The client changed directory dnp: the entries it read are stale, and
 * the next VOP_READDIR reads them again into the same buffer (which
 * stays the node's until it is inactive, as when it was first read).
 */
void
nfs_dirchanged(dnp)
	struct nfsnode *dnp;
{

	if (dnp->n_dirbuf != NULL)
		dnp->n_flag |= NDIRSTALE;
}

/* One NFSv3 call to the mount's server. */
int
nfs_request(nmp, procnum, mp)
	struct nfsmount *nmp;
	int procnum;
	struct mbuf **mp;
{

	return (krpc_call(&nmp->nm_saddr, RPCPROG_NFS, NFS_VER3, procnum, mp));
}

/*
 * The node of file handle fh, referenced: the one the mount has, or a
 * new one with a new vnode (its attributes are the caller's to load).
 */
int
nfs_nget(mntp, fh, fhsize, npp)
	struct mount *mntp;
	const u_char *fh;
	int fhsize;
	struct nfsnode **npp;
{
	struct nfsmount *nmp;
	struct nfsnode *np;
	struct vnode *vp;
	int error;

	nmp = VFSTONFS(mntp);
	for (np = nmp->nm_nodes; np != NULL; np = np->n_hnext)
		if (np->n_fhsize == fhsize && bcmp(np->n_fh, fh, fhsize) == 0) {
			vget(NFSTOV(np), 0, NULL);
			*npp = np;
			return (0);
		}
	error = getnewvnode(VT_NFS, mntp, nfsv3_vnodeop_p, &vp);
	if (error)
		return (error);
	if ((np = nfs_node_alloc()) == NULL)
		panic("nfs_nget: no free nfsnode for a new vnode");
	np->n_vnode = vp;
	bcopy(fh, np->n_fh, fhsize);
	np->n_fhsize = fhsize;
	np->n_hnext = nmp->nm_nodes;
	nmp->nm_nodes = np;
	vp->v_data = np;
	*npp = np;
	return (0);
}
