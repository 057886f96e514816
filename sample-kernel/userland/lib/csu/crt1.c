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
 * The C half of program start: find argc, argv and the environment
 * from the stack the kernel built, and run main(), whose result is the
 * exit status.
 *
 * Built by gcc, _start is crt0.S, which hands the address of argc to
 * _start1().  Built by xenoport for its IR engine, _start is here, in
 * FreeBSD 4's crt1.c shape: the kernel enters it as a function whose
 * return-address slot holds argc, so its first parameter is argv[0]
 * (docs/xir-elf.md, "Process entry").  The variable arguments start at
 * argv[1] on the stack itself (xenoport's va_list points into the
 * caller's arguments), which finds argc and argv without taking the
 * address of a parameter, which the compiler may have copied.
 */

#include <stdarg.h>
#include <stdlib.h>

char	**environ;
const char *__progname = "";

int	main(int, char **, char **);
void	_start1(long *ap);
#ifdef __XENOPORT__
void	_start(char *arguments, ...);

void
_start(char *arguments, ...)
{
	va_list ap;

	va_start(ap, arguments);
	_start1((long *)ap - 2);	/* ap is &argv[1]; argc is below argv[0] */
	va_end(ap);
}
#endif

void
_start1(long *ap)
{
	char **argv, **env, *s;
	int argc;

	argc = (int)ap[0];
	argv = (char **)(ap + 1);
	env = argv + argc + 1;
	environ = env;
	if (argc > 0 && argv[0] != NULL) {
		__progname = argv[0];
		for (s = argv[0]; *s != '\0'; s++)
			if (*s == '/')
				__progname = s + 1;
	}
	exit(main(argc, argv, env));
}
