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
 * The list of network interfaces, after FreeBSD 4's net/if.c: drivers
 * attach with if_attach(), the configuration code finds an interface by
 * name with ifunit().
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/mbuf.h>

#include <net/if.h>
#include <net/if_var.h>

struct ifnet *ifnet;			/* the attached interfaces */

/*
 * Attach an interface to the list of "active" interfaces.
 */
void
if_attach(ifp)
	struct ifnet *ifp;
{
	struct ifnet **p;

	p = &ifnet;
	while (*p != NULL)
		p = &(*p)->if_next;
	ifp->if_next = NULL;
	if (ifp->if_snd.ifq_maxlen == 0)
		ifp->if_snd.ifq_maxlen = IFQ_MAXLEN;
	*p = ifp;
}

/*
 * Map an interface name (``xn0'') to its ifnet structure.
 */
struct ifnet *
ifunit(name)
	const char *name;
{
	struct ifnet *ifp;
	int len, unit;
	const char *cp;

	for (cp = name; *cp != '\0' && (*cp < '0' || *cp > '9'); cp++)
		;
	len = cp - name;
	if (len == 0 || *cp == '\0')
		return (NULL);
	unit = 0;
	for (; *cp >= '0' && *cp <= '9'; cp++)
		unit = unit * 10 + (*cp - '0');
	if (*cp != '\0')
		return (NULL);
	for (ifp = ifnet; ifp != NULL; ifp = ifp->if_next)
		if (strncmp(ifp->if_name, name, len) == 0 &&
		    ifp->if_name[len] == '\0' && ifp->if_unit == unit)
			return (ifp);
	return (NULL);
}
