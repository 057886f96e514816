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
 * Looking at the root file system from the kernel, before there are
 * processes: vfs_rootlist() prints the root directory's entries with
 * their modes and sizes; vfs_rootwalk() walks the whole tree through
 * namei, VOP_READDIR, vn_rdwr and VOP_READLINK and prints one line per
 * file (F path size md5), symbolic link (L path target) and directory
 * (D path), then a summary.  The walk is iterative with its state in
 * static storage, so deep trees cost no kernel stack, and depth-limited.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/dirent.h>
#include <sys/md5.h>
#include <sys/mount.h>
#include <sys/namei.h>
#include <sys/stat.h>
#include <sys/vnode.h>

#define	WALK_MAXDEPTH	16
#define	WALK_DIRBUF	512		/* one DIRBLKSIZ chunk */
#define	WALK_FILEBUF	8192

struct walkdir {
	struct	vnode *wd_vp;		/* the directory, referenced */
	off_t	wd_off;			/* chunk being read */
	int	wd_pos;			/* next entry in it */
	int	wd_pathlen;		/* length of its path */
};

static struct walkdir walk_stack[WALK_MAXDEPTH];
static char walk_path[MAXPATHLEN];
static char walk_dirbuf[WALK_DIRBUF];
static char walk_filebuf[WALK_FILEBUF];
static char walk_link[MAXPATHLEN];

static int walk_readdir __P((struct vnode *vp, off_t off, int *lenp));
static int walk_lookup __P((const char *path, int follow,
	    struct vnode **vpp));
static int walk_file __P((struct vnode *vp, off_t size, char *md5));
static int walk_readlink __P((struct vnode *vp));
static void walk_mode __P((struct vattr *vap, char *buf));

/*
 * Read the directory chunk at off into walk_dirbuf; *lenp is 0 at the
 * end of the directory.
 */
static int
walk_readdir(vp, off, lenp)
	struct vnode *vp;
	off_t off;
	int *lenp;
{
	struct uio auio;
	struct iovec aiov;
	int eof, error;

	aiov.iov_base = walk_dirbuf;
	aiov.iov_len = WALK_DIRBUF;
	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
	auio.uio_offset = off;
	auio.uio_resid = WALK_DIRBUF;
	auio.uio_segflg = UIO_SYSSPACE;
	auio.uio_rw = UIO_READ;
	auio.uio_procp = NULL;
	eof = 0;
	error = VOP_READDIR(vp, &auio, NOCRED, &eof, NULL, NULL);
	*lenp = WALK_DIRBUF - auio.uio_resid;
	return (error);
}

static int
walk_lookup(path, follow, vpp)
	const char *path;
	int follow;
	struct vnode **vpp;
{
	struct nameidata nd;
	int error;

	NDINIT(&nd, LOOKUP, follow | LOCKLEAF, UIO_SYSSPACE, path, NULL);
	error = namei(&nd);
	*vpp = error ? NULL : nd.ni_vp;
	return (error);
}

static int
walk_file(vp, size, md5)
	struct vnode *vp;
	off_t size;
	char *md5;
{
	MD5_CTX ctx;
	off_t off;
	int error, len, resid;

	MD5Init(&ctx);
	for (off = 0; off < size; off += len) {
		len = WALK_FILEBUF;
		if (size - off < len)
			len = size - off;
		error = vn_rdwr(UIO_READ, vp, walk_filebuf, len, off,
		    UIO_SYSSPACE, 0, NOCRED, &resid, NULL);
		if (error)
			return (error);
		if (resid != 0)
			return (EIO);
		MD5Update(&ctx, (unsigned char *)walk_filebuf, len);
	}
	MD5End(&ctx, md5);
	return (0);
}

static int
walk_readlink(vp)
	struct vnode *vp;
{
	struct uio auio;
	struct iovec aiov;
	int error;

	aiov.iov_base = walk_link;
	aiov.iov_len = MAXPATHLEN - 1;
	auio.uio_iov = &aiov;
	auio.uio_iovcnt = 1;
	auio.uio_offset = 0;
	auio.uio_resid = MAXPATHLEN - 1;
	auio.uio_segflg = UIO_SYSSPACE;
	auio.uio_rw = UIO_READ;
	auio.uio_procp = NULL;
	error = VOP_READLINK(vp, &auio, NOCRED);
	walk_link[error ? 0 : MAXPATHLEN - 1 - auio.uio_resid] = '\0';
	return (error);
}

/*
 * Walk the whole tree, one line per file, link and directory.
 */
void
vfs_rootwalk()
{
	struct walkdir *wd;
	struct dirent *dp;
	struct vattr va;
	struct vnode *vp;
	char md5[33];
	int depth, len, error, nfiles, nlinks, ndirs, nerrors, n;
	u_quad_t bytes;

	nfiles = nlinks = ndirs = nerrors = 0;
	bytes = 0;
	depth = 0;
	wd = &walk_stack[0];
	vref(rootvnode);
	wd->wd_vp = rootvnode;
	wd->wd_off = 0;
	wd->wd_pos = 0;
	wd->wd_pathlen = 0;
	walk_path[0] = '\0';
	printf("D /\n");
	ndirs++;
	while (depth >= 0) {
		wd = &walk_stack[depth];
		walk_path[wd->wd_pathlen] = '\0';
		error = walk_readdir(wd->wd_vp, wd->wd_off, &len);
		if (error || len == 0 || wd->wd_pos >= len) {
			if (error) {
				printf("walk: %s/: read error %d\n", walk_path,
				    error);
				nerrors++;
			}
			if (error == 0 && len != 0) {
				wd->wd_off += len;
				wd->wd_pos = 0;
				continue;
			}
			vrele(wd->wd_vp);
			depth--;
			continue;
		}
		dp = (struct dirent *)(walk_dirbuf + wd->wd_pos);
		if (dp->d_reclen == 0 || dp->d_reclen > len - wd->wd_pos) {
			printf("walk: %s/: bad directory entry\n", walk_path);
			nerrors++;
			wd->wd_pos = len;
			continue;
		}
		wd->wd_pos += dp->d_reclen;
		if (dp->d_fileno == 0 || (dp->d_namlen == 1 &&
		    dp->d_name[0] == '.') || (dp->d_namlen == 2 &&
		    dp->d_name[0] == '.' && dp->d_name[1] == '.'))
			continue;
		if (wd->wd_pathlen + 1 + dp->d_namlen >= MAXPATHLEN) {
			printf("walk: %s/: name too long\n", walk_path);
			nerrors++;
			continue;
		}
		walk_path[wd->wd_pathlen] = '/';
		bcopy(dp->d_name, walk_path + wd->wd_pathlen + 1, dp->d_namlen);
		n = wd->wd_pathlen + 1 + dp->d_namlen;
		walk_path[n] = '\0';
		error = walk_lookup(walk_path, NOFOLLOW, &vp);
		if (error == 0)
			error = VOP_GETATTR(vp, &va, NOCRED, NULL);
		if (error) {
			printf("walk: %s: error %d\n", walk_path, error);
			nerrors++;
			if (vp != NULL)
				vput(vp);
			continue;
		}
		switch (va.va_type) {
		case VREG:
			error = walk_file(vp, va.va_size, md5);
			if (error) {
				printf("walk: %s: read error %d\n", walk_path,
				    error);
				nerrors++;
				break;
			}
			printf("F %s %lld %s\n", walk_path,
			    (long long)va.va_size, md5);
			nfiles++;
			bytes += va.va_size;
			break;
		case VLNK:
			error = walk_readlink(vp);
			if (error) {
				printf("walk: %s: readlink error %d\n",
				    walk_path, error);
				nerrors++;
				break;
			}
			nlinks++;
			/* What the link leads to, through namei. */
			vput(vp);
			vp = NULL;
			error = walk_lookup(walk_path, FOLLOW, &vp);
			if (error == 0)
				error = VOP_GETATTR(vp, &va, NOCRED, NULL);
			if (error == 0 && va.va_type == VREG)
				error = walk_file(vp, va.va_size, md5);
			if (error)
				printf("L %s %s error %d\n", walk_path, walk_link,
				    error);
			else if (va.va_type == VREG)
				printf("L %s %s %lld %s\n", walk_path, walk_link,
				    (long long)va.va_size, md5);
			else
				printf("L %s %s -\n", walk_path, walk_link);
			break;
		case VDIR:
			printf("D %s\n", walk_path);
			ndirs++;
			if (depth + 1 >= WALK_MAXDEPTH) {
				printf("walk: %s: deeper than %d levels\n",
				    walk_path, WALK_MAXDEPTH);
				nerrors++;
				break;
			}
			depth++;
			walk_stack[depth].wd_vp = vp;
			walk_stack[depth].wd_off = 0;
			walk_stack[depth].wd_pos = 0;
			walk_stack[depth].wd_pathlen = n;
			vp = NULL;
			break;
		default:
			printf("O %s\n", walk_path);
			break;
		}
		if (vp != NULL)
			vput(vp);
	}
	printf("walk: %d files, %d symlinks, %d directories, %lld bytes, "
	    "%d errors\n", nfiles, nlinks, ndirs, (long long)bytes, nerrors);
}

static void
walk_mode(vap, buf)
	struct vattr *vap;
	char *buf;
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	switch (vap->va_type) {
	case VDIR:
		buf[0] = 'd';
		break;
	case VLNK:
		buf[0] = 'l';
		break;
	case VREG:
		buf[0] = '-';
		break;
	default:
		buf[0] = '?';
		break;
	}
	for (i = 0; i < 9; i++)
		buf[i + 1] = (vap->va_mode & (0400 >> i)) ? rwx[i] : '-';
	buf[10] = '\0';
}

/*
 * Print the root directory's entries, as ls -l would.
 */
void
vfs_rootlist()
{
	struct dirent *dp;
	struct vattr va;
	struct vnode *vp;
	off_t off;
	char mode[11];
	int len, pos, error;

	for (off = 0;; off += len) {
		error = walk_readdir(rootvnode, off, &len);
		if (error) {
			printf("/: read error %d\n", error);
			return;
		}
		if (len == 0)
			return;
		for (pos = 0; pos < len; pos += dp->d_reclen) {
			dp = (struct dirent *)(walk_dirbuf + pos);
			if (dp->d_reclen == 0 || dp->d_reclen > len - pos) {
				printf("/: bad directory entry\n");
				return;
			}
			if (dp->d_fileno == 0)
				continue;
			walk_path[0] = '/';
			bcopy(dp->d_name, walk_path + 1, dp->d_namlen);
			walk_path[1 + dp->d_namlen] = '\0';
			error = walk_lookup(walk_path, NOFOLLOW, &vp);
			if (error == 0) {
				error = VOP_GETATTR(vp, &va, NOCRED, NULL);
				if (error)
					vput(vp);
			}
			if (error) {
				printf("%s: error %d\n", walk_path, error);
				continue;
			}
			walk_mode(&va, mode);
			printf("%s %2d %8lld %s", mode, va.va_nlink,
			    (long long)va.va_size, walk_path + 1);
			if (va.va_type == VLNK && walk_readlink(vp) == 0)
				printf(" -> %s", walk_link);
			printf("\n");
			vput(vp);
		}
	}
}
