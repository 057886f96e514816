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
 * The POSIX system interface.
 */

#ifndef _UNISTD_H_
#define	_UNISTD_H_

#include <sys/types.h>
#include <sys/unistd.h>

#define	STDIN_FILENO	0
#define	STDOUT_FILENO	1
#define	STDERR_FILENO	2

extern char	**environ;

void	_exit(int) __dead2;
ssize_t	read(int, void *, size_t);
ssize_t	write(int, const void *, size_t);
int	close(int);
int	dup2(int, int);
int	pipe(int *);
pid_t	fork(void);
pid_t	getpid(void);
pid_t	getppid(void);
int	execve(const char *, char * const *, char * const *);
int	execv(const char *, char * const *);
int	chdir(const char *);
int	unlink(const char *);
int	rmdir(const char *);
int	fsync(int);
int	symlink(const char *, const char *);
ssize_t	readlink(const char *, char *, size_t);
off_t	lseek(int, off_t, int);
int	truncate(const char *, off_t);
int	ftruncate(int, off_t);
int	brk(const void *);
void	*sbrk(int);
int	getdirentries(int, char *, int, long *);

#endif /* !_UNISTD_H_ */
