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
 * newfs(8): make a UFS1 file system on a disk, in the shape of FreeBSD's
 * sbin/newfs (newfs.c's main, mkfs.c's mkfs, initcg, fsinit, makedir,
 * alloc, iput, rdfs and wtfs), with the layout FreeBSD 5's mkfs and the
 * makefs(8) of the build host give a UFS1 file system: 8 KiB blocks,
 * 1 KiB fragments, one bytes-per-inode density (4096), no rotational
 * tables (one "cylinder" per group, fs_nrpos 1), cylinder groups as
 * large as a one-block cylinder group map allows, the superblock at
 * 8192 with a copy in every group, the cylinder-group summaries after
 * the first group's inodes, and a root directory holding "." and "..".
 * A file system made here and one made by `makefs -t ffs -o
 * version=1,bsize=8192,fsize=1024,density=4096` of an empty directory
 * at the same size agree in every superblock and cylinder-group field
 * but the time stamps and the file system id.
 *
 * The disk is written with write(2) at lseek(2) offsets: on this kernel
 * /dev/xbd0 is a block device whose writes go through the buffer cache
 * to xbd(4); on the build host it is a plain file.  Its size is what
 * fstat(2) reports, or -s sectors.  Every inode block is written (zero),
 * so what was on the disk before cannot show through.
 *
 * FreeBSD's newfs.c and mkfs.c are together in this one file, as the
 * userland Makefile builds a program from one source.
 *
 * usage: newfs [-s sectors] [-T time] special
 */

#include <sys/types.h>
#include <sys/stat.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ufs/ufs/dinode.h>
#include <ufs/ffs/fs.h>

#define	SECTORSIZE	512
#define	BSIZE		8192		/* block size */
#define	FSIZE		1024		/* fragment size */
#define	DENSITY		4096		/* bytes of data per inode */
#define	MINFREE		5		/* makefs's reserve, percent */
#define	MAXCONTIG	8		/* MAXPHYS (64 KiB) / BSIZE */
#define	NBBY		8
#define	FS_CLEAN	1
#define	FS_FLAGS_UPDATED 0x80		/* FreeBSD 5: fields at new places */
#define	FS_DYNAMICPOSTBLFMT 1
#define	DEFTIME		1049328000	/* 2003-04-03, FreeBSD 4.8's release */

#ifndef howmany
#define	howmany(x, y)	(((x) + ((y) - 1)) / (y))
#endif
#ifndef roundup
#define	roundup(x, y)	((((x) + ((y) - 1)) / (y)) * (y))
#endif
#define	setbit(a, i)	((a)[(i) / NBBY] |= 1 << ((i) % NBBY))
#define	clrbit(a, i)	((a)[(i) / NBBY] &= ~(1 << ((i) % NBBY)))
#define	isset(a, i)	((a)[(i) / NBBY] & (1 << ((i) % NBBY)))
#define	INOPF(fs)	((fs)->fs_inopb >> (fs)->fs_fragshift)

/*
 * FreeBSD 5's sizeof(struct cg) (its UFS2 fields after cg_sparecon),
 * which makefs sizes the cylinder group map with; the maps themselves
 * start at cg_space, byte 168, as in FreeBSD 4.
 */
#define	CGHDRSIZE	176

/*
 * The size of a cylinder group map (FreeBSD 5's CGSIZE for UFS1 with
 * one cylinder per group): the header, the old rotational totals, the
 * inode and fragment maps, the cluster summary and map.
 */
#define	CGSIZE(fs) \
	(CGHDRSIZE + sizeof(int32_t) + sizeof(int32_t) + sizeof(u_int16_t) + \
	howmany((fs)->fs_ipg, NBBY) + howmany((fs)->fs_fpg, NBBY) + \
	(fs)->fs_contigsumsize * sizeof(int32_t) + \
	howmany(fragstoblks(fs, (fs)->fs_fpg), NBBY))

/* FreeBSD 5's copies of the superblock's sizes, at these byte offsets. */
#define	SB5_MAXBSIZE	860
#define	SB5_SBLOCKLOC	1000
#define	SB5_CSTOTAL	1008
#define	SB5_TIME	1072
#define	SB5_SIZE	1080
#define	SB5_DSIZE	1088
#define	SB5_CSADDR	1096
#define	SB5_AVGFILESIZE	1196
#define	SB5_AVGFPDIR	1200

static union {
	struct	fs fs;
	char	pad[SBSIZE];
} fsun;
#define	sblock	fsun.fs

static union {
	struct	cg cg;
	char	pad[BSIZE];
} cgun;
#define	acg	cgun.cg

static struct csum fscs[BSIZE / sizeof(struct csum)];
static char	iobuf[BSIZE];
static char	zbuf[BSIZE];
static int	fsi, fso;		/* the disk, to read and to write */
static char	*fsys;			/* its name */
static int32_t	utime;

static void	mkfs __P((int32_t fssize));
static void	initcg __P((int cylno));
static void	fsinit __P((void));
static int	makedir __P((char *buf));
static ufs_daddr_t alloc __P((int size, int mode));
static void	cgclusters __P((void));
static void	iput __P((struct dinode *ip, ino_t ino));
static void	rdfs __P((ufs_daddr_t bno, int size, char *bf));
static void	wtfs __P((ufs_daddr_t bno, int size, char *bf));
static void	setblock __P((struct fs *fs, u_char *cp, int h));
static void	clrblock __P((struct fs *fs, u_char *cp, int h));
static int	isblock __P((struct fs *fs, u_char *cp, int h));
static void	put64 __P((int off, int32_t lo, int32_t hi));
static void	fatal __P((const char *msg, int err)) __dead2;
static void	usage __P((void)) __dead2;

int
main(argc, argv)
	int argc;
	char **argv;
{
	struct stat st;
	int32_t fssize;
	int i;

	fssize = 0;
	utime = DEFTIME;
	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-s") == 0 && i + 1 < argc)
			fssize = atoi(argv[++i]);
		else if (strcmp(argv[i], "-T") == 0 && i + 1 < argc)
			utime = atoi(argv[++i]);
		else
			usage();
	}
	if (i != argc - 1)
		usage();
	fsys = argv[i];
	if ((fsi = open(fsys, O_RDWR)) < 0)
		fatal("cannot open", errno);
	fso = fsi;
	if (fstat(fsi, &st) < 0)
		fatal("cannot stat", errno);
	if (fssize == 0)
		fssize = (int32_t)(st.st_size / SECTORSIZE);
	else if (st.st_size != 0 && fssize > st.st_size / SECTORSIZE) {
		printf("newfs: %s: %d sectors requested, the disk has %d\n",
		    fsys, fssize, (int)(st.st_size / SECTORSIZE));
		exit(1);
	}
	mkfs(fssize);
	if (close(fso) < 0)
		fatal("close", errno);
	exit(0);
}

/*
 * Lay out the file system: the superblock's geometry, every cylinder
 * group, the root directory, then the superblock, its copies and the
 * summaries.
 */
static void
mkfs(fssize)
	int32_t fssize;
{
	int32_t fragsperinode, minfpg, lastminfpg, csfrags, i;
	u_int64_t sizepb, maxfilesize;
	int cylno;

	if (fssize <= 0) {
		printf("newfs: %s: preposterous size %d\n", fsys, fssize);
		exit(1);
	}
	/* The last sector must be there. */
	rdfs(fssize - 1, SECTORSIZE, iobuf);

	sblock.fs_bsize = BSIZE;
	sblock.fs_fsize = FSIZE;
	sblock.fs_maxcontig = MAXCONTIG;
	sblock.fs_contigsumsize = MAXCONTIG;
	sblock.fs_bmask = ~(sblock.fs_bsize - 1);
	sblock.fs_fmask = ~(sblock.fs_fsize - 1);
	sblock.fs_qbmask = ~sblock.fs_bmask;
	sblock.fs_qfmask = ~sblock.fs_fmask;
	for (sblock.fs_bshift = 0, i = sblock.fs_bsize; i > 1; i >>= 1)
		sblock.fs_bshift++;
	for (sblock.fs_fshift = 0, i = sblock.fs_fsize; i > 1; i >>= 1)
		sblock.fs_fshift++;
	sblock.fs_frag = numfrags(&sblock, sblock.fs_bsize);
	for (sblock.fs_fragshift = 0, i = sblock.fs_frag; i > 1; i >>= 1)
		sblock.fs_fragshift++;
	for (sblock.fs_fsbtodb = 0, i = sblock.fs_fsize / SECTORSIZE; i > 1;
	    i >>= 1)
		sblock.fs_fsbtodb++;
	sblock.fs_size = fssize = dbtofsb(&sblock, fssize);
	sblock.fs_magic = FS_MAGIC;
	sblock.fs_nindir = sblock.fs_bsize / sizeof(ufs_daddr_t);
	sblock.fs_inopb = sblock.fs_bsize / sizeof(struct dinode);
	sblock.fs_maxsymlinklen = MAXSYMLINKLEN;
	sblock.fs_inodefmt = FS_44INODEFMT;
	sblock.fs_cgoffset = 0;
	sblock.fs_cgmask = 0xffffffff;
	sblock.fs_rotdelay = 0;
	sblock.fs_rps = 60;
	sblock.fs_nspf = sblock.fs_fsize / SECTORSIZE;
	sblock.fs_cpg = 1;
	sblock.fs_interleave = 1;
	sblock.fs_trackskew = 0;
	sblock.fs_cpc = 0;
	sblock.fs_postblformat = FS_DYNAMICPOSTBLFMT;
	sblock.fs_nrpos = 1;
	sblock.fs_flags = (int8_t)FS_FLAGS_UPDATED;

	sblock.fs_sblkno = roundup(howmany(SBOFF + SBSIZE, sblock.fs_fsize),
	    sblock.fs_frag);
	sblock.fs_cblkno = sblock.fs_sblkno +
	    roundup(howmany(SBSIZE, sblock.fs_fsize), sblock.fs_frag);
	sblock.fs_iblkno = sblock.fs_cblkno + sblock.fs_frag;
	maxfilesize = (u_int64_t)sblock.fs_bsize * NDADDR - 1;
	for (sizepb = sblock.fs_bsize, i = 0; i < NIADDR; i++) {
		sizepb *= NINDIR(&sblock);
		maxfilesize += sizepb;
	}
	sblock.fs_maxfilesize = maxfilesize;

	/*
	 * Blocks per cylinder group: enough for the density's inodes,
	 * then as many as a one-block map can describe, then fewer if
	 * the last group would be too small to hold its inodes.
	 */
	fragsperinode = numfrags(&sblock, DENSITY);
	if (fragsperinode < 1)
		fragsperinode = 1;
	minfpg = fragsperinode * INOPB(&sblock);
	if (minfpg > sblock.fs_size)
		minfpg = sblock.fs_size;
	sblock.fs_ipg = INOPB(&sblock);
	sblock.fs_fpg = roundup(sblock.fs_iblkno +
	    sblock.fs_ipg / INOPF(&sblock), sblock.fs_frag);
	if (sblock.fs_fpg < minfpg)
		sblock.fs_fpg = minfpg;
	sblock.fs_ipg = roundup(howmany(sblock.fs_fpg, fragsperinode),
	    INOPB(&sblock));
	sblock.fs_fpg = roundup(sblock.fs_iblkno +
	    sblock.fs_ipg / INOPF(&sblock), sblock.fs_frag);
	if (sblock.fs_fpg < minfpg)
		sblock.fs_fpg = minfpg;
	sblock.fs_ipg = roundup(howmany(sblock.fs_fpg, fragsperinode),
	    INOPB(&sblock));
	if (CGSIZE(&sblock) >= (unsigned)sblock.fs_bsize) {
		printf("newfs: %s: a cylinder group map does not fit in "
		    "a block\n", fsys);
		exit(1);
	}
	for (; sblock.fs_fpg < sblock.fs_size - 1;
	    sblock.fs_fpg += sblock.fs_frag) {
		sblock.fs_ipg = roundup(howmany(sblock.fs_fpg, fragsperinode),
		    INOPB(&sblock));
		if (sblock.fs_size / sblock.fs_fpg < 1)
			break;
		if (CGSIZE(&sblock) < (unsigned)sblock.fs_bsize)
			continue;
		if (CGSIZE(&sblock) == (unsigned)sblock.fs_bsize)
			break;
		sblock.fs_fpg -= sblock.fs_frag;
		sblock.fs_ipg = roundup(howmany(sblock.fs_fpg, fragsperinode),
		    INOPB(&sblock));
		break;
	}
	for (;;) {
		sblock.fs_ncg = howmany(sblock.fs_size, sblock.fs_fpg);
		lastminfpg = roundup(sblock.fs_iblkno +
		    sblock.fs_ipg / INOPF(&sblock), sblock.fs_frag);
		if (sblock.fs_size < lastminfpg) {
			printf("newfs: %s: %d fragments is too small for a "
			    "file system (at least %d)\n", fsys,
			    sblock.fs_size, lastminfpg);
			exit(1);
		}
		if (sblock.fs_size % sblock.fs_fpg >= lastminfpg ||
		    sblock.fs_size % sblock.fs_fpg == 0)
			break;
		sblock.fs_fpg -= sblock.fs_frag;
		sblock.fs_ipg = roundup(howmany(sblock.fs_fpg, fragsperinode),
		    INOPB(&sblock));
	}
	sblock.fs_cgsize = fragroundup(&sblock, CGSIZE(&sblock));
	sblock.fs_dblkno = sblock.fs_iblkno + sblock.fs_ipg / INOPF(&sblock);
	sblock.fs_spc = sblock.fs_fpg * sblock.fs_nspf;
	sblock.fs_nsect = sblock.fs_spc;
	sblock.fs_npsect = sblock.fs_spc;
	sblock.fs_ncyl = sblock.fs_ncg;
	sblock.fs_csaddr = cgdmin(&sblock, 0);
	sblock.fs_cssize = fragroundup(&sblock,
	    sblock.fs_ncg * sizeof(struct csum));
	if (sblock.fs_cssize > (int32_t)sizeof(fscs)) {
		printf("newfs: %s: too many cylinder groups (%d)\n", fsys,
		    sblock.fs_ncg);
		exit(1);
	}
	sblock.fs_sbsize = fragroundup(&sblock, (int32_t)sizeof(struct fs));
	sblock.fs_minfree = MINFREE;
	sblock.fs_maxbpg = sblock.fs_bsize / sizeof(ufs_daddr_t);
	sblock.fs_optim = 0;			/* FS_OPTTIME */
	sblock.fs_clean = FS_CLEAN;
	sblock.fs_id[0] = utime;
	sblock.fs_id[1] = fssize ^ 0x5eed;
	csfrags = howmany(sblock.fs_cssize, sblock.fs_fsize);
	sblock.fs_dsize = sblock.fs_size - sblock.fs_sblkno -
	    sblock.fs_ncg * (sblock.fs_dblkno - sblock.fs_sblkno);
	sblock.fs_dsize -= csfrags;
	sblock.fs_time = utime;

	printf("%s: %d sectors in %d cylinder groups of %d blocks, %d "
	    "inodes each; block size %d, fragment size %d\n", fsys,
	    (int)fsbtodb(&sblock, sblock.fs_size), sblock.fs_ncg,
	    sblock.fs_fpg / sblock.fs_frag, sblock.fs_ipg, sblock.fs_bsize,
	    sblock.fs_fsize);
	printf("super-block backups (for fsck -b #) at:");
	for (cylno = 0; cylno < sblock.fs_ncg; cylno++) {
		initcg(cylno);
		printf(" %d", (int)fsbtodb(&sblock, cgsblock(&sblock, cylno)));
	}
	printf("\n");

	fsinit();

	/* FreeBSD 5's copies of the sizes and totals, as makefs fills them. */
	put64(SB5_MAXBSIZE, sblock.fs_bsize, -1);
	put64(SB5_SBLOCKLOC, SBOFF, 0);
	put64(SB5_CSTOTAL, sblock.fs_cstotal.cs_ndir, 0);
	put64(SB5_CSTOTAL + 8, sblock.fs_cstotal.cs_nbfree, 0);
	put64(SB5_CSTOTAL + 16, sblock.fs_cstotal.cs_nifree, 0);
	put64(SB5_CSTOTAL + 24, sblock.fs_cstotal.cs_nffree, 0);
	put64(SB5_TIME, utime, 0);
	put64(SB5_SIZE, sblock.fs_size, 0);
	put64(SB5_DSIZE, sblock.fs_dsize, 0);
	put64(SB5_CSADDR, sblock.fs_csaddr, 0);
	put64(SB5_AVGFILESIZE, 16384, -1);
	put64(SB5_AVGFPDIR, 64, -1);

	wtfs(SBOFF / SECTORSIZE, sblock.fs_sbsize, (char *)&sblock);
	for (cylno = 0; cylno < sblock.fs_ncg; cylno++)
		wtfs(fsbtodb(&sblock, cgsblock(&sblock, cylno)),
		    sblock.fs_sbsize, (char *)&sblock);
	wtfs(fsbtodb(&sblock, sblock.fs_csaddr), sblock.fs_cssize,
	    (char *)fscs);
}

/*
 * Store a 32-bit value at a byte offset of the superblock, and a high
 * word after it unless hi is -1 (a 32-bit field).
 */
static void
put64(off, lo, hi)
	int off;
	int32_t lo, hi;
{

	memcpy(fsun.pad + off, &lo, sizeof(lo));
	if (hi != -1)
		memcpy(fsun.pad + off + 4, &hi, sizeof(hi));
}

/*
 * Initialize a cylinder group: its map (every data fragment free but
 * the first group's summary area), its inodes zeroed, a copy of the
 * superblock's geometry before it.
 */
static void
initcg(cylno)
	int cylno;
{
	int32_t cbase, dmax, dlower, dupper, d, i, blkno, fragsz;

	cbase = cgbase(&sblock, cylno);
	dmax = cbase + sblock.fs_fpg;
	if (dmax > sblock.fs_size)
		dmax = sblock.fs_size;
	dlower = cgsblock(&sblock, cylno) - cbase;
	dupper = cgdmin(&sblock, cylno) - cbase;
	if (cylno == 0)
		dupper += howmany(sblock.fs_cssize, sblock.fs_fsize);
	memset(&cgun, 0, sizeof(cgun));
	acg.cg_magic = CG_MAGIC;
	acg.cg_time = utime;
	acg.cg_cgx = cylno;
	acg.cg_ncyl = 1;
	acg.cg_niblk = sblock.fs_ipg;
	acg.cg_ndblk = dmax - cbase;
	acg.cg_nclusterblks = acg.cg_ndblk >> sblock.fs_fragshift;
	acg.cg_btotoff = &acg.cg_space[0] - (u_char *)&acg.cg_firstfield;
	acg.cg_boff = acg.cg_btotoff + sizeof(int32_t);
	acg.cg_iusedoff = acg.cg_boff + sizeof(u_int16_t);
	acg.cg_freeoff = acg.cg_iusedoff + howmany(sblock.fs_ipg, NBBY);
	acg.cg_clustersumoff = roundup(acg.cg_freeoff +
	    howmany(sblock.fs_fpg, NBBY) - sizeof(int32_t), sizeof(int32_t));
	acg.cg_clusteroff = acg.cg_clustersumoff +
	    (sblock.fs_contigsumsize + 1) * sizeof(int32_t);
	acg.cg_nextfreeoff = acg.cg_clusteroff +
	    howmany(fragstoblks(&sblock, sblock.fs_fpg), NBBY);
	if (acg.cg_nextfreeoff > sblock.fs_cgsize) {
		printf("newfs: cylinder group %d's map is too big\n", cylno);
		exit(1);
	}
	acg.cg_cs.cs_nifree += sblock.fs_ipg;
	if (cylno == 0)
		for (i = 0; i < (int32_t)ROOTINO; i++) {
			setbit(cg_inosused(&acg), i);
			acg.cg_cs.cs_nifree--;
		}
	/* Before the superblock copy: free, but in the first group. */
	if (cylno > 0)
		for (d = 0, blkno = 0; d < dlower; d += sblock.fs_frag) {
			setblock(&sblock, cg_blksfree(&acg), blkno);
			setbit(cg_clustersfree(&acg), blkno);
			acg.cg_cs.cs_nbfree++;
			blkno++;
		}
	if ((i = dupper & (sblock.fs_frag - 1)) != 0) {
		acg.cg_frsum[sblock.fs_frag - i]++;
		for (d = dupper + sblock.fs_frag - i; dupper < d; dupper++) {
			setbit(cg_blksfree(&acg), dupper);
			acg.cg_cs.cs_nffree++;
		}
	}
	for (d = dupper, blkno = dupper >> sblock.fs_fragshift;
	    d + sblock.fs_frag <= acg.cg_ndblk; d += sblock.fs_frag) {
		setblock(&sblock, cg_blksfree(&acg), blkno);
		setbit(cg_clustersfree(&acg), blkno);
		acg.cg_cs.cs_nbfree++;
		blkno++;
	}
	if (d < acg.cg_ndblk) {
		acg.cg_frsum[acg.cg_ndblk - d]++;
		for (; d < acg.cg_ndblk; d++) {
			setbit(cg_blksfree(&acg), d);
			acg.cg_cs.cs_nffree++;
		}
	}
	cgclusters();
	fscs[cylno] = acg.cg_cs;
	sblock.fs_cstotal.cs_nbfree += acg.cg_cs.cs_nbfree;
	sblock.fs_cstotal.cs_nffree += acg.cg_cs.cs_nffree;
	sblock.fs_cstotal.cs_nifree += acg.cg_cs.cs_nifree;

	wtfs(fsbtodb(&sblock, cgtod(&sblock, cylno)), sblock.fs_cgsize,
	    (char *)&acg);
	/* The group's inodes, a block at a time. */
	fragsz = sblock.fs_ipg / INOPF(&sblock);
	for (i = 0; i < fragsz; i += sblock.fs_frag)
		wtfs(fsbtodb(&sblock, cgimin(&sblock, cylno) + i),
		    (fragsz - i < sblock.fs_frag ? fragsz - i :
		    sblock.fs_frag) * sblock.fs_fsize, zbuf);
}

/*
 * The root directory: "." and "..", in one fragment.
 */
static void
fsinit()
{
	struct dinode node;
	char buf[FSIZE];

	memset(&node, 0, sizeof(node));
	memset(buf, 0, sizeof(buf));
	node.di_mode = IFDIR | 0755;
	node.di_nlink = 2;
	node.di_size = makedir(buf);
	node.di_atime = node.di_mtime = node.di_ctime = utime;
	node.di_db[0] = alloc(sblock.fs_fsize, node.di_mode);
	node.di_blocks = fragroundup(&sblock, (int32_t)node.di_size) / SECTORSIZE;
	wtfs(fsbtodb(&sblock, node.di_db[0]), sblock.fs_fsize, buf);
	iput(&node, ROOTINO);
}

/*
 * A directory block with "." and ".." for the root (inode 2 both), the
 * last entry reaching to the end of the DIRBLKSIZ (512 byte) block.
 * Returns the directory's size.
 */
static int
makedir(buf)
	char *buf;
{
	u_int32_t ino;
	u_int16_t reclen;

	ino = ROOTINO;
	reclen = 12;
	memcpy(buf, &ino, 4);
	memcpy(buf + 4, &reclen, 2);
	buf[6] = 4;				/* DT_DIR */
	buf[7] = 1;
	buf[8] = '.';
	reclen = 512 - 12;
	memcpy(buf + 12, &ino, 4);
	memcpy(buf + 16, &reclen, 2);
	buf[18] = 4;
	buf[19] = 2;
	buf[20] = '.';
	buf[21] = '.';
	return (512);
}

/*
 * Allocate size bytes (at most a block) in the first group, as the
 * kernel's allocator does: from a run of free fragments long enough,
 * else from the first free block, whose rest stays free as fragments.
 * The map's summaries (fragment runs, clusters, counts) follow.
 */
static ufs_daddr_t
alloc(size, mode)
	int size;
	int mode;
{
	u_char *map;
	int32_t d, frag, run, i, bb;

	rdfs(fsbtodb(&sblock, cgtod(&sblock, 0)), sblock.fs_cgsize,
	    (char *)&acg);
	if (acg.cg_magic != CG_MAGIC) {
		printf("newfs: cylinder group 0: bad magic number\n");
		exit(1);
	}
	map = cg_blksfree(&acg);
	frag = howmany(size, sblock.fs_fsize);
	for (d = 0; d < acg.cg_ndblk; d += sblock.fs_frag) {
		if (isblock(&sblock, map, fragstoblks(&sblock, d)))
			continue;
		for (i = 0; i < sblock.fs_frag && !isset(map, d + i); i++)
			;
		for (run = 0; i + run < sblock.fs_frag &&
		    isset(map, d + i + run); run++)
			;
		if (run >= frag && frag < sblock.fs_frag)
			break;
	}
	if (d < acg.cg_ndblk) {
		/* From a run of fragments. */
		acg.cg_frsum[run]--;
		if (run > frag)
			acg.cg_frsum[run - frag]++;
		bb = d;
		d += i;
		for (i = 0; i < frag; i++)
			clrbit(map, d + i);
		acg.cg_cs.cs_nffree -= frag;
		sblock.fs_cstotal.cs_nffree -= frag;
	} else {
		for (d = 0; d < acg.cg_ndblk; d += sblock.fs_frag)
			if (isblock(&sblock, map, fragstoblks(&sblock, d)))
				break;
		if (d >= acg.cg_ndblk) {
			printf("newfs: cylinder group 0 has no free block\n");
			exit(1);
		}
		bb = d;
		clrblock(&sblock, map, fragstoblks(&sblock, d));
		clrbit(cg_clustersfree(&acg), fragstoblks(&sblock, d));
		cgclusters();
		acg.cg_cs.cs_nbfree--;
		sblock.fs_cstotal.cs_nbfree--;
		if (frag < sblock.fs_frag) {
			acg.cg_frsum[sblock.fs_frag - frag]++;
			for (i = frag; i < sblock.fs_frag; i++)
				setbit(map, d + i);
			acg.cg_cs.cs_nffree += sblock.fs_frag - frag;
			sblock.fs_cstotal.cs_nffree += sblock.fs_frag - frag;
		}
	}
	if (mode & IFDIR) {
		acg.cg_cs.cs_ndir++;
		sblock.fs_cstotal.cs_ndir++;
	}
	acg.cg_frotor = bb;
	fscs[0] = acg.cg_cs;
	wtfs(fsbtodb(&sblock, cgtod(&sblock, 0)), sblock.fs_cgsize,
	    (char *)&acg);
	return (d);
}

/*
 * The cluster summary of the group in acg: runs of free blocks in its
 * cluster map, by length up to fs_contigsumsize.
 */
static void
cgclusters()
{
	int32_t *sump;
	u_char *mapp;
	int32_t i, run;

	sump = cg_clustersum(&acg);
	mapp = cg_clustersfree(&acg);
	/* sump[0] is never used: the fragment map's last word is there. */
	for (i = 1; i <= sblock.fs_contigsumsize; i++)
		sump[i] = 0;
	for (run = 0, i = 0; i < acg.cg_nclusterblks; i++) {
		if (isset(mapp, i)) {
			run++;
			continue;
		}
		if (run != 0)
			sump[run > sblock.fs_contigsumsize ?
			    sblock.fs_contigsumsize : run]++;
		run = 0;
	}
	if (run != 0)
		sump[run > sblock.fs_contigsumsize ?
		    sblock.fs_contigsumsize : run]++;
}

/*
 * Write an inode into its place in the inode blocks and mark it used.
 */
static void
iput(ip, ino)
	struct dinode *ip;
	ino_t ino;
{
	struct dinode buf[BSIZE / sizeof(struct dinode)];
	ufs_daddr_t d;

	rdfs(fsbtodb(&sblock, cgtod(&sblock, 0)), sblock.fs_cgsize,
	    (char *)&acg);
	setbit(cg_inosused(&acg), ino);
	acg.cg_cs.cs_nifree--;
	sblock.fs_cstotal.cs_nifree--;
	fscs[0].cs_nifree--;
	wtfs(fsbtodb(&sblock, cgtod(&sblock, 0)), sblock.fs_cgsize,
	    (char *)&acg);
	d = fsbtodb(&sblock, ino_to_fsba(&sblock, ino));
	rdfs(d, sblock.fs_bsize, (char *)buf);
	buf[ino_to_fsbo(&sblock, ino)] = *ip;
	wtfs(d, sblock.fs_bsize, (char *)buf);
}

/*
 * Read a block from the file system.
 */
static void
rdfs(bno, size, bf)
	ufs_daddr_t bno;
	int size;
	char *bf;
{
	int n;

	if (lseek(fsi, (off_t)bno * SECTORSIZE, SEEK_SET) < 0)
		fatal("seek error", errno);
	n = read(fsi, bf, size);
	if (n != size) {
		printf("newfs: %s: read error at sector %d: %s\n", fsys,
		    (int)bno, n < 0 ? strerror(errno) : "short read");
		exit(1);
	}
}

/*
 * Write a block to the file system.
 */
static void
wtfs(bno, size, bf)
	ufs_daddr_t bno;
	int size;
	char *bf;
{
	int n;

	if (lseek(fso, (off_t)bno * SECTORSIZE, SEEK_SET) < 0)
		fatal("seek error", errno);
	n = write(fso, bf, size);
	if (n != size) {
		printf("newfs: %s: write error at sector %d: %s\n", fsys,
		    (int)bno, n < 0 ? strerror(errno) : "short write");
		exit(1);
	}
}

/*
 * The block map: a block is free when all its fragments' bits are set
 * (fs_frag is 8 here: one byte per block).
 */
static int
isblock(fs, cp, h)
	struct fs *fs;
	u_char *cp;
	int h;
{

	return (cp[h] == 0xff);
}

static void
clrblock(fs, cp, h)
	struct fs *fs;
	u_char *cp;
	int h;
{

	cp[h] = 0;
}

static void
setblock(fs, cp, h)
	struct fs *fs;
	u_char *cp;
	int h;
{

	cp[h] = 0xff;
}

static void
fatal(msg, err)
	const char *msg;
	int err;
{

	printf("newfs: %s: %s: %s\n", fsys, msg, strerror(err));
	exit(1);
}

static void
usage()
{

	printf("usage: newfs [-s sectors] [-T time] special\n");
	exit(1);
}
