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
 * init(8) for the validation suite: runs the programs /etc/rc lists, one
 * after another, each in a child process, and judges how each ended by
 * the status wait4() reports: a normal exit with the expected status, or
 * death by the expected signal.  One line per program, PASS or FAIL with
 * the reason, then the tally; init's own exit status is 0 when every
 * program passed.  The kernel halts the machine when init exits.
 *
 * An /etc/rc line is: name, expectation (exit:N or signal:SIGNAME), a CPU
 * time limit in seconds set with setrlimit(RLIMIT_CPU) in the child
 * before the exec ("-" for none), the program's path and its arguments.
 * '#' starts a comment.  An argument names another script to run
 * instead of /etc/rc (the kernel passes the kernel environment's
 * init_script, e.g. /etc/rc.step14).
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define	RCFILE		"/etc/rc"
#define	MAXENTRIES	32
#define	MAXARGS		8

struct entry {
	char	*name;
	int	expect_sig;		/* signal expected, or 0 */
	int	expect_status;		/* exit status expected */
	int	cpulimit;		/* seconds, or 0 */
	char	*argv[MAXARGS + 1];
};

static char	rcbuf[4096];
static const char *rcfile = RCFILE;
static struct entry entries[MAXENTRIES];
static char	*child_env[] = { "PATH=/bin:/sbin", "SUITE=validation", NULL };

static int
signum(const char *name)
{
	int sig;

	for (sig = 1; sig < NSIG; sig++)
		if (strcmp(signame(sig), name) == 0)
			return (sig);
	return (0);
}

static int
isspace_c(int c)
{

	return (c == ' ' || c == '\t' || c == '\r');
}

/*
 * Split rcbuf into entries; returns their number, or -1 after printing
 * what is wrong.
 */
static int
parse_rc(int len)
{
	char *p, *end, *line, *fields[MAXARGS + 4];
	struct entry *e;
	int n, nf, lineno, i;

	n = 0;
	lineno = 0;
	end = rcbuf + len;
	for (p = rcbuf; p < end; p++) {
		line = p;
		while (p < end && *p != '\n')
			p++;
		*p = '\0';
		lineno++;
		nf = 0;
		for (;;) {
			while (isspace_c(*line))
				line++;
			if (*line == '\0' || *line == '#')
				break;
			if (nf == (int)(sizeof(fields) / sizeof(fields[0]))) {
				printf("init: %s:%d: too many fields\n", rcfile,
				    lineno);
				return (-1);
			}
			fields[nf++] = line;
			while (*line != '\0' && !isspace_c(*line))
				line++;
			if (*line != '\0')
				*line++ = '\0';
		}
		if (nf == 0)
			continue;
		if (nf < 4 || n == MAXENTRIES) {
			printf("init: %s:%d: expected name, expectation, cpu "
			    "limit and program\n", rcfile, lineno);
			return (-1);
		}
		e = &entries[n++];
		e->name = fields[0];
		if (strncmp(fields[1], "exit:", 5) == 0) {
			e->expect_sig = 0;
			e->expect_status = atoi(fields[1] + 5);
		} else if (strncmp(fields[1], "signal:", 7) == 0 &&
		    (e->expect_sig = signum(fields[1] + 7)) != 0) {
			e->expect_status = 0;
		} else {
			printf("init: %s:%d: bad expectation %s\n", rcfile,
			    lineno, fields[1]);
			return (-1);
		}
		e->cpulimit = strcmp(fields[2], "-") == 0 ? 0 : atoi(fields[2]);
		for (i = 3; i < nf; i++)
			e->argv[i - 3] = fields[i];
		e->argv[nf - 3] = NULL;
	}
	return (n);
}

/*
 * Run one entry and say how it went; 1 if it passed.
 */
static int
run(struct entry *e)
{
	struct rlimit rl;
	pid_t pid, w;
	int status;

	fflush(stdout);
	pid = fork();
	if (pid < 0) {
		printf("FAIL %s: fork: %s\n", e->name, strerror(errno));
		return (0);
	}
	if (pid == 0) {
		if (e->cpulimit > 0) {
			rl.rlim_cur = rl.rlim_max = e->cpulimit;
			if (setrlimit(RLIMIT_CPU, &rl) < 0) {
				printf("init: setrlimit: %s\n", strerror(errno));
				_exit(126);
			}
		}
		execve(e->argv[0], e->argv, child_env);
		printf("init: exec %s: %s\n", e->argv[0], strerror(errno));
		_exit(127);
	}
	w = wait4(pid, &status, 0, NULL);
	if (w != pid) {
		printf("FAIL %s: wait4 returned %d: %s\n", e->name, (int)w,
		    strerror(errno));
		return (0);
	}
	if (WIFSIGNALED(status)) {
		if (WTERMSIG(status) == e->expect_sig) {
			printf("PASS %s: killed by %s, as expected\n", e->name,
			    signame(WTERMSIG(status)));
			return (1);
		}
		printf("FAIL %s: killed by %s\n", e->name,
		    signame(WTERMSIG(status)));
		return (0);
	}
	if (!WIFEXITED(status)) {
		printf("FAIL %s: status 0x%x\n", e->name, status);
		return (0);
	}
	if (e->expect_sig != 0) {
		printf("FAIL %s: exited with status %d, expected %s\n", e->name,
		    WEXITSTATUS(status), signame(e->expect_sig));
		return (0);
	}
	if (WEXITSTATUS(status) != e->expect_status) {
		printf("FAIL %s: exit status %d\n", e->name,
		    WEXITSTATUS(status));
		return (0);
	}
	printf("PASS %s\n", e->name);
	return (1);
}

int
main(int argc, char **argv)
{
	int fd, len, n, i, passed;

	if (getpid() != 1) {
		printf("init: already running\n");
		return (1);
	}
	if (argc > 1)
		rcfile = argv[1];
	if ((fd = open(rcfile, O_RDONLY)) < 0) {
		printf("init: %s: %s\n", rcfile, strerror(errno));
		return (1);
	}
	len = read(fd, rcbuf, sizeof(rcbuf) - 1);
	close(fd);
	if (len < 0) {
		printf("init: %s: %s\n", rcfile, strerror(errno));
		return (1);
	}
	rcbuf[len] = '\0';
	if ((n = parse_rc(len)) < 0)
		return (1);

	printf("init: running %d programs from %s\n", n, rcfile);
	passed = 0;
	for (i = 0; i < n; i++)
		passed += run(&entries[i]);
	printf("validation: %d/%d passed\n", passed, n);
	return (passed == n ? 0 : 1);
}
