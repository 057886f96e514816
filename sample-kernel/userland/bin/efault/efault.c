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
 * Bad pointers handed to the kernel: each system call must fail with
 * EFAULT and the process must go on.  Pointers into the unmapped first
 * page, into the kernel's half of the address space, and into this
 * program's own read-only text.  The file read is the program itself
 * (argv[0]), so that the program runs the same anywhere.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define	KERNEL_ADDR	((void *)0xc0100000)
#define	LOW_ADDR	((void *)0x10)

static int	tried, faulted;

static void
expect(const char *what, int r)
{

	tried++;
	if (r == -1 && errno == EFAULT)
		faulted++;
	else
		printf("efault: %s gave %d (errno %d), not EFAULT\n", what, r,
		    r == -1 ? errno : 0);
}

int
main(int argc, char **argv)
{
	char *bad_argv[3];
	struct stat sb;
	pid_t pid;
	int fd;

	expect("write from page 0", write(1, LOW_ADDR, 16));
	fd = open(argv[0], O_RDONLY);
	expect("read into the kernel", read(fd, KERNEL_ADDR, 16));
	expect("read into text", read(fd, (void *)main, 16));
	close(fd);
	expect("open of a bad path", open((const char *)LOW_ADDR, O_RDONLY));
	expect("stat into the kernel", stat(argv[0], KERNEL_ADDR));
	expect("setrlimit from page 0", setrlimit(RLIMIT_CPU, LOW_ADDR));
	bad_argv[0] = argv[0];
	bad_argv[1] = (char *)KERNEL_ADDR;
	bad_argv[2] = NULL;
	expect("execve with a bad argument", execve(argv[0], bad_argv, NULL));
	pid = fork();
	if (pid == 0)
		_exit(0);
	expect("wait4 status into the kernel", wait4(pid, KERNEL_ADDR, 0,
	    NULL));
	if (stat(argv[0], &sb) != 0 || sb.st_size == 0) {
		printf("efault: a good stat failed afterwards\n");
		return (1);
	}
	if (faulted != tried)
		return (1);
	printf("efault: %d system calls given bad pointers, %d EFAULTs, the "
	    "process lives on\n", tried, faulted);
	return (0);
}
