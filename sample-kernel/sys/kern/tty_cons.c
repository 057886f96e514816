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
 * The console switch.  cninit() probes each entry of the machine's
 * constab[] and keeps the best; cnputc() goes through its cn_putc.
 *
 * Processes reach the console through an open file of type
 * DTYPE_CONSOLE (consfileops): the kernel gives init its standard input,
 * output and error on it, and every other process inherits them.  This
 * kernel has no device files; FreeBSD's init opens /dev/console itself.
 * Reading gives end of file: the console has no input here.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cons.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/uio.h>

static int cons_read __P((struct file *fp, struct uio *uio,
	    struct ucred *cred, int flags, struct proc *p));
static int cons_write __P((struct file *fp, struct uio *uio,
	    struct ucred *cred, int flags, struct proc *p));
static int cons_stat __P((struct file *fp, struct stat *sb,
	    struct proc *p));
static int cons_close __P((struct file *fp, struct proc *p));

struct fileops consfileops = {
	cons_read,
	cons_write,
	cons_stat,
	cons_close
};

struct consdev *cn_tab;

void
cninit()
{
	struct consdev *best_cp, *cp, **list;

	best_cp = NULL;
	for (list = constab; (cp = *list) != NULL; list++) {
		(*cp->cn_probe)(cp);
		if (cp->cn_pri > CN_DEAD &&
		    (best_cp == NULL || cp->cn_pri > best_cp->cn_pri))
			best_cp = cp;
	}
	cn_tab = best_cp;
	if (cn_tab != NULL)
		(*cn_tab->cn_init)(cn_tab);
}

/*
 * Put a character on the console, a newline as CR LF.
 */
void
cnputc(c)
	int c;
{

	if (cn_tab == NULL)
		return;
	if (c == '\n')
		(*cn_tab->cn_putc)(cn_tab->cn_dev, '\r');
	(*cn_tab->cn_putc)(cn_tab->cn_dev, c);
}

int
cncheckc()
{

	if (cn_tab == NULL)
		return (-1);
	return ((*cn_tab->cn_checkc)(cn_tab->cn_dev));
}

static int
cons_read(fp, uio, cred, flags, p)
	struct file *fp;
	struct uio *uio;
	struct ucred *cred;
	int flags;
	struct proc *p;
{

	return (0);
}

/*
 * Write to the console, a buffer at a time.
 */
static int
cons_write(fp, uio, cred, flags, p)
	struct file *fp;
	struct uio *uio;
	struct ucred *cred;
	int flags;
	struct proc *p;
{
	char buf[128];
	int error, i, n;

	while (uio->uio_resid > 0) {
		n = min(uio->uio_resid, (int)sizeof(buf));
		error = uiomove(buf, n, uio);
		if (error)
			return (error);
		for (i = 0; i < n; i++)
			cnputc((u_char)buf[i]);
	}
	return (0);
}

static int
cons_stat(fp, sb, p)
	struct file *fp;
	struct stat *sb;
	struct proc *p;
{

	bzero(sb, sizeof(*sb));
	sb->st_mode = S_IFCHR | 0600;
	sb->st_blksize = 128;
	return (0);
}

static int
cons_close(fp, p)
	struct file *fp;
	struct proc *p;
{

	return (0);
}
