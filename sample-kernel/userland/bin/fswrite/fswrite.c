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
 * fswrite: the write path of the file system through mount(2), from a
 * user program.  `fswrite write DEV` mounts DEV read-write on /mnt and
 * makes a known tree there (files of 0, 1, 1024, 8192, 102400 and
 * 1048576 bytes, directories three deep, a directory of many entries,
 * symbolic links), removes and renames some of it, truncates, reads it
 * all back and unmounts; the host then checks the disk with its own
 * tools.  `fswrite verify DEV` mounts DEV read-only and checks the same
 * tree; `fswrite rodev DEV` expects a read-only device to refuse a
 * read-write mount; `fswrite fill DEV` writes until the disk is full;
 * `fswrite bench DEV` writes 1 MiB and fsyncs it, to be timed from
 * outside (`bench0` the same without the data), and leaves the disk
 * mounted for the shutdown to unmount.  `fswrite big DEV` writes a file
 * long enough to need a double indirect block on a file system of 4 KiB
 * blocks, remounts and reads it back; `fswrite bigrm DEV` does the same
 * and then removes it, so every block it held, indirect ones included,
 * must be free again.  A third argument names another directory to
 * mount on than /mnt.
 * Every change to the read-only root must fail with EROFS.  Byte i of
 * a file made with key k is (i * 7 + i / 251 + k) & 0xff.  One line per
 * check; the exit status is the number of failed checks.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <ufs/ufs/ufsmount.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define	MNT		"/mnt"
#define	CHUNK		16384
#define	NMANY		40

struct tfile {
	const char *path;
	int	size;
	int	key;
};

/* The files of the tree as it is after the write step. */
static struct tfile tree[] = {
	{ MNT "/empty", 0, 1 },
	{ MNT "/one", 1, 2 },
	{ MNT "/d1/k1.moved", 1024, 3 },
	{ MNT "/d1/d2/k8", 8192, 4 },
	{ MNT "/k100", 102400, 5 },
	{ MNT "/m1", 1048576, 6 },
	{ MNT "/d3moved/leaf", 3000, 7 },
	{ MNT "/old", 300, 8 },
	{ MNT "/frag", 2500, 9 },
	{ NULL, 0, 0 }
};

static const char *mntdir = MNT;	/* where domount() mounts */
static unsigned char buf[CHUNK];
static unsigned char rbuf[CHUNK];
static int failures;

static void
check(int ok, const char *what)
{

	if (ok)
		printf("fswrite: %s: ok\n", what);
	else {
		printf("fswrite: %s: FAILED (errno %d)\n", what, errno);
		failures++;
	}
}

/* The call failed with the error expected. */
static void
checkerr(int r, int want, const char *what)
{
	char line[128];

	snprintf(line, sizeof(line), "%s fails with %d", what, want);
	if (r == -1 && errno == want)
		printf("fswrite: %s: ok\n", line);
	else {
		printf("fswrite: %s: FAILED (returned %d, errno %d)\n", line,
		    r, errno);
		failures++;
	}
}

static void
pattern(unsigned char *p, int off, int n, int key)
{
	int i;

	for (i = 0; i < n; i++)
		p[i] = ((off + i) * 7 + (off + i) / 251 + key) & 0xff;
}

/* Write a file of size bytes with key's pattern, in chunks. */
static int
mkfile(const char *path, int size, int key, int flags)
{
	int fd, off, n;

	fd = open(path, O_WRONLY | O_CREAT | flags, 0644);
	if (fd < 0)
		return (-1);
	for (off = 0; off < size; off += n) {
		n = size - off < CHUNK ? size - off : CHUNK;
		pattern(buf, off, n, key);
		if (write(fd, buf, n) != n) {
			close(fd);
			return (-1);
		}
	}
	return (close(fd));
}

/* The file has exactly size bytes of key's pattern. */
static int
cmpfile(const char *path, int size, int key)
{
	struct stat st;
	int fd, off, n;

	if (stat(path, &st) != 0 || st.st_size != size)
		return (0);
	if ((fd = open(path, O_RDONLY)) < 0)
		return (0);
	for (off = 0;; off += n) {
		n = read(fd, rbuf, CHUNK);
		if (n <= 0)
			break;
		pattern(buf, off, n, key);
		if (memcmp(buf, rbuf, n) != 0) {
			close(fd);
			return (0);
		}
	}
	close(fd);
	return (n == 0 && off == size);
}

static int
domount(const char *dev, int flags)
{
	struct ufs_args args;

	args.fspec = (char *)dev;
	return (mount("ufs", mntdir, flags, &args));
}

/* Every change to the read-only root fails with EROFS. */
static void
rootro(void)
{

	checkerr(open("/etc/rc", O_WRONLY), EROFS, "open /etc/rc for writing");
	checkerr(open("/newfile", O_WRONLY | O_CREAT, 0644), EROFS,
	    "create /newfile");
	checkerr(mkdir("/newdir", 0755), EROFS, "mkdir /newdir");
	checkerr(unlink("/etc/rc"), EROFS, "unlink /etc/rc");
	checkerr(rename("/etc/rc", "/etc/rc2"), EROFS, "rename /etc/rc");
	checkerr(symlink("x", "/newlink"), EROFS, "symlink /newlink");
}

static int
verifytree(void)
{
	struct tfile *t;
	struct stat st;
	char line[128];
	int ok, all;

	all = 1;
	for (t = tree; t->path != NULL; t++) {
		ok = cmpfile(t->path, t->size, t->key);
		snprintf(line, sizeof(line), "%s reads back %d bytes",
		    t->path, t->size);
		check(ok, line);
		all = all && ok;
	}
	check(stat(MNT "/trunc", &st) == 0 && st.st_size == 10,
	    "truncated file is 10 bytes");
	check(stat(MNT "/gone", &st) == -1 && errno == ENOENT,
	    "removed file is gone");
	check(stat(MNT "/tmpd", &st) == -1 && errno == ENOENT,
	    "removed directory is gone");
	check(stat(MNT "/d1/d2/d3", &st) == -1 && errno == ENOENT,
	    "renamed directory left its old parent");
	check(stat(MNT "/d3moved/..", &st) == 0 && st.st_ino == 2,
	    "renamed directory's .. is the root");
	check(stat(MNT "/link1", &st) == 0 && st.st_size == 1,
	    "short symlink leads to its file");
	return (all);
}

static void
writetree(const char *dev)
{
	char path[128];
	struct stat st;
	int fd, i, r;
	char longlink[120];

	check(domount(dev, 0) == 0, "mount read-write on /mnt");
	check(mkfile(MNT "/empty", 0, 1, 0) == 0, "create a 0-byte file");
	check(mkfile(MNT "/one", 1, 2, 0) == 0, "create a 1-byte file");
	check(mkfile(MNT "/k1", 1024, 3, 0) == 0, "create a 1024-byte file");
	check(mkdir(MNT "/d1", 0755) == 0, "mkdir /mnt/d1");
	check(mkdir(MNT "/d1/d2", 0755) == 0, "mkdir /mnt/d1/d2");
	check(mkdir(MNT "/d1/d2/d3", 0700) == 0, "mkdir /mnt/d1/d2/d3");
	check(mkfile(MNT "/d1/d2/k8", 8192, 4, 0) == 0,
	    "create an 8192-byte file");
	check(mkfile(MNT "/k100", 102400, 5, 0) == 0,
	    "create a 102400-byte file (an indirect block)");
	check(mkfile(MNT "/m1", 1048576, 6, 0) == 0,
	    "create a 1048576-byte file");
	check(mkfile(MNT "/d1/d2/d3/leaf", 3000, 7, 0) == 0,
	    "create a file three directories deep");
	/* A fragment grown by small writes: 2500 bytes, 100 at a time. */
	fd = open(MNT "/frag", O_WRONLY | O_CREAT | O_EXCL, 0600);
	for (i = 0, r = 0; fd >= 0 && i < 25; i++) {
		pattern(buf, i * 100, 100, 9);
		r += write(fd, buf, 100);
	}
	check(fd >= 0 && r == 2500 && fsync(fd) == 0 && close(fd) == 0,
	    "grow a file 100 bytes at a time, fsync");
	checkerr(open(MNT "/one", O_WRONLY | O_CREAT | O_EXCL, 0644), EEXIST,
	    "O_EXCL on an existing file");
	checkerr(mkdir(MNT "/d1", 0755), EEXIST, "mkdir of an existing name");

	/* A directory of many entries, some removed again. */
	check(mkdir(MNT "/d1/many", 0755) == 0, "mkdir /mnt/d1/many");
	for (i = 0, r = 0; i < NMANY; i++) {
		snprintf(path, sizeof(path),
		    MNT "/d1/many/entry-with-a-longer-name-%02d", i);
		r += mkfile(path, i * 10, 10 + i, 0) == 0;
	}
	check(r == NMANY, "create 40 files in one directory");
	for (i = 0, r = 0; i < NMANY; i += 3) {
		snprintf(path, sizeof(path),
		    MNT "/d1/many/entry-with-a-longer-name-%02d", i);
		r += unlink(path) == 0;
	}
	check(r == (NMANY + 2) / 3, "unlink every third of them");
	checkerr(rmdir(MNT "/d1/many"), ENOTEMPTY,
	    "rmdir of a directory with files");
	checkerr(unlink(MNT "/d1"), EPERM, "unlink of a directory");

	/* Removing. */
	check(mkfile(MNT "/gone", 150000, 11, 0) == 0 &&
	    unlink(MNT "/gone") == 0,
	    "create and unlink a 150000-byte file (an indirect block)");
	check(mkdir(MNT "/tmpd", 0755) == 0 && rmdir(MNT "/tmpd") == 0,
	    "mkdir and rmdir");

	/* Renaming: a file to another directory, a directory to another
	 * parent, a file over another. */
	check(rename(MNT "/k1", MNT "/d1/k1.moved") == 0,
	    "rename a file into a subdirectory");
	check(rename(MNT "/d1/d2/d3", MNT "/d3moved") == 0,
	    "rename a directory to another parent");
	checkerr(rename(MNT "/d1", MNT "/d1/d2/inside"), EINVAL,
	    "rename of a directory into itself");
	check(mkfile(MNT "/old", 5000, 12, 0) == 0 &&
	    mkfile(MNT "/new", 300, 8, 0) == 0 &&
	    rename(MNT "/new", MNT "/old") == 0,
	    "rename a file over another");

	/* Symbolic links: one in the inode, one in a block. */
	check(symlink("one", MNT "/link1") == 0, "short symlink");
	memset(longlink, 'x', sizeof(longlink) - 1);
	longlink[sizeof(longlink) - 1] = '\0';
	check(symlink(longlink, MNT "/link2") == 0, "long symlink");
	r = readlink(MNT "/link2", path, sizeof(path));
	check(r == (int)sizeof(longlink) - 1 &&
	    memcmp(path, longlink, r) == 0, "readlink of the long symlink");
	check(lstat(MNT "/link1", &st) == 0 && S_ISLNK(st.st_mode) &&
	    st.st_size == 3, "lstat of the short symlink");
	check(chmod(MNT "/one", 0600) == 0 && stat(MNT "/one", &st) == 0 &&
	    (st.st_mode & 07777) == 0600, "chmod 0600");

	/* Truncation by O_TRUNC. */
	check(mkfile(MNT "/trunc", 20000, 13, 0) == 0,
	    "create a 20000-byte file");
	fd = open(MNT "/trunc", O_WRONLY | O_TRUNC);
	check(fd >= 0 && write(fd, "truncated\n", 10) == 10 &&
	    close(fd) == 0, "O_TRUNC, then 10 bytes");

	check(verifytree(), "the whole tree reads back");
	rootro();

	/* An open file keeps the file system busy. */
	fd = open(MNT "/one", O_RDONLY);
	checkerr(unmount(MNT, 0), EBUSY, "unmount with a file open");
	close(fd);
	check(unmount(MNT, 0) == 0, "unmount /mnt");
	check(stat(MNT "/one", &st) == -1 && errno == ENOENT,
	    "/mnt is the root's directory again");
}

static void
verify(const char *dev)
{

	check(domount(dev, MNT_RDONLY) == 0, "mount read-only on /mnt");
	verifytree();
	checkerr(open(MNT "/created", O_WRONLY | O_CREAT, 0644), EROFS,
	    "create on a read-only mount");
	checkerr(open(MNT "/one", O_WRONLY), EROFS,
	    "open for writing on a read-only mount");
	checkerr(unlink(MNT "/one"), EROFS, "unlink on a read-only mount");
	check(unmount(MNT, 0) == 0, "unmount /mnt");
}

static void
rodev(const char *dev)
{

	checkerr(domount(dev, 0), EROFS,
	    "read-write mount of a read-only disk");
	check(domount(dev, MNT_RDONLY) == 0,
	    "read-only mount of a read-only disk");
	checkerr(mkdir(MNT "/x", 0755), EROFS, "mkdir on it");
	check(unmount(MNT, 0) == 0, "unmount /mnt");
}

static void
fill(const char *dev)
{
	char path[64];
	int fd, n, total, i;

	check(domount(dev, 0) == 0, "mount read-write on /mnt");
	fd = open(MNT "/fill", O_WRONLY | O_CREAT, 0644);
	total = 0;
	pattern(buf, 0, CHUNK, 14);
	while (fd >= 0 && (n = write(fd, buf, 8192)) == 8192)
		total += n;
	printf("fswrite: wrote %d bytes before the disk was full\n", total);
	checkerr(n, ENOSPC, "write on a full disk");
	close(fd);
	for (i = 0; i < 100000; i++) {
		snprintf(path, sizeof(path), MNT "/i%05d", i);
		if ((fd = open(path, O_WRONLY | O_CREAT, 0644)) < 0)
			break;
		close(fd);
	}
	printf("fswrite: made %d empty files before running out\n", i);
	check(fd < 0 && errno == ENOSPC, "create on a full disk fails "
	    "with ENOSPC");
	check(unmount(MNT, 0) == 0, "unmount /mnt");
}

/*
 * The timed write: 1 MiB from a 16 KiB buffer filled once, so that the
 * time goes to the kernel; "bench0" does all the rest (the mount, an
 * empty file, the fsync) without the data, to be subtracted.
 */
static void
bench(const char *dev, int size)
{
	char path[64];
	int fd, off, r;

	check(domount(dev, 0) == 0, "mount read-write");
	pattern(buf, 0, CHUNK, 15);
	snprintf(path, sizeof(path), "%s/bench", mntdir);
	fd = open(path, O_WRONLY | O_CREAT, 0644);
	for (off = 0, r = 0; fd >= 0 && off < size; off += CHUNK)
		r += write(fd, buf, CHUNK);
	check(fd >= 0 && r == size && fsync(fd) == 0 && close(fd) == 0,
	    "write and fsync");
	printf("fswrite: leaving %s mounted for the shutdown\n", mntdir);
}

/*
 * 12 direct blocks and 1024 through the single indirect block hold
 * 4,243,456 bytes on a file system of 4 KiB blocks (NINDIR = 1024); 52
 * more blocks go through the double indirect block.
 */
#define	BIGSIZE		(1088 * 4096)
#define	CUTSIZE		(13 * 4096 + 100)
#define	GROWSIZE	10000

enum { BIG_KEEP, BIG_REMOVE, BIG_CUT };

/* truncate(2) and ftruncate(2): shorten across the indirect levels, and extend. */
static void
bigcut(const char *dev, const char *path)
{
	struct stat st;
	char grow[64];
	int fd;

	snprintf(grow, sizeof(grow), "%s/grow", mntdir);
	check(domount(dev, 0) == 0, "mount read-write");
	checkerr(truncate(path, -1), EINVAL, "truncate to a negative length");
	check(truncate(path, CUTSIZE) == 0, "truncate the big file");
	check(cmpfile(path, CUTSIZE, 21), "the truncated file reads back");
	fd = open(grow, O_WRONLY | O_CREAT | O_EXCL, 0644);
	check(fd >= 0 && ftruncate(fd, GROWSIZE) == 0,
	    "extend an empty file with ftruncate");
	check(fstat(fd, &st) == 0 && st.st_size == GROWSIZE,
	    "the extended file has its new size");
	close(fd);
	fd = open(grow, O_RDONLY);
	checkerr(ftruncate(fd, 0), EINVAL, "ftruncate of a read-only descriptor");
	close(fd);
	check(unmount(mntdir, 0) == 0, "unmount");
	check(domount(dev, MNT_RDONLY) == 0, "mount read-only");
	checkerr(truncate(path, 0), EROFS, "truncate on a read-only mount");
	check(unmount(mntdir, 0) == 0, "unmount");
}

static void
big(const char *dev, int then)
{
	char path[64];

	snprintf(path, sizeof(path), "%s/big", mntdir);
	check(domount(dev, 0) == 0, "mount read-write");
	check(mkfile(path, BIGSIZE, 21, O_EXCL) == 0, "write the big file");
	check(unmount(mntdir, 0) == 0, "unmount");
	check(domount(dev, MNT_RDONLY) == 0, "mount read-only");
	check(cmpfile(path, BIGSIZE, 21), "the big file reads back");
	check(unmount(mntdir, 0) == 0, "unmount");
	if (then == BIG_CUT)
		bigcut(dev, path);
	else if (then == BIG_REMOVE) {
		check(domount(dev, 0) == 0, "mount read-write");
		check(unlink(path) == 0, "remove the big file");
		check(unmount(mntdir, 0) == 0, "unmount");
	}
}

int
main(int argc, char **argv)
{

	if (argc == 4)
		mntdir = argv[3];
	if (argc != 3 && argc != 4) {
		printf("usage: fswrite write|verify|rodev|fill|bench|bench0|"
		    "big|bigrm|bigcut device [directory]\n");
		return (1);
	}
	if (strcmp(argv[1], "write") == 0)
		writetree(argv[2]);
	else if (strcmp(argv[1], "verify") == 0)
		verify(argv[2]);
	else if (strcmp(argv[1], "rodev") == 0)
		rodev(argv[2]);
	else if (strcmp(argv[1], "fill") == 0)
		fill(argv[2]);
	else if (strcmp(argv[1], "bench") == 0)
		bench(argv[2], 1048576);
	else if (strcmp(argv[1], "bench0") == 0)
		bench(argv[2], 0);
	else if (strcmp(argv[1], "big") == 0)
		big(argv[2], BIG_KEEP);
	else if (strcmp(argv[1], "bigrm") == 0)
		big(argv[2], BIG_REMOVE);
	else if (strcmp(argv[1], "bigcut") == 0)
		big(argv[2], BIG_CUT);
	else {
		printf("fswrite: unknown mode %s\n", argv[1]);
		return (1);
	}
	printf("fswrite: %s: %d failures\n", argv[1], failures);
	return (failures);
}
