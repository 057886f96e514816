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
 * Device switch: the entry points a block device's driver gives the
 * kernel, found by the device number's major.  Only what a memory disk
 * needs: the name and the strategy routine.
 */

#ifndef _SYS_CONF_H_
#define	_SYS_CONF_H_

struct buf;

typedef	void	d_strategy_t __P((struct buf *bp));
typedef	int	d_psize_t __P((dev_t dev));

struct cdevsw {
	const char	*d_name;
	int		d_maj;
	d_strategy_t	*d_strategy;
	d_psize_t	*d_psize;	/* size in DEV_BSIZE blocks */
};

#define	NUMCDEVSW	16

#define	major(x)	((int)(((u_int)(x) >> 8) & 0xff))	/* major number */
#define	minor(x)	((int)((x) & 0xffff00ff))		/* minor number */
#define	makedev(x, y)	((dev_t)(((x) << 8) | (y)))		/* create dev_t */

#define	NODEV		((dev_t)-1)

extern	dev_t	rootdev;		/* root device */

int	cdevsw_add __P((struct cdevsw *));
struct	cdevsw *devsw __P((dev_t dev));
const	char *devtoname __P((dev_t dev));
int	disk_register __P((const char *name, dev_t dev));
dev_t	disk_lookup __P((const char *name));
const	char *disk_name __P((int i, dev_t *devp));

#endif /* !_SYS_CONF_H_ */
