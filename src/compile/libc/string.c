/* xenoport libc: string functions, byte at a time (simple and obviously right). */
#include <string.h>

size_t
strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return (p - s);
}

int
strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (*(const unsigned char *)a - *(const unsigned char *)b);
}

int
strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b)
			return (*(const unsigned char *)a - *(const unsigned char *)b);
		if (*a == 0)
			return (0);
	}
	return (0);
}

char *
strcpy(char *d, const char *s)
{
	char *r = d;

	while ((*d++ = *s++) != 0)
		;
	return (r);
}

char *
strncpy(char *d, const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && s[i]; i++)
		d[i] = s[i];
	for (; i < n; i++)
		d[i] = 0;
	return (d);
}

char *
strcat(char *d, const char *s)
{
	strcpy(d + strlen(d), s);
	return (d);
}

char *
strncat(char *d, const char *s, size_t n)
{
	char *p = d + strlen(d);

	while (n-- > 0 && *s)
		*p++ = *s++;
	*p = 0;
	return (d);
}

char *
strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return ((char *)s);
		if (*s == 0)
			return (NULL);
	}
}

char *
strrchr(const char *s, int c)
{
	const char *r = NULL;

	for (;; s++) {
		if (*s == (char)c)
			r = s;
		if (*s == 0)
			return ((char *)r);
	}
}

char *
strstr(const char *h, const char *n)
{
	size_t len = strlen(n);

	for (; *h; h++)
		if (strncmp(h, n, len) == 0)
			return ((char *)h);
	return (len == 0 ? (char *)h : NULL);
}

void *
memcpy(void *d, const void *s, size_t n)
{
	char *dp = d;
	const char *sp = s;

	while (n >= 4) {
		*(unsigned int *)dp = *(const unsigned int *)sp;
		dp += 4;
		sp += 4;
		n -= 4;
	}
	while (n-- > 0)
		*dp++ = *sp++;
	return (d);
}

void *
memmove(void *d, const void *s, size_t n)
{
	char *dp = d;
	const char *sp = s;

	if (dp <= sp || dp >= sp + n)
		return (memcpy(d, s, n));
	while (n-- > 0)
		dp[n] = sp[n];
	return (d);
}

void *
memset(void *d, int c, size_t n)
{
	unsigned char *p = d;
	unsigned int w = (unsigned char)c;

	w |= w << 8;
	w |= w << 16;
	while (n >= 4) {
		*(unsigned int *)p = w;
		p += 4;
		n -= 4;
	}
	while (n-- > 0)
		*p++ = (unsigned char)c;
	return (d);
}

int
memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *p = a, *q = b;

	for (; n > 0; n--, p++, q++)
		if (*p != *q)
			return (*p - *q);
	return (0);
}

void *
memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n > 0; n--, p++)
		if (*p == (unsigned char)c)
			return ((void *)p);
	return (NULL);
}
