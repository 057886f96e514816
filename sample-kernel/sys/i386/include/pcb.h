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
 * The process control block: what cpu_switch() saves of a thread.  The
 * PCB_* offsets are used by swtch.s and must follow the structure.
 */

#ifndef _MACHINE_PCB_H_
#define	_MACHINE_PCB_H_

#define	PCB_CR3		0
#define	PCB_EDI		4
#define	PCB_ESI		8
#define	PCB_EBP		12
#define	PCB_ESP		16
#define	PCB_EBX		20
#define	PCB_EIP		24
#define	PCB_PSL		28
#define	PCB_TSSSEL	32
#define	PCB_FLAGS	36
#define	PCB_ONFAULT	40
#define	PCB_ESP0	44

#ifndef LOCORE
struct pcb {
	int	pcb_cr3;	/* physical address of the page directory */
	int	pcb_edi;
	int	pcb_esi;
	int	pcb_ebp;
	int	pcb_esp;
	int	pcb_ebx;
	int	pcb_eip;
	int	pcb_psl;	/* %eflags */
	int	pcb_tsssel;	/* TSS selector to load, 0 for none */
	int	pcb_flags;
	caddr_t	pcb_onfault;	/* copyin/copyout fault recovery */
	int	pcb_esp0;	/* kernel stack top for traps from user mode */
};

extern struct pcb	*curpcb;

void	savectx __P((struct pcb *));
void	cpu_switch __P((struct pcb *oldpcb, struct pcb *newpcb));
#endif

#endif /* !_MACHINE_PCB_H_ */
