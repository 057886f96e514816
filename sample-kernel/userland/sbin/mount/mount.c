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
 * mount(8), for UFS only: mount [-r] [-t ufs] special node mounts the
 * UFS1 file system on the block device special (/dev/xbd0) on the
 * directory node with mount(2), read-write unless -r.  A failure is
 * reported with the error mount(2) gave, and exit status 1.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <ufs/ufs/ufsmount.h>

static void	usage __P((void)) __dead2;

int
main(argc, argv)
	int argc;
	char **argv;
{
	struct ufs_args args;
	int flags, i;

	flags = 0;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-r") == 0)
			flags |= MNT_RDONLY;
		else if (strcmp(argv[i], "-t") == 0 && i + 1 < argc) {
			if (strcmp(argv[++i], "ufs") != 0) {
				printf("mount: %s: unknown file system type\n",
				    argv[i]);
				exit(1);
			}
		} else
			usage();
	}
	if (argc - i != 2)
		usage();
	args.fspec = argv[i];
	if (mount("ufs", argv[i + 1], flags, &args) < 0) {
		printf("mount: %s on %s: %s\n", argv[i], argv[i + 1],
		    strerror(errno));
		exit(1);
	}
	printf("%s on %s (ufs, local%s)\n", argv[i], argv[i + 1],
	    (flags & MNT_RDONLY) ? ", read-only" : "");
	exit(0);
}

static void
usage()
{

	printf("usage: mount [-r] [-t ufs] special node\n");
	exit(1);
}
