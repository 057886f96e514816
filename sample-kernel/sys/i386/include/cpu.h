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
 * Machine-dependent scheduling glue: the asynchronous system trap (AST)
 * that the return to user mode checks, set by need_resched() when the
 * clock ends a time slice and by signotify() when a signal is posted.
 */

#ifndef _MACHINE_CPU_H_
#define	_MACHINE_CPU_H_

#include <machine/psl.h>
#include <machine/segments.h>

/* Whether a trap or interrupt frame came from user mode. */
#define	TRAPF_USERMODE(framep)	(ISPL((framep)->tf_cs) == SEL_UPL)

#define	need_resched()	do { want_resched = 1; astpending = 1; } while (0)
#define	signotify(p)	do { astpending = 1; } while (0)

#ifdef _KERNEL
extern	int	astpending;	/* an AST is due at the return to user mode */
extern	int	want_resched;	/* the running process should give up the CPU */
#endif

#endif /* !_MACHINE_CPU_H_ */
