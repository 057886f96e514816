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
 * Kernel-wide declarations: printf, panic, the copy and clear routines.
 */

#ifndef _SYS_SYSTM_H_
#define	_SYS_SYSTM_H_

#include <machine/stdarg.h>

extern	int	cold;		/* nonzero while the system is booting */
extern	const char copyright[];	/* system copyright */
extern	const char version[];	/* system version */
extern	int	bootverbose;	/* nonzero to print extra boot messages */

void	panic __P((const char *, ...)) __dead2;
int	printf __P((const char *, ...));
int	vprintf __P((const char *, va_list));
int	sprintf __P((char *buf, const char *, ...));
int	kvprintf __P((const char *, void (*)(int, void *), void *, int,
	    va_list));
char	*getenv __P((const char *name));
int	getenv_int __P((const char *name, int *data));
void	init_static_kenv __P((const char *cmdline));
extern	char	*kern_envp;

void	bzero __P((void *buf, size_t len));
void	bcopy __P((const void *from, void *to, size_t len));
int	bcmp __P((const void *, const void *, size_t));
size_t	strlen __P((const char *));
int	strcmp __P((const char *, const char *));
int	strncmp __P((const char *, const char *, size_t));
char	*strchr __P((const char *, int));

#define	KASSERT(exp, msg) do {						\
	if (!(exp))							\
		panic msg;						\
} while (0)

#endif /* !_SYS_SYSTM_H_ */
