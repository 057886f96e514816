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
 * UFS directories: blocks of DIRBLKSIZ bytes holding variable-length
 * entries that never cross a block; d_reclen chains them and the last
 * entry of a block takes up the rest of it.
 */

#ifndef _UFS_UFS_DIR_H_
#define	_UFS_UFS_DIR_H_

#define	DIRBLKSIZ	DEV_BSIZE
#define	UFS_MAXNAMLEN	255

struct	direct {
	u_int32_t d_ino;		/* inode number of entry */
	u_int16_t d_reclen;		/* length of this record */
	u_int8_t  d_type;		/* file type, see below */
	u_int8_t  d_namlen;		/* length of string in d_name */
	char	  d_name[UFS_MAXNAMLEN + 1];/* name with length <= MAXNAMLEN */
};

/* The header of a struct direct: everything but the name. */
#define	DIRHDRSIZ	8

/*
 * The size of an entry holding a name of namlen bytes: the header, the
 * name and its NUL, rounded up to 4 bytes.
 */
#define	DIRECTSIZ(namlen)	(DIRHDRSIZ + (((namlen) + 1 + 3) &~ 3))
#define	DIRSIZ(oldfmt, dp)	DIRECTSIZ((dp)->d_namlen)

/* File types of d_type, as <sys/dirent.h> has them. */
#ifndef DT_UNKNOWN
#define	DT_UNKNOWN	 0
#define	DT_DIR		 4
#define	DT_REG		 8
#define	DT_LNK		10
#endif

/*
 * Template for manipulating directories: the "." and ".." entries a
 * new directory starts with.
 */
struct dirtemplate {
	u_int32_t	dot_ino;
	int16_t		dot_reclen;
	u_int8_t	dot_type;
	u_int8_t	dot_namlen;
	char		dot_name[4];	/* must be multiple of 4 */
	u_int32_t	dotdot_ino;
	int16_t		dotdot_reclen;
	u_int8_t	dotdot_type;
	u_int8_t	dotdot_namlen;
	char		dotdot_name[4];	/* ditto */
};

#endif /* !_UFS_UFS_DIR_H_ */
