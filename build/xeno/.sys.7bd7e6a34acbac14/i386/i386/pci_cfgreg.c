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
 * PCI configuration space access through configuration mechanism 1: a
 * 32-bit address written to CONF1_ADDR_PORT selects bus, slot, function
 * and register, and the data port reads or writes it, 1, 2 or 4 bytes
 * wide.  Nothing is printed: the kernel has no PCI drivers yet, it only
 * remembers whether the mechanism is there.
 */

#include <sys/param.h>
#include <sys/systm.h>

#include <machine/cpufunc.h>
#include <machine/md_var.h>

#define	CONF1_ADDR_PORT		0x0cf8
#define	CONF1_DATA_PORT		0x0cfc
#define	CONF1_ENABLE		0x80000000
#define	CONF1_ENABLE_CHK	0x80000000
#define	CONF1_ENABLE_MSK	0x7f000000

static int cfgmech;		/* 1 when mechanism 1 works, else 0 */

u_int32_t pci_cfgregread __P((int bus, int slot, int func, int reg, int bytes));
void	pci_cfgregwrite __P((int bus, int slot, int func, int reg,
	    u_int32_t data, int bytes));

static u_int32_t
pci_cfgenable(int bus, int slot, int func, int reg)
{

	return (CONF1_ENABLE | (bus << 16) | (slot << 11) | (func << 8) |
	    (reg & ~0x03));
}

u_int32_t
pci_cfgregread(bus, slot, func, reg, bytes)
	int bus, slot, func, reg, bytes;
{
	u_int32_t data;
	u_int port;

	if (cfgmech == 0)
		return (0xffffffff);
	outl(CONF1_ADDR_PORT, pci_cfgenable(bus, slot, func, reg));
	port = CONF1_DATA_PORT + (reg & 0x03);
	switch (bytes) {
	case 1:
		data = inb(port);
		break;
	case 2:
		data = inw(port);
		break;
	case 4:
		data = inl(port);
		break;
	default:
		data = 0xffffffff;
		break;
	}
	outl(CONF1_ADDR_PORT, 0);
	return (data);
}

void
pci_cfgregwrite(bus, slot, func, reg, data, bytes)
	int bus, slot, func, reg;
	u_int32_t data;
	int bytes;
{
	u_int port;

	if (cfgmech == 0)
		return;
	outl(CONF1_ADDR_PORT, pci_cfgenable(bus, slot, func, reg));
	port = CONF1_DATA_PORT + (reg & 0x03);
	switch (bytes) {
	case 1:
		outb(port, data);
		break;
	case 2:
		outw(port, data);
		break;
	case 4:
		outl(port, data);
		break;
	}
	outl(CONF1_ADDR_PORT, 0);
}

/*
 * Mechanism 1 is there when its address register reads back what was
 * written to it.
 */
int
pci_cfgregopen()
{
	u_int32_t oldval, mode1res;

	oldval = inl(CONF1_ADDR_PORT);
	outl(CONF1_ADDR_PORT, CONF1_ENABLE_CHK);
	mode1res = inl(CONF1_ADDR_PORT);
	outl(CONF1_ADDR_PORT, oldval);
	cfgmech = (mode1res & ~CONF1_ENABLE_MSK) == CONF1_ENABLE_CHK;
	if (cfgmech && bootverbose)
		printf("pcib0: host bridge 0x%04x:0x%04x\n",
		    pci_cfgregread(0, 0, 0, 0, 2), pci_cfgregread(0, 0, 0, 2, 2));
	return (cfgmech);
}
