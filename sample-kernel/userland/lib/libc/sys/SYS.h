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
 * The shape of a system call stub, as FreeBSD's lib/libc/i386/SYS.h: the
 * call's number in %eax, int $0x80 with the arguments where the caller
 * left them (on the stack above the return address), and on failure
 * (carry set) a jump to cerror, which sets errno and returns -1.  As in
 * FreeBSD, the conditional branch goes to a local label in front of the
 * stub, which jumps on to cerror.
 */

#include <sys/syscall.h>

#define	ENTRY(x)	.text; .p2align 2; .globl x; .type x,@function; x:
#define	KERNCALL	int $0x80

/* A stub named x for system call SYS_y. */
#define	SYSCALL2(x, y)	2: jmp cerror; ENTRY(x); movl $SYS_##y,%eax; \
			KERNCALL; jb 2b
#define	RSYSCALL2(x, y)	SYSCALL2(x, y); ret

#define	SYSCALL(x)	SYSCALL2(x, x)
#define	RSYSCALL(x)	RSYSCALL2(x, x)
