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
 * Machine-dependent constants for the i386.  This file is also read by
 * the assembler (LOCORE defined), so everything here is a plain number.
 */

#ifndef _MACHINE_PARAM_H_
#define	_MACHINE_PARAM_H_

#ifndef MACHINE
#define	MACHINE		"i386"
#endif
#ifndef MACHINE_ARCH
#define	MACHINE_ARCH	"i386"
#endif

#define	PAGE_SHIFT	12		/* LOG2(PAGE_SIZE) */
#define	PAGE_SIZE	(1<<PAGE_SHIFT)	/* bytes/page */
#define	PAGE_MASK	(PAGE_SIZE-1)
#define	NPTEPG		1024		/* entries in a page table page */
#define	NPDEPG		1024		/* entries in the page directory */
#define	PTESIZE		4		/* bytes in a pt_entry_t */
#define	PDESIZE		4		/* bytes in a pd_entry_t */

#define	PDRSHIFT	22		/* LOG2(NBPDR) */
#define	NBPDR		(1<<PDRSHIFT)	/* bytes mapped by one directory entry */
#define	PDRMASK		(NBPDR-1)

#define	KSTACK_PAGES	2		/* pages of kernel stack per thread */
#define	UPAGES		3		/* pages of u-area: pcb and kernel stack */
#define	IOPAGES		2		/* pages of I/O permission bitmap */

#ifndef LOCORE
#define	trunc_page(x)	((unsigned)(x) & ~(PAGE_MASK))
#define	round_page(x)	((((unsigned)(x)) + PAGE_MASK) & ~(PAGE_MASK))
#define	trunc_4mpage(x)	((unsigned)(x) & ~PDRMASK)
#define	round_4mpage(x)	((((unsigned)(x)) + PDRMASK) & ~PDRMASK)

/* bytes to clicks (pages) and back */
#define	ctob(x)		((x) << PAGE_SHIFT)
#define	btoc(x)		(((unsigned)(x) + PAGE_MASK) >> PAGE_SHIFT)

#define	atop(x)		((unsigned)(x) >> PAGE_SHIFT)
#define	ptoa(x)		((unsigned)(x) << PAGE_SHIFT)
#define	i386_btop(x)	((unsigned)(x) >> PAGE_SHIFT)
#define	i386_ptob(x)	((unsigned)(x) << PAGE_SHIFT)
#endif

#endif /* !_MACHINE_PARAM_H_ */
