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
 * Machine-independent startup.  mi_startup() runs the sysinit table in
 * (subsystem, order) order; the last entries never return.  FreeBSD
 * gathers the table from linker sets, this kernel lists it here.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/kernel.h>

#include <vm/vm.h>
#include <vm/vm_page.h>
#include <vm/pmap.h>

#include <machine/md_var.h>

const char copyright[] =
    "Copyright (c) 1992-2003 The FreeBSD Project.\n"
    "Copyright (c) 1979, 1980, 1983, 1986, 1988, 1989, 1991, 1992, 1993, 1994\n"
    "\tThe Regents of the University of California. All rights reserved.\n";

const char version[] =
    "FreeBSD 4.8-XENOPORT #0: sample kernel\n"
    "    xenoport@xenoport:/usr/src/sys/compile/GENERIC\n";

int bootverbose = 0;

static void print_caddr_t __P((void *data));
static void scheduler __P((void *dummy)) __dead2;

static void
print_caddr_t(data)
	void *data;
{

	printf("%s", (char *)data);
}

/*
 * The first process would be started here; there is no root file
 * system to start it from.
 */
static void
scheduler(dummy)
	void *dummy;
{

	panic("scheduler: no init");
}

static struct sysinit sysinit_table[] = {
	{ SI_SUB_MOUNT_ROOT, SI_ORDER_FIRST, vfs_mountroot, NULL, "vfs_mountroot" },
	{ SI_SUB_COPYRIGHT, SI_ORDER_FIRST, print_caddr_t, (void *)copyright, "copyright" },
	{ SI_SUB_COPYRIGHT, SI_ORDER_SECOND, print_caddr_t, (void *)version, "version" },
	{ SI_SUB_VM, SI_ORDER_FIRST, vm_mem_init, NULL, "vm_mem_init" },
	{ SI_SUB_CPU, SI_ORDER_FIRST, cpu_startup, NULL, "cpu_startup" },
	{ SI_SUB_DRIVERS, SI_ORDER_MIDDLE, md_drvinit, NULL, "md_drvinit" },
	{ SI_SUB_VFS, SI_ORDER_FIRST, vfsinit, NULL, "vfsinit" },
	{ SI_SUB_CLOCKS, SI_ORDER_FIRST, initclocks, NULL, "initclocks" },
	{ SI_SUB_SELFTEST, SI_ORDER_FIRST, pmap_selftest, NULL, "pmap_selftest" },
	{ SI_SUB_SELFTEST, SI_ORDER_SECOND, trap_selftest, NULL, "trap_selftest" },
	{ SI_SUB_SELFTEST, SI_ORDER_THIRD, cpu_selftest_switch, NULL, "cpu_selftest_switch" },
	{ SI_SUB_DUMMY, SI_ORDER_ANY, NULL, NULL, "dummy" },
	{ SI_SUB_RUN_SCHEDULER, SI_ORDER_ANY, scheduler, NULL, "scheduler" }
};

#define	NSYSINIT	(sizeof(sysinit_table) / sizeof(sysinit_table[0]))

/*
 * System startup; initialize the world, create process 0, mount root
 * filesystem, and fork to create init and pagedaemon.
 */
void
mi_startup()
{
	struct sysinit *sysinit[NSYSINIT];
	struct sysinit **sipp;		/* system initialization */
	struct sysinit **xipp;		/* interior loop of sort */
	struct sysinit *save;		/* bubble */
	u_int i;

	for (i = 0; i < NSYSINIT; i++)
		sysinit[i] = &sysinit_table[i];

	/* Perform a bubble sort of the system initialization objects by their subsystem (primary key) and order (secondary key). */
	for (sipp = sysinit; sipp < sysinit + NSYSINIT; sipp++) {
		for (xipp = sipp + 1; xipp < sysinit + NSYSINIT; xipp++) {
			if ((*sipp)->subsystem < (*xipp)->subsystem ||
			    ((*sipp)->subsystem == (*xipp)->subsystem &&
			    (*sipp)->order <= (*xipp)->order))
				continue;	/* skip */
			save = *sipp;
			*sipp = *xipp;
			*xipp = save;
		}
	}

	/*
	 * Traverse the (now) ordered list of system initialization tasks.
	 * Perform each task, and continue on to the next task.
	 */
	for (sipp = sysinit; sipp < sysinit + NSYSINIT; sipp++) {
		if ((*sipp)->subsystem == SI_SUB_DUMMY)
			continue;	/* skip dummy task(s) */
		if (bootverbose)
			printf("sysinit: %s\n", (*sipp)->name);

		/* Call function */
		(*((*sipp)->func))((*sipp)->udata);
	}

	panic("Shouldn't get here!");
	/* NOTREACHED */
}

/*
 * The machine-independent VM startup: the pmap module, now that pages
 * can be allocated.
 */
void
vm_mem_init(dummy)
	void *dummy;
{

	pmap_init();
}
