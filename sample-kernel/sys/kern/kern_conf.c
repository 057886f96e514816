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
 * The device switch, by major number, and the names of the disks the
 * drivers attached, which the root mount looks its device up in.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/conf.h>

#define	NDISKS		8

static struct cdevsw *cdevsw[NUMCDEVSW];

static struct diskname {
	const char	*dn_name;
	dev_t		dn_dev;
} disknames[NDISKS];
static int ndisks;

int
cdevsw_add(newentry)
	struct cdevsw *newentry;
{
	int i;

	for (i = 0; i < NUMCDEVSW; i++) {
		if (cdevsw[i] == NULL || cdevsw[i] == newentry) {
			cdevsw[i] = newentry;
			return (0);
		}
	}
	printf("cdevsw_add: no room for %s\n", newentry->d_name);
	return (ENOMEM);
}

struct cdevsw *
devsw(dev)
	dev_t dev;
{
	int i;

	for (i = 0; i < NUMCDEVSW; i++)
		if (cdevsw[i] != NULL && cdevsw[i]->d_maj == major(dev))
			return (cdevsw[i]);
	return (NULL);
}

int
disk_register(name, dev)
	const char *name;
	dev_t dev;
{

	if (ndisks >= NDISKS)
		return (ENOMEM);
	disknames[ndisks].dn_name = name;
	disknames[ndisks].dn_dev = dev;
	ndisks++;
	return (0);
}

/*
 * The device of the disk called name ("md0", "/dev/md0"), or NODEV.
 */
dev_t
disk_lookup(name)
	const char *name;
{
	int i;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	for (i = 0; i < ndisks; i++)
		if (strcmp(disknames[i].dn_name, name) == 0)
			return (disknames[i].dn_dev);
	return (NODEV);
}

/*
 * The name and device of the i-th disk registered, or NULL past the
 * last (devfs lists /dev with it).
 */
const char *
disk_name(i, devp)
	int i;
	dev_t *devp;
{

	if (i < 0 || i >= ndisks)
		return (NULL);
	*devp = disknames[i].dn_dev;
	return (disknames[i].dn_name);
}

const char *
devtoname(dev)
	dev_t dev;
{
	int i;

	for (i = 0; i < ndisks; i++)
		if (disknames[i].dn_dev == dev)
			return (disknames[i].dn_name);
	return ("??");
}
