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
 * The console switch: the kernel prints through the console chosen at
 * boot, one character at a time.
 */

#ifndef _SYS_CONS_H_
#define	_SYS_CONS_H_

struct consdev;
typedef	void	cn_probe_t __P((struct consdev *));
typedef	void	cn_init_t __P((struct consdev *));
typedef	int	cn_getc_t __P((dev_t));
typedef	int	cn_checkc_t __P((dev_t));
typedef	void	cn_putc_t __P((dev_t, int));

struct consdev {
	cn_probe_t	*cn_probe;	/* probe hardware and fill in consdev info */
	cn_init_t	*cn_init;	/* turn on as console */
	cn_getc_t	*cn_getc;	/* kernel getchar interface */
	cn_checkc_t	*cn_checkc;	/* kernel "return char if available" */
	cn_putc_t	*cn_putc;	/* kernel putchar interface */
	dev_t		cn_dev;		/* major/minor of device */
	int		cn_pri;		/* pecking order; the higher the better */
	const char	*cn_name;	/* for the boot messages */
};

/* Values for cn_pri, reflecting the quality of the console. */
#define	CN_DEAD		0	/* device doesn't exist */
#define	CN_NORMAL	1	/* device exists but is nothing special */
#define	CN_INTERNAL	2	/* "internal" bit-mapped display */
#define	CN_REMOTE	3	/* serial interface with remote bit set */

extern	struct consdev	*cn_tab;
extern	struct consdev	*constab[];

void	cninit __P((void));
void	cnputc __P((int));
int	cncheckc __P((void));

#endif /* !_SYS_CONS_H_ */
