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
 * cp(1), the part a system copy needs: cp [-R] [-x] source target.  A
 * file is copied to target (or into it, when target is a directory),
 * with its permission bits; with -R a directory is copied with
 * everything under it, each directory made with the source's mode.  As
 * in FreeBSD's cp, a source ending in "/." (or "/" itself) copies the
 * directory's contents into target rather than the directory, and -x
 * does not descend into a directory on another file system (a mount
 * point such as /mnt, or /dev): it is made, empty, in the copy.
 * Symbolic links are copied as links (readlink(2), symlink(2)).  The
 * walk keeps its path in one buffer and recurses one level per
 * directory, at most MAXDEPTH deep.  Every failure is reported with the
 * path and the error, the copy goes on, and the exit status is 1; the
 * last line counts what was copied.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define	MAXPATH		1024
#define	MAXDEPTH	32

static int	Rflag, xflag;
static udev_t	rootdev;		/* the source's file system, for -x */
static char	from[MAXPATH], to[MAXPATH];
static char	buf[8192];
static int	nfiles, ndirs, nlinks, nerrors;
static long long nbytes;

static int	copy __P((int depth));
static int	copy_file __P((struct stat *sb));
static int	copy_dir __P((struct stat *sb, int depth, int contents));
static int	copy_link __P((void));
static int	append __P((char *path, int len, const char *name));
static void	warn __P((const char *path, int err));
static void	usage __P((void)) __dead2;

int
main(argc, argv)
	int argc;
	char **argv;
{
	struct stat sb, tsb;
	const char *src, *base;
	int i, len, contents;

	for (i = 1; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; i++) {
		if (strcmp(argv[i], "-R") == 0)
			Rflag = 1;
		else if (strcmp(argv[i], "-x") == 0)
			xflag = 1;
		else if (strcmp(argv[i], "-Rx") == 0 ||
		    strcmp(argv[i], "-xR") == 0)
			Rflag = xflag = 1;
		else
			usage();
	}
	if (argc - i != 2)
		usage();
	src = argv[i];
	if (strlen(src) >= MAXPATH || strlen(argv[i + 1]) >= MAXPATH) {
		printf("cp: %s: name too long\n", src);
		exit(1);
	}
	strcpy(from, src);
	strcpy(to, argv[i + 1]);
	if (stat(from, &sb) < 0) {
		warn(from, errno);
		exit(1);
	}
	rootdev = sb.st_dev;

	/* "dir/." and "/" mean the directory's contents. */
	len = strlen(from);
	contents = strcmp(from, "/") == 0 ||
	    (len >= 2 && strcmp(from + len - 2, "/.") == 0) ||
	    strcmp(from, ".") == 0;
	if (stat(to, &tsb) == 0 && S_ISDIR(tsb.st_mode) && !contents) {
		base = strrchr(from, '/');
		base = base == NULL ? from : base + 1;
		if (append(to, strlen(to), base) < 0)
			exit(1);
	}
	if (S_ISDIR(sb.st_mode)) {
		if (!Rflag) {
			printf("cp: %s is a directory (not copied)\n", from);
			exit(1);
		}
		(void)copy_dir(&sb, 0, 1);
	} else
		(void)copy(0);
	printf("cp: %d files (%lld bytes), %d directories, %d symbolic "
	    "links copied; %d errors\n", nfiles, nbytes, ndirs, nlinks,
	    nerrors);
	exit(nerrors ? 1 : 0);
}

/*
 * Copy what from names to to, by its type.
 */
static int
copy(depth)
	int depth;
{
	struct stat sb;

	if (stat(from, &sb) < 0) {
		warn(from, errno);
		return (-1);
	}
	if (S_ISDIR(sb.st_mode))
		return (copy_dir(&sb, depth, 0));
	if (S_ISREG(sb.st_mode))
		return (copy_file(&sb));
	printf("cp: %s: not a regular file or directory (not copied)\n",
	    from);
	nerrors++;
	return (-1);
}

static int
copy_file(sb)
	struct stat *sb;
{
	int fd, tfd, n, w, error;

	if ((fd = open(from, O_RDONLY)) < 0) {
		warn(from, errno);
		return (-1);
	}
	tfd = open(to, O_WRONLY | O_CREAT | O_TRUNC, sb->st_mode & 07777);
	if (tfd < 0) {
		warn(to, errno);
		close(fd);
		return (-1);
	}
	error = 0;
	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		if ((w = write(tfd, buf, n)) != n) {
			warn(to, w < 0 ? errno : ENOSPC);
			error = -1;
			break;
		}
		nbytes += n;
	}
	if (n < 0) {
		warn(from, errno);
		error = -1;
	}
	close(fd);
	if (close(tfd) < 0 && error == 0) {
		warn(to, errno);
		error = -1;
	}
	if (error == 0)
		nfiles++;
	return (error);
}

/*
 * Make the directory to (unless it is the target of a contents copy,
 * which exists) and copy every entry of from into it.
 */
static int
copy_dir(sb, depth, contents)
	struct stat *sb;
	int depth;
	int contents;
{
	struct stat tsb;
	DIR *dirp;
	struct dirent *dp;
	int flen, tlen, error;

	/* As FreeBSD's cp: a directory that exists is used as it is. */
	if (stat(to, &tsb) < 0 || !S_ISDIR(tsb.st_mode)) {
		if (mkdir(to, sb->st_mode & 07777) < 0) {
			warn(to, errno);
			return (-1);
		}
	}
	if (!contents)
		ndirs++;
	if (xflag && sb->st_dev != rootdev)
		return (0);		/* another file system: left empty */
	if (depth >= MAXDEPTH) {
		printf("cp: %s: more than %d levels deep (not copied)\n",
		    from, MAXDEPTH);
		nerrors++;
		return (-1);
	}
	if ((dirp = opendir(from)) == NULL) {
		warn(from, errno);
		return (-1);
	}
	flen = strlen(from);
	tlen = strlen(to);
	error = 0;
	while ((dp = readdir(dirp)) != NULL) {
		if (strcmp(dp->d_name, ".") == 0 ||
		    strcmp(dp->d_name, "..") == 0)
			continue;
		if (append(from, flen, dp->d_name) < 0 ||
		    append(to, tlen, dp->d_name) < 0) {
			error = -1;
			continue;
		}
		if (dp->d_type == DT_LNK) {
			if (copy_link() < 0)
				error = -1;
		} else if (copy(depth + 1) < 0)
			error = -1;
	}
	from[flen] = '\0';
	to[tlen] = '\0';
	closedir(dirp);
	return (error);
}

/*
 * A symbolic link: the same text, as a link.
 */
static int
copy_link()
{
	char target[MAXPATH];
	int n;

	if ((n = readlink(from, target, sizeof(target) - 1)) < 0) {
		warn(from, errno);
		return (-1);
	}
	target[n] = '\0';
	if (symlink(target, to) < 0) {
		warn(to, errno);
		return (-1);
	}
	nlinks++;
	return (0);
}

/*
 * path[0..len) "/" name, in place; -1 (reported) if too long.
 */
static int
append(path, len, name)
	char *path;
	int len;
	const char *name;
{
	int n;

	n = strlen(name);
	if (len > 0 && path[len - 1] == '/')
		len--;
	if (len + 1 + n >= MAXPATH) {
		path[len] = '\0';
		printf("cp: %s/%s: name too long\n", path, name);
		nerrors++;
		return (-1);
	}
	path[len] = '/';
	strcpy(path + len + 1, name);
	return (0);
}

static void
warn(path, err)
	const char *path;
	int err;
{

	printf("cp: %s: %s\n", path, strerror(err));
	nerrors++;
}

static void
usage()
{

	printf("usage: cp [-R] [-x] source target\n");
	exit(1);
}
