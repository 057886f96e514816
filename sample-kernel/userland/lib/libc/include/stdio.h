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
 * A small stdio: formatted output to the standard output (buffered a
 * line at a time) and standard error (unbuffered), and into strings.
 */

#ifndef _STDIO_H_
#define	_STDIO_H_

#include <sys/types.h>
#include <stdarg.h>

#define	EOF	(-1)
#define	BUFSIZ	1024

typedef struct __sFILE {
	int	_file;			/* descriptor */
	int	_flags;			/* __SLBF or __SNBF */
	int	_len;			/* bytes in _buf */
	char	_buf[BUFSIZ];
} FILE;

#define	__SLBF	0x0001			/* line buffered */
#define	__SNBF	0x0002			/* unbuffered */

extern FILE	*stdout, *stderr;

int	printf(const char *, ...);
int	fprintf(FILE *, const char *, ...);
int	sprintf(char *, const char *, ...);
int	snprintf(char *, size_t, const char *, ...);
int	vprintf(const char *, va_list);
int	vfprintf(FILE *, const char *, va_list);
int	vsnprintf(char *, size_t, const char *, va_list);
int	putchar(int);
int	fputc(int, FILE *);
int	puts(const char *);
int	fputs(const char *, FILE *);
int	fflush(FILE *);
int	rename(const char *, const char *);

#endif /* !_STDIO_H_ */
