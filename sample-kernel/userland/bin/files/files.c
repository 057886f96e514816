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
 * Files: the MD5 of every file the manifest /etc/manifest.md5 lists
 * (made on the build host with md5sum when the root image was built) is
 * computed through the kernel's file system and compared; then the whole
 * tree is walked with getdirentries, and every regular file found must
 * be in the manifest (the manifest itself aside), so nothing is missed.
 * An argument names another root to check (a copy of the tree on the
 * build host); paths are printed relative to the root.
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <md5.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define	MANIFEST	"/etc/manifest.md5"
#define	MAXFILES	256
#define	MAXPATH		256

struct mfile {
	char	md5[33];
	char	path[MAXPATH];
	int	seen;
};

static struct mfile files[MAXFILES];
static int	nfiles;
static char	rootdir[MAXPATH] = "";	/* prefix of every path opened */
static char	mbuf[32768];
static unsigned char iobuf[8192];
static int	bad;

static int
md5_file(const char *path, char *hex)
{
	MD5_CTX ctx;
	unsigned char digest[16];
	int fd, n, i;

	if ((fd = open(path, O_RDONLY)) < 0)
		return (-1);
	MD5Init(&ctx);
	while ((n = read(fd, iobuf, sizeof(iobuf))) > 0)
		MD5Update(&ctx, iobuf, n);
	close(fd);
	if (n < 0)
		return (-1);
	MD5Final(digest, &ctx);
	for (i = 0; i < 16; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return (0);
}

static int
read_manifest(void)
{
	char path[MAXPATH];
	char *p, *line, *end;
	int fd, len;

	snprintf(path, sizeof(path), "%s%s", rootdir, MANIFEST);
	if ((fd = open(path, O_RDONLY)) < 0)
		return (-1);
	len = read(fd, mbuf, sizeof(mbuf) - 1);
	close(fd);
	if (len <= 0)
		return (-1);
	mbuf[len] = '\0';
	end = mbuf + len;
	for (p = mbuf; p < end && nfiles < MAXFILES; p++) {
		line = p;
		while (p < end && *p != '\n')
			p++;
		*p = '\0';
		if (strlen(line) < 35 || line[32] != ' ' || line[33] != ' ')
			continue;
		memcpy(files[nfiles].md5, line, 32);
		files[nfiles].md5[32] = '\0';
		snprintf(files[nfiles].path, MAXPATH, "/%s", line + 34);
		nfiles++;
	}
	return (0);
}

/* Walk dir, marking the manifest's files; count the regular files. */
static int
walk(const char *dir)
{
	char path[MAXPATH], full[MAXPATH];
	struct dirent *dp;
	struct stat sb;
	DIR *dirp;
	int count, i, type;

	snprintf(full, sizeof(full), "%s%s", rootdir, dir);
	if ((dirp = opendir(full)) == NULL) {
		printf("files: opendir %s: %s\n", dir, strerror(errno));
		bad = 1;
		return (0);
	}
	count = 0;
	while ((dp = readdir(dirp)) != NULL) {
		if (strcmp(dp->d_name, ".") == 0 || strcmp(dp->d_name, "..") == 0)
			continue;
		snprintf(path, sizeof(path), "%s%s%s", dir,
		    strcmp(dir, "/") == 0 ? "" : "/", dp->d_name);
		type = dp->d_type;
		snprintf(full, sizeof(full), "%s%s", rootdir, path);
		if (type == DT_UNKNOWN && stat(full, &sb) == 0)
			type = IFTODT(sb.st_mode);
		if (type == DT_DIR) {
			count += walk(path);
			continue;
		}
		if (type != DT_REG)
			continue;
		count++;
		if (strcmp(path, MANIFEST) == 0)
			continue;
		for (i = 0; i < nfiles; i++)
			if (strcmp(files[i].path, path) == 0)
				break;
		if (i == nfiles) {
			printf("files: %s is not in the manifest\n", path);
			bad = 1;
		} else
			files[i].seen = 1;
	}
	closedir(dirp);
	return (count);
}

int
main(int argc, char **argv)
{
	char hex[33], path[MAXPATH];
	int i, found;

	if (argc > 1 && strcmp(argv[1], "/") != 0)
		snprintf(rootdir, sizeof(rootdir), "%s", argv[1]);
	if (read_manifest() < 0 || nfiles == 0) {
		printf("files: cannot read %s\n", MANIFEST);
		return (1);
	}
	for (i = 0; i < nfiles; i++) {
		snprintf(path, sizeof(path), "%s%s", rootdir, files[i].path);
		if (md5_file(path, hex) < 0) {
			printf("files: %s: %s\n", files[i].path, strerror(errno));
			bad = 1;
		} else if (strcmp(hex, files[i].md5) != 0) {
			printf("files: %s: md5 %s, manifest says %s\n",
			    files[i].path, hex, files[i].md5);
			bad = 1;
		}
	}
	found = walk("/");
	for (i = 0; i < nfiles; i++)
		if (!files[i].seen) {
			printf("files: %s is in the manifest but not in the "
			    "tree\n", files[i].path);
			bad = 1;
		}
	if (bad)
		return (1);
	printf("files: %d files in the tree, the md5 of each matches the "
	    "manifest\n", found);
	return (0);
}
