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
 * Miscellaneous machine-dependent declarations.
 */

#ifndef _MACHINE_MD_VAR_H_
#define	_MACHINE_MD_VAR_H_

#include <machine/types.h>

struct proc;
struct trapframe;
struct pcb;

extern	vm_paddr_t phys_avail[];
extern	int	Maxmem;
extern	u_int	realmem_kb;
extern	u_int	cpu_feature;
extern	u_int	cpu_high;
extern	u_int	cpu_id;
extern	char	cpu_vendor[];
extern	int	cpu_class;
extern	char	kstack[];
extern	char	btext[];
extern	char	etext[];
extern	char	edata[];
extern	char	end[];
extern	vm_paddr_t physfree;
extern	u_int	boot_cr4;
extern	struct pcb proc0_pcb;

void	init386 __P((vm_paddr_t first));
void	mi_startup __P((void));
void	cpu_startup __P((void *));
void	finishidentcpu __P((void));
void	identifycpu __P((void));
void	printcpuinfo __P((void));
void	cpu_reset __P((void)) __dead2;
void	cpu_halt __P((void)) __dead2;
void	cpu_initclocks __P((void));
void	isa_defaultirq __P((void));
void	trap __P((struct trapframe *frame));
void	syscall __P((struct trapframe *frame));
void	ast __P((struct trapframe *frame));
void	fork_trampoline __P((void));
void	intr_execute __P((struct trapframe *frame));
void	trap_selftest __P((void *));
void	cpu_selftest_switch __P((void *));
vm_paddr_t kvtop __P((caddr_t addr));
void	setregs __P((struct proc *p, u_long entry, u_long stack,
	    u_long ps_strings));
void	userret __P((struct proc *p, struct trapframe *frame));
void	load_segments __P((void));
void	bzero __P((void *buf, size_t len));
void	bcopy __P((const void *src, void *dst, size_t len));
void	*memcpy __P((void *dst, const void *src, size_t len));
void	*memset __P((void *buf, int c, size_t len));
void	pagezero __P((void *page));
void	DELAY __P((int usec));
int	pci_cfgregopen __P((void));

#endif /* !_MACHINE_MD_VAR_H_ */
