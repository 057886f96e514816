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
 * The system call layer of the library for Linux i386, used only to run
 * the suite's programs on the build host and compare what they print with
 * what they print on the sample kernel.  It gives the programs the
 * FreeBSD interface they are written for (the same functions, FreeBSD's
 * errno numbers, struct stat, struct dirent and struct rlimit layouts) on
 * top of Linux's int $0x80 convention (number in %eax, arguments in
 * %ebx, %ecx, %edx, %esi, %edi, -errno on failure; Linux's
 * arch/x86/entry/syscalls/syscall_32.tbl numbers).  The break is an
 * arena of its own, since Linux places the heap at a random distance
 * from the end of the bss.
 */

#include <sys/types.h>
#include <sys/dirent.h>
#include <sys/errno.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <stdarg.h>
#include <string.h>
#include <unistd.h>

#define	LINUX_exit_group	252
#define	LINUX_fork		2
#define	LINUX_read		3
#define	LINUX_write		4
#define	LINUX_open		5
#define	LINUX_close		6
#define	LINUX_unlink		10
#define	LINUX_execve		11
#define	LINUX_chdir		12
#define	LINUX_getpid		20
#define	LINUX_kill		37
#define	LINUX_rename		38
#define	LINUX_mkdir		39
#define	LINUX_rmdir		40
#define	LINUX_symlink		83
#define	LINUX_readlink		85
#define	LINUX_chmod		15
#define	LINUX_fsync		118
#define	LINUX_pipe		42
#define	LINUX_dup2		63
#define	LINUX_getppid		64
#define	LINUX_munmap		91
#define	LINUX_wait4		114
#define	LINUX__llseek		140
#define	LINUX_truncate64	193
#define	LINUX_ftruncate64	194
#define	LINUX_mmap2		192
#define	LINUX_stat64		195
#define	LINUX_lstat64		196
#define	LINUX_fstat64		197
#define	LINUX_getdents64	220
#define	LINUX_prlimit64		340

#define	ARENA_SIZE	(64 * 1024 * 1024)

extern int	errno;

static long
lsys(long n, long a, long b, long c, long d, long e)
{
	long r;

	__asm __volatile("int $0x80"
	    : "=a" (r)
	    : "0" (n), "b" (a), "c" (b), "d" (c), "S" (d), "D" (e)
	    : "memory");
	return (r);
}

/* Linux's errno numbers where they differ from FreeBSD's. */
static int
bsd_errno(long e)
{

	switch (e) {
	case 11:	return (EAGAIN);
	case 36:	return (ENAMETOOLONG);
	case 38:	return (ENOSYS);
	case 39:	return (ENOTEMPTY);
	case 40:	return (ELOOP);
	default:	return ((int)e);
	}
}

static long
ret(long r)
{

	if (r < 0 && r > -4096) {
		errno = bsd_errno(-r);
		return (-1);
	}
	return (r);
}

void
_exit(int status)
{

	for (;;)
		lsys(LINUX_exit_group, status, 0, 0, 0, 0);
}

ssize_t
read(int fd, void *buf, size_t n)
{

	return (ret(lsys(LINUX_read, fd, (long)buf, n, 0, 0)));
}

ssize_t
write(int fd, const void *buf, size_t n)
{

	return (ret(lsys(LINUX_write, fd, (long)buf, n, 0, 0)));
}

int
open(const char *path, int flags, ...)
{

	va_list ap;
	int mode, lflags;

	/*
	 * The access modes are the same; FreeBSD's O_APPEND, O_CREAT,
	 * O_TRUNC and O_EXCL have other values on Linux.
	 */
	mode = 0;
	if (flags & O_CREAT) {
		va_start(ap, flags);
		mode = va_arg(ap, int);
		va_end(ap);
	}
	lflags = flags & 3;
	if (flags & O_APPEND)
		lflags |= 02000;
	if (flags & O_CREAT)
		lflags |= 0100;
	if (flags & O_TRUNC)
		lflags |= 01000;
	if (flags & O_EXCL)
		lflags |= 0200;
	return (ret(lsys(LINUX_open, (long)path, lflags, mode, 0, 0)));
}

int
close(int fd)
{

	return (ret(lsys(LINUX_close, fd, 0, 0, 0, 0)));
}

pid_t
wait4(pid_t pid, int *status, int options, struct rusage *ru)
{

	return (ret(lsys(LINUX_wait4, pid, (long)status, options, 0, 0)));
}

int
unlink(const char *path)
{

	return (ret(lsys(LINUX_unlink, (long)path, 0, 0, 0, 0)));
}

int
chdir(const char *path)
{

	return (ret(lsys(LINUX_chdir, (long)path, 0, 0, 0, 0)));
}

pid_t
getpid(void)
{

	return (ret(lsys(LINUX_getpid, 0, 0, 0, 0, 0)));
}

pid_t
getppid(void)
{

	return (ret(lsys(LINUX_getppid, 0, 0, 0, 0, 0)));
}

int
kill(pid_t pid, int sig)
{

	return (ret(lsys(LINUX_kill, pid, sig, 0, 0, 0)));
}

int
execve(const char *path, char * const *argv, char * const *envp)
{

	return (ret(lsys(LINUX_execve, (long)path, (long)argv, (long)envp, 0,
	    0)));
}

int
dup2(int from, int to)
{

	return (ret(lsys(LINUX_dup2, from, to, 0, 0, 0)));
}

int
rename(const char *from, const char *to)
{

	return (ret(lsys(LINUX_rename, (long)from, (long)to, 0, 0, 0)));
}

int
mkdir(const char *path, mode_t mode)
{

	return (ret(lsys(LINUX_mkdir, (long)path, mode, 0, 0, 0)));
}

int
rmdir(const char *path)
{

	return (ret(lsys(LINUX_rmdir, (long)path, 0, 0, 0, 0)));
}

int
fsync(int fd)
{

	return (ret(lsys(LINUX_fsync, fd, 0, 0, 0, 0)));
}

/* Linux i386's truncate64/ftruncate64 take the length as two words, low first. */
int
truncate(const char *path, off_t length)
{

	return (ret(lsys(LINUX_truncate64, (long)path, (long)length,
	    (long)(length >> 32), 0, 0)));
}

int
ftruncate(int fd, off_t length)
{

	return (ret(lsys(LINUX_ftruncate64, fd, (long)length,
	    (long)(length >> 32), 0, 0)));
}

int
symlink(const char *path, const char *link)
{

	return (ret(lsys(LINUX_symlink, (long)path, (long)link, 0, 0, 0)));
}

/*
 * Linux's mount(2) takes other arguments and wants privileges a test
 * program does not have: mounting is refused, as reboot is.
 */
int
mount(const char *type, const char *dir, int flags, void *data)
{

	errno = EPERM;
	return (-1);
}

int
unmount(const char *dir, int flags)
{

	errno = EPERM;
	return (-1);
}

pid_t
fork(void)
{

	return (ret(lsys(LINUX_fork, 0, 0, 0, 0, 0)));
}

int
pipe(int *fds)
{

	return (ret(lsys(LINUX_pipe, (long)fds, 0, 0, 0, 0)));
}

off_t
lseek(int fd, off_t offset, int whence)
{
	off_t result;

	if (ret(lsys(LINUX__llseek, fd, (long)(offset >> 32), (long)offset,
	    (long)&result, whence)) < 0)
		return (-1);
	return (result);
}

/*
 * Linux's struct stat64 (arch/x86/include/uapi/asm/stat.h) is 96 bytes,
 * as FreeBSD's struct stat here: Linux fills the caller's buffer (and
 * checks the pointer), then the fields move to their FreeBSD places.
 */
struct linux_stat64 {
	u_int64_t	st_dev;
	u_int32_t	pad1;
	u_int32_t	st_ino32;
	u_int32_t	st_mode;
	u_int32_t	st_nlink;
	u_int32_t	st_uid;
	u_int32_t	st_gid;
	u_int64_t	st_rdev;
	u_int32_t	pad2;
	int64_t		st_size;
	u_int32_t	st_blksize;
	u_int64_t	st_blocks;
	u_int32_t	st_atime_, st_atime_nsec;
	u_int32_t	st_mtime_, st_mtime_nsec;
	u_int32_t	st_ctime_, st_ctime_nsec;
	u_int64_t	st_ino;
} __packed;

static void
stat_to_bsd(struct stat *sb)
{
	struct linux_stat64 ls;

	memcpy(&ls, sb, sizeof(ls));
	memset(sb, 0, sizeof(*sb));
	sb->st_dev = (udev_t)ls.st_dev;
	sb->st_ino = (ino_t)ls.st_ino;
	sb->st_mode = (mode_t)ls.st_mode;
	sb->st_nlink = (nlink_t)ls.st_nlink;
	sb->st_uid = ls.st_uid;
	sb->st_gid = ls.st_gid;
	sb->st_size = ls.st_size;
	sb->st_blocks = ls.st_blocks;
	sb->st_blksize = ls.st_blksize;
}

int
stat(const char *path, struct stat *sb)
{

	if (ret(lsys(LINUX_stat64, (long)path, (long)sb, 0, 0, 0)) < 0)
		return (-1);
	stat_to_bsd(sb);
	return (0);
}

int
lstat(const char *path, struct stat *sb)
{

	if (ret(lsys(LINUX_lstat64, (long)path, (long)sb, 0, 0, 0)) < 0)
		return (-1);
	stat_to_bsd(sb);
	return (0);
}

ssize_t
readlink(const char *path, char *buf, size_t n)
{

	return (ret(lsys(LINUX_readlink, (long)path, (long)buf, n, 0, 0)));
}

int
chmod(const char *path, mode_t mode)
{

	return (ret(lsys(LINUX_chmod, (long)path, mode, 0, 0, 0)));
}

int
fstat(int fd, struct stat *sb)
{

	if (ret(lsys(LINUX_fstat64, fd, (long)sb, 0, 0, 0)) < 0)
		return (-1);
	stat_to_bsd(sb);
	return (0);
}

/* Linux's struct rlimit64 is FreeBSD's struct rlimit: two 64-bit limits. */
int
getrlimit(int which, struct rlimit *rl)
{

	return (ret(lsys(LINUX_prlimit64, 0, which, 0, (long)rl, 0)));
}

int
setrlimit(int which, const struct rlimit *rl)
{

	return (ret(lsys(LINUX_prlimit64, 0, which, (long)rl, 0, 0)));
}

/* Linux's struct linux_dirent64, converted to FreeBSD's struct dirent. */
struct linux_dirent64 {
	u_int64_t	d_ino;
	int64_t		d_off;
	u_int16_t	d_reclen;
	u_int8_t	d_type;
	char		d_name[1];
} __packed;

int
getdirentries(int fd, char *buf, int nbytes, long *basep)
{
	static char lbuf[4096];
	struct linux_dirent64 *ld;
	struct dirent *dp;
	int n, off, out, namlen, reclen;

	n = ret(lsys(LINUX_getdents64, fd, (long)lbuf, nbytes / 2 <
	    (int)sizeof(lbuf) ? nbytes / 2 : (int)sizeof(lbuf), 0, 0));
	if (n <= 0)
		return (n);
	out = 0;
	for (off = 0; off < n; off += ld->d_reclen) {
		ld = (struct linux_dirent64 *)(lbuf + off);
		namlen = strlen(ld->d_name);
		reclen = 8 + ((namlen + 1 + 3) & ~3);
		if (out + reclen > nbytes)
			break;
		dp = (struct dirent *)(buf + out);
		dp->d_fileno = (u_int32_t)ld->d_ino;
		dp->d_reclen = reclen;
		dp->d_type = ld->d_type;
		dp->d_namlen = namlen;
		memcpy(dp->d_name, ld->d_name, namlen + 1);
		out += reclen;
	}
	if (basep != NULL)
		*basep = 0;
	return (out);
}

int
reboot(int opt)
{

	errno = EPERM;
	return (-1);
}

/*
 * The break, in an arena mapped at the first call.  Giving memory back
 * maps fresh zero pages over it, as the kernel's break does.
 */
static char	*arena, *curbrk;

static int
arena_map(char *at, long len)
{
	long r;
	long args[6];

	args[0] = (long)at;
	args[1] = len;
	args[2] = 3;			/* PROT_READ | PROT_WRITE */
	args[3] = 0x22 | (at != NULL ? 0x10 : 0);	/* PRIVATE|ANON[|FIXED] */
	args[4] = -1;
	args[5] = 0;
	__asm __volatile("pushl %%ebp; movl %7,%%ebp; int $0x80; popl %%ebp"
	    : "=a" (r)
	    : "0" (LINUX_mmap2), "b" (args[0]), "c" (args[1]), "d" (args[2]),
	      "S" (args[3]), "D" (args[4]), "g" (args[5])
	    : "memory");
	if (r < 0 && r > -4096)
		return (-1);
	if (arena == NULL)
		arena = (char *)r;
	return (0);
}

int
brk(const void *addr)
{

	if (arena == NULL && arena_map(NULL, ARENA_SIZE) < 0)
		return (-1);
	if ((char *)addr < arena || (char *)addr > arena + ARENA_SIZE) {
		errno = ENOMEM;
		return (-1);
	}
	curbrk = (char *)addr;
	return (0);
}

void *
sbrk(int incr)
{
	char *old, *newbrk, *from;

	if (arena == NULL) {
		if (arena_map(NULL, ARENA_SIZE) < 0)
			return ((void *)-1);
		curbrk = arena;
	}
	old = curbrk;
	newbrk = curbrk + incr;
	if (newbrk < arena || newbrk > arena + ARENA_SIZE) {
		errno = ENOMEM;
		return ((void *)-1);
	}
	if (incr < 0) {
		from = (char *)(((u_int32_t)newbrk + 4095) & ~4095U);
		if (from < curbrk && arena_map(from, curbrk - from) < 0)
			return ((void *)-1);
	}
	curbrk = newbrk;
	return (old);
}
