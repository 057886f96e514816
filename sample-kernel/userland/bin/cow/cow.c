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
 * Copy on write: the parent fills 4 MiB and forks; the child checks it
 * sees the parent's data, rewrites the first half and checks its own
 * view, while the parent rewrites the second half; after the child is
 * gone the parent checks that its view holds its data only.
 */

#include <sys/types.h>
#include <sys/wait.h>
#include <stdio.h>
#include <unistd.h>

#define	SIZE	(4 * 1024 * 1024)
#define	NWORDS	(SIZE / 4)

/* What the parent first writes at word k (a macro: this runs 5 million times). */
#define	ORIG(k)	(((k) * 2654435761U) ^ 0x5a5a5a5aU)

static unsigned int buf[NWORDS];

/* Words [from, to) hold f(k) xor mask. */
static int
check(unsigned int from, unsigned int to, unsigned int mask)
{
	unsigned int k;

	for (k = from; k < to; k++)
		if (buf[k] != (ORIG(k) ^ mask))
			return (0);
	return (1);
}

static void
rewrite(unsigned int from, unsigned int to, unsigned int mask)
{
	unsigned int k;

	for (k = from; k < to; k++)
		buf[k] = ORIG(k) ^ mask;
}

int
main(int argc, char **argv)
{
	pid_t pid;
	int status;

	rewrite(0, NWORDS, 0);
	pid = fork();
	if (pid < 0) {
		printf("cow: fork failed\n");
		return (1);
	}
	if (pid == 0) {
		if (!check(0, NWORDS, 0))
			_exit(2);
		rewrite(0, NWORDS / 2, 0xffffffffU);
		if (!check(0, NWORDS / 2, 0xffffffffU) ||
		    !check(NWORDS / 2, NWORDS, 0))
			_exit(3);
		_exit(0);
	}
	rewrite(NWORDS / 2, NWORDS, 0x11111111U);
	if (wait4(pid, &status, 0, NULL) != pid || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0) {
		printf("cow: the child's view was wrong (status 0x%x)\n", status);
		return (1);
	}
	if (!check(0, NWORDS / 2, 0) || !check(NWORDS / 2, NWORDS, 0x11111111U)) {
		printf("cow: the parent's view was changed by the child\n");
		return (1);
	}
	printf("cow: 4 MiB shared by fork; the child rewrote 2 MiB, the parent "
	    "the other 2 MiB; both views are intact\n");
	return (0);
}
