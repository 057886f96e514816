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
 * Mounting the root file system.  The root device comes from the kernel
 * environment's vfs.root.mountfrom (the loader's, or the Xen domain's
 * command line), else from ROOTDEVNAME, in the form fstype:path; the file system type is looked up among the
 * configured ones and the path among the disks the drivers attached (md0:
 * the boot loader's file system image; xbd0: a Xen virtual disk).  On success rootvnode is the root
 * directory and the console shows the mount, then either the root
 * directory's entries or, with vfs.root.walk=1 in the kernel environment,
 * every file of the tree with its size and MD5 (vfs_rootwalk.c).  On
 * failure the kernel says why and panics, as FreeBSD does.
 */

#include <sys/param.h>
#include <sys/systm.h>
#include <sys/errno.h>
#include <sys/conf.h>
#include <sys/kernel.h>
#include <sys/mount.h>
#include <sys/vnode.h>

#ifdef NFS
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/in_var.h>
#include <nfs/nfsdiskless.h>
#endif

#ifndef ROOTDEVNAME
#define	ROOTDEVNAME	"ufs:/dev/md0"
#endif

dev_t rootdev = NODEV;			/* device of the root */
struct vnode *rootvp;			/* its vnode */

static char rootdevname[64];
#ifdef NFS
static char nfs_mountfrom[16 + NFSD_PATHLEN];
#endif

static int vfs_mountroot_try __P((const char *mountfrom));

/*
 * Mount from a "fstype:path" specification.
 */
static int
vfs_mountroot_try(mountfrom)
	const char *mountfrom;
{
	struct mount *mp;
	struct vnode *vp;
	const char *path;
	char vfsname[MFSNAMELEN];
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

	if (vfs_byname(vfsname) == NULL) {
		printf("vfs_mountroot: unknown file system type %s\n", vfsname);
		return (ENODEV);
	}

	i = 0;
	while (path[i] != '\0' && i < (int)sizeof(rootdevname) - 1) {
		rootdevname[i] = path[i];
		i++;
	}
	rootdevname[i] = '\0';
	/* A network file system's root has no disk. */
	if (strcmp(vfsname, "nfs") != 0) {
		rootdev = disk_lookup(rootdevname);
		if (rootdev == NODEV)
			printf("setrootbyname failed\n");
	}

	error = vfs_rootmountalloc(vfsname, rootdevname, &mp);
	if (error == 0)
		error = VFS_MOUNT(mp, NULL, NULL, NULL, NULL);
	if (error) {
		printf("Root mount failed: %d\n", error);
		return (error);
	}
	mp->mnt_flag |= MNT_ROOTFS;
	mp->mnt_next = mountlist;
	mountlist = mp;
	(void)VFS_START(mp, 0, NULL);

	/* The root directory: it must be one. */
	error = VFS_ROOT(mp, &vp);
	if (error == 0 && vp->v_type != VDIR) {
		printf("vfs_mountroot: the root inode is not a directory\n");
		vput(vp);
		error = ENOTDIR;
	}
	if (error) {
		printf("Root mount failed: %d\n", error);
		return (error);
	}
	rootvnode = vp;
	printf("%s on %s (%s, %s%s)\n",
	    mp->mnt_stat.f_mntfromname, mp->mnt_stat.f_mntonname,
	    mp->mnt_stat.f_fstypename,
	    strcmp(vfsname, "nfs") == 0 ? "" : "local, ",
	    (mp->mnt_flag & MNT_RDONLY) ? "read-only" : "read-write");
	return (0);
}

/*
 * Find and mount the root filesystem.
 */
void
vfs_mountroot(dummy)
	void *dummy;
{
	const char *cp, *mountfrom;
	int walk;

	mountfrom = ROOTDEVNAME;
#ifdef NFS
	/* A diskless boot's root: nfs_diskless says where (nfsroot=). */
	if (nfs_diskless.nd_hasroot) {
		sprintf(nfs_mountfrom, "nfs:%s:%s",
		    inet_ntoa(nfs_diskless.root_saddr), nfs_diskless.root_path);
		mountfrom = nfs_mountfrom;
	}
#endif
	/*
	 * The value supplied by the loader (or the domain's command line) is
	 * the preferred mechanism; the default above is the fallback.
	 */
	if (((cp = getenv("vfs.root.mountfrom")) != NULL &&
	    vfs_mountroot_try(cp) == 0) ||
	    vfs_mountroot_try(mountfrom) == 0) {
		if (getenv_int("vfs.root.walk", &walk) && walk)
			vfs_rootwalk();
		else
			vfs_rootlist();
		return;
	}

	printf("vfs_mountroot: unable to mount root file system\n");
	panic("Root mount failed, startup aborted.");
}
