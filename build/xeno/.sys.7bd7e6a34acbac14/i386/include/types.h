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
 * Machine-dependent basic types for the i386: every integer type the
 * kernel names is 8, 16, 32 or (only where the hardware needs it) 64 bits.
 */

#ifndef _MACHINE_TYPES_H_
#define	_MACHINE_TYPES_H_

typedef	signed char		int8_t;
typedef	unsigned char		u_int8_t;
typedef	short			int16_t;
typedef	unsigned short		u_int16_t;
typedef	int			int32_t;
typedef	unsigned int		u_int32_t;
typedef	long long		int64_t;
typedef	unsigned long long	u_int64_t;

typedef	int			intptr_t;
typedef	unsigned int		uintptr_t;
typedef	unsigned int		size_t;
typedef	int			ssize_t;

typedef	int			register_t;
typedef	unsigned int		u_register_t;

typedef	unsigned int		vm_offset_t;
typedef	unsigned int		vm_paddr_t;
typedef	unsigned int		vm_size_t;

/* One 32-bit entry of a page table and of a page directory. */
typedef	u_int32_t		pt_entry_t;
typedef	u_int32_t		pd_entry_t;

typedef	void			inthand_t __P((u_int cs, u_int ef, u_int esp,
				    u_int ss));

#endif /* !_MACHINE_TYPES_H_ */
