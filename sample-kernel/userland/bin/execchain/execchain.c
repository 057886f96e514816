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
 * Exec chain: the program execs itself 50 times, passing the depth and
 * its original pid in argv; at the bottom it checks that the pid never
 * changed and the environment came through every exec.
 */

#include <sys/types.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define	DEPTH	50

extern char	**environ;

int
main(int argc, char **argv)
{
	char depth[16], pid[16], *nargv[4], **e;
	int d, orig, envok;

	d = argc > 1 ? atoi(argv[1]) : 0;
	orig = argc > 2 ? atoi(argv[2]) : (int)getpid();
	if ((int)getpid() != orig) {
		printf("execchain: pid changed at depth %d\n", d);
		return (1);
	}
	if (d < DEPTH) {
		snprintf(depth, sizeof(depth), "%d", d + 1);
		snprintf(pid, sizeof(pid), "%d", orig);
		nargv[0] = argv[0];
		nargv[1] = depth;
		nargv[2] = pid;
		nargv[3] = NULL;
		execve(argv[0], nargv, environ);
		printf("execchain: exec failed at depth %d\n", d);
		return (1);
	}
	envok = 0;
	for (e = environ; e != NULL && *e != NULL; e++)
		if (strcmp(*e, "SUITE=validation") == 0)
			envok = 1;
	if (!envok) {
		printf("execchain: the environment was lost\n");
		return (1);
	}
	printf("execchain: exec'd itself %d deep, same pid, argv and "
	    "environment passed on\n", d);
	return (0);
}
