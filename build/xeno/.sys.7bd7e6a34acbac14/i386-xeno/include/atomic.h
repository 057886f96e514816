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
 * Atomic operations on 32-bit words.  The lock prefix makes them safe
 * against other processors and against the page walker, which sets PG_A
 * and PG_M in page table entries behind the kernel's back.
 */

#ifndef _MACHINE_ATOMIC_H_
#define	_MACHINE_ATOMIC_H_

static __inline void
atomic_set_int(volatile u_int *p, u_int v)
{
	__asm __volatile("lock; orl %1,%0" : "+m" (*p) : "ir" (v) : "memory");
}

static __inline void
atomic_clear_int(volatile u_int *p, u_int v)
{
	__asm __volatile("lock; andl %1,%0" : "+m" (*p) : "ir" (~v) : "memory");
}

static __inline void
atomic_add_int(volatile u_int *p, u_int v)
{
	__asm __volatile("lock; addl %1,%0" : "+m" (*p) : "ir" (v) : "memory");
}

/* Returns 1 and stores src when *dst held exp, else returns 0. */
static __inline int
atomic_cmpset_int(volatile u_int *dst, u_int exp, u_int src)
{
	u_int	prev;

	__asm __volatile("lock; cmpxchgl %2,%1"
			 : "=a" (prev), "+m" (*dst)
			 : "r" (src), "0" (exp)
			 : "memory");
	return (prev == exp);
}

static __inline u_int
atomic_readandclear_int(volatile u_int *addr)
{
	u_int	result;

	result = 0;
	__asm __volatile("xchgl %1,%0" : "+r" (result), "+m" (*addr) : : "memory");
	return (result);
}

#endif /* !_MACHINE_ATOMIC_H_ */
