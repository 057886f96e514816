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
 * The ELF image activator: static executables of this machine
 * (ELF_TARG_MACH), 32-bit, little-endian, ET_EXEC.  Every check is made
 * on the header and the program headers before the old address space
 * is given up, so that a bad file is an ENOEXEC to the caller, not a
 * dead process: the loadable segments must lie in user space, below the
 * stack, inside the file, and not share pages.  Each PT_LOAD segment
 * becomes a map entry; its file bytes are read into it with vn_rdwr()
 * (the pages fill with zeros on first touch, which is also the bss);
 * segments without PF_W are then made read-only.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/imgact.h>
#include <sys/proc.h>
#include <sys/vnode.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

#include <machine/elf.h>
#include <machine/vmparam.h>

#define	ELF_MAX_PHNUM	16

static int elf_check_header __P((const Elf_Ehdr *hdr));
static int elf_check_segments __P((struct image_params *imgp,
	    const Elf_Ehdr *hdr, const Elf_Phdr *phdr));
static int elf_load_section __P((struct proc *p, struct vmspace *vmspace,
	    struct vnode *vp, vm_offset_t offset, caddr_t vmaddr, size_t memsz,
	    size_t filesz, vm_prot_t prot));
static int exec_elf_imgact __P((struct image_params *imgp));

static const struct execsw elf_execsw = { exec_elf_imgact, "ELF" };

const struct execsw *execsw[] = {
	&elf_execsw,
	NULL
};

static int
elf_check_header(hdr)
	const Elf_Ehdr *hdr;
{

	if (hdr->e_ident[EI_MAG0] != ELFMAG0 ||
	    hdr->e_ident[EI_MAG1] != ELFMAG1 ||
	    hdr->e_ident[EI_MAG2] != ELFMAG2 ||
	    hdr->e_ident[EI_MAG3] != ELFMAG3)
		return (ENOEXEC);
	if (hdr->e_ident[EI_CLASS] != ELF_ARCH ||
	    hdr->e_ident[EI_DATA] != ELFDATA2LSB ||
	    hdr->e_ident[EI_VERSION] != EV_CURRENT)
		return (ENOEXEC);
	if (hdr->e_machine != ELF_TARG_MACH)
		return (ENOEXEC);
	return (0);
}

/*
 * Everything the loader relies on, checked before the point of no
 * return.
 */
static int
elf_check_segments(imgp, hdr, phdr)
	struct image_params *imgp;
	const Elf_Ehdr *hdr;
	const Elf_Phdr *phdr;
{
	vm_offset_t start[ELF_MAX_PHNUM], end[ELF_MAX_PHNUM];
	u_quad_t filesize;
	int i, j, nload;

	filesize = imgp->attr->va_size;
	nload = 0;
	for (i = 0; i < hdr->e_phnum; i++) {
		if (phdr[i].p_type != PT_LOAD)
			continue;
		if (phdr[i].p_filesz > phdr[i].p_memsz ||
		    phdr[i].p_memsz == 0)
			return (ENOEXEC);
		if (phdr[i].p_vaddr < PAGE_SIZE ||
		    phdr[i].p_vaddr >= (vm_offset_t)USRSTACK - DFLSSIZ ||
		    phdr[i].p_memsz > (vm_offset_t)USRSTACK - DFLSSIZ -
		    phdr[i].p_vaddr)
			return (ENOEXEC);
		if ((u_quad_t)phdr[i].p_offset + phdr[i].p_filesz > filesize)
			return (ENOEXEC);
		start[nload] = trunc_page(phdr[i].p_vaddr);
		end[nload] = round_page(phdr[i].p_vaddr + phdr[i].p_memsz);
		for (j = 0; j < nload; j++)
			if (start[nload] < end[j] && start[j] < end[nload])
				return (ENOEXEC);
		nload++;
	}
	if (nload == 0)
		return (ENOEXEC);
	return (0);
}

/*
 * Map one segment and read its file part in.
 */
static int
elf_load_section(p, vmspace, vp, offset, vmaddr, memsz, filesz, prot)
	struct proc *p;
	struct vmspace *vmspace;
	struct vnode *vp;
	vm_offset_t offset;
	caddr_t vmaddr;
	size_t memsz, filesz;
	vm_prot_t prot;
{
	vm_offset_t map_addr, map_end;
	int error, resid, rv;

	map_addr = trunc_page((vm_offset_t)vmaddr);
	map_end = round_page((vm_offset_t)vmaddr + memsz);
	rv = vm_map_insert(&vmspace->vm_map, map_addr, map_end, VM_PROT_ALL,
	    VM_PROT_ALL, MAP_ENTRY_COW);
	if (rv != KERN_SUCCESS)
		return (ENOMEM);
	if (filesz != 0) {
		error = vn_rdwr(UIO_READ, vp, vmaddr, filesz, (off_t)offset,
		    UIO_USERSPACE, IO_NODELOCKED, p->p_ucred, &resid, p);
		if (error)
			return (error);
		if (resid != 0)
			return (ENOEXEC);
	}
	if ((prot & VM_PROT_WRITE) == 0) {
		rv = vm_map_protect(&vmspace->vm_map, map_addr, map_end, prot);
		if (rv != KERN_SUCCESS)
			return (ENOMEM);
	}
	return (0);
}

static int
exec_elf_imgact(imgp)
	struct image_params *imgp;
{
	const Elf_Ehdr *hdr;
	const Elf_Phdr *phdr;
	struct vmspace *vmspace;
	vm_prot_t prot;
	u_long text_size, data_size, seg_size;
	u_long text_addr, data_addr, seg_addr;
	int error, i;

	hdr = (const Elf_Ehdr *)imgp->image_header;
	text_size = data_size = 0;
	text_addr = data_addr = 0;

	/* Do we have a valid ELF header? */
	if (imgp->header_len < (int)sizeof(Elf_Ehdr) ||
	    elf_check_header(hdr) != 0 || hdr->e_type != ET_EXEC)
		return (-1);

	/*
	 * From here on down, we return an errno, not -1, as we've
	 * detected an ELF file.
	 */
	if (hdr->e_phentsize != sizeof(Elf_Phdr) || hdr->e_phnum == 0 ||
	    hdr->e_phnum > ELF_MAX_PHNUM ||
	    hdr->e_phoff + (u_long)hdr->e_phentsize * hdr->e_phnum >
	    (u_long)imgp->header_len) {
		/* Only support headers in the first page. */
		return (ENOEXEC);
	}
	phdr = (const Elf_Phdr *)(imgp->image_header + hdr->e_phoff);
	error = elf_check_segments(imgp, hdr, phdr);
	if (error)
		return (error);

	if ((error = exec_extract_strings(imgp)) != 0)
		return (error);
	if ((error = exec_new_vmspace(imgp)) != 0)
		return (error);
	vmspace = imgp->proc->p_vmspace;

	for (i = 0; i < hdr->e_phnum; i++) {
		if (phdr[i].p_type != PT_LOAD)
			continue;
		prot = 0;
		if (phdr[i].p_flags & PF_X)
			prot |= VM_PROT_EXECUTE;
		if (phdr[i].p_flags & PF_W)
			prot |= VM_PROT_WRITE;
		if (phdr[i].p_flags & PF_R)
			prot |= VM_PROT_READ;

		error = elf_load_section(imgp->proc, vmspace, imgp->vp,
		    phdr[i].p_offset, (caddr_t)phdr[i].p_vaddr,
		    phdr[i].p_memsz, phdr[i].p_filesz, prot);
		if (error)
			return (error);

		/* The writable segment is the data; the other the text. */
		seg_addr = trunc_page(phdr[i].p_vaddr);
		seg_size = round_page(phdr[i].p_memsz + phdr[i].p_vaddr -
		    seg_addr);
		if (prot & VM_PROT_WRITE) {
			data_size = seg_size;
			data_addr = seg_addr;
		} else {
			text_size = seg_size;
			text_addr = seg_addr;
		}
	}

	vmspace->vm_tsize = text_size >> PAGE_SHIFT;
	vmspace->vm_taddr = (caddr_t)text_addr;
	vmspace->vm_dsize = data_size >> PAGE_SHIFT;
	vmspace->vm_daddr = (caddr_t)data_addr;
	if (data_addr == 0) {
		/* No data segment: the heap starts after the text. */
		vmspace->vm_daddr = (caddr_t)(text_addr + text_size);
		vmspace->vm_dsize = 0;
	}

	imgp->entry_addr = hdr->e_entry;
	return (0);
}
