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
 * Mounting the root file system.  The root device comes from ROOTDEVNAME
 * in the form fstype:path; the file system type is looked up in vfsconf[]
 * and the path among the disk devices the drivers registered.  This
 * kernel has no disk drivers, so the mount fails, which is as far as a
 * new port needs to get.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/kernel.h>

#ifndef ROOTDEVNAME
#define	ROOTDEVNAME	"ufs:/dev/ad0s1a"
#endif

#define	NODEV		((dev_t)-1)

typedef	int	vfs_mountroot_t __P((void));

struct vfsconf {
	const char	*vfc_name;	/* file system type */
	vfs_mountroot_t	*vfc_mountroot;	/* mounts it as root */
};

/* The disks the drivers registered: none in this kernel. */
struct diskname {
	const char	*dn_name;
	dev_t		dn_dev;
};

static int ffs_mountroot __P((void));
static int nfs_mountroot __P((void));

static struct vfsconf vfsconf[] = {
	{ "ufs", ffs_mountroot },
	{ "nfs", nfs_mountroot },
	{ NULL, NULL }
};

static struct diskname disknames[] = {
	{ NULL, 0 }
};

static dev_t rootdev = NODEV;
static char rootdevname[64];

static int vfs_mountroot_try __P((const char *mountfrom));
static int setrootbyname __P((const char *name));

static int
ffs_mountroot()
{

	if (rootdev == NODEV) {
		printf("ffs_mountroot: can't find rootvp\n");
		return (ENXIO);
	}
	return (EIO);
}

static int
nfs_mountroot()
{

	printf("nfs_mountroot: no network interfaces\n");
	return (ENXIO);
}

/*
 * Find a disk by name, "/dev/" prefix optional.
 */
static int
setrootbyname(name)
	const char *name;
{
	struct diskname *dn;

	if (strncmp(name, "/dev/", 5) == 0)
		name += 5;
	for (dn = disknames; dn->dn_name != NULL; dn++) {
		if (strcmp(dn->dn_name, name) == 0) {
			rootdev = dn->dn_dev;
			return (0);
		}
	}
	return (1);
}

/*
 * Mount from a "fstype:path" specification.
 */
static int
vfs_mountroot_try(mountfrom)
	const char *mountfrom;
{
	struct vfsconf *vfsp;
	const char *path;
	char vfsname[16];
	int error, i;

	printf("Mounting root from %s\n", mountfrom);

	path = strchr(mountfrom, ':');
	if (path == NULL || path - mountfrom >= (int)sizeof(vfsname)) {
		printf("vfs_mountroot: bad root specification %s\n", mountfrom);
		return (EINVAL);
	}
	for (i = 0; mountfrom + i < path; i++)
		vfsname[i] = mountfrom[i];
	vfsname[i] = '\0';
	path++;

	for (vfsp = vfsconf; vfsp->vfc_name != NULL; vfsp++)
		if (strcmp(vfsp->vfc_name, vfsname) == 0)
			break;
	if (vfsp->vfc_name == NULL) {
		printf("vfs_mountroot: unknown file system type %s\n", vfsname);
		return (ENODEV);
	}

	i = 0;
	while (path[i] != '\0' && i < (int)sizeof(rootdevname) - 1) {
		rootdevname[i] = path[i];
		i++;
	}
	rootdevname[i] = '\0';
	if (setrootbyname(rootdevname))
		printf("setrootbyname failed\n");

	error = (*vfsp->vfc_mountroot)();
	if (error)
		printf("Root mount failed: %d\n", error);
	return (error);
}

/*
 * Find and mount the root filesystem.
 */
void
vfs_mountroot(dummy)
	void *dummy;
{

	if (vfs_mountroot_try(ROOTDEVNAME) == 0)
		return;

	printf("vfs_mountroot: unable to mount root file system\n");
	panic("Root mount failed, startup aborted.");
}
