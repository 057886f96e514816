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
 * Nfswrite: changes a file system through every call that writes, reads
 * each change back, and prints the tree it made, so that the build host
 * can check the same tree from the outside (the NFS server's export).
 * In directory DIR (made here, it must not exist):
 *   f0, f1, f4095, f4096 and f100k: files of those sizes whose byte i is
 *   PATTERN(i, size); f4095 is written in two pieces, f100k in a single
 *   write(2) of 102400 bytes (larger than any NFS wsize: the client
 *   splits it);
 *   trunc: 5000 bytes, then opened with O_TRUNC and given 10;
 *   cut: 9000 bytes, cut to 4100 by truncate(2), then extended to 6000
 *   by ftruncate(2): the 1900 new bytes read as zeros, not as what the
 *   client had cached of the old file;
 *   log: "one\n" and "two\n", each appended by its own open(O_APPEND);
 *   a/b/c: three directories deep; a/b/c/renamed: moved there from DIR;
 *   a/d2: a directory renamed from d1, with the file x made before;
 *   new: renamed from old in the same directory; link -> f1 (symlink);
 *   gone and gonedir are made and removed again; the refusals EEXIST
 *   (O_EXCL), ENOTEMPTY (rmdir a), EPERM (unlink a directory) and ENOENT
 *   are checked on the way.
 * With -r FILE, the file system is expected to refuse every change (a
 * read-only export): truncating (by O_TRUNC and by truncate(2)),
 * writing, removing and renaming the existing FILE, creating a file and
 * making a directory beside it must
 * each fail with EROFS or EACCES, and FILE must keep its size.
 * The listing is one line per entry, "d path", "- path size" or
 * "l path", paths relative to DIR, depth first.
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

#define	MAXPATH		256
#define	BIG		(100 * 1024)

/* The byte at offset i of a file of size n; the host's check computes the same. */
#define	PATTERN(i, n)	((((i) * 7) + ((i) >> 8) + (n)) & 0xff)


static unsigned char wbuf[BIG], rbuf[BIG];
static char	top[MAXPATH];
static int	bad, entries;

static void
fail(const char *what, const char *path)
{

	printf("nfswrite: %s %s: %s\n", what, path, strerror(errno));
	bad = 1;
}

static const char *
at(const char *rel)
{
	static char buf[4][MAXPATH];
	static int k;

	k = (k + 1) & 3;
	snprintf(buf[k], MAXPATH, "%s/%s", top, rel);
	return (buf[k]);
}

static void
fill(int n)
{
	int i;

	for (i = 0; i < n; i++)
		wbuf[i] = PATTERN(i, n);
}

/* Read path back and compare it with the n bytes of wbuf. */
static void
check(const char *path, int n)
{
	struct stat sb;
	int fd, got, r;

	if (stat(path, &sb) < 0) {
		fail("stat", path);
		return;
	}
	if (sb.st_size != n) {
		printf("nfswrite: %s: size %d, expected %d\n", path,
		    (int)sb.st_size, n);
		bad = 1;
	}
	if ((fd = open(path, O_RDONLY)) < 0) {
		fail("open", path);
		return;
	}
	got = 0;
	while (got < BIG && (r = read(fd, rbuf + got, BIG - got)) > 0)
		got += r;
	close(fd);
	if (got != n || memcmp(rbuf, wbuf, n) != 0) {
		printf("nfswrite: %s: read back %d bytes that differ from the "
		    "%d written\n", path, got, n);
		bad = 1;
	}
}

/* A file of size n with the pattern, in pieces of at most piece bytes. */
static void
mkfile(const char *rel, int n, int piece, int mode)
{
	const char *path;
	int fd, off, len;

	path = at(rel);
	fill(n);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL, mode)) < 0) {
		fail("create", path);
		return;
	}
	for (off = 0; off < n; off += len) {
		len = n - off < piece ? n - off : piece;
		if (write(fd, wbuf + off, len) != len) {
			fail("write", path);
			break;
		}
	}
	if (close(fd) < 0)
		fail("close", path);
	check(path, n);
}

static void
mkdirectory(const char *rel, int mode)
{

	if (mkdir(at(rel), mode) < 0)
		fail("mkdir", at(rel));
}

/* The call must fail with errno want. */
static void
refused(int r, int want, const char *what, const char *path)
{

	if (r >= 0) {
		printf("nfswrite: %s %s succeeded, expected %s\n", what, path,
		    strerror(want));
		bad = 1;
	} else if (errno != want)
		fail(what, path);
}

static void
writes(void)
{
	const char *path;
	int fd;

	if (mkdir(top, 0755) < 0) {
		fail("mkdir", top);
		return;
	}
	mkfile("f0", 0, 1, 0640);
	mkfile("f1", 1, 1, 0644);
	mkfile("f4095", 4095, 1000, 0644);
	mkfile("f4096", 4096, 4096, 0644);
	mkfile("f100k", BIG, BIG, 0644);

	/* Truncation by O_TRUNC, then new contents. */
	mkfile("trunc", 5000, 5000, 0644);
	path = at("trunc");
	fill(10);
	if ((fd = open(path, O_WRONLY | O_TRUNC)) < 0)
		fail("open O_TRUNC", path);
	else {
		if (write(fd, wbuf, 10) != 10)
			fail("write", path);
		close(fd);
	}
	check(path, 10);

	/* truncate(2) into the cached file, then ftruncate(2) past the cut. */
	mkfile("cut", 9000, 9000, 0644);
	path = at("cut");
	if (truncate(path, 4100) < 0)
		fail("truncate", path);
	check(path, 4100);
	if ((fd = open(path, O_WRONLY)) < 0 || ftruncate(fd, 6000) < 0)
		fail("ftruncate", path);
	if (fd >= 0)
		close(fd);
	memset(wbuf + 4100, 0, 1900);
	check(path, 6000);

	/* Appends, each by its own open. */
	path = at("log");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_APPEND, 0644)) < 0 ||
	    write(fd, "one\n", 4) != 4 || close(fd) < 0)
		fail("append", path);
	if ((fd = open(path, O_WRONLY | O_APPEND)) < 0 ||
	    write(fd, "two\n", 4) != 4 || close(fd) < 0)
		fail("append", path);
	memcpy(wbuf, "one\ntwo\n", 8);
	check(path, 8);

	/* A tree, and renames of files and of a directory. */
	mkdirectory("a", 0755);
	mkdirectory("a/b", 0755);
	mkdirectory("a/b/c", 0750);
	mkfile("tmpname", 1234, 1234, 0644);
	if (rename(at("tmpname"), at("a/b/c/renamed")) < 0)
		fail("rename", at("tmpname"));
	mkfile("old", 3, 3, 0644);
	if (rename(at("old"), at("new")) < 0)
		fail("rename", at("old"));
	mkdirectory("d1", 0755);
	mkfile("d1/x", 77, 77, 0644);
	if (rename(at("d1"), at("a/d2")) < 0)
		fail("rename", at("d1"));
	fill(77);
	check(at("a/d2/x"), 77);
	if (symlink("f1", at("link")) < 0)
		fail("symlink", at("link"));

	/* Removals, and what must be refused. */
	mkfile("gone", 100, 100, 0644);
	if (unlink(at("gone")) < 0)
		fail("unlink", at("gone"));
	mkdirectory("gonedir", 0755);
	if (rmdir(at("gonedir")) < 0)
		fail("rmdir", at("gonedir"));
	refused(open(at("f1"), O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST,
	    "create O_EXCL", at("f1"));
	refused(rmdir(at("a")), ENOTEMPTY, "rmdir", at("a"));
	refused(unlink(at("a")), EPERM, "unlink", at("a"));
	refused(open(at("gone"), O_RDONLY), ENOENT, "open", at("gone"));
	refused(rename(at("tmpname"), at("x")), ENOENT, "rename", at("tmpname"));
}

/* On a read-only export: every change near file top refused, nothing changed. */
static void
readonly(void)
{
	struct stat before, after;
	char *slash;
	int fd, r, n;

	n = 0;
	if (stat(top, &before) < 0) {
		fail("stat", top);
		return;
	}
	/* Names beside the file: at() is relative to its directory now. */
	slash = strrchr(top, '/');
	if (slash == NULL || slash == top) {
		printf("nfswrite: -r wants a file below a directory\n");
		bad = 1;
		return;
	}
#define	ROFS(e)	((e) == EROFS || (e) == EACCES)
	if ((fd = open(top, O_WRONLY | O_TRUNC)) >= 0 || !ROFS(errno))
		fail("truncate on a read-only export", top);
	else
		n++;
	if (fd >= 0)
		close(fd);
	if (truncate(top, 1) >= 0 || !ROFS(errno))
		fail("truncate(2) on a read-only export", top);
	else
		n++;
	if ((fd = open(top, O_WRONLY)) >= 0) {
		r = write(fd, "x", 1);
		if (r >= 0 || !ROFS(errno))
			fail("write on a read-only export", top);
		else
			n++;
		close(fd);
	} else if (ROFS(errno))
		n++;
	else
		fail("open for writing on a read-only export", top);
	if (unlink(top) >= 0 || !ROFS(errno))
		fail("unlink on a read-only export", top);
	else
		n++;
	*slash = '\0';
	if (rename(at(slash + 1), at("nfswrite.moved")) >= 0 || !ROFS(errno))
		fail("rename on a read-only export", at(slash + 1));
	else
		n++;
	if ((fd = open(at("nfswrite.new"), O_WRONLY | O_CREAT, 0644)) >= 0 ||
	    !ROFS(errno))
		fail("create on a read-only export", at("nfswrite.new"));
	else
		n++;
	if (fd >= 0)
		close(fd);
	if (mkdir(at("nfswrite.dir"), 0755) >= 0 || !ROFS(errno))
		fail("mkdir on a read-only export", at("nfswrite.dir"));
	else
		n++;
	*slash = '/';
	if (stat(top, &after) < 0)
		fail("stat", top);
	else if (after.st_size != before.st_size) {
		printf("nfswrite: %s changed size on a read-only export\n",
		    top);
		bad = 1;
	}
	if (!bad)
		printf("nfswrite: %d changes at %s refused (EROFS or EACCES), "
		    "the file unchanged\n", n, top);
}

/* Depth first: "d path", "- path size", "l path". */
static void
list(const char *rel)
{
	char path[MAXPATH], full[MAXPATH];
	struct dirent *dp;
	struct stat sb;
	DIR *dirp;

	snprintf(full, sizeof(full), "%s%s%s", top, *rel ? "/" : "", rel);
	if ((dirp = opendir(full)) == NULL) {
		fail("opendir", full);
		return;
	}
	while ((dp = readdir(dirp)) != NULL) {
		if (strcmp(dp->d_name, ".") == 0 ||
		    strcmp(dp->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s%s%s", rel, *rel ? "/" : "",
		    dp->d_name);
		entries++;
		if (dp->d_type == DT_DIR) {
			printf("d %s\n", path);
			list(path);
		} else if (dp->d_type == DT_LNK)
			printf("l %s\n", path);
		else if (stat(at(path), &sb) == 0)
			printf("- %s %d\n", path, (int)sb.st_size);
		else
			fail("stat", at(path));
	}
	closedir(dirp);
}

int
main(int argc, char **argv)
{
	int ro;

	ro = argc > 2 && strcmp(argv[1], "-r") == 0;
	if (argc != 2 + ro) {
		printf("usage: nfswrite dir | nfswrite -r file\n");
		return (2);
	}
	snprintf(top, sizeof(top), "%s", argv[1 + ro]);
	if (ro) {
		readonly();
		return (bad);
	}
	writes();
	list("");
	if (bad)
		return (1);
	printf("nfswrite: %d entries written under %s, each read back as "
	    "written\n", entries, top);
	return (0);
}
