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
 * The system calls whose stubs need nothing beyond the trap itself: the
 * result is in %eax (and %edx for lseek's 64-bit offset).
 */

#include "SYS.h"

RSYSCALL2(_exit, exit)
RSYSCALL(read)
RSYSCALL(write)
RSYSCALL(open)
RSYSCALL(close)
RSYSCALL(wait4)
RSYSCALL(unlink)
RSYSCALL(chdir)
RSYSCALL2(__sys_break, break)
RSYSCALL(getpid)
RSYSCALL(kill)
RSYSCALL(getppid)
RSYSCALL(reboot)
RSYSCALL(execve)
RSYSCALL(dup2)
RSYSCALL(rename)
RSYSCALL(mkdir)
RSYSCALL(stat)
RSYSCALL(fstat)
RSYSCALL(getrlimit)
RSYSCALL(setrlimit)
RSYSCALL(getdirentries)
RSYSCALL(rmdir)
RSYSCALL(fsync)
RSYSCALL(symlink)
RSYSCALL(mount)
RSYSCALL(unmount)
RSYSCALL(readlink)
RSYSCALL(lstat)
RSYSCALL(chmod)
RSYSCALL2(__sys_lseek, lseek)
RSYSCALL2(__sys_truncate, truncate)
RSYSCALL2(__sys_ftruncate, ftruncate)
