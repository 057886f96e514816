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
 * The system calls of the library built by xenoport for its IR engine:
 * each a C function over __syscall (syscall.xir), which traps with
 * FreeBSD's convention.  The gcc build has FreeBSD's assembler stubs
 * (lib/libc/sys/*.S) instead; the functions and their results are the
 * same.
 */

#include <sys/types.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <unistd.h>

int	__syscall(int *rv, int number, ...);

extern int	errno;

#define	RESULT(r, rv)	((r) ? (errno = (rv)[0], -1) : (rv)[0])

void
_exit(int status)
{
	int rv[2];

	for (;;)
		(void)__syscall(rv, SYS_exit, status);
}

ssize_t
read(int fd, void *buf, size_t n)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_read, fd, buf, n), rv));
}

ssize_t
write(int fd, const void *buf, size_t n)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_write, fd, buf, n), rv));
}

int
open(const char *path, int flags, ...)
{
	va_list ap;
	int rv[2], mode;

	/*
	 * The mode comes with O_CREAT only; IR parameters are not laid out
	 * on a stack, so &flags + 1 would not find it.
	 */
	mode = 0;
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	return (RESULT(__syscall(rv, SYS_open, path, flags, mode), rv));
}

int
close(int fd)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_close, fd), rv));
}

pid_t
wait4(pid_t pid, int *status, int options, struct rusage *ru)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_wait4, pid, status, options, ru), rv));
}

int
unlink(const char *path)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_unlink, path), rv));
}

int
chdir(const char *path)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_chdir, path), rv));
}

int
__sys_break(const void *addr)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_break, addr), rv));
}

pid_t
getpid(void)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_getpid), rv));
}

pid_t
getppid(void)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_getppid), rv));
}

int
kill(pid_t pid, int sig)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_kill, pid, sig), rv));
}

int
reboot(int opt)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_reboot, opt), rv));
}

int
execve(const char *path, char * const *argv, char * const *envp)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_execve, path, argv, envp), rv));
}

int
dup2(int from, int to)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_dup2, from, to), rv));
}

int
rename(const char *from, const char *to)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_rename, from, to), rv));
}

int
mkdir(const char *path, mode_t mode)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_mkdir, path, (int)mode), rv));
}

int
stat(const char *path, struct stat *sb)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_stat, path, sb), rv));
}

int
fstat(int fd, struct stat *sb)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_fstat, fd, sb), rv));
}

int
getrlimit(int which, struct rlimit *rl)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_getrlimit, which, rl), rv));
}

int
setrlimit(int which, const struct rlimit *rl)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_setrlimit, which, rl), rv));
}

int
getdirentries(int fd, char *buf, int n, long *basep)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_getdirentries, fd, buf, n, basep),
	    rv));
}

int
rmdir(const char *path)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_rmdir, path), rv));
}

int
fsync(int fd)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_fsync, fd), rv));
}

int
symlink(const char *path, const char *link)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_symlink, path, link), rv));
}

int
mount(const char *type, const char *dir, int flags, void *data)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_mount, type, dir, flags, data), rv));
}

int
unmount(const char *dir, int flags)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_unmount, dir, flags), rv));
}

ssize_t
readlink(const char *path, char *buf, size_t n)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_readlink, path, buf, n), rv));
}

int
lstat(const char *path, struct stat *sb)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_lstat, path, sb), rv));
}

int
chmod(const char *path, mode_t mode)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_chmod, path, (int)mode), rv));
}

/* The kernel returns the child's pid in the parent and %edx 1 in the child. */
pid_t
fork(void)
{
	int rv[2];

	if (__syscall(rv, SYS_fork)) {
		errno = rv[0];
		return (-1);
	}
	return (rv[1] != 0 ? 0 : rv[0]);
}

/* The read end comes back in %eax, the write end in %edx. */
int
pipe(int *fds)
{
	int rv[2];

	if (__syscall(rv, SYS_pipe)) {
		errno = rv[0];
		return (-1);
	}
	fds[0] = rv[0];
	fds[1] = rv[1];
	return (0);
}

/* truncate and ftruncate have lseek's pad word before the 64-bit length. */
int
truncate(const char *path, off_t length)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_truncate, path, 0, length), rv));
}

int
ftruncate(int fd, off_t length)
{
	int rv[2];

	return (RESULT(__syscall(rv, SYS_ftruncate, fd, 0, length), rv));
}

/* FreeBSD 4's lseek has a pad word before the offset; the result is 64 bits. */
off_t
lseek(int fd, off_t offset, int whence)
{
	int rv[2];

	if (__syscall(rv, SYS_lseek, fd, 0, offset, whence)) {
		errno = rv[0];
		return (-1);
	}
	return ((off_t)(u_int32_t)rv[0] | ((off_t)rv[1] << 32));
}
