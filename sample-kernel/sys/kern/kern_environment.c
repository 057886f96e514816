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
 * The kernel environment: name=value strings from the boot loader.
 * FreeBSD's loader passes a block of NUL-terminated strings ending in an
 * empty one; this kernel builds that block from the multiboot command
 * line, whose first word is the kernel's own name and whose name=value
 * words are the variables (init_static_kenv).  getenv() and getenv_int()
 * read it.
 */

#include <sys/param.h>
#include <sys/systm.h>

#define	KENV_SIZE	256

static char kenv_buf[KENV_SIZE];
char *kern_envp;

static int getenv_number __P((const char *cp, int *valp));

/*
 * Build the environment from a command line: every word holding '='
 * becomes a variable; other words (the kernel's name, flags) are left
 * out.
 */
void
init_static_kenv(cmdline)
	const char *cmdline;
{
	const char *p, *word;
	int n, i, haseq;

	n = 0;
	p = cmdline;
	for (;;) {
		while (*p == ' ')
			p++;
		if (*p == '\0')
			break;
		word = p;
		haseq = 0;
		while (*p != '\0' && *p != ' ') {
			if (*p == '=')
				haseq = 1;
			p++;
		}
		if (!haseq || n + (p - word) + 2 > KENV_SIZE)
			continue;
		for (i = 0; word + i < p; i++)
			kenv_buf[n++] = word[i];
		kenv_buf[n++] = '\0';
	}
	kenv_buf[n] = '\0';
	kern_envp = kenv_buf;
}

/*
 * The value of a variable, or NULL.
 */
char *
getenv(name)
	const char *name;
{
	char *cp;
	int len;

	if (kern_envp == NULL)
		return (NULL);
	len = strlen(name);
	for (cp = kern_envp; *cp != '\0'; cp += strlen(cp) + 1)
		if (strncmp(cp, name, len) == 0 && cp[len] == '=')
			return (cp + len + 1);
	return (NULL);
}

static int
getenv_number(cp, valp)
	const char *cp;
	int *valp;
{
	int v, neg;

	neg = 0;
	if (*cp == '-') {
		neg = 1;
		cp++;
	}
	if (*cp < '0' || *cp > '9')
		return (0);
	for (v = 0; *cp >= '0' && *cp <= '9'; cp++)
		v = v * 10 + (*cp - '0');
	if (*cp != '\0')
		return (0);
	*valp = neg ? -v : v;
	return (1);
}

/*
 * An integer variable: 1 and the value in *data, or 0 when it is not
 * set or not a decimal number.
 */
int
getenv_int(name, data)
	const char *name;
	int *data;
{
	char *cp;

	cp = getenv(name);
	if (cp == NULL)
		return (0);
	return (getenv_number(cp, data));
}
