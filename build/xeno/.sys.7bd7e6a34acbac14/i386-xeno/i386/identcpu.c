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
 * CPU identification through the CPUID instruction.  finishidentcpu()
 * runs early in init386() and fills cpu_feature, which pmap_bootstrap()
 * reads; identifycpu() prints the result from cpu_startup().
 */

#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>
#include <machine/psl.h>
#include <machine/specialreg.h>
#include <machine/xen/hypervisor.h>

#define	CPU_CLASS_386	3
#define	CPU_CLASS_486	4
#define	CPU_CLASS_586	5
#define	CPU_CLASS_686	6

u_int	cpu_id;			/* stepping ID */
u_int	cpu_high;		/* highest arg to CPUID */
u_int	cpu_feature;		/* feature flags */
u_int	cpu_procinfo;		/* HyperThreading info / brand index / CLFUSH */
char	cpu_vendor[20];		/* CPU origin code */
int	cpu_class;
static int has_cpuid;

static const char *cpu_class_names[] = {
	"386", "386", "386", "386", "486", "586", "686"
};

/*
 * Whether the ID flag of %eflags can be toggled: the test for CPUID.
 */
static int
cpuid_present()
{
	u_int ef, ef2;

	ef = xen_read_eflags();
	xen_write_eflags(ef ^ PSL_ID);
	ef2 = xen_read_eflags();
	xen_write_eflags(ef);
	return (((ef ^ ef2) & PSL_ID) != 0);
}

void
finishidentcpu()
{
	u_int regs[4];
	u_int *vendor;
	u_int family;

	has_cpuid = XENO_BREAKPOINT("wrapper-privileged", "sys/i386/i386/identcpu.c:76");
	if (!has_cpuid)
		goto nocpuid;

	do_cpuid(0, regs);
	cpu_high = regs[0];
	vendor = (u_int *)cpu_vendor;
	vendor[0] = regs[1];
	vendor[1] = regs[3];
	vendor[2] = regs[2];
	cpu_vendor[12] = '\0';
	if (cpu_high == 0)
		goto nocpuid;

	do_cpuid(1, regs);
	cpu_id = regs[0];
	cpu_procinfo = regs[1];
	cpu_feature = (regs[3]) & ~(0x00000008 | 0x00002000 | 0x00000040) /* xenoport step 4: no PSE, PGE, PAE under Xen */;

	family = (cpu_id >> 8) & 0xf;
	switch (family) {
	case 4:
		cpu_class = CPU_CLASS_486;
		break;
	case 5:
		cpu_class = CPU_CLASS_586;
		break;
	case 15:
		/* FALLTHROUGH */
	case 6:
		cpu_class = CPU_CLASS_686;
		break;
	default:
		cpu_class = CPU_CLASS_386;
		break;
	}
	return;

nocpuid:
	has_cpuid = 0;
	cpu_class = CPU_CLASS_386;
	cpu_feature = 0;
}

void
identifycpu()
{
	u_int family, model, stepping;

	if (!has_cpuid) {
		printf("CPU: 386-class CPU (no CPUID)\n");
		return;
	}
	family = (cpu_id >> 8) & 0xf;
	model = (cpu_id >> 4) & 0xf;
	stepping = cpu_id & 0xf;
	printf("CPU: %s (%s-class CPU, family %u, model %u, stepping %u)\n",
	    cpu_vendor, cpu_class_names[cpu_class], family, model, stepping);
	printf("  Origin = \"%s\"  Id = 0x%x  Stepping = %u\n", cpu_vendor,
	    cpu_id, stepping);
	printf("  Features=0x%b\n", cpu_feature & CPUID_PRINT_MASK,
	    "\020"
	    "\001FPU"
	    "\002VME"
	    "\003DE"
	    "\004PSE"
	    "\005TSC"
	    "\006MSR"
	    "\007PAE"
	    "\010MCE"
	    "\011CX8"
	    "\012APIC"
	    "\013<b10>"
	    "\014SEP"
	    "\015MTRR"
	    "\016PGE"
	    "\017MCA"
	    "\020CMOV");
}
