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
 * The NFS client's file system operations, in the shape of FreeBSD 4's
 * nfs/nfs_vfsops.c, for the root only: nfs_mountroot() asks the server's
 * portmapper for MOUNT v3, mounts nfs_diskless's path (MOUNTPROC3_MNT,
 * RFC 1813 appendix I) to get the root's file handle, finds NFS v3,
 * reads FSINFO for the transfer sizes and GETATTR for the root's
 * attributes.  The mount is read-write; the server decides what may
 * change.  The server refuses NFSv2 and MOUNT v1, so only v3 is
 * spoken.  Each failure says what failed on the console: no answer (the
 * server is down), no MOUNT or NFS service, a refused path.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/malloc.h>
#include <sys/mbuf.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/vnode.h>

#include <net/if.h>

#include <netinet/in.h>
#include <netinet/in_var.h>

#include <nfs/rpcv2.h>
#include <nfs/krpc.h>
#include <nfs/nfsproto.h>
#include <nfs/nfsdiskless.h>
#include <nfs/nfsnode.h>

static struct nfsmount nfs_rootmount;

static int nfs_mount __P((struct mount *mp, char *path, caddr_t data,
	    struct nameidata *ndp, struct proc *p));
static int nfs_unmount __P((struct mount *mp, int mntflags,
	    struct proc *p));
static int nfs_root __P((struct mount *mp, struct vnode **vpp));
static int nfs_statfs __P((struct mount *mp, struct statfs *sbp,
	    struct proc *p));
static int nfs_vget __P((struct mount *mp, ino_t ino, struct vnode **vpp));
static int nfs_init __P((struct vfsconf *vfsp));
static int nfs_mountroot __P((struct mount *mp));

struct vfsops nfs_vfsops = {
	nfs_mount,
	vfs_stdstart,
	nfs_unmount,
	nfs_root,
	nfs_statfs,
	vfs_stdsync,
	nfs_vget,
	nfs_init,
};

static int
nfs_init(vfsp)
	struct vfsconf *vfsp;
{

	return (0);
}

static int
nfs_mount(mp, path, data, ndp, p)
	struct mount *mp;
	char *path;
	caddr_t data;
	struct nameidata *ndp;
	struct proc *p;
{

	if (path == NULL)
		return (nfs_mountroot(mp));
	return (EOPNOTSUPP);
}

/* Why an RPC to the server failed, in words. */
static const char *
nfs_rpcerr(error)
	int error;
{

	switch (error) {
	case ETIMEDOUT:
		return ("no answer (is the server down?)");
	case ENOENT:
		return ("not registered with the portmapper");
	case EPROGUNAVAIL:
		return ("program or version unavailable");
	case EACCES:
		return ("call denied");
	default:
		return ("RPC failed");
	}
}

/* MOUNTPROC3_MNT of path: the file handle of its root. */
static int
nfs_mnt(sin, path, fh, fhsizep, statp)
	struct sockaddr_in *sin;
	const char *path;
	u_char *fh;
	int *fhsizep;
	u_int32_t *statp;
{
	struct krpc_xdr xd;
	struct mbuf *m;
	int error, len;

	len = strlen(path);
	if ((m = krpc_args()) == NULL)
		return (ENOBUFS);
	if ((error = krpc_put32(m, len)) != 0 ||
	    (error = krpc_putopaque(m, path, len)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = krpc_call(sin, RPCPROG_MNT, RPCMNT_VER3, RPCMNT_MOUNT,
	    &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	error = krpc_get32(&xd, statp);
	if (error == 0 && *statp == 0)
		error = nfsm_getfh(&xd, fh, fhsizep);
	m_freem(m);
	return (error);
}

/* FSINFO: the server's preferred read, write and readdir sizes. */
static int
nfs_fsinfo(nmp)
	struct nfsmount *nmp;
{
	struct krpc_xdr xd;
	struct vattr va;
	struct mbuf *m;
	u_int32_t rtmax, rtpref, rtmult, wtmax, wtpref, wtmult, dtpref;
	int error, got;

	if ((m = krpc_args()) == NULL)
		return (ENOBUFS);
	if ((error = nfsm_fhtom(m, nmp->nm_fh, nmp->nm_fhsize)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(nmp, NFSPROC_FSINFO, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	if ((error = nfsm_status(&xd)) == 0 &&
	    (error = nfsm_postop_attr(&xd, &va, &got)) == 0 &&
	    (error = krpc_get32(&xd, &rtmax)) == 0 &&
	    (error = krpc_get32(&xd, &rtpref)) == 0 &&
	    (error = krpc_get32(&xd, &rtmult)) == 0 &&
	    (error = krpc_get32(&xd, &wtmax)) == 0 &&
	    (error = krpc_get32(&xd, &wtpref)) == 0 &&
	    (error = krpc_get32(&xd, &wtmult)) == 0 &&
	    (error = krpc_get32(&xd, &dtpref)) == 0) {
		/* 8 KiB transfers at most: a read is then 6 IP fragments. */
		nmp->nm_rsize = min(min(rtpref, rtmax), 8192);
		nmp->nm_wsize = min(min(wtpref, wtmax), 8192);
		nmp->nm_readdirsize = min(dtpref, 8192);
		if (nmp->nm_rsize < 512 || nmp->nm_wsize < 512 ||
		    nmp->nm_readdirsize < 512)
			error = EBADRPC;
	}
	m_freem(m);
	return (error);
}

/* GETATTR of np's file into its node. */
int
nfs_getattrcall(nmp, np)
	struct nfsmount *nmp;
	struct nfsnode *np;
{
	struct krpc_xdr xd;
	struct mbuf *m;
	int error;

	if ((m = krpc_args()) == NULL)
		return (ENOBUFS);
	if ((error = nfsm_fhtom(m, np->n_fh, np->n_fhsize)) != 0) {
		m_freem(m);
		return (error);
	}
	if ((error = nfs_request(nmp, NFSPROC_GETATTR, &m)) != 0)
		return (error);
	krpc_xdr_init(&xd, m);
	if ((error = nfsm_status(&xd)) == 0)
		error = nfsm_loadattr(&xd, &np->n_vattr);
	m_freem(m);
	return (error);
}

static int
nfs_mountroot(mp)
	struct mount *mp;
{
	struct nfs_diskless *nd;
	struct nfsmount *nmp;
	struct nfsnode *np;
	struct sockaddr_in sin;
	char *server;
	u_int32_t stat;
	int error;

	nd = &nfs_diskless;
	if (!nd->nd_configured || !nd->nd_hasroot) {
		printf("nfs_mountroot: no NFS root configured (nfsroot= or "
		    "boot.nfsroot.*)\n");
		return (EINVAL);
	}
	nmp = &nfs_rootmount;
	bzero(nmp, sizeof(*nmp));
	nmp->nm_mountp = mp;
	bcopy(nd->root_path, nmp->nm_path, sizeof(nmp->nm_path));
	bzero(&sin, sizeof(sin));
	sin.sin_len = sizeof(sin);
	sin.sin_family = AF_INET;
	sin.sin_addr = nd->root_saddr;
	server = inet_ntoa(sin.sin_addr);

	error = krpc_portmap(&sin, RPCPROG_MNT, RPCMNT_VER3, &sin.sin_port);
	if (error) {
		printf("nfs_mountroot: %s: MOUNT v3 service: %s (error %d)\n",
		    server, nfs_rpcerr(error), error);
		return (error);
	}
	error = nfs_mnt(&sin, nmp->nm_path, nmp->nm_fh, &nmp->nm_fhsize,
	    &stat);
	if (error) {
		printf("nfs_mountroot: %s: MOUNT of %s: %s (error %d)\n",
		    server, nmp->nm_path, nfs_rpcerr(error), error);
		return (error);
	}
	if (stat != 0) {
		printf("nfs_mountroot: %s refused to mount %s: %s (NFS3ERR "
		    "%u)\n", server, nmp->nm_path, nfs_strerror(stat), stat);
		return (nfs_errno(stat));
	}

	sin.sin_port = 0;
	error = krpc_portmap(&sin, RPCPROG_NFS, NFS_VER3, &sin.sin_port);
	if (error) {
		printf("nfs_mountroot: %s: NFS v3 service: %s (error %d)\n",
		    server, nfs_rpcerr(error), error);
		return (error);
	}
	nmp->nm_saddr = sin;
	if ((error = nfs_fsinfo(nmp)) != 0) {
		printf("nfs_mountroot: %s: FSINFO of %s failed (error %d)\n",
		    server, nmp->nm_path, error);
		return (error);
	}
	mp->mnt_data = (qaddr_t)nmp;
	error = nfs_nget(mp, nmp->nm_fh, nmp->nm_fhsize, &np);
	if (error == 0 && (error = nfs_getattrcall(nmp, np)) != 0)
		vrele(NFSTOV(np));
	if (error) {
		printf("nfs_mountroot: %s: GETATTR of %s failed (error %d)\n",
		    server, nmp->nm_path, error);
		mp->mnt_data = NULL;
		return (error);
	}
	NFSTOV(np)->v_type = np->n_vattr.va_type;
	NFSTOV(np)->v_flag |= VROOT;
	/*
	 * The root stays referenced for as long as it is mounted.  It is
	 * mounted read-write, as FreeBSD's diskless root is: the export's
	 * own access (ro or rw) decides, a refused change is NFS3ERR_ROFS.
	 */
	mp->mnt_flag &= ~MNT_RDONLY;
	mp->mnt_stat.f_iosize = nmp->nm_rsize;
	mp->mnt_stat.f_bsize = nmp->nm_rsize;
	sprintf(mp->mnt_stat.f_mntfromname, "%s:%s", server, nmp->nm_path);
	printf("nfs: %s:%s, file handle %d bytes, rsize %d, wsize %d\n",
	    server, nmp->nm_path, nmp->nm_fhsize, nmp->nm_rsize,
	    nmp->nm_wsize);
	return (0);
}

static int
nfs_root(mp, vpp)
	struct mount *mp;
	struct vnode **vpp;
{
	struct nfsmount *nmp;
	struct nfsnode *np;
	int error;

	nmp = VFSTONFS(mp);
	error = nfs_nget(mp, nmp->nm_fh, nmp->nm_fhsize, &np);
	if (error)
		return (error);
	*vpp = NFSTOV(np);
	return (0);
}

static int
nfs_statfs(mp, sbp, p)
	struct mount *mp;
	struct statfs *sbp;
	struct proc *p;
{

	return (0);
}

static int
nfs_unmount(mp, mntflags, p)
	struct mount *mp;
	int mntflags;
	struct proc *p;
{

	return (EBUSY);
}

static int
nfs_vget(mp, ino, vpp)
	struct mount *mp;
	ino_t ino;
	struct vnode **vpp;
{

	return (EOPNOTSUPP);
}
