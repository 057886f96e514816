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
 * Machine-independent parameters.
 */

#ifndef _SYS_PARAM_H_
#define	_SYS_PARAM_H_

#define	BSD	199506		/* System version (year & month). */
#define	__FreeBSD_version 480000

#ifndef LOCORE
#include <sys/types.h>
#endif

#include <machine/param.h>

#ifndef LOCORE
/*
 * Priorities for tsleep(), as FreeBSD 4's <sys/param.h>.  Every process
 * runs at the same priority here; PCATCH is the part that matters.
 */
#define	PSWP	0
#define	PVM	4
#define	PINOD	8
#define	PRIBIO	16
#define	PVFS	20
#define	PZERO	22
#define	PSOCK	24
#define	PWAIT	32
#define	PLOCK	36
#define	PPAUSE	40
#define	PUSER	50
#define	PCATCH	0x100		/* OR'd with pri for tsleep to check signals */

#define	ARG_MAX		65536	/* max bytes for an exec function */

#define	MAXPATHLEN	1024		/* max bytes in pathname */
#define	MAXSYMLINKS	32		/* max symlinks followed in a lookup */
#define	MAXBSIZE	16384		/* largest file system block */
#define	DEV_BSHIFT	9		/* log2(DEV_BSIZE) */
#define	DEV_BSIZE	(1<<DEV_BSHIFT)	/* a disk sector, the unit of b_blkno */
#define	btodb(bytes)	((daddr_t)((bytes) >> DEV_BSHIFT))
#define	dbtob(db)	((off_t)(db) << DEV_BSHIFT)

#define	NBBY	8		/* number of bits in a byte */
#define	howmany(x, y)	(((x)+((y)-1))/(y))
#define	roundup(x, y)	((((x)+((y)-1))/(y))*(y))
#define	nitems(x)	(sizeof((x)) / sizeof((x)[0]))
#define	min(a, b)	((a) < (b) ? (a) : (b))
#define	max(a, b)	((a) > (b) ? (a) : (b))
#endif

#endif /* !_SYS_PARAM_H_ */
