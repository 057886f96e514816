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
 * Small library routines over the system calls: errno, exit and abort,
 * the wait family, execv, signal names, and directories.
 */

#include <sys/types.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int	errno;


void
exit(int status)
{

	fflush(stdout);
	fflush(stderr);
	_exit(status);
}

void
abort(void)
{

	fflush(stdout);
	kill(getpid(), SIGABRT);
	_exit(127);
}

pid_t
wait(int *status)
{

	return (wait4(WAIT_ANY, status, 0, NULL));
}

pid_t
waitpid(pid_t pid, int *status, int options)
{

	return (wait4(pid, status, options, NULL));
}

int
execv(const char *path, char * const *argv)
{

	return (execve(path, argv, environ));
}

static const char *signames[NSIG] = {
	"SIG0", "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
	"SIGEMT", "SIGFPE", "SIGKILL", "SIGBUS", "SIGSEGV", "SIGSYS",
	"SIGPIPE", "SIGALRM", "SIGTERM", "SIGURG", "SIGSTOP", "SIGTSTP",
	"SIGCONT", "SIGCHLD", "SIGTTIN", "SIGTTOU", "SIGIO", "SIGXCPU",
	"SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGINFO", "SIGUSR1",
	"SIGUSR2"
};

const char *
signame(int sig)
{

	if (sig <= 0 || sig >= NSIG)
		return ("SIG?");
	return (signames[sig]);
}

DIR *
opendir(const char *name)
{
	DIR *dirp;
	int fd;

	if ((fd = open(name, O_RDONLY)) < 0)
		return (NULL);
	dirp = malloc(sizeof(DIR));
	if (dirp == NULL) {
		close(fd);
		return (NULL);
	}
	dirp->dd_fd = fd;
	dirp->dd_loc = 0;
	dirp->dd_size = 0;
	dirp->dd_seek = 0;
	return (dirp);
}

struct dirent *
readdir(DIR *dirp)
{
	struct dirent *dp;

	for (;;) {
		if (dirp->dd_loc >= dirp->dd_size) {
			dirp->dd_size = getdirentries(dirp->dd_fd, dirp->dd_buf,
			    sizeof(dirp->dd_buf), &dirp->dd_seek);
			if (dirp->dd_size <= 0)
				return (NULL);
			dirp->dd_loc = 0;
		}
		dp = (struct dirent *)(dirp->dd_buf + dirp->dd_loc);
		if (dp->d_reclen == 0 ||
		    dp->d_reclen > dirp->dd_size + 1 - dirp->dd_loc)
			return (NULL);
		dirp->dd_loc += dp->d_reclen;
		if (dp->d_fileno == 0)
			continue;
		return (dp);
	}
}

int
closedir(DIR *dirp)
{
	int fd;

	fd = dirp->dd_fd;
	free(dirp);
	return (close(fd));
}
