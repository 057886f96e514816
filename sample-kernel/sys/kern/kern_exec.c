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
 * execve(2): replace the process's image with an executable read from
 * the file system.  The path is looked up with namei(); the first page
 * of the file goes to the image activators (here the ELF one), which
 * check it, save the arguments and environment, empty the address space
 * and load the program.  execve then copies the strings onto the new
 * stack, FreeBSD's layout: argc at the stack pointer, then the argv
 * pointers, a NULL, the envp pointers, a NULL, and the strings above
 * them, below USRSTACK.  A failure after the old image is gone kills the
 * process (SIGABRT), as in FreeBSD.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/filedesc.h>
#include <sys/imgact.h>
#include <sys/malloc.h>
#include <sys/namei.h>
#include <sys/proc.h>
#include <sys/signalvar.h>
#include <sys/stat.h>
#include <sys/sysproto.h>
#include <sys/vnode.h>
#include <sys/wait.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>
#include <vm/vm_map.h>

#include <machine/md_var.h>
#include <machine/vmparam.h>

MALLOC_DEFINE(M_EXEC, "exec", "exec arguments and image headers");

static int exec_check_permissions __P((struct image_params *));
static int exec_read_header __P((struct image_params *));
static register_t *exec_copyout_strings __P((struct image_params *));

/*
 * execve() system call.
 */
int
execve(p, uap)
	struct proc *p;
	struct execve_args *uap;
{
	struct nameidata nd, *ndp;
	struct image_params image_params, *imgp;
	struct vattr attr;
	register_t *stack_base;
	char *path, *name;
	size_t len;
	int error, i;

	imgp = &image_params;
	bzero(imgp, sizeof(*imgp));
	imgp->proc = p;
	imgp->uap = uap;
	imgp->attr = &attr;

	/*
	 * Allocate temporary space for argument and environment strings,
	 * and keep the path for the process's name.
	 */
	imgp->stringbase = malloc(ARG_MAX, M_EXEC, M_WAITOK);
	imgp->stringp = imgp->stringbase;
	imgp->stringspace = ARG_MAX;
	path = malloc(MAXPATHLEN, M_EXEC, M_WAITOK);
	error = copyinstr(uap->fname, path, MAXPATHLEN, &len);
	if (error)
		goto exec_fail;

	/*
	 * Translate the file name.  namei() returns a vnode pointer in
	 * ni_vp among other things.
	 */
	ndp = &nd;
	NDINIT(ndp, LOOKUP, LOCKLEAF | FOLLOW, UIO_SYSSPACE, path, p);
	error = namei(ndp);
	if (error)
		goto exec_fail;
	NDFREE(ndp, NDF_ONLY_PNBUF);
	imgp->vp = ndp->ni_vp;

	/* Check file permissions. */
	error = exec_check_permissions(imgp);
	if (error)
		goto exec_fail_dealloc;

	error = exec_read_header(imgp);
	if (error)
		goto exec_fail_dealloc;

	/*
	 * Loop through the list of image activators, calling each one.
	 * An activator returns -1 if it doesn't recognize the format,
	 * zero if it succeeded, or an errno.
	 */
	error = -1;
	for (i = 0; error == -1 && execsw[i] != NULL; ++i)
		error = (*execsw[i]->ex_imgact)(imgp);
	if (error) {
		if (error == -1)
			error = ENOEXEC;
		goto exec_fail_dealloc;
	}

	/* Copy out strings (args and env) and initialize stack base. */
	stack_base = exec_copyout_strings(imgp);
	if (stack_base == NULL) {
		error = EFAULT;
		goto exec_fail_dealloc;
	}

	/* Stuff argument count as first item on stack. */
	if (suword(--stack_base, imgp->argc) != 0) {
		error = EFAULT;
		goto exec_fail_dealloc;
	}

	/* Close files on exec. */
	fdcloseexec(p);

	/* Name this process: the last component of the path. */
	name = path;
	for (i = 0; path[i] != '\0'; i++)
		if (path[i] == '/' && path[i + 1] != '\0')
			name = &path[i + 1];
	for (i = 0; i < MAXCOMLEN && name[i] != '\0' && name[i] != '/'; i++)
		p->p_comm[i] = name[i];
	p->p_comm[i] = '\0';
	p->p_flag |= P_EXEC;

	/* Set values passed into the program in registers. */
	setregs(p, imgp->entry_addr, (u_long)(uintptr_t)stack_base,
	    imgp->ps_strings);

	/* The new image starts with the registers setregs() chose. */
	error = EJUSTRETURN;

exec_fail_dealloc:
	if (imgp->image_header != NULL)
		free((void *)(uintptr_t)imgp->image_header, M_EXEC);
	if (imgp->vp != NULL)
		vput(imgp->vp);

exec_fail:
	free(imgp->stringbase, M_EXEC);
	free(path, M_EXEC);
	if (error != EJUSTRETURN && imgp->vmspace_destroyed) {
		/* Sorry, no more process anymore.  Exit gracefully. */
		printf("pid %d (%s): exec failed with error %d after the "
		    "old image was gone\n", p->p_pid, p->p_comm, error);
		exit1(p, W_EXITCODE(0, SIGABRT));
		/* NOTREACHED */
	}
	return (error);
}

/*
 * Read the head of the file, up to a page, for the activators.
 */
static int
exec_read_header(imgp)
	struct image_params *imgp;
{
	struct proc *p;
	char *buf;
	int len, resid, error;

	p = imgp->proc;
	len = PAGE_SIZE;
	if (imgp->attr->va_size < (u_quad_t)len)
		len = (int)imgp->attr->va_size;
	buf = malloc(PAGE_SIZE, M_EXEC, M_WAITOK | M_ZERO);
	error = vn_rdwr(UIO_READ, imgp->vp, buf, len, (off_t)0, UIO_SYSSPACE,
	    IO_NODELOCKED, p->p_ucred, &resid, p);
	if (error) {
		free(buf, M_EXEC);
		return (error);
	}
	imgp->image_header = buf;
	imgp->header_len = len - resid;
	return (0);
}

/*
 * Copy strings out to the new process address space, constructing new
 * arg and env vector tables.  Return a pointer to the base so that it
 * can be used as the initial stack pointer; NULL if the stack faults.
 */
static register_t *
exec_copyout_strings(imgp)
	struct image_params *imgp;
{
	int argc, envc;
	char **vectp;
	char *stringp, *destp;
	register_t *stack_base;
	int error;

	/* Calculate string base and vector table pointers. */
	destp = (caddr_t)USRSTACK - roundup((ARG_MAX - imgp->stringspace),
	    sizeof(char *));
	vectp = (char **)(destp - (imgp->argc + imgp->envc + 2) *
	    sizeof(char *));
	stack_base = (register_t *)vectp;

	stringp = imgp->stringbase;
	argc = imgp->argc;
	envc = imgp->envc;

	/* Copy out strings - arguments and environment. */
	error = copyout(stringp, destp, ARG_MAX - imgp->stringspace);
	if (error)
		return (NULL);

	/* Fill in argument portion of vector table. */
	for (; argc > 0; --argc) {
		if (suword(vectp++, (long)(intptr_t)destp) != 0)
			return (NULL);
		while (*stringp++ != 0)
			destp++;
		destp++;
	}

	/* A null vector table pointer separates the argp's from the envp's. */
	if (suword(vectp++, 0) != 0)
		return (NULL);

	/* Fill in environment portion of vector table. */
	for (; envc > 0; --envc) {
		if (suword(vectp++, (long)(intptr_t)destp) != 0)
			return (NULL);
		while (*stringp++ != 0)
			destp++;
		destp++;
	}

	/* End of vector table is a null pointer. */
	if (suword(vectp, 0) != 0)
		return (NULL);

	return (stack_base);
}

/*
 * Copy the argument and environment strings of the old process (from
 * the user's argv and envv) into the temporary string space.
 */
int
exec_extract_strings(imgp)
	struct image_params *imgp;
{
	char **argv, **envv;
	char *argp, *envp;
	size_t length;
	int error;

	/* Extract arguments first. */
	argv = imgp->uap->argv;
	if (argv != NULL) {
		while ((argp = (caddr_t)(intptr_t)fuword(argv++)) != NULL) {
			if (argp == (caddr_t)-1)
				return (EFAULT);
			error = copyinstr(argp, imgp->stringp,
			    imgp->stringspace, &length);
			if (error) {
				if (error == ENAMETOOLONG)
					return (E2BIG);
				return (error);
			}
			imgp->stringspace -= length;
			imgp->stringp += length;
			imgp->argc++;
		}
	}

	/* Extract environment strings. */
	envv = imgp->uap->envv;
	if (envv != NULL) {
		while ((envp = (caddr_t)(intptr_t)fuword(envv++)) != NULL) {
			if (envp == (caddr_t)-1)
				return (EFAULT);
			error = copyinstr(envp, imgp->stringp,
			    imgp->stringspace, &length);
			if (error) {
				if (error == ENAMETOOLONG)
					return (E2BIG);
				return (error);
			}
			imgp->stringspace -= length;
			imgp->stringp += length;
			imgp->envc++;
		}
	}
	return (0);
}

/*
 * Destroy old address space, and allocate a new stack.  The new stack
 * is only DFLSSIZ large because it is grown automatically... here it is
 * simply mapped whole, its pages filled on first touch.
 */
int
exec_new_vmspace(imgp)
	struct image_params *imgp;
{
	struct vmspace *vmspace;
	vm_offset_t stack_addr;
	int error;

	imgp->vmspace_destroyed = 1;
	vmspace_exec(imgp->proc);
	vmspace = imgp->proc->p_vmspace;

	/* Allocate a new stack. */
	stack_addr = (vm_offset_t)USRSTACK - DFLSSIZ;
	error = vm_map_insert(&vmspace->vm_map, stack_addr, (vm_offset_t)USRSTACK,
	    VM_PROT_ALL, VM_PROT_ALL, MAP_ENTRY_STACK);
	if (error != KERN_SUCCESS)
		return (ENOMEM);
	vmspace->vm_ssize = btoc(DFLSSIZ);
	vmspace->vm_maxsaddr = (caddr_t)stack_addr;
	return (0);
}

/*
 * Check permissions of file to execute: a regular file with an execute
 * bit, not empty.
 */
static int
exec_check_permissions(imgp)
	struct image_params *imgp;
{
	struct proc *p;
	struct vattr *attr;
	int error;

	p = imgp->proc;
	attr = imgp->attr;
	error = VOP_GETATTR(imgp->vp, attr, p->p_ucred, p);
	if (error)
		return (error);
	if ((attr->va_mode & (S_IXUSR | S_IXGRP | S_IXOTH)) == 0 ||
	    attr->va_type != VREG)
		return (EACCES);
	if (attr->va_size == 0)
		return (ENOEXEC);
	return (0);
}
