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
 * Machine-independent basic types.
 */

#ifndef _SYS_TYPES_H_
#define	_SYS_TYPES_H_

#include <sys/cdefs.h>

typedef	unsigned char	u_char;
typedef	unsigned short	u_short;
typedef	unsigned int	u_int;
typedef	unsigned long	u_long;
typedef	char		*caddr_t;
typedef	const char	*c_caddr_t;
typedef	int		boolean_t;
typedef	unsigned int	dev_t;

#include <machine/types.h>

typedef	int64_t		quad_t;
typedef	u_int64_t	u_quad_t;
typedef	quad_t		*qaddr_t;
typedef	int64_t		off_t;		/* file offset */
typedef	u_int32_t	ino_t;		/* inode number */
typedef	u_int16_t	mode_t;		/* permissions */
typedef	u_int16_t	nlink_t;	/* link count */
typedef	u_int32_t	uid_t;		/* user id */
typedef	u_int32_t	gid_t;		/* group id */
typedef	int32_t		daddr_t;	/* disk address */
typedef	int32_t		ufs_daddr_t;	/* UFS1 disk address */
typedef	int32_t		time_t;
typedef	u_int32_t	udev_t;		/* device number as user space sees it */

#ifndef NULL
#define	NULL	((void *)0)
#endif

#define	TRUE	1
#define	FALSE	0

#endif /* !_SYS_TYPES_H_ */
