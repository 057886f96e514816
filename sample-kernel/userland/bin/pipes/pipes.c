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
 * Pipes: 10,000 round trips of a counter between two processes, then a
 * three-stage pipeline of this same program exec'd three times with its
 * standard input and output on pipes: "gen" writes a pattern, "xform"
 * transforms each byte, "sum" checks what arrives against the expected
 * stream and exits 0 if it is right.
 */

#include <sys/types.h>
#include <sys/wait.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define	TRIPS		10000
#define	STREAM		(256 * 1024)

extern char	**environ;

static unsigned char
gen_byte(unsigned int i)
{

	return ((unsigned char)((i * 131U + (i >> 9)) & 0xff));
}

static unsigned char
xform_byte(unsigned char c)
{

	return ((unsigned char)((c ^ 0x5a) + 1));
}

static int
readn(int fd, void *buf, int n)
{
	int got, r;

	for (got = 0; got < n; got += r) {
		r = read(fd, (char *)buf + got, n - got);
		if (r <= 0)
			return (got);
	}
	return (got);
}

static int
stage(const char *what)
{
	unsigned char buf[4096];
	unsigned int i, pos;
	int n, k;

	if (strcmp(what, "gen") == 0) {
		for (pos = 0; pos < STREAM; pos += sizeof(buf)) {
			for (i = 0; i < sizeof(buf); i++)
				buf[i] = gen_byte(pos + i);
			if (write(1, buf, sizeof(buf)) != sizeof(buf))
				return (1);
		}
		return (0);
	}
	if (strcmp(what, "xform") == 0) {
		while ((n = read(0, buf, sizeof(buf))) > 0) {
			for (k = 0; k < n; k++)
				buf[k] = xform_byte(buf[k]);
			if (write(1, buf, n) != n)
				return (1);
		}
		return (n < 0);
	}
	if (strcmp(what, "sum") == 0) {
		pos = 0;
		while ((n = read(0, buf, sizeof(buf))) > 0) {
			for (k = 0; k < n; k++, pos++)
				if (buf[k] != xform_byte(gen_byte(pos)))
					return (2);
		}
		return (n < 0 || pos != STREAM ? 3 : 0);
	}
	return (4);
}

/* Start "prog what" with its standard input and output on in and out. */
static pid_t
spawn(const char *prog, char *what, int in, int out, int *fds, int nfds)
{
	char *argv[3];
	pid_t pid;
	int i;

	pid = fork();
	if (pid != 0)
		return (pid);
	if (in != 0)
		dup2(in, 0);
	if (out != 1)
		dup2(out, 1);
	for (i = 0; i < nfds; i++)
		close(fds[i]);
	argv[0] = (char *)prog;
	argv[1] = what;
	argv[2] = NULL;
	execve(prog, argv, environ);
	_exit(127);
}

int
main(int argc, char **argv)
{
	int p2c[2], c2p[2], fds[4], status, i, v, bad;
	pid_t pid, pids[3];

	if (argc > 1)
		return (stage(argv[1]));

	/* Round trips: the child sends back each counter plus one. */
	if (pipe(p2c) < 0 || pipe(c2p) < 0) {
		printf("pipes: pipe failed\n");
		return (1);
	}
	pid = fork();
	if (pid == 0) {
		close(p2c[1]);
		close(c2p[0]);
		while (readn(p2c[0], &v, sizeof(v)) == sizeof(v) && v >= 0) {
			v++;
			if (write(c2p[1], &v, sizeof(v)) != sizeof(v))
				_exit(1);
		}
		_exit(0);
	}
	close(p2c[0]);
	close(c2p[1]);
	for (i = 0; i < TRIPS; i++) {
		if (write(p2c[1], &i, sizeof(i)) != sizeof(i) ||
		    readn(c2p[0], &v, sizeof(v)) != sizeof(v) || v != i + 1) {
			printf("pipes: round trip %d failed\n", i);
			return (1);
		}
	}
	v = -1;
	write(p2c[1], &v, sizeof(v));
	close(p2c[1]);
	if (readn(c2p[0], &v, sizeof(v)) != 0) {
		printf("pipes: no end of file after the round trips\n");
		return (1);
	}
	close(c2p[0]);
	if (wait4(pid, &status, 0, NULL) != pid || status != 0) {
		printf("pipes: the echo process failed (status 0x%x)\n", status);
		return (1);
	}

	/* The pipeline: gen | xform | sum. */
	if (pipe(fds) < 0 || pipe(fds + 2) < 0) {
		printf("pipes: pipe failed\n");
		return (1);
	}
	pids[0] = spawn(argv[0], "gen", 0, fds[1], fds, 4);
	pids[1] = spawn(argv[0], "xform", fds[0], fds[3], fds, 4);
	pids[2] = spawn(argv[0], "sum", fds[2], 1, fds, 4);
	for (i = 0; i < 4; i++)
		close(fds[i]);
	bad = 0;
	for (i = 0; i < 3; i++) {
		if (pids[i] < 0 || wait4(pids[i], &status, 0, NULL) != pids[i] ||
		    status != 0) {
			printf("pipes: pipeline stage %d failed (status 0x%x)\n",
			    i, status);
			bad = 1;
		}
	}
	if (bad)
		return (1);
	printf("pipes: %d round trips between two processes; a 3-stage "
	    "pipeline moved %d bytes intact\n", TRIPS, STREAM);
	return (0);
}
