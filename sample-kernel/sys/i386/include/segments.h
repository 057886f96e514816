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
 * 386 segmentation: descriptor formats, selectors and the layout of the
 * global descriptor table.
 */

#ifndef _MACHINE_SEGMENTS_H_
#define	_MACHINE_SEGMENTS_H_

/* Selectors. */
#define	ISPL(s)		((s)&3)		/* what is the privilege level of a selector */
#define	SEL_KPL		0		/* kernel privilege level */
#define	SEL_UPL		3		/* user privilege level */
#define	ISLDT(s)	((s)&SEL_LDT)	/* is it local or global */
#define	SEL_LDT		4		/* local descriptor table */
#define	IDXSEL(s)	(((s)>>3) & 0x1fff)	/* index of selector */
#define	LSEL(s,r)	(((s)<<3) | SEL_LDT | r)	/* a local selector */
#define	GSEL(s,r)	(((s)<<3) | r)		/* a global selector */

/* System segment and gate types. */
#define	SDT_SYSNULL	 0	/* system null */
#define	SDT_SYS286TSS	 1	/* system 286 TSS available */
#define	SDT_SYSLDT	 2	/* system local descriptor table */
#define	SDT_SYS286BSY	 3	/* system 286 TSS busy */
#define	SDT_SYSTASKGT	 5	/* system task gate */
#define	SDT_SYS386TSS	 9	/* system 386 TSS available */
#define	SDT_SYS386BSY	11	/* system 386 TSS busy */
#define	SDT_SYS386CGT	12	/* system 386 call gate */
#define	SDT_SYS386IGT	14	/* system 386 interrupt gate */
#define	SDT_SYS386TGT	15	/* system 386 trap gate */

/* Memory segment types. */
#define	SDT_MEMRO	16	/* memory read only */
#define	SDT_MEMRW	18	/* memory read write */
#define	SDT_MEMRWA	19	/* memory read write accessed */
#define	SDT_MEME	24	/* memory execute only */
#define	SDT_MEMER	26	/* memory execute read */
#define	SDT_MEMERA	27	/* memory execute read accessed */

/* Global descriptor table slots. */
#define	GNULL_SEL	0	/* null descriptor */
#define	GCODE_SEL	1	/* kernel code descriptor */
#define	GDATA_SEL	2	/* kernel data descriptor */
#define	GPRIV_SEL	3	/* per-cpu data */
#define	GPROC0_SEL	4	/* task state segment of proc0 */
#define	GLDT_SEL	5	/* default local descriptor table */
#define	GUCODE_SEL	6	/* user code descriptor */
#define	GUDATA_SEL	7	/* user data descriptor */
#define	NGDT		8

/* Local descriptor table slots. */
#define	LUCODE_SEL	0
#define	LUDATA_SEL	1
#define	NLDT		2

/* Interrupt descriptor table. */
#define	NIDT		256
#define	NRSVIDT		32	/* vectors reserved by the processor */
#define	ICU_OFFSET	NRSVIDT	/* the 8259s are programmed to vector 32 */
#define	IDT_SYSCALL	0x80	/* int $0x80: system calls */

#ifndef LOCORE

/* A memory or system segment descriptor, as the hardware reads it. */
struct segment_descriptor {
	unsigned sd_lolimit:16;		/* segment extent (lsb) */
	unsigned sd_lobase:24 __packed;	/* segment base address (lsb) */
	unsigned sd_type:5;		/* segment type */
	unsigned sd_dpl:2;		/* segment descriptor priority level */
	unsigned sd_p:1;		/* segment descriptor present */
	unsigned sd_hilimit:4;		/* segment extent (msb) */
	unsigned sd_xx:2;		/* unused */
	unsigned sd_def32:1;		/* default 32 vs 16 bit size */
	unsigned sd_gran:1;		/* limit granularity (byte/page units) */
	unsigned sd_hibase:8 __packed;	/* segment base address (msb) */
} __packed;

/* A gate descriptor: an entry of the IDT. */
struct gate_descriptor {
	unsigned gd_looffset:16;	/* gate offset (lsb) */
	unsigned gd_selector:16;	/* gate segment selector */
	unsigned gd_stkcpy:5;		/* number of stack wds to cpy */
	unsigned gd_xx:3;		/* unused */
	unsigned gd_type:5;		/* segment type */
	unsigned gd_dpl:2;		/* segment descriptor priority level */
	unsigned gd_p:1;		/* segment descriptor present */
	unsigned gd_hioffset:16 __packed;	/* gate offset (msb) */
} __packed;

union descriptor {
	struct segment_descriptor	sd;
	struct gate_descriptor		gd;
};

/* The easy-to-fill form of a segment descriptor, see ssdtosd(). */
struct soft_segment_descriptor {
	unsigned ssd_base;		/* segment base address */
	unsigned ssd_limit;		/* segment extent */
	unsigned ssd_type:5;		/* segment type */
	unsigned ssd_dpl:2;		/* segment descriptor priority level */
	unsigned ssd_p:1;		/* segment descriptor present */
	unsigned ssd_xx:4;		/* unused */
	unsigned ssd_xx1:2;		/* unused */
	unsigned ssd_def32:1;		/* default 32 vs 16 bit size */
	unsigned ssd_gran:1;		/* limit granularity (byte/page units) */
};

/* The operand of lgdt and lidt. */
struct region_descriptor {
	unsigned rd_limit:16;		/* segment extent */
	unsigned rd_base:32 __packed;	/* base address */
} __packed;

extern union descriptor	gdt[];
extern union descriptor	ldt[];
extern struct gate_descriptor idt0[];
extern struct soft_segment_descriptor gdt_segs[];

void	ssdtosd __P((struct soft_segment_descriptor *ssdp,
	    struct segment_descriptor *sdp));
void	setidt __P((int idx, inthand_t *func, int typ, int dpl, int selec));

#endif /* !LOCORE */

#endif /* !_MACHINE_SEGMENTS_H_ */
