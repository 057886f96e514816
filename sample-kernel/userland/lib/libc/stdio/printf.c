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
 * Formatted output: %d %i %u %x %X %o %c %s %p %%, the flags - 0 + and
 * space, a width and a precision (or *), and the l, ll and z length
 * modifiers.  64-bit numbers are divided by hand, so that no compiler
 * run-time library is needed.  The standard output is flushed at each
 * newline; the standard error is written at once.
 */

#include <sys/types.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static FILE	__sF[2] = {
	{ 1, __SLBF, 0, { 0 } },
	{ 2, __SNBF, 0, { 0 } }
};

FILE	*stdout = &__sF[0];
FILE	*stderr = &__sF[1];

struct snarg {
	char	*str;
	size_t	remain;
};

static u_int64_t
qdivrem(u_int64_t num, u_int base, u_int *rem)
{
	u_int64_t quot;
	u_int r;
	int i;

	quot = 0;
	r = 0;
	for (i = 63; i >= 0; i--) {
		r = (r << 1) | (u_int)((num >> i) & 1);
		quot <<= 1;
		if (r >= base) {
			r -= base;
			quot |= 1;
		}
	}
	*rem = r;
	return (quot);
}

/* The digits of num in base, last first; returns their count. */
static int
ksprintn(char *buf, u_int64_t num, int base, int upper)
{
	const char *digits;
	u_int rem, n32;
	int n;

	digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	n = 0;
	if ((num >> 32) == 0) {
		n32 = (u_int)num;
		do {
			buf[n++] = digits[n32 % base];
		} while (n32 /= base);
	} else {
		do {
			num = qdivrem(num, base, &rem);
			buf[n++] = digits[rem];
		} while (num != 0);
	}
	return (n);
}

/*
 * The formatter: each output character goes to put(c, arg); returns the
 * number of characters.
 */
static int
doprnt(void (*put)(int, void *), void *arg, const char *fmt, va_list ap)
{
	char nbuf[66];
	const char *s;
	u_int64_t num;
	int64_t snum;
	int c, n, width, prec, ladjust, zero, plus, space, lflag, neg;
	int base, upper, len, total, i, pad;

	total = 0;
	for (; *fmt != '\0'; fmt++) {
		if (*fmt != '%') {
			put(*fmt, arg);
			total++;
			continue;
		}
		fmt++;
		ladjust = zero = plus = space = lflag = 0;
		width = 0;
		prec = -1;
		for (;; fmt++) {
			if (*fmt == '-')
				ladjust = 1;
			else if (*fmt == '0')
				zero = 1;
			else if (*fmt == '+')
				plus = 1;
			else if (*fmt == ' ')
				space = 1;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				ladjust = 1;
				width = -width;
			}
			fmt++;
		} else
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + *fmt++ - '0';
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + *fmt++ - '0';
		}
		for (;; fmt++) {
			if (*fmt == 'l')
				lflag++;
			else if (*fmt == 'z' || *fmt == 'h')
				continue;
			else
				break;
		}
		c = *fmt;
		if (c == '\0')
			break;
		neg = 0;
		upper = 0;
		base = 10;
		switch (c) {
		case 'c':
			nbuf[0] = (char)va_arg(ap, int);
			s = nbuf;
			len = 1;
			goto string;
		case 's':
			s = va_arg(ap, const char *);
			if (s == NULL)
				s = "(null)";
			for (len = 0; s[len] != '\0' && (prec < 0 || len < prec);
			    len++)
				continue;
string:
			pad = width > len ? width - len : 0;
			if (!ladjust)
				for (i = 0; i < pad; i++)
					put(' ', arg);
			for (i = 0; i < len; i++)
				put(s[i], arg);
			if (ladjust)
				for (i = 0; i < pad; i++)
					put(' ', arg);
			total += len + pad;
			continue;
		case 'd':
		case 'i':
			if (lflag >= 2)
				snum = va_arg(ap, int64_t);
			else
				snum = va_arg(ap, int);
			if (snum < 0) {
				neg = 1;
				snum = -snum;
			}
			num = snum;
			break;
		case 'o':
			base = 8;
			goto unsigned_number;
		case 'p':
			base = 16;
			num = (u_int)va_arg(ap, void *);
			plus = space = 0;
			nbuf[0] = 0;
			n = ksprintn(nbuf, num, base, 0);
			nbuf[n++] = 'x';
			nbuf[n++] = '0';
			goto digits;
		case 'X':
			upper = 1;
			/* FALLTHROUGH */
		case 'x':
			base = 16;
			/* FALLTHROUGH */
		case 'u':
unsigned_number:
			if (lflag >= 2)
				num = va_arg(ap, u_int64_t);
			else
				num = va_arg(ap, u_int);
			plus = space = 0;
			break;
		default:
			put('%', arg);
			put(c, arg);
			total += 2;
			continue;
		}
		n = ksprintn(nbuf, num, base, upper);
		while (n < prec)
			nbuf[n++] = '0';
		if (zero && !ladjust && prec < 0)
			while (n + (neg || plus || space) < width)
				nbuf[n++] = '0';
		if (neg)
			nbuf[n++] = '-';
		else if (plus)
			nbuf[n++] = '+';
		else if (space)
			nbuf[n++] = ' ';
digits:
		pad = width > n ? width - n : 0;
		if (!ladjust)
			for (i = 0; i < pad; i++)
				put(' ', arg);
		for (i = n - 1; i >= 0; i--)
			put(nbuf[i], arg);
		if (ladjust)
			for (i = 0; i < pad; i++)
				put(' ', arg);
		total += n + pad;
	}
	return (total);
}

int
fflush(FILE *fp)
{
	int off, n;

	off = 0;
	while (off < fp->_len) {
		n = write(fp->_file, fp->_buf + off, fp->_len - off);
		if (n <= 0) {
			fp->_len = 0;
			return (EOF);
		}
		off += n;
	}
	fp->_len = 0;
	return (0);
}

int
fputc(int c, FILE *fp)
{
	char ch;

	if (fp->_flags & __SNBF) {
		ch = (char)c;
		return (write(fp->_file, &ch, 1) == 1 ? (c & 0xff) : EOF);
	}
	fp->_buf[fp->_len++] = (char)c;
	if (fp->_len == BUFSIZ || ((fp->_flags & __SLBF) && c == '\n'))
		if (fflush(fp) != 0)
			return (EOF);
	return (c & 0xff);
}

static void
fput(int c, void *arg)
{

	(void)fputc(c, (FILE *)arg);
}

int
vfprintf(FILE *fp, const char *fmt, va_list ap)
{

	return (doprnt(fput, fp, fmt, ap));
}

int
vprintf(const char *fmt, va_list ap)
{

	return (vfprintf(stdout, fmt, ap));
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(stdout, fmt, ap);
	va_end(ap);
	return (r);
}

int
fprintf(FILE *fp, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(fp, fmt, ap);
	va_end(ap);
	return (r);
}

static void
snput(int c, void *arg)
{
	struct snarg *sa;

	sa = arg;
	if (sa->remain > 1) {
		*sa->str++ = (char)c;
		sa->remain--;
	}
}

int
vsnprintf(char *str, size_t size, const char *fmt, va_list ap)
{
	struct snarg sa;
	int r;

	sa.str = str;
	sa.remain = size;
	r = doprnt(snput, &sa, fmt, ap);
	if (size > 0)
		*sa.str = '\0';
	return (r);
}

int
snprintf(char *str, size_t size, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(str, size, fmt, ap);
	va_end(ap);
	return (r);
}

int
sprintf(char *str, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(str, (size_t)-1 >> 1, fmt, ap);
	va_end(ap);
	return (r);
}

int
putchar(int c)
{

	return (fputc(c, stdout));
}

int
fputs(const char *s, FILE *fp)
{

	while (*s != '\0')
		if (fputc(*s++, fp) == EOF)
			return (EOF);
	return (0);
}

int
puts(const char *s)
{

	if (fputs(s, stdout) == EOF)
		return (EOF);
	return (fputc('\n', stdout) == EOF ? EOF : 0);
}
