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
 * The ELF machine this kernel runs user programs for.  Built by gcc, the
 * kernel runs i386 code: EM_386.  Built by xenoport's compiler, the
 * kernel runs on xenoport's IR engine, whose user programs hold encoded
 * IR under their own machine number (docs/xir-elf.md).
 */

#ifndef _MACHINE_ELF_H_
#define	_MACHINE_ELF_H_

#include <sys/elf32.h>

typedef	Elf32_Ehdr	Elf_Ehdr;
typedef	Elf32_Phdr	Elf_Phdr;

#define	ELF_ARCH	ELFCLASS32

#ifdef __XENOPORT__
#define	ELF_TARG_MACH	EM_XIR
#else
#define	ELF_TARG_MACH	EM_386
#endif

/* The e_machine of xenoport's encoded-IR executables. */
#ifndef EM_XIR
#define	EM_XIR		0x5849		/* "XI": not an assigned number */
#endif

#endif /* !_MACHINE_ELF_H_ */
