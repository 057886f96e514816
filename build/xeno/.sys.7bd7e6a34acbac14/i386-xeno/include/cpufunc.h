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
 * Functions to provide access to special i386 instructions.  Each wrapper
 * is a single instruction; these are the privileged and sensitive
 * operations a paravirtualized port has to replace.
 */

#ifndef _MACHINE_CPUFUNC_H_
#define	_MACHINE_CPUFUNC_H_

#include <sys/cdefs.h>
#include <machine/xen/hypervisor.h>

struct region_descriptor;

static __inline void
breakpoint(void)
{
	XENO_BREAKPOINT("int-n", "sys/i386/include/cpufunc.h:39");
}

static __inline void
disable_intr(void)
{
	xen_cli();
}

static __inline void
enable_intr(void)
{
	xen_sti();
}

static __inline void
halt(void)
{
	xen_halt();
}

static __inline void
do_cpuid(u_int ax, u_int *p)
{
	__asm __volatile("cpuid"
			 : "=a" (p[0]), "=b" (p[1]), "=c" (p[2]), "=d" (p[3])
			 :  "0" (ax));
}

static __inline u_char
inb(u_int port)
{
	u_char	data;

	__asm __volatile("inb %w1,%0" : "=a" (data) : "Nd" (port));
	return (data);
}

static __inline u_short
inw(u_int port)
{
	u_short	data;

	__asm __volatile("inw %w1,%0" : "=a" (data) : "Nd" (port));
	return (data);
}

static __inline u_int
inl(u_int port)
{
	u_int	data;

	__asm __volatile("inl %w1,%0" : "=a" (data) : "Nd" (port));
	return (data);
}

static __inline void
outb(u_int port, u_char data)
{
	__asm __volatile("outb %0,%w1" : : "a" (data), "Nd" (port));
}

static __inline void
outw(u_int port, u_short data)
{
	__asm __volatile("outw %0,%w1" : : "a" (data), "Nd" (port));
}

static __inline void
outl(u_int port, u_int data)
{
	__asm __volatile("outl %0,%w1" : : "a" (data), "Nd" (port));
}

static __inline void
invlpg(u_int addr)
{
	xen_invlpg((u_int)&*(char *)addr);
}

static __inline u_int
read_eflags(void)
{
	u_int	ef;

	ef = xen_read_eflags();
	return (ef);
}

static __inline void
write_eflags(u_int ef)
{
	xen_write_eflags(ef);
}

static __inline u_int64_t
rdmsr(u_int msr)
{
	u_int64_t rv;

	__asm __volatile("rdmsr" : "=A" (rv) : "c" (msr));
	return (rv);
}

static __inline void
wrmsr(u_int msr, u_int64_t newval)
{
	__asm __volatile("wrmsr" : : "A" (newval), "c" (msr));
}

static __inline void
wbinvd(void)
{
	__asm __volatile("wbinvd");
}

static __inline void
clts(void)
{
	xen_clts();
}

static __inline void
lcr0(u_int data)
{
	XENO_BREAKPOINT("mov-to-cr", "sys/i386/include/cpufunc.h:164");
}

static __inline u_int
rcr0(void)
{
	u_int	data;

	__asm __volatile("movl %%cr0,%0" : "=r" (data));
	return (data);
}

static __inline u_int
rcr2(void)
{
	u_int	data;

	data = xen_rcr2();
	return (data);
}

static __inline void
load_cr3(u_int data)
{
	xen_load_cr3(data);
}

static __inline u_int
rcr3(void)
{
	u_int	data;

	XENO_BREAKPOINT("mov-from-cr3", "sys/i386/include/cpufunc.h:196");
	return (data);
}

static __inline void
load_cr4(u_int data)
{
	XENO_BREAKPOINT("mov-to-cr", "sys/i386/include/cpufunc.h:203");
}

static __inline u_int
rcr4(void)
{
	u_int	data;

	__asm __volatile("movl %%cr4,%0" : "=r" (data));
	return (data);
}

#define	lcr4(data)	XENO_BREAKPOINT("wrapper-privileged", "sys/i386/include/cpufunc.h:215")

/*
 * Global pages survive a %cr3 load; flushing them too takes a toggle of
 * CR4_PGE, which the callers of invltlb_glob() do by hand.
 */
static __inline void
invltlb(void)
{
	u_int	temp;

	XENO_BREAKPOINT("mov-from-cr3", "sys/i386/include/cpufunc.h:226");
	xen_load_cr3(temp);
}

static __inline void
lidt(struct region_descriptor *addr)
{
	xen_lidt(addr);
}

static __inline void
lldt(u_short sel)
{
	xen_lldt(sel);
}

static __inline void
ltr(u_short sel)
{
	xen_ltr(sel);
}

static __inline u_short
rtr(void)
{
	u_short	sel;

	XENO_BREAKPOINT("store-system-register", "sys/i386/include/cpufunc.h:253");
	return (sel);
}

/*
 * lgdt must reload every segment register afterwards, so it lives in
 * support.s rather than here.
 */
void	lgdt __P((struct region_descriptor *rdp));
void	cpu_idle_hlt __P((void));
void	cpu_halt_forever __P((void)) __dead2;

#endif /* !_MACHINE_CPUFUNC_H_ */
