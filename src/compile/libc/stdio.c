/*
 * xenoport libc: formatted output. One formatting engine (format()) writes through a
 * sink that either fills a caller's buffer (sprintf family, always NUL-terminated
 * within its size) or a file descriptor's buffer. stdout is fully buffered and
 * flushed when full, on fflush and on exit; stderr is written at the end of each call.
 * Input: getchar/fgetc/fgets read stdin through a small buffer.
 * Conversions: d i u x X o c s p %, flags - 0 + space #, width and precision (or *),
 * length modifiers hh h l ll z j t.
 */
#include <stdio.h>
#include <string.h>
#include "xeno.h"

struct sink {
	char	*buf;		/* buffer mode: the caller's buffer */
	size_t	 cap;		/* buffer mode: its size */
	size_t	 len;		/* characters produced so far */
	int	 fd;		/* -1: buffer mode */
	char	 tmp[128];	/* fd mode: pending bytes */
	int	 ntmp;
};

static FILE stdin_file = { 0 };
static FILE stdout_file = { 1 };
static FILE stderr_file = { 2 };
FILE *stdin = &stdin_file;
FILE *stdout = &stdout_file;
FILE *stderr = &stderr_file;

static char outbuf[4096];
static int outlen;

void
__xeno_flush_stdout(void)
{
	if (outlen > 0)
		__xeno_write(1, outbuf, outlen);
	outlen = 0;
}

static void
fd_write(int fd, const char *p, int n)
{
	if (fd == 1) {
		if (outlen + n > (int)sizeof(outbuf))
			__xeno_flush_stdout();
		if (n > (int)sizeof(outbuf)) {
			__xeno_write(1, p, n);
			return;
		}
		memcpy(outbuf + outlen, p, n);
		outlen += n;
		return;
	}
	__xeno_flush_stdout();
	__xeno_write(fd, p, n);
}

static void
put(struct sink *s, int c)
{
	if (s->fd < 0) {
		if (s->len + 1 < s->cap)
			s->buf[s->len] = (char)c;
	} else {
		s->tmp[s->ntmp++] = (char)c;
		if (s->ntmp == (int)sizeof(s->tmp)) {
			fd_write(s->fd, s->tmp, s->ntmp);
			s->ntmp = 0;
		}
	}
	s->len++;
}

static void
pad(struct sink *s, int c, int n)
{
	while (n-- > 0)
		put(s, c);
}

static void
finish(struct sink *s)
{
	if (s->fd < 0) {
		if (s->cap > 0)
			s->buf[s->len < s->cap ? s->len : s->cap - 1] = 0;
	} else if (s->ntmp > 0) {
		fd_write(s->fd, s->tmp, s->ntmp);
		s->ntmp = 0;
	}
}

#define F_MINUS	0x01
#define F_ZERO	0x02
#define F_PLUS	0x04
#define F_SPACE	0x08
#define F_ALT	0x10

/* Writes an integer; digits are built backwards in a small buffer. */
static void
number(struct sink *s, unsigned long long v, int neg, int base, int upper,
    int flags, int width, int prec, int conv)
{
	char digits[24];
	const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char prefix[3];
	int nd = 0, np = 0, zeros, total;
	unsigned int v32;

	if (v <= 0xffffffffULL) {
		v32 = (unsigned int)v;
		while (v32 != 0) {
			digits[nd++] = set[v32 % base];
			v32 /= base;
		}
	} else {
		while (v != 0) {
			digits[nd++] = set[v % base];
			v /= base;
		}
	}
	if (prec < 0 && nd == 0)
		digits[nd++] = '0';
	if (neg)
		prefix[np++] = '-';
	else if (flags & F_PLUS)
		prefix[np++] = '+';
	else if (flags & F_SPACE)
		prefix[np++] = ' ';
	if ((flags & F_ALT) && base == 16 && nd > 0 &&
	    !(nd == 1 && digits[0] == '0') || conv == 'p') {
		prefix[np++] = '0';
		prefix[np++] = upper ? 'X' : 'x';
	}
	zeros = prec > nd ? prec - nd : 0;
	if ((flags & F_ALT) && base == 8 && zeros == 0 &&
	    (nd == 0 || digits[nd - 1] != '0'))
		zeros = 1;
	total = np + zeros + nd;
	if ((flags & F_ZERO) && !(flags & F_MINUS) && prec < 0 && width > total) {
		zeros += width - total;
		total = width;
	}
	if (!(flags & F_MINUS))
		pad(s, ' ', width - total);
	for (int i = 0; i < np; i++)
		put(s, prefix[i]);
	pad(s, '0', zeros);
	while (nd > 0)
		put(s, digits[--nd]);
	if (flags & F_MINUS)
		pad(s, ' ', width - total);
}

static int
format(struct sink *s, const char *fmt, va_list ap)
{
	for (; *fmt; fmt++) {
		int flags = 0, width = 0, prec = -1, lng = 0;
		unsigned long long v;
		int neg;

		if (*fmt != '%') {
			put(s, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-') flags |= F_MINUS;
			else if (*fmt == '0') flags |= F_ZERO;
			else if (*fmt == '+') flags |= F_PLUS;
			else if (*fmt == ' ') flags |= F_SPACE;
			else if (*fmt == '#') flags |= F_ALT;
			else break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				flags |= F_MINUS;
				width = -width;
			}
			fmt++;
		} else
			while (*fmt >= '0' && *fmt <= '9')
				width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			fmt++;
			prec = 0;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			} else
				while (*fmt >= '0' && *fmt <= '9')
					prec = prec * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l') lng++;
			else if (*fmt == 'h' || *fmt == 'z' || *fmt == 't') ;
			else if (*fmt == 'j') lng = 2;
			else break;
		}
		switch (*fmt) {
		case 'd':
		case 'i':
			if (lng >= 2) {
				long long x = va_arg(ap, long long);
				neg = x < 0;
				v = neg ? -(unsigned long long)x : (unsigned long long)x;
			} else {
				int x = va_arg(ap, int);
				neg = x < 0;
				v = neg ? -(unsigned int)x : (unsigned int)x;
			}
			number(s, v, neg, 10, 0, flags, width, prec, 'd');
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			if (lng >= 2)
				v = va_arg(ap, unsigned long long);
			else
				v = va_arg(ap, unsigned int);
			number(s, v, 0, *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16,
			    *fmt == 'X', flags & ~(F_PLUS | F_SPACE), width, prec, *fmt);
			break;
		case 'p': {
			void *p = va_arg(ap, void *);
			if (p == NULL) {
				const char *nil = "(nil)";
				if (!(flags & F_MINUS))
					pad(s, ' ', width - 5);
				while (*nil)
					put(s, *nil++);
				if (flags & F_MINUS)
					pad(s, ' ', width - 5);
			} else
				number(s, (unsigned int)p, 0, 16, 0, flags, width, prec, 'p');
			break;
		}
		case 'c':
			if (!(flags & F_MINUS))
				pad(s, ' ', width - 1);
			put(s, va_arg(ap, int));
			if (flags & F_MINUS)
				pad(s, ' ', width - 1);
			break;
		case 's': {
			const char *str = va_arg(ap, const char *);
			int n = 0;
			if (str == NULL)
				str = "(null)";
			while (str[n] && (prec < 0 || n < prec))
				n++;
			if (!(flags & F_MINUS))
				pad(s, ' ', width - n);
			for (int i = 0; i < n; i++)
				put(s, str[i]);
			if (flags & F_MINUS)
				pad(s, ' ', width - n);
			break;
		}
		case '%':
			put(s, '%');
			break;
		case 0:
			fmt--;
			break;
		default:
			put(s, '%');
			put(s, *fmt);
			break;
		}
	}
	finish(s);
	return ((int)s->len);
}

int
vsnprintf(char *buf, size_t n, const char *fmt, va_list ap)
{
	struct sink s;

	s.buf = buf;
	s.cap = n;
	s.len = 0;
	s.fd = -1;
	s.ntmp = 0;
	return (format(&s, fmt, ap));
}

int
vsprintf(char *buf, const char *fmt, va_list ap)
{
	return (vsnprintf(buf, 0x7fffffff, fmt, ap));
}

int
vfprintf(FILE *f, const char *fmt, va_list ap)
{
	struct sink s;

	s.buf = NULL;
	s.cap = 0;
	s.len = 0;
	s.fd = f->fd;
	s.ntmp = 0;
	return (format(&s, fmt, ap));
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
fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vfprintf(f, fmt, ap);
	va_end(ap);
	return (r);
}

int
sprintf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, 0x7fffffff, fmt, ap);
	va_end(ap);
	return (r);
}

int
snprintf(char *buf, size_t n, const char *fmt, ...)
{
	va_list ap;
	int r;

	va_start(ap, fmt);
	r = vsnprintf(buf, n, fmt, ap);
	va_end(ap);
	return (r);
}

int
fputc(int c, FILE *f)
{
	char ch = (char)c;

	fd_write(f->fd, &ch, 1);
	return ((unsigned char)c);
}

int
putc(int c, FILE *f)
{
	return (fputc(c, f));
}

int
putchar(int c)
{
	if (outlen == (int)sizeof(outbuf))
		__xeno_flush_stdout();
	outbuf[outlen++] = (char)c;
	return ((unsigned char)c);
}

int
fputs(const char *s, FILE *f)
{
	fd_write(f->fd, s, (int)strlen(s));
	return (0);
}

int
puts(const char *s)
{
	fputs(s, stdout);
	putchar('\n');
	return (0);
}

int
fflush(FILE *f)
{
	(void)f;
	__xeno_flush_stdout();
	return (0);
}

static char inbuf[512];
static int inpos, inlen;

int
fgetc(FILE *f)
{
	if (f->fd != 0)
		return (EOF);
	if (inpos == inlen) {
		__xeno_flush_stdout();
		inlen = __xeno_read(0, inbuf, (int)sizeof(inbuf));
		inpos = 0;
		if (inlen <= 0) {
			inlen = 0;
			return (EOF);
		}
	}
	return ((unsigned char)inbuf[inpos++]);
}

int
getc(FILE *f)
{
	return (fgetc(f));
}

int
getchar(void)
{
	return (fgetc(stdin));
}

char *
fgets(char *buf, int n, FILE *f)
{
	int i = 0, c;

	while (i + 1 < n) {
		c = fgetc(f);
		if (c == EOF)
			break;
		buf[i++] = (char)c;
		if (c == '\n')
			break;
	}
	if (i == 0)
		return (NULL);
	buf[i] = 0;
	return (buf);
}
