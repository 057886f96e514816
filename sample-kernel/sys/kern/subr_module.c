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
 * Preloaded modules.  FreeBSD's loader hands the kernel a packed list
 * of tagged records; this kernel's loaders (multiboot, the Xen domain
 * builder) describe modules differently, so the machine-dependent startup
 * registers each one here and the rest of the kernel asks through
 * FreeBSD's preload_search_*() functions.  A module handle is a pointer
 * to its record; preload_search_info() returns a pointer to the field
 * asked for, as FreeBSD's does.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/linker.h>

struct preload_file {
	const char	*pf_name;
	const char	*pf_type;
	caddr_t		pf_addr;
	size_t		pf_size;
};

static struct preload_file preload_files[PRELOAD_MAX];
static int preload_count;

/*
 * Add a module to the list; 0, or ENOMEM-like -1 when the list is full.
 */
int
preload_register(name, type, addr, size)
	const char *name;
	const char *type;
	caddr_t addr;
	size_t size;
{
	struct preload_file *pf;

	if (preload_count >= PRELOAD_MAX) {
		printf("preload: no room for module %s\n", name);
		return (-1);
	}
	pf = &preload_files[preload_count++];
	pf->pf_name = name;
	pf->pf_type = type;
	pf->pf_addr = addr;
	pf->pf_size = size;
	return (0);
}

caddr_t
preload_search_by_name(name)
	const char *name;
{
	int i;

	for (i = 0; i < preload_count; i++)
		if (strcmp(preload_files[i].pf_name, name) == 0)
			return ((caddr_t)&preload_files[i]);
	return (NULL);
}

caddr_t
preload_search_by_type(type)
	const char *type;
{
	int i;

	for (i = 0; i < preload_count; i++)
		if (strcmp(preload_files[i].pf_type, type) == 0)
			return ((caddr_t)&preload_files[i]);
	return (NULL);
}

/*
 * The module after base, or the first when base is NULL.
 */
caddr_t
preload_search_next_name(base)
	caddr_t base;
{
	struct preload_file *pf;

	if (base == NULL)
		pf = &preload_files[0];
	else
		pf = (struct preload_file *)base + 1;
	if (pf >= &preload_files[preload_count])
		return (NULL);
	return ((caddr_t)pf);
}

caddr_t
preload_search_info(mod, inf)
	caddr_t mod;
	int inf;
{
	struct preload_file *pf;

	pf = (struct preload_file *)mod;
	if (pf == NULL)
		return (NULL);
	switch (inf) {
	case MODINFO_NAME:
		return ((caddr_t)pf->pf_name);
	case MODINFO_TYPE:
		return ((caddr_t)pf->pf_type);
	case MODINFO_ADDR:
		return ((caddr_t)&pf->pf_addr);
	case MODINFO_SIZE:
		return ((caddr_t)&pf->pf_size);
	}
	return (NULL);
}
