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
 * Fork storm: 200 cycles of fork, exit and wait4; every third child
 * forks a grandchild that forks a great-grandchild, each generation
 * waiting for the next.  Every exit status, every pid wait4 returns and
 * every child's parent pid is checked.
 */

#include <sys/types.h>
#include <sys/wait.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define	CYCLES		200
#define	GENERATIONS	3

/*
 * Runs in a child of generation gen (1 = child of the storm's process):
 * fork the next generation if any, check it, and return this one's exit
 * status, which encodes the cycle and generation; 255 when something is
 * wrong.
 */
static int
generation(int cycle, int gen, pid_t parent, int deep)
{
	pid_t pid, w;
	int status, expect;

	if (getppid() != parent)
		return (255);
	if (deep && gen < GENERATIONS) {
		parent = getpid();
		pid = fork();
		if (pid < 0)
			return (255);
		if (pid == 0)
			_exit(generation(cycle, gen + 1, parent, deep));
		w = wait4(pid, &status, 0, NULL);
		expect = (cycle + gen + 1) & 0x7f;
		if (w != pid || !WIFEXITED(status) ||
		    WEXITSTATUS(status) != expect)
			return (255);
	}
	return ((cycle + gen) & 0x7f);
}

int
main(int argc, char **argv)
{
	pid_t pid, w, me;
	int i, status, deep;

	me = getpid();
	deep = 0;
	for (i = 0; i < CYCLES; i++) {
		pid = fork();
		if (pid < 0) {
			printf("forkstorm: fork %d: %s\n", i, strerror(errno));
			return (1);
		}
		if (pid == 0)
			_exit(generation(i, 1, me, i % 3 == 0));
		w = wait4(pid, &status, 0, NULL);
		if (w != pid) {
			printf("forkstorm: cycle %d: wait4 returned %d, not %d\n",
			    i, (int)w, (int)pid);
			return (1);
		}
		if (!WIFEXITED(status) || WEXITSTATUS(status) != ((i + 1) & 0x7f)) {
			printf("forkstorm: cycle %d: status 0x%x\n", i, status);
			return (1);
		}
		if (i % 3 == 0)
			deep++;
	}
	if (wait4(WAIT_ANY, &status, WNOHANG, NULL) != -1 || errno != ECHILD) {
		printf("forkstorm: a child is left over\n");
		return (1);
	}
	printf("forkstorm: %d fork/exit/wait4 cycles, %d of them %d generations "
	    "deep\n", CYCLES, deep, GENERATIONS);
	return (0);
}
