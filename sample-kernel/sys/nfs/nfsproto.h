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
 * NFS version 3 (RFC 1813), the part the NFS root client speaks, as in
 * FreeBSD 4's <nfs/nfsproto.h>: procedure numbers (RFC 1813 section 3.3),
 * nfsstat3 values (section 2.6), file types, the enumerations of WRITE,
 * CREATE and sattr3 (sections 3.3.7, 3.3.8, 2.6) and the sizes of the
 * XDR structures it skips over.
 */

#ifndef _NFS_NFSPROTO_H_
#define	_NFS_NFSPROTO_H_

#define	NFS_VER3		3
#define	NFS_PORT		2049
#define	NFSX_V3FHMAX		64	/* largest NFSv3 file handle */
#define	NFSX_V3FATTR		84	/* fattr3 */
#define	NFSX_V3COOKIEVERF	8
#define	NFSX_V3WRITEVERF	8
#define	NFSX_V3CREATEVERF	8
#define	NFSX_V3WCCATTR		24	/* wcc_attr: size, mtime, ctime */

#define	NFSPROC_NULL		0
#define	NFSPROC_GETATTR		1
#define	NFSPROC_SETATTR		2
#define	NFSPROC_LOOKUP		3
#define	NFSPROC_ACCESS		4
#define	NFSPROC_READLINK	5
#define	NFSPROC_READ		6
#define	NFSPROC_WRITE		7
#define	NFSPROC_CREATE		8
#define	NFSPROC_MKDIR		9
#define	NFSPROC_SYMLINK		10
#define	NFSPROC_MKNOD		11
#define	NFSPROC_REMOVE		12
#define	NFSPROC_RMDIR		13
#define	NFSPROC_RENAME		14
#define	NFSPROC_LINK		15
#define	NFSPROC_READDIR		16
#define	NFSPROC_READDIRPLUS	17
#define	NFSPROC_FSSTAT		18
#define	NFSPROC_FSINFO		19
#define	NFSPROC_COMMIT		21

/* nfsstat3 */
#define	NFS_OK			0
#define	NFSERR_PERM		1
#define	NFSERR_NOENT		2
#define	NFSERR_IO		5
#define	NFSERR_NXIO		6
#define	NFSERR_ACCES		13
#define	NFSERR_EXIST		17
#define	NFSERR_XDEV		18
#define	NFSERR_NODEV		19
#define	NFSERR_NOTDIR		20
#define	NFSERR_ISDIR		21
#define	NFSERR_INVAL		22
#define	NFSERR_FBIG		27
#define	NFSERR_NOSPC		28
#define	NFSERR_ROFS		30
#define	NFSERR_MLINK		31
#define	NFSERR_NAMETOL		63
#define	NFSERR_NOTEMPTY		66
#define	NFSERR_DQUOT		69
#define	NFSERR_STALE		70
#define	NFSERR_BADHANDLE	10001
#define	NFSERR_NOT_SYNC		10002
#define	NFSERR_NOTSUPP		10004
#define	NFSERR_SERVERFAULT	10006
#define	NFSERR_BADTYPE		10007
#define	NFSERR_JUKEBOX		10008

/* ftype3 */
#define	NFREG			1
#define	NFDIR			2
#define	NFBLK			3
#define	NFCHR			4
#define	NFLNK			5
#define	NFSOCK			6
#define	NFFIFO			7

/* stable_how (WRITE3args, WRITE3resok) */
#define	NFSV3WRITE_UNSTABLE	0
#define	NFSV3WRITE_DATASYNC	1
#define	NFSV3WRITE_FILESYNC	2

/* createmode3 (CREATE3args) */
#define	NFSV3CREATE_UNCHECKED	0
#define	NFSV3CREATE_GUARDED	1
#define	NFSV3CREATE_EXCLUSIVE	2

/* time_how (sattr3's set_atime and set_mtime) */
#define	NFSV3SATTRTIME_DONTCHANGE	0
#define	NFSV3SATTRTIME_TOSERVER		1
#define	NFSV3SATTRTIME_TOCLIENT		2

/* ACCESS3 bits */
#define	NFSV3ACCESS_READ	0x01
#define	NFSV3ACCESS_LOOKUP	0x02
#define	NFSV3ACCESS_EXECUTE	0x20

#endif /* !_NFS_NFSPROTO_H_ */
