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
 * The preloaded-module interface: files the boot loader put in memory
 * next to the kernel (here: multiboot modules), found by type and asked
 * for their name, type, address and size, as in FreeBSD's kern/subr_module.c.
 * The machine-dependent startup registers them.
 */

#ifndef _SYS_LINKER_H_
#define	_SYS_LINKER_H_

/* What preload_search_info() is asked for. */
#define	MODINFO_END	0x0000		/* end of the list */
#define	MODINFO_NAME	0x0001		/* name of the module (string) */
#define	MODINFO_TYPE	0x0002		/* type of the module (string) */
#define	MODINFO_ADDR	0x0003		/* kernel virtual address (caddr_t) */
#define	MODINFO_SIZE	0x0004		/* size in bytes (size_t) */

#define	PRELOAD_MAX	4		/* modules the list holds */

caddr_t	preload_search_by_name __P((const char *name));
caddr_t	preload_search_by_type __P((const char *type));
caddr_t	preload_search_next_name __P((caddr_t base));
caddr_t	preload_search_info __P((caddr_t mod, int inf));
int	preload_register __P((const char *name, const char *type,
	    caddr_t addr, size_t size));

#endif /* !_SYS_LINKER_H_ */
