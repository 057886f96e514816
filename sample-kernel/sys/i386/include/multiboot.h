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
 * The Multiboot 0.6.96 interface between the boot loader (QEMU -kernel)
 * and locore.s.
 */

#ifndef _MACHINE_MULTIBOOT_H_
#define	_MACHINE_MULTIBOOT_H_

#define	MULTIBOOT_HEADER_MAGIC		0x1BADB002
#define	MULTIBOOT_BOOTLOADER_MAGIC	0x2BADB002

/* Header flags. */
#define	MULTIBOOT_PAGE_ALIGN		0x00000001	/* modules on page boundaries */
#define	MULTIBOOT_MEMORY_INFO		0x00000002	/* want mem_* fields */
#define	MULTIBOOT_AOUT_KLUDGE		0x00010000	/* load address fields valid */

/* Info flags. */
#define	MULTIBOOT_INFO_MEMORY		0x00000001	/* mem_lower, mem_upper */
#define	MULTIBOOT_INFO_CMDLINE		0x00000004
#define	MULTIBOOT_INFO_MODS		0x00000008	/* mods_count, mods_addr */
#define	MULTIBOOT_INFO_MEM_MAP		0x00000040

#define	MULTIBOOT_INFO_SIZE		88	/* bytes locore copies */

/* Offsets in the information, for locore. */
#define	MI_FLAGS			0
#define	MI_CMDLINE			16
#define	MI_MODS_COUNT			20
#define	MI_MODS_ADDR			24

/*
 * locore keeps copies of the module list and the command line, which the
 * loader leaves after the kernel where the bootstrap page tables go.
 */
#define	MULTIBOOT_MAX_MODS		4
#define	MULTIBOOT_MOD_SIZE		16	/* bytes per module entry */
#define	MULTIBOOT_CMDLINE_MAX		256

#ifndef LOCORE
struct multiboot_info {
	u_int32_t	mi_flags;
	u_int32_t	mi_mem_lower;	/* KB below 1 MB */
	u_int32_t	mi_mem_upper;	/* KB above 1 MB, up to the first hole */
	u_int32_t	mi_boot_device;
	u_int32_t	mi_cmdline;
	u_int32_t	mi_mods_count;
	u_int32_t	mi_mods_addr;
	u_int32_t	mi_syms[4];
	u_int32_t	mi_mmap_length;
	u_int32_t	mi_mmap_addr;
	u_int32_t	mi_drives_length;
	u_int32_t	mi_drives_addr;
	u_int32_t	mi_config_table;
	u_int32_t	mi_loader_name;
	u_int32_t	mi_apm_table;
	u_int32_t	mi_vbe[6];
};

/* A boot module: physical [mod_start, mod_end) and its command line. */
struct multiboot_module {
	u_int32_t	mod_start;
	u_int32_t	mod_end;
	u_int32_t	mod_cmdline;	/* physical address of a string */
	u_int32_t	mod_reserved;
};

extern u_int32_t	multiboot_magic;
extern struct multiboot_info multiboot_info;
extern struct multiboot_module multiboot_mods[MULTIBOOT_MAX_MODS];
extern char		multiboot_cmdline[MULTIBOOT_CMDLINE_MAX];
#endif

#endif /* !_MACHINE_MULTIBOOT_H_ */
