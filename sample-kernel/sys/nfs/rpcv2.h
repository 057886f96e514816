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
 * ONC RPC version 2 (RFC 1831) and the program numbers the NFS root
 * needs, as in FreeBSD 4's <nfs/rpcv2.h>; portmap from RFC 1833,
 * MOUNT v3 and NFS v3 from RFC 1813.
 */

#ifndef _NFS_RPCV2_H_
#define	_NFS_RPCV2_H_

#define	RPC_VER2		2
#define	RPC_CALL		0
#define	RPC_REPLY		1
#define	RPC_MSGACCEPTED		0
#define	RPC_MSGDENIED		1
#define	RPC_SUCCESS		0	/* accept_stat */
#define	RPC_PROGUNAVAIL		1
#define	RPC_PROGMISMATCH	2
#define	RPC_PROCUNAVAIL		3
#define	RPC_GARBAGE		4

#define	RPCAUTH_NULL		0
#define	RPCAUTH_UNIX		1
#define	RPCAUTH_MAXSIZ		400

#define	PMAPPROG		100000
#define	PMAPVERS		2
#define	PMAPPORT		111
#define	PMAPPROC_GETPORT	3

#define	RPCPROG_NFS		100003
#define	RPCPROG_MNT		100005
#define	RPCMNT_VER3		3
#define	RPCMNT_MOUNT		1
#define	RPCMNT_PATHLEN		1024

#endif /* !_NFS_RPCV2_H_ */
