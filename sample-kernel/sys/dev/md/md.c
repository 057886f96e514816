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
 * md(4), the memory disk: here only its preloaded kind, a file system
 * image the boot loader put in memory (a multiboot module; under Xen the
 * domain builder's module), attached as md0, md1, ... as FreeBSD 4's
 * md_preloaded() does.  A request is a copy between the image and the
 * buffer; one reaching past the image's end fails with EIO and a console
 * line, so a damaged file system cannot make the driver read stray
 * memory.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/kernel.h>
#include <sys/linker.h>

#define	MD_MAJOR	95		/* FreeBSD 4's major for md */
#define	MD_NUNITS	4

struct md_s {
	int	unit;
	char	name[8];		/* "md0" */
	u_char	*pl_ptr;		/* the image */
	size_t	pl_len;			/* its size in bytes */
};

static struct md_s md_softc[MD_NUNITS];
static int mdunits;

static d_strategy_t mdstrategy;
static d_psize_t mdsize;

static struct cdevsw md_cdevsw = { "md", MD_MAJOR, mdstrategy, mdsize };

static void md_preloaded __P((u_char *image, size_t length));

static void
mdstrategy(bp)
	struct buf *bp;
{
	struct md_s *sc;
	u_int unit, off;

	unit = minor(bp->b_dev);
	if (unit >= (u_int)mdunits) {
		bp->b_flags |= B_ERROR;
		bp->b_error = ENXIO;
		biodone(bp);
		return;
	}
	sc = &md_softc[unit];
	if (bp->b_blkno < 0 || bp->b_bcount < 0 ||
	    (u_int)bp->b_blkno > (sc->pl_len >> DEV_BSHIFT) ||
	    ((u_int)bp->b_blkno << DEV_BSHIFT) + (u_int)bp->b_bcount >
	    sc->pl_len) {
		printf("%s: %s of %ld bytes at block %d is past the end "
		    "of the disk (%u bytes)\n", sc->name,
		    (bp->b_flags & B_READ) ? "read" : "write", bp->b_bcount,
		    bp->b_blkno, sc->pl_len);
		bp->b_flags |= B_ERROR;
		bp->b_error = EIO;
		biodone(bp);
		return;
	}
	off = (u_int)bp->b_blkno << DEV_BSHIFT;
	if (bp->b_flags & B_READ)
		bcopy(sc->pl_ptr + off, bp->b_data, bp->b_bcount);
	else
		bcopy(bp->b_data, sc->pl_ptr + off, bp->b_bcount);
	bp->b_resid = 0;
	biodone(bp);
}

static int
mdsize(dev)
	dev_t dev;
{
	u_int unit;

	unit = minor(dev);
	if (unit >= (u_int)mdunits)
		return (-1);
	return (md_softc[unit].pl_len >> DEV_BSHIFT);
}

static void
md_preloaded(image, length)
	u_char *image;
	size_t length;
{
	struct md_s *sc;

	if (mdunits >= MD_NUNITS) {
		printf("md: no unit left for a preloaded image\n");
		return;
	}
	sc = &md_softc[mdunits];
	sc->unit = mdunits++;
	sprintf(sc->name, "md%d", sc->unit);
	sc->pl_ptr = image;
	sc->pl_len = length;
	disk_register(sc->name, makedev(MD_MAJOR, sc->unit));
}

/*
 * Attach every preloaded file system image.
 */
void
md_drvinit(unused)
	void *unused;
{
	caddr_t mod, c;
	char *name, *type;
	u_char *ptr;
	unsigned len;

	cdevsw_add(&md_cdevsw);
	mod = NULL;
	while ((mod = preload_search_next_name(mod)) != NULL) {
		name = (char *)preload_search_info(mod, MODINFO_NAME);
		type = (char *)preload_search_info(mod, MODINFO_TYPE);
		if (name == NULL)
			continue;
		if (type == NULL)
			continue;
		if (strcmp(type, "md_image") && strcmp(type, "mfs_root"))
			continue;
		c = preload_search_info(mod, MODINFO_ADDR);
		ptr = *(u_char **)c;
		c = preload_search_info(mod, MODINFO_SIZE);
		len = *(size_t *)c;
		printf("md%d: Preloaded image <%s> %d bytes\n", mdunits,
		    name, len);
		md_preloaded(ptr, len);
	}
}
