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
 * lseek, truncate and ftruncate: FreeBSD 4's system calls have a pad word
 * before their 64-bit offset (syscalls.master: lseek(int fd, int pad,
 * off_t offset, int whence), truncate(char *path, int pad, off_t length),
 * ftruncate(int fd, int pad, off_t length)).
 */

#include <sys/types.h>
#include <unistd.h>

off_t	__sys_lseek(int, int, off_t, int);
int	__sys_truncate(const char *, int, off_t);
int	__sys_ftruncate(int, int, off_t);

off_t
lseek(int fd, off_t offset, int whence)
{

	return (__sys_lseek(fd, 0, offset, whence));
}

int
truncate(const char *path, off_t length)
{

	return (__sys_truncate(path, 0, length));
}

int
ftruncate(int fd, off_t length)
{

	return (__sys_ftruncate(fd, 0, length));
}
