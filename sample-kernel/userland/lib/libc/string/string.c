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
 * String and memory functions.
 */

#include <sys/types.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

void *
memcpy(void *dst, const void *src, size_t n)
{
	char *d;
	const char *s;

	d = dst;
	s = src;
	while (n-- > 0)
		*d++ = *s++;
	return (dst);
}

void *
memmove(void *dst, const void *src, size_t n)
{
	char *d;
	const char *s;

	d = dst;
	s = src;
	if (d < s || d >= s + n)
		while (n-- > 0)
			*d++ = *s++;
	else {
		d += n;
		s += n;
		while (n-- > 0)
			*--d = *--s;
	}
	return (dst);
}

void
bcopy(const void *src, void *dst, size_t n)
{

	(void)memmove(dst, src, n);
}

void *
memset(void *b, int c, size_t n)
{
	unsigned char *p;

	p = b;
	while (n-- > 0)
		*p++ = (unsigned char)c;
	return (b);
}

void
bzero(void *b, size_t n)
{

	(void)memset(b, 0, n);
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p, *q;

	p = a;
	q = b;
	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return (*p - *q);
	return (0);
}

size_t
strlen(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++)
		continue;
	return (p - s);
}

int
strcmp(const char *s1, const char *s2)
{

	while (*s1 == *s2++)
		if (*s1++ == '\0')
			return (0);
	return (*(const unsigned char *)s1 - *(const unsigned char *)(s2 - 1));
}

int
strncmp(const char *s1, const char *s2, size_t n)
{

	for (; n > 0; n--, s1++, s2++) {
		if (*s1 != *s2)
			return (*(const unsigned char *)s1 -
			    *(const unsigned char *)s2);
		if (*s1 == '\0')
			break;
	}
	return (0);
}

char *
strcpy(char *dst, const char *src)
{
	char *d;

	for (d = dst; (*d = *src) != '\0'; d++, src++)
		continue;
	return (dst);
}

char *
strncpy(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i] != '\0'; i++)
		dst[i] = src[i];
	for (; i < n; i++)
		dst[i] = '\0';
	return (dst);
}

char *
strchr(const char *p, int ch)
{

	for (;; ++p) {
		if (*p == (char)ch)
			return ((char *)p);
		if (*p == '\0')
			return (NULL);
	}
}

char *
strrchr(const char *p, int ch)
{
	const char *save;

	for (save = NULL;; ++p) {
		if (*p == (char)ch)
			save = p;
		if (*p == '\0')
			return ((char *)save);
	}
}

char *
strerror(int num)
{
	static char buf[32];

	switch (num) {
	case EPERM:	return ("Operation not permitted");
	case ENOENT:	return ("No such file or directory");
	case ESRCH:	return ("No such process");
	case EINTR:	return ("Interrupted system call");
	case EIO:	return ("Input/output error");
	case E2BIG:	return ("Argument list too long");
	case ENOEXEC:	return ("Exec format error");
	case EBADF:	return ("Bad file descriptor");
	case ECHILD:	return ("No child processes");
	case ENOMEM:	return ("Cannot allocate memory");
	case EACCES:	return ("Permission denied");
	case EFAULT:	return ("Bad address");
	case EEXIST:	return ("File exists");
	case ENOTDIR:	return ("Not a directory");
	case EISDIR:	return ("Is a directory");
	case EINVAL:	return ("Invalid argument");
	case EMFILE:	return ("Too many open files");
	case ESPIPE:	return ("Illegal seek");
	case EROFS:	return ("Read-only file system");
	case EPIPE:	return ("Broken pipe");
	case ENAMETOOLONG: return ("File name too long");
	case ENOSYS:	return ("Function not implemented");
	}
	snprintf(buf, sizeof(buf), "Unknown error: %d", num);
	return (buf);
}
