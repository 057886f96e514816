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
 * The UFS1 (Berkeley Fast File System) superblock, cylinder group
 * header and the address arithmetic between them, in FreeBSD 4's shape.
 * The superblock sits SBOFF (8192) bytes into the partition; its magic
 * FS_MAGIC (0x011954) is at byte 1372 of it, which the field layout below
 * reproduces (a makefs -t ffs -o version=1 image has it there).
 * Disk addresses (ufs_daddr_t) count fragments; fsbtodb() turns them
 * into DEV_BSIZE sectors.  All the arithmetic is shifts and masks from
 * fields of the superblock, so a damaged superblock is checked before any
 * of it is used (ffs_mountfs).
 */

#ifndef _UFS_FFS_FS_H_
#define	_UFS_FFS_FS_H_

#define	BBSIZE		8192
#define	SBSIZE		8192
#define	SBOFF		((off_t)(BBSIZE))
#define	SBLOCK		((ufs_daddr_t)(SBOFF / DEV_BSIZE))

#define	MINBSIZE	4096
#define	MAXMNTLEN	512
#define	MAXFRAG		8
#define	FS_MAXCONTIG	16	/* max cluster summary array size */

/* The in-core pointers the superblock carries (ignored on disk). */
#define	NOCSPTRS	((128 / sizeof(void *)) - 2)

/* Per cylinder group information, summarized in the superblock. */
struct csum {
	int32_t	cs_ndir;		/* number of directories */
	int32_t	cs_nbfree;		/* number of free blocks */
	int32_t	cs_nifree;		/* number of free inodes */
	int32_t	cs_nffree;		/* number of free frags */
};

struct fs {
	int32_t	 fs_firstfield;		/* historic filesystem linked list, */
	int32_t	 fs_unused_1;		/*     used for incore super blocks */
	ufs_daddr_t fs_sblkno;		/* addr of super-block in filesys */
	ufs_daddr_t fs_cblkno;		/* offset of cyl-block in filesys */
	ufs_daddr_t fs_iblkno;		/* offset of inode-blocks in filesys */
	ufs_daddr_t fs_dblkno;		/* offset of first data after cg */
	int32_t	 fs_cgoffset;		/* cylinder group offset in cylinder */
	int32_t	 fs_cgmask;		/* used to calc mod fs_ntrak */
	time_t	 fs_time;		/* last time written */
	int32_t	 fs_size;		/* number of blocks in fs */
	int32_t	 fs_dsize;		/* number of data blocks in fs */
	int32_t	 fs_ncg;		/* number of cylinder groups */
	int32_t	 fs_bsize;		/* size of basic blocks in fs */
	int32_t	 fs_fsize;		/* size of frag blocks in fs */
	int32_t	 fs_frag;		/* number of frags in a block in fs */
	int32_t	 fs_minfree;		/* minimum percentage of free blocks */
	int32_t	 fs_rotdelay;		/* num of ms for optimal next block */
	int32_t	 fs_rps;		/* disk revolutions per second */
	int32_t	 fs_bmask;		/* ``blkoff'' calc of blk offsets */
	int32_t	 fs_fmask;		/* ``fragoff'' calc of frag offsets */
	int32_t	 fs_bshift;		/* ``lblkno'' calc of logical blkno */
	int32_t	 fs_fshift;		/* ``numfrags'' calc number of frags */
	int32_t	 fs_maxcontig;		/* max number of contiguous blks */
	int32_t	 fs_maxbpg;		/* max number of blks per cyl group */
	int32_t	 fs_fragshift;		/* block to frag shift */
	int32_t	 fs_fsbtodb;		/* fsbtodb and dbtofsb shift constant */
	int32_t	 fs_sbsize;		/* actual size of super block */
	int32_t	 fs_csmask;		/* csum block offset (now unused) */
	int32_t	 fs_csshift;		/* csum block number (now unused) */
	int32_t	 fs_nindir;		/* value of NINDIR */
	int32_t	 fs_inopb;		/* value of INOPB */
	int32_t	 fs_nspf;		/* value of NSPF */
	int32_t	 fs_optim;		/* optimization preference, see below */
	int32_t	 fs_npsect;		/* # sectors/track including spares */
	int32_t	 fs_interleave;		/* hardware sector interleave */
	int32_t	 fs_trackskew;		/* sector 0 skew, per track */
	int32_t	 fs_id[2];		/* unique filesystem id */
	ufs_daddr_t fs_csaddr;		/* blk addr of cyl grp summary area */
	int32_t	 fs_cssize;		/* size of cyl grp summary area */
	int32_t	 fs_cgsize;		/* cylinder group size */
	int32_t	 fs_ntrak;		/* tracks per cylinder */
	int32_t	 fs_nsect;		/* sectors per track */
	int32_t	 fs_spc;		/* sectors per cylinder */
	int32_t	 fs_ncyl;		/* cylinders in filesystem */
	int32_t	 fs_cpg;		/* cylinders per group */
	int32_t	 fs_ipg;		/* inodes per group */
	int32_t	 fs_fpg;		/* blocks per group * fs_frag */
	struct	csum fs_cstotal;	/* cylinder summary information */
	int8_t	 fs_fmod;		/* super block modified flag */
	int8_t	 fs_clean;		/* filesystem is clean flag */
	int8_t	 fs_ronly;		/* mounted read-only flag */
	int8_t	 fs_flags;		/* see FS_ flags below */
	u_char	 fs_fsmnt[MAXMNTLEN];	/* name mounted on */
	int32_t	 fs_cgrotor;		/* last cg searched */
	void	*fs_ocsp[NOCSPTRS];	/* padding; was list of fs_cs buffers */
	struct	csum *fs_csp;		/* list of fs_cs info buffers */
	int32_t	*fs_maxcluster;		/* max cluster in each cyl group */
	int32_t	 fs_cpc;		/* cyl per cycle in postbl */
	int16_t	 fs_opostbl[16][8];	/* old rotation block list head */
	int32_t	 fs_sparecon[50];	/* reserved for future constants */
	int32_t	 fs_contigsumsize;	/* size of cluster summary array */
	int32_t	 fs_maxsymlinklen;	/* max length of an internal symlink */
	int32_t	 fs_inodefmt;		/* format of on-disk inodes */
	u_int64_t fs_maxfilesize;	/* maximum representable file size */
	int64_t	 fs_qbmask;		/* ~fs_bmask for use with 64-bit size */
	int64_t	 fs_qfmask;		/* ~fs_fmask for use with 64-bit size */
	int32_t	 fs_state;		/* validate fs_clean field */
	int32_t	 fs_postblformat;	/* format of positional layout tables */
	int32_t	 fs_nrpos;		/* number of rotational positions */
	int32_t	 fs_postbloff;		/* (u_int16) rotation block list head */
	int32_t	 fs_rotbloff;		/* (u_int8) blocks for each rotation */
	int32_t	 fs_magic;		/* magic number */
	u_int8_t fs_space[1];		/* list of blocks for each rotation */
};

#define	FS_MAGIC	0x011954	/* the fast filesystem magic number */
#define	FS_44INODEFMT	2		/* 4.4BSD inode format */

/* The cylinder group header, at cgtod() of each group. */
struct cg {
	int32_t	 cg_firstfield;		/* historic cyl groups linked list */
	int32_t	 cg_magic;		/* magic number */
	time_t	 cg_time;		/* time last written */
	int32_t	 cg_cgx;		/* we are the cgx'th cylinder group */
	int16_t	 cg_ncyl;		/* number of cyl's this cg */
	int16_t	 cg_niblk;		/* number of inode blocks this cg */
	int32_t	 cg_ndblk;		/* number of data blocks this cg */
	struct	csum cg_cs;		/* cylinder summary information */
	int32_t	 cg_rotor;		/* position of last used block */
	int32_t	 cg_frotor;		/* position of last used frag */
	int32_t	 cg_irotor;		/* position of last used inode */
	int32_t	 cg_frsum[MAXFRAG];	/* counts of available frags */
	int32_t	 cg_btotoff;		/* (int32) block totals per cylinder */
	int32_t	 cg_boff;		/* (u_int16) free block positions */
	int32_t	 cg_iusedoff;		/* (u_int8) used inode map */
	int32_t	 cg_freeoff;		/* (u_int8) free block map */
	int32_t	 cg_nextfreeoff;	/* (u_int8) next available space */
	int32_t	 cg_clustersumoff;	/* (u_int32) counts of avail clusters */
	int32_t	 cg_clusteroff;		/* (u_int8) free cluster map */
	int32_t	 cg_nclusterblks;	/* number of clusters this cg */
	int32_t	 cg_sparecon[13];	/* reserved for future use */
	u_int8_t cg_space[1];		/* space for cylinder group maps */
};

/* The maps that follow the header, at the offsets it gives. */
#define	cg_blktot(cgp)							\
	((int32_t *)((u_int8_t *)(cgp) + (cgp)->cg_btotoff))
#define	cg_blks(fs, cgp, cylno)						\
	((int16_t *)((u_int8_t *)(cgp) + (cgp)->cg_boff) +		\
	    (cylno) * (fs)->fs_nrpos)
#define	cg_inosused(cgp)						\
	((u_int8_t *)((u_int8_t *)(cgp) + (cgp)->cg_iusedoff))
#define	cg_blksfree(cgp)						\
	((u_int8_t *)((u_int8_t *)(cgp) + (cgp)->cg_freeoff))
#define	cg_clustersfree(cgp)						\
	((u_int8_t *)((u_int8_t *)(cgp) + (cgp)->cg_clusteroff))
#define	cg_clustersum(cgp)						\
	((int32_t *)((u_int8_t *)(cgp) + (cgp)->cg_clustersumoff))

/* The in-core copy of the summary area: one struct csum per group. */
#define	fs_cs(fs, indx)	fs_csp[indx]

/* Disk address to cylinder group, and to the fragment in its group. */
#define	dtog(fs, d)	((d) / (fs)->fs_fpg)
#define	dtogd(fs, d)	((d) % (fs)->fs_fpg)

/* Block of a fragment address, and the fragment's place in it. */
#define	blknum(fs, fsb)	((fsb) &~ ((fs)->fs_frag - 1))
#define	fragnum(fs, fsb) ((fsb) & ((fs)->fs_frag - 1))

/* Free space, less the reserve only the superuser may use. */
#define	freespace(fs, percentreserved)					\
	(blkstofrags((fs), (fs)->fs_cstotal.cs_nbfree) +		\
	    (fs)->fs_cstotal.cs_nffree -				\
	    ((fs)->fs_dsize * (percentreserved) / 100))

#define	CG_MAGIC	0x090255
#define	cg_chkmagic(cgp) ((cgp)->cg_magic == CG_MAGIC)

/* Cylinder group macros to locate things in cylinder groups. */
#define	cgbase(fs, c)	((ufs_daddr_t)((fs)->fs_fpg * (c)))
#define	cgstart(fs, c)							\
	(cgbase(fs, c) + (fs)->fs_cgoffset * ((c) & ~((fs)->fs_cgmask)))
#define	cgsblock(fs, c)	(cgstart(fs, c) + (fs)->fs_sblkno)	/* super blk */
#define	cgtod(fs, c)	(cgstart(fs, c) + (fs)->fs_cblkno)	/* cg block */
#define	cgimin(fs, c)	(cgstart(fs, c) + (fs)->fs_iblkno)	/* inode blk */
#define	cgdmin(fs, c)	(cgstart(fs, c) + (fs)->fs_dblkno)	/* 1st data */

/* Inode number to cylinder group, file system block and offset. */
#define	ino_to_cg(fs, x)	((x) / (fs)->fs_ipg)
#define	ino_to_fsba(fs, x)						\
	((ufs_daddr_t)(cgimin(fs, ino_to_cg(fs, x)) +			\
	    (blkstofrags((fs), (((x) % (fs)->fs_ipg) / INOPB(fs))))))
#define	ino_to_fsbo(fs, x)	((x) % INOPB(fs))

/* File system blocks to disk sectors and back. */
#define	fsbtodb(fs, b)	((b) << (fs)->fs_fsbtodb)
#define	dbtofsb(fs, b)	((b) >> (fs)->fs_fsbtodb)

/* Offsets and sizes in a file, by the superblock's shifts and masks. */
#define	blkoff(fs, loc)		((loc) & (fs)->fs_qbmask)
#define	fragoff(fs, loc)	((loc) & (fs)->fs_qfmask)
#define	lblktosize(fs, blk)	((off_t)(blk) << (fs)->fs_bshift)
#define	lblkno(fs, loc)		((loc) >> (fs)->fs_bshift)
#define	numfrags(fs, loc)	((loc) >> (fs)->fs_fshift)
#define	blkroundup(fs, size)	(((size) + (fs)->fs_qbmask) & (fs)->fs_bmask)
#define	fragroundup(fs, size)	(((size) + (fs)->fs_qfmask) & (fs)->fs_fmask)
#define	fragstoblks(fs, frags)	((frags) >> (fs)->fs_fragshift)
#define	blkstofrags(fs, blks)	((blks) << (fs)->fs_fragshift)

/*
 * The size of logical block lbn of a file: a whole block, or for the
 * last direct block of a small file only the fragments it needs.
 */
#define	blksize(fs, ip, lbn)						\
	(((lbn) >= NDADDR || (ip)->i_size >= (u_int64_t)((lbn) + 1) <<	\
	    (fs)->fs_bshift) ? (fs)->fs_bsize :				\
	    (fragroundup(fs, blkoff(fs, (ip)->i_size))))

#define	INOPB(fs)	((fs)->fs_inopb)
#define	NINDIR(fs)	((fs)->fs_nindir)

#endif /* !_UFS_FFS_FS_H_ */
