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
 * The NFS client's per-file state, in the shape of FreeBSD 4's
 * <nfs/nfsnode.h>: the file handle, the attributes of the last reply,
 * for a directory the entries read with READDIR, kept as a buffer of
 * struct dirent that VOP_READDIR serves by byte offset (dropped whenever
 * the client changes the directory), and for a file the state of its
 * UNSTABLE writes until a COMMIT makes them stable.  One nfsnode per
 * file handle (nfs_nget() finds it again), one vnode per nfsnode.
 */

#ifndef _NFS_NFSNODE_H_
#define	_NFS_NFSNODE_H_

struct nfsnode {
	struct	nfsnode *n_hnext;	/* hash chain of the mount's nodes */
	struct	vnode *n_vnode;		/* associated vnode */
	struct	vattr n_vattr;		/* attributes from the server */
	u_char	n_fh[NFSX_V3FHMAX];	/* the file handle */
	int	n_fhsize;
	char	*n_dirbuf;		/* directory entries (struct dirent) */
	int	n_dirlen;
	int	n_flag;			/* NMODIFIED, NWRITEVERF, NDIRSTALE */
	u_char	n_wverf[NFSX_V3WRITEVERF]; /* verifier of the uncommitted writes */
};

/* n_flag */
#define	NMODIFIED	0x0004		/* unstable writes not yet committed */
#define	NWRITEVERF	0x0008		/* n_wverf holds the writes' verifier */
#define	NDIRSTALE	0x0010		/* n_dirbuf is to be read again */

/* The mount's state. */
struct nfsmount {
	struct	mount *nm_mountp;	/* vfs structure for this filesystem */
	struct	sockaddr_in nm_saddr;	/* the server's NFS address */
	struct	nfsnode *nm_nodes;	/* every nfsnode of the mount */
	int	nm_rsize;		/* read size (FSINFO rtpref) */
	int	nm_wsize;		/* write size (FSINFO wtpref) */
	int	nm_readdirsize;		/* readdir size (FSINFO dtpref) */
	u_char	nm_fh[NFSX_V3FHMAX];	/* the root's file handle */
	int	nm_fhsize;
	char	nm_path[NFSD_PATHLEN];	/* the exported path */
};

#define	VTONFS(vp)	((struct nfsnode *)(vp)->v_data)
#define	NFSTOV(np)	((np)->n_vnode)
#define	VFSTONFS(mp)	((struct nfsmount *)((mp)->mnt_data))

extern vop_t **nfsv3_vnodeop_p;
extern struct vnodeopv_desc nfsv3_vnodeop_opv_desc;
extern struct vfsops nfs_vfsops;

void	nfs_node_free __P((struct nfsnode *));
int	nfs_nget __P((struct mount *, const u_char *, int, struct nfsnode **));
int	nfs_getattrcall __P((struct nfsmount *, struct nfsnode *));
int	nfs_request __P((struct nfsmount *, int, struct mbuf **));
int	nfsm_fhtom __P((struct mbuf *, const u_char *, int));
int	nfsm_getfh __P((struct krpc_xdr *, u_char *, int *));
int	nfsm_loadattr __P((struct krpc_xdr *, struct vattr *));
int	nfsm_postop_attr __P((struct krpc_xdr *, struct vattr *, int *));
int	nfsm_status __P((struct krpc_xdr *));
int	nfsm_wcc_data __P((struct krpc_xdr *, struct vattr *, int *));
int	nfsm_sattr __P((struct mbuf *, struct vattr *));
int	nfsm_diropargs __P((struct mbuf *, struct nfsnode *, const char *,
	    int));
struct	mbuf *nfsm_fhargs __P((struct nfsnode *));
void	nfs_dirchanged __P((struct nfsnode *));
int	nfs_flush __P((struct vnode *));
int	nfs_read __P((void *));
int	nfs_readlink __P((void *));
int	nfs_readdir __P((void *));
int	nfs_write __P((void *));
int	nfs_errno __P((u_int32_t));
const char *nfs_strerror __P((u_int32_t));

#endif /* !_NFS_NFSNODE_H_ */
