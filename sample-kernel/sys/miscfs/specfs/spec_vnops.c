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
 * Special files: the vnode of a block device (made by bdevvp for the
 * root disk) hands its buffers to the device's strategy routine.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/buf.h>
#include <sys/conf.h>
#include <sys/vnode.h>

static int spec_strategy __P((void *));
static int spec_getattr __P((void *));

vop_t **spec_vnodeop_p;
static struct vnodeopv_entry_desc spec_vnodeop_entries[] = {
	{ &vop_default_desc,		(vop_t *)vop_defaultop },
	{ &vop_getattr_desc,		(vop_t *)spec_getattr },
	{ &vop_inactive_desc,		(vop_t *)vop_null },
	{ &vop_reclaim_desc,		(vop_t *)vop_null },
	{ &vop_strategy_desc,		(vop_t *)spec_strategy },
	{ NULL, NULL }
};
struct vnodeopv_desc spec_vnodeop_opv_desc =
	{ &spec_vnodeop_p, spec_vnodeop_entries };

/*
 * Just call the device strategy routine
 */
static int
spec_strategy(v)
	void *v;
{
	struct vop_strategy_args *ap;
	struct buf *bp;
	struct cdevsw *sw;

	ap = v;
	bp = ap->a_bp;
	bp->b_dev = ap->a_vp->v_rdev;
	sw = devsw(bp->b_dev);
	if (sw == NULL || sw->d_strategy == NULL) {
		bp->b_flags |= B_ERROR;
		bp->b_error = ENXIO;
		biodone(bp);
		return (0);
	}
	(*sw->d_strategy)(bp);
	return (0);
}

static int
spec_getattr(v)
	void *v;
{
	struct vop_getattr_args *ap;

	ap = v;
	vattr_null(ap->a_vap);
	ap->a_vap->va_type = ap->a_vp->v_type;
	ap->a_vap->va_rdev = ap->a_vp->v_rdev;
	ap->a_vap->va_blocksize = MAXBSIZE;
	return (0);
}
