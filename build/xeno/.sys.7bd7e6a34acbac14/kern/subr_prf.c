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
 * printf and friends.  kvprintf() formats through a putchar function;
 * printf() sends each character to the console and the message buffer.
 *
 * Formats: %d %i %u %x %X %o %c %s %p %b %%, with the l and ll (q)
 * length modifiers, the flags - 0 # and a width (or *).  %b prints a
 * bit field: the value, then the names of its set bits from a string
 * whose first character is the output base and whose other runs are a
 * bit number (1-based, as a character) followed by the bit's name.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cons.h>
#include <sys/msgbuf.h>

#include <machine/stdarg.h>

#define	TOCONS	0x01
#define	TOLOG	0x04

/* Max number conversion buffer length: a u_quad_t in base 2, plus NUL byte. */
#define	MAXNBUF	(sizeof(u_int64_t) * 8 + 1)

struct snprintf_arg {
	char	*str;
};

int	msgbufmapped;
static const char hex2ascii_data[] = "0123456789abcdefghijklmnopqrstuvwxyz";

#define	hex2ascii(hex)	(hex2ascii_data[hex])

static void putchar __P((int ch, void *arg));
static void snprintf_func __P((int ch, void *arg));
static char *ksprintn __P((char *nbuf, u_int64_t num, int base, int *len));

/*
 * Divide a 64-bit number by a small base without the compiler's
 * run-time library: binary long division.
 */
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

/*
 * Put a NUL-terminated ASCII number (base <= 36) in a buffer in reverse
 * order; return an optional length and a pointer to the last character
 * written in the buffer (i.e., the first character of the string).
 * The buffer pointed to by `nbuf' must have length >= MAXNBUF.
 */
static char *
ksprintn(nbuf, num, base, lenp)
	char *nbuf;
	u_int64_t num;
	int base;
	int *lenp;
{
	char *p;
	u_int rem, n32;

	p = nbuf;
	*p = '\0';
	if ((num >> 32) == 0) {
		/* The common case needs only 32-bit division. */
		n32 = (u_int)num;
		do {
			*++p = hex2ascii(n32 % base);
		} while (n32 /= base);
	} else {
		do {
			num = qdivrem(num, base, &rem);
			*++p = hex2ascii(rem);
		} while (num != 0);
	}
	if (lenp)
		*lenp = p - nbuf;
	return (p);
}

/*
 * Scaled down version of printf(3).
 */
int
kvprintf(fmt, func, arg, radix, ap)
	char const *fmt;
	void (*func) __P((int, void *));
	void *arg;
	int radix;
	va_list ap;
{
#define	PCHAR(c) {int cc=(c); (*func)(cc, arg); retval++; }
	char nbuf[MAXNBUF];
	char *p, *q;
	const char *bits;
	u_char ch;
	u_int64_t num;
	int base, lflag, qflag, tmp, width, ladjust, sharpflag, neg, sign, dot;
	int dwidth, n;
	char padc;
	int retval;

	num = 0;
	retval = 0;

	for (;;) {
		padc = ' ';
		width = 0;
		while ((ch = (u_char)*fmt++) != '%') {
			if (ch == '\0')
				return (retval);
			PCHAR(ch);
		}
		qflag = 0; lflag = 0; ladjust = 0; sharpflag = 0; neg = 0;
		sign = 0; dot = 0; dwidth = 0;
reswitch:	switch (ch = (u_char)*fmt++) {
		case '.':
			dot = 1;
			goto reswitch;
		case '#':
			sharpflag = 1;
			goto reswitch;
		case '+':
			sign = 1;
			goto reswitch;
		case '-':
			ladjust = 1;
			goto reswitch;
		case '%':
			PCHAR(ch);
			break;
		case '*':
			if (!dot) {
				width = va_arg(ap, int);
				if (width < 0) {
					ladjust = !ladjust;
					width = -width;
				}
			} else {
				dwidth = va_arg(ap, int);
			}
			goto reswitch;
		case '0':
			if (!dot) {
				padc = '0';
				goto reswitch;
			}
			/* FALLTHROUGH */
		case '1': case '2': case '3': case '4':
		case '5': case '6': case '7': case '8': case '9':
			for (n = 0;; ++fmt) {
				n = n * 10 + ch - '0';
				ch = *fmt;
				if (ch < '0' || ch > '9')
					break;
			}
			if (dot)
				dwidth = n;
			else
				width = n;
			goto reswitch;
		case 'b':
			num = va_arg(ap, u_int);
			bits = va_arg(ap, char *);
			base = *bits++;
			for (q = ksprintn(nbuf, num, base, NULL); *q;)
				PCHAR(*q--);

			if (num == 0)
				break;

			for (tmp = 0; *bits;) {
				n = *bits++;
				if (num & (1 << (n - 1))) {
					PCHAR(tmp ? ',' : '<');
					for (; (n = *bits) > ' '; ++bits)
						PCHAR(n);
					tmp = 1;
				} else
					for (; *bits > ' '; ++bits)
						continue;
			}
			if (tmp)
				PCHAR('>');
			break;
		case 'c':
			PCHAR(va_arg(ap, int));
			break;
		case 'd':
		case 'i':
			if (qflag)
				num = va_arg(ap, int64_t);
			else if (lflag)
				num = va_arg(ap, long);
			else
				num = va_arg(ap, int);
			base = 10;
			if ((int64_t)num < 0) {
				neg = 1;
				num = -(int64_t)num;
			}
			goto number;
		case 'l':
			if (lflag) {
				lflag = 0;
				qflag = 1;
			} else
				lflag = 1;
			goto reswitch;
		case 'q':
			qflag = 1;
			goto reswitch;
		case 'o':
			base = 8;
			goto handle_nosign;
		case 'p':
			base = 16;
			sharpflag = (width == 0);
			num = (u_int)va_arg(ap, void *);
			goto number;
		case 's':
			p = va_arg(ap, char *);
			if (p == NULL)
				p = "(null)";
			if (!dot)
				n = strlen(p);
			else
				for (n = 0; n < dwidth && p[n]; n++)
					continue;

			width -= n;

			if (!ladjust && width > 0)
				while (width--)
					PCHAR(padc);
			while (n--)
				PCHAR(*p++);
			if (ladjust && width > 0)
				while (width--)
					PCHAR(padc);
			break;
		case 'u':
			base = 10;
			goto handle_nosign;
		case 'X':
		case 'x':
			base = 16;
			goto handle_nosign;
handle_nosign:
			if (qflag)
				num = va_arg(ap, u_int64_t);
			else if (lflag)
				num = va_arg(ap, u_long);
			else
				num = va_arg(ap, u_int);
			goto number;
number:
			if (sign && (int64_t)num < 0) {
				neg = 1;
				num = -(int64_t)num;
			}
			p = ksprintn(nbuf, num, base, &tmp);
			if (sharpflag && num != 0) {
				if (base == 8)
					tmp++;
				else if (base == 16)
					tmp += 2;
			}
			if (neg)
				tmp++;

			if (!ladjust && width && (width -= tmp) > 0 && padc == ' ')
				while (width--)
					PCHAR(padc);
			if (neg)
				PCHAR('-');
			if (sharpflag && num != 0) {
				if (base == 8) {
					PCHAR('0');
				} else if (base == 16) {
					PCHAR('0');
					PCHAR('x');
				}
			}
			if (!ladjust && width > 0 && padc == '0')
				while (width--)
					PCHAR(padc);

			while (*p)
				PCHAR(*p--);

			if (ladjust && width && (width -= tmp) > 0)
				while (width--)
					PCHAR(padc);

			break;
		default:
			PCHAR('%');
			if (lflag)
				PCHAR('l');
			PCHAR(ch);
			break;
		}
	}
#undef PCHAR
}

/*
 * Print a character on the console and into the message buffer.
 */
static void
putchar(c, arg)
	int c;
	void *arg;
{
	int flags;

	flags = *(int *)arg;
	if ((flags & TOLOG) && msgbufmapped)
		msgaddchar(c);
	if (flags & TOCONS)
		cnputc(c);
}

int
printf(const char *fmt, ...)
{
	va_list ap;
	int retval;

	va_start(ap, fmt);
	retval = vprintf(fmt, ap);
	va_end(ap);
	return (retval);
}

int
vprintf(const char *fmt, va_list ap)
{
	int flags;

	flags = TOCONS | TOLOG;
	return (kvprintf(fmt, putchar, &flags, 10, ap));
}

static void
snprintf_func(ch, arg)
	int ch;
	void *arg;
{
	struct snprintf_arg *const info = arg;

	*info->str++ = ch;
}

int
sprintf(char *buf, const char *cfmt, ...)
{
	struct snprintf_arg info;
	va_list ap;
	int retval;

	info.str = buf;
	va_start(ap, cfmt);
	retval = kvprintf(cfmt, snprintf_func, &info, 10, ap);
	va_end(ap);
	buf[retval] = '\0';
	return (retval);
}

/*
 * The message buffer: a struct msgbuf at the start of the area, the ring
 * after it.
 */
void
msgbufinit(ptr, size)
	void *ptr;
	size_t size;
{
	struct msgbuf *mbp;

	mbp = ptr;
	mbp->msg_magic = MSG_MAGIC;
	mbp->msg_size = size - sizeof(*mbp);
	mbp->msg_bufx = 0;
	mbp->msg_bufr = 0;
	mbp->msg_ptr = (char *)(mbp + 1);
	msgbufmapped = 1;
}

void
msgaddchar(c)
	int c;
{
	struct msgbuf *mbp;

	mbp = msgbufp;
	mbp->msg_ptr[mbp->msg_bufx++] = c;
	if (mbp->msg_bufx >= mbp->msg_size)
		mbp->msg_bufx = 0;
	/* If the buffer is full, keep the most recent data. */
	if (mbp->msg_bufr == mbp->msg_bufx) {
		if (++mbp->msg_bufr >= mbp->msg_size)
			mbp->msg_bufr = 0;
	}
}
