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
 * The kernel side of signals: the default action of each signal and the
 * functions of kern_sig.c.
 */

#ifndef _SYS_SIGNALVAR_H_
#define	_SYS_SIGNALVAR_H_

#include <sys/signal.h>

/* Properties of each signal's default action, as FreeBSD's sigprop[]. */
#define	SA_KILL		0x01	/* terminates process by default */
#define	SA_CORE		0x02	/* ditto and coredumps */
#define	SA_STOP		0x04	/* suspend process */
#define	SA_TTYSTOP	0x08	/* ditto, from tty */
#define	SA_IGNORE	0x10	/* ignore by default */
#define	SA_CONT		0x20	/* continue if suspended */
#define	SA_CANTMASK	0x40	/* non-maskable, catchable */

#ifdef _KERNEL
struct proc;

extern int sigprop[NSIG];

int	CURSIG __P((struct proc *p));
void	psignal __P((struct proc *p, int sig));
void	trapsignal __P((struct proc *p, int sig, u_long code));
void	postsig __P((int sig)) __dead2;
void	sigexit __P((struct proc *p, int sig)) __dead2;
void	killproc __P((struct proc *p, const char *why));
#endif

#endif /* !_SYS_SIGNALVAR_H_ */
