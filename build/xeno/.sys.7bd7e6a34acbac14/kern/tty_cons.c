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
 * The console switch.  cninit() probes each entry of the machine's
 * constab[] and keeps the best; cnputc() goes through its cn_putc.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/cons.h>
#ifdef XENOPORT_XEN
#include <machine/xen/hypervisor.h>
#endif

struct consdev *cn_tab;

void
cninit()
{
	struct consdev *best_cp, *cp, **list;

	best_cp = NULL;
	for (list = constab; (cp = *list) != NULL; list++) {
		(*cp->cn_probe)(cp);
		if (cp->cn_pri > CN_DEAD &&
		    (best_cp == NULL || cp->cn_pri > best_cp->cn_pri))
			best_cp = cp;
	}
	cn_tab = best_cp;
	if (cn_tab != NULL)
		(*cn_tab->cn_init)(cn_tab);
}

/*
 * Put a character on the console, a newline as CR LF.
 */
void
cnputc(c)
	int c;
{
#ifdef XENOPORT_XEN
	/* xenoport step 7: straight to the Xen console, from the first printf. */
	if (c == '\n')
		xen_cnputc('\r');
	xen_cnputc(c);
	return;
#endif

	if (cn_tab == NULL)
		return;
	if (c == '\n')
		(*cn_tab->cn_putc)(cn_tab->cn_dev, '\r');
	(*cn_tab->cn_putc)(cn_tab->cn_dev, c);
}

int
cncheckc()
{

	if (cn_tab == NULL)
		return (-1);
	return ((*cn_tab->cn_checkc)(cn_tab->cn_dev));
}
