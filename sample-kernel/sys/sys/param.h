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
#define	MAXPATHLEN	1024		/* max bytes in pathname */
#define	MAXSYMLINKS	32		/* max symlinks followed in a lookup */
#define	MAXBSIZE	16384		/* largest file system block */
#define	DEV_BSHIFT	9		/* log2(DEV_BSIZE) */
#define	DEV_BSIZE	(1<<DEV_BSHIFT)	/* a disk sector, the unit of b_blkno */
#define	btodb(bytes)	((daddr_t)((bytes) >> DEV_BSHIFT))
#define	dbtob(db)	((off_t)(db) << DEV_BSHIFT)

#define	howmany(x, y)	(((x)+((y)-1))/(y))
#define	roundup(x, y)	((((x)+((y)-1))/(y))*(y))
#define	nitems(x)	(sizeof((x)) / sizeof((x)[0]))
#define	min(a, b)	((a) < (b) ? (a) : (b))
#define	max(a, b)	((a) > (b) ? (a) : (b))
#endif

#endif /* !_SYS_PARAM_H_ */
