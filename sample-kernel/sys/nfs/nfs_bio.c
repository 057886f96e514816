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
 * The NFS client's data path, in the shape of FreeBSD 4's nfs/nfs_bio.c
 * (nfs_bioread, nfs_write) and the I/O RPCs of nfs_vnops.c (nfs_readrpc,
 * nfs_writerpc, nfs_commit, nfs_readdirrpc), without a buffer cache.
 * VOP_READ reads in rsize pieces (8 KiB: six IP fragments each);
 * VOP_READLINK; VOP_READDIR serves by byte offset the entries that
 * READDIRPLUS read once per directory into DIRBLKSIZ chunks of struct
 * dirent, as UFS directories are (nfs_dirchanged() drops them).
 * VOP_WRITE sends the user's bytes straight to the server in WRITE calls
 * of at most wsize bytes each (RFC 1813 section 3.3.7), UNSTABLE unless
 * IO_SYNC asks for FILE_SYNC.
 * Data the server holds unstably is made stable by COMMIT (section
 * 3.3.21) when the file is closed or fsync'd (close-to-open consistency,
 * as FreeBSD's nfs_close does).  Each WRITE reply carries the server's
 * write verifier; a COMMIT whose verifier differs (the server restarted
 * and may have lost the unstable data) is EIO, since the client keeps no
 * copy to send again.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/dirent.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mount.h>
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

static int nfs_writerpc __P((struct nfsnode *, struct nfsmount *, char *,
	    off_t, int, int *, int));
static int nfs_commit __P((struct nfsnode *, struct nfsmount *));

/*
 * One WRITE of len bytes from buf at off; *countp is what the server
 * took (it may take less, section 3.3.7).
 */
static int
nfs_writerpc(np, nmp, buf, off, len, countp, iomode)
	struct nfsnode *np;
	struct nfsmount *nmp;
	char *buf;
	off_t off;
	int len, *countp, iomode;
{
	struct krpc_xdr xd;
	struct vattr va;
	struct mbuf *m;
	u_int32_t count, committed;
	u_char verf[NFSX_V3WRITEVERF];
	int error, got;

	if ((m = nfsm_fhargs(np)) == NULL)
		return (ENOBUFS);
	if ((error = krpc_put32(m, (u_int32_t)(off >> 32))) != 0 ||
	    (error = krpc_put32(m, (u_int32_t)off)) != 0 ||
	    (error = krpc_put32(m, len)) != 0 ||
	    (error = krpc_put32(m, iomode)) != 0 ||
	    (error = krpc_put32(m, len)) != 0 ||
	    (error = krpc_putopaque(m, buf, len)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(nmp, NFSPROC_WRITE, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = nfsm_status(&xd);
	/* The file's attributes come back on failure too. */
	if (nfsm_wcc_data(&xd, &va, &got) == 0 && got)
		np->n_vattr = va;
	if (error == 0 &&
	    (error = krpc_get32(&xd, &count)) == 0 &&
	    (error = krpc_get32(&xd, &committed)) == 0)
		error = krpc_getopaque(&xd, verf, NFSX_V3WRITEVERF);
	m_freem(m);
	if (error)
		return (error);
	if (count == 0 || (int)count > len)
		return (EBADRPC);
	if (committed == NFSV3WRITE_UNSTABLE) {
		/* A new verifier: what was sent before it may be lost. */
		if ((np->n_flag & NWRITEVERF) != 0 && (np->n_flag & NMODIFIED) &&
		    bcmp(np->n_wverf, verf, NFSX_V3WRITEVERF) != 0)
			error = EIO;
		bcopy(verf, np->n_wverf, NFSX_V3WRITEVERF);
		np->n_flag |= NWRITEVERF | NMODIFIED;
	}
	if (!got && (u_quad_t)(off + count) > np->n_vattr.va_size)
		np->n_vattr.va_size = off + count;
	*countp = count;
	return (error);
}

/* COMMIT the whole file (offset 0, count 0: to its end, section 3.3.21). */
static int
nfs_commit(np, nmp)
	struct nfsnode *np;
	struct nfsmount *nmp;
{
	struct krpc_xdr xd;
	struct vattr va;
	struct mbuf *m;
	u_char verf[NFSX_V3WRITEVERF];
	int error, got;

	if ((m = nfsm_fhargs(np)) == NULL)
		return (ENOBUFS);
	if ((error = krpc_put32(m, 0)) != 0 ||
	    (error = krpc_put32(m, 0)) != 0 ||
	    (error = krpc_put32(m, 0)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(nmp, NFSPROC_COMMIT, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = nfsm_status(&xd);
	if (nfsm_wcc_data(&xd, &va, &got) == 0 && got)
		np->n_vattr = va;
	if (error == 0)
		error = krpc_getopaque(&xd, verf, NFSX_V3WRITEVERF);
	m_freem(m);
	if (error)
		return (error);
	if (bcmp(np->n_wverf, verf, NFSX_V3WRITEVERF) != 0) {
		printf("nfs: %s: the server restarted before COMMIT; unstable "
		    "writes may be lost\n", nmp->nm_path);
		error = EIO;
	}
	np->n_flag &= ~NMODIFIED;
	return (error);
}

/* Make vp's unstable writes stable (VOP_FSYNC, VOP_CLOSE). */
int
nfs_flush(vp)
	struct vnode *vp;
{
	struct nfsnode *np;

	np = VTONFS(vp);
	if (np == NULL || (np->n_flag & NMODIFIED) == 0)
		return (0);
	return (nfs_commit(np, VFSTONFS(vp->v_mount)));
}

/* VOP_WRITE: the uio's bytes in wsize WRITEs. */
int
nfs_write(v)
	void *v;
{
	struct vop_write_args *ap;
	struct vnode *vp;
	struct nfsnode *np;
	struct nfsmount *nmp;
	struct uio *uio;
	char *buf;
	off_t off;
	int error, n, done, count, iomode;

	ap = v;
	vp = ap->a_vp;
	uio = ap->a_uio;
	if (vp->v_type == VDIR)
		return (EISDIR);
	if (vp->v_type != VREG)
		return (EOPNOTSUPP);
	if (vp->v_mount->mnt_flag & MNT_RDONLY)
		return (EROFS);
	np = VTONFS(vp);
	nmp = VFSTONFS(vp->v_mount);
	if (ap->a_ioflag & IO_APPEND) {
		/* The end of the file as the server has it now. */
		if ((error = nfs_getattrcall(nmp, np)) != 0)
			return (error);
		uio->uio_offset = np->n_vattr.va_size;
	}
	if (uio->uio_offset < 0)
		return (EINVAL);
	if (uio->uio_resid == 0)
		return (0);
	iomode = (ap->a_ioflag & IO_SYNC) ? NFSV3WRITE_FILESYNC :
	    NFSV3WRITE_UNSTABLE;
	buf = malloc(nmp->nm_wsize, M_TEMP, M_WAITOK);
	error = 0;
	while (uio->uio_resid > 0) {
		n = min(uio->uio_resid, nmp->nm_wsize);
		off = uio->uio_offset;
		if ((error = uiomove(buf, n, uio)) != 0)
			break;
		/* A short WRITE: the rest of the piece goes again. */
		for (done = 0; done < n; done += count)
			if ((error = nfs_writerpc(np, nmp, buf + done,
			    off + done, n - done, &count, iomode)) != 0)
				break;
		if (error)
			break;
	}
	free(buf, M_TEMP);
	return (error);
}

int
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

int
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

	/* A stale buffer is read into again: it stays the node's. */
	if (np->n_dirbuf == NULL)
		np->n_dirbuf = malloc(NFS_MAXDIRBUF, M_NFSNODE, M_WAITOK);
	np->n_dirlen = 0;
	np->n_flag &= ~NDIRSTALE;
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

int
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
	if ((np->n_dirbuf == NULL || (np->n_flag & NDIRSTALE)) &&
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
