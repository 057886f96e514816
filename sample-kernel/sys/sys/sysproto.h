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
 * The arguments of each system call as the handler sees them, as
 * FreeBSD's generated <sys/sysproto.h>: one structure per call, its
 * fields in the order of the user's arguments.  syscall() copies the
 * argument words from the user stack into it.  Every field here is one
 * 32-bit word (an off_t two), so FreeBSD's PAD_ padding is not needed on
 * the i386.
 */

#ifndef _SYS_SYSPROTO_H_
#define	_SYS_SYSPROTO_H_

struct proc;
struct rlimit;
struct rusage;
struct stat;

struct nosys_args {
	register_t dummy;
};
struct sys_exit_args {
	int	rval;
};
struct fork_args {
	register_t dummy;
};
struct read_args {
	int	fd;
	void	*buf;
	size_t	nbyte;
};
struct write_args {
	int	fd;
	const void *buf;
	size_t	nbyte;
};
struct open_args {
	char	*path;
	int	flags;
	int	mode;
};
struct close_args {
	int	fd;
};
struct wait_args {
	int	pid;
	int	*status;
	int	options;
	struct	rusage *rusage;
};
struct unlink_args {
	char	*path;
};
struct chdir_args {
	char	*path;
};
struct obreak_args {
	char	*nsize;
};
struct getpid_args {
	register_t dummy;
};
struct kill_args {
	int	pid;
	int	signum;
};
struct getppid_args {
	register_t dummy;
};
struct pipe_args {
	register_t dummy;
};
struct reboot_args {
	int	opt;
};
struct execve_args {
	char	*fname;
	char	**argv;
	char	**envv;
};
struct dup2_args {
	u_int	from;
	u_int	to;
};
struct rename_args {
	char	*from;
	char	*to;
};
struct mkdir_args {
	char	*path;
	int	mode;
};
struct chmod_args {
	char	*path;
	int	mode;
};
struct readlink_args {
	char	*path;
	char	*buf;
	int	count;
};
struct lstat_args {
	char	*path;
	struct	stat *ub;
};
struct rmdir_args {
	char	*path;
};
struct fsync_args {
	int	fd;
};
struct symlink_args {
	char	*path;
	char	*link;
};
struct mount_args {
	char	*type;
	char	*path;
	int	flags;
	caddr_t	data;
};
struct unmount_args {
	char	*path;
	int	flags;
};
struct stat_args {
	char	*path;
	struct	stat *ub;
};
struct fstat_args {
	int	fd;
	struct	stat *sb;
};
struct __getrlimit_args {
	u_int	which;
	struct	rlimit *rlp;
};
struct __setrlimit_args {
	u_int	which;
	struct	rlimit *rlp;
};
struct getdirentries_args {
	int	fd;
	char	*buf;
	u_int	count;
	long	*basep;
};
struct lseek_args {
	int	fd;
	int	pad;
	off_t	offset;
	int	whence;
};
struct truncate_args {
	char	*path;
	int	pad;
	off_t	length;
};
struct ftruncate_args {
	int	fd;
	int	pad;
	off_t	length;
};

int	nosys __P((struct proc *, struct nosys_args *));
int	sys_exit __P((struct proc *, struct sys_exit_args *)) __dead2;
int	fork __P((struct proc *, struct fork_args *));
int	read __P((struct proc *, struct read_args *));
int	write __P((struct proc *, struct write_args *));
int	open __P((struct proc *, struct open_args *));
int	close __P((struct proc *, struct close_args *));
int	wait4 __P((struct proc *, struct wait_args *));
int	unlink __P((struct proc *, struct unlink_args *));
int	chdir __P((struct proc *, struct chdir_args *));
int	obreak __P((struct proc *, struct obreak_args *));
int	getpid __P((struct proc *, struct getpid_args *));
int	kill __P((struct proc *, struct kill_args *));
int	getppid __P((struct proc *, struct getppid_args *));
int	pipe __P((struct proc *, struct pipe_args *));
int	reboot __P((struct proc *, struct reboot_args *));
int	execve __P((struct proc *, struct execve_args *));
int	dup2 __P((struct proc *, struct dup2_args *));
int	rename __P((struct proc *, struct rename_args *));
int	mkdir __P((struct proc *, struct mkdir_args *));
int	chmod __P((struct proc *, struct chmod_args *));
int	readlink __P((struct proc *, struct readlink_args *));
int	lstat __P((struct proc *, struct lstat_args *));
int	rmdir __P((struct proc *, struct rmdir_args *));
int	fsync __P((struct proc *, struct fsync_args *));
int	symlink __P((struct proc *, struct symlink_args *));
int	mount __P((struct proc *, struct mount_args *));
int	unmount __P((struct proc *, struct unmount_args *));
int	stat __P((struct proc *, struct stat_args *));
int	fstat __P((struct proc *, struct fstat_args *));
int	getrlimit __P((struct proc *, struct __getrlimit_args *));
int	setrlimit __P((struct proc *, struct __setrlimit_args *));
int	getdirentries __P((struct proc *, struct getdirentries_args *));
int	lseek __P((struct proc *, struct lseek_args *));
int	truncate __P((struct proc *, struct truncate_args *));
int	ftruncate __P((struct proc *, struct ftruncate_args *));

#endif /* !_SYS_SYSPROTO_H_ */
