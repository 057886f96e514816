/*
 * The descriptor, selector, timer and page-table pinning families on a small
 * fixture tree written here (FreeBSD 6.x-shaped: segments.h, set_user_ldt and
 * i386_set_ldt's table writes beside a descriptor built in a variable and one in
 * an allocated buffer, the 8254 clock, pmap_pinit's self entry). The scan finds
 * exactly the table writes; the guarded rewrite turns them into update_descriptor
 * hypercalls and SEL_KPL into 1, and the result compiles with gcc -m32 natively
 * and with -DXEN against the guest API header the rewrite emits.
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { loadRules, scan } from '../../src/analyze/index.js';
import { rewriteTree } from '../../src/rewrite/index.js';
import { tempDir } from './helpers.js';

const RULES = path.resolve(__dirname, '..', '..', 'rules');

const SEGMENTS_H = `#ifndef _MACHINE_SEGMENTS_H_
#define	_MACHINE_SEGMENTS_H_
#define	SEL_KPL	0		/* kernel privilege level */
#define	SEL_UPL	3		/* user privilege level */
#define	GSEL(s, r)	(((s) << 3) | r)
struct segment_descriptor {
	unsigned sd_lolimit:16;
	unsigned sd_lobase:24 __attribute__((packed));
	unsigned sd_type:5;
	unsigned sd_dpl:2;
	unsigned sd_p:1;
	unsigned sd_hilimit:4;
	unsigned sd_xx:2;
	unsigned sd_def32:1;
	unsigned sd_gran:1;
	unsigned sd_hibase:8;
} __attribute__((packed));
union descriptor {
	struct segment_descriptor sd;
	unsigned int raw[2];
};
extern union descriptor gdt[];
#endif
`;

const SYS_MACHDEP_C = `#include <machine/segments.h>

typedef char *caddr_t;
void	*kmem_alloc(int size);
void	bcopy(const void *from, void *to, unsigned int len);
void	bzero(void *buf, unsigned int len);

struct proc_ldt {
	caddr_t	ldt_base;
	int	ldt_len;
	struct segment_descriptor ldt_sd;
};

void
set_user_ldt(struct proc_ldt *pldt)
{

	gdt[6].sd = pldt->ldt_sd;
}

int
i386_set_ldt_data(struct proc_ldt *pldt, int start, int num,
    union descriptor *descs)
{

	bcopy(descs, &((union descriptor *)(pldt->ldt_base))[start],
	    num * sizeof(union descriptor));
	return (0);
}

int
i386_set_ldt(struct proc_ldt *pldt, int start, int num, unsigned base)
{
	struct segment_descriptor sd;
	union descriptor *descs, *dp;
	int i;

	sd.sd_lobase = base & 0xffffff;
	sd.sd_dpl = SEL_UPL;
	descs = (union descriptor *)kmem_alloc(num * sizeof(union descriptor));
	for (i = 0; i < num; i++) {
		dp = &descs[i];
		dp->sd.sd_p = 0;
	}
	if (num == 0) {
		bzero(&((union descriptor *)(pldt->ldt_base))[start],
		    sizeof(union descriptor));
		return (0);
	}
	return (i386_set_ldt_data(pldt, start, num, descs));
}
`;

const CLOCK_C = `#define	IO_TIMER1	0x40
#define	TIMER_CNTR0	(IO_TIMER1 + 0)
#define	TIMER_MODE	(IO_TIMER1 + 3)
#define	TIMER_SEL0	0x00
#define	TIMER_RATEGEN	0x04
#define	TIMER_16BIT	0x30

static __inline void
outb(unsigned int port, unsigned char data)
{

	__asm __volatile("outb %0,%w1" : : "a" (data), "Nd" (port));
}

void
set_timer_freq(unsigned int count)
{

	outb(TIMER_MODE, TIMER_SEL0 | TIMER_RATEGEN | TIMER_16BIT);
	outb(TIMER_CNTR0, count & 0xff);
	outb(TIMER_CNTR0, count >> 8);
}
`;

function fixture(): string {
  const sys = path.join(tempDir('xeno-desc-'), 'sys');
  mkdirSync(path.join(sys, 'i386', 'include'), { recursive: true });
  mkdirSync(path.join(sys, 'i386', 'i386'), { recursive: true });
  mkdirSync(path.join(sys, 'i386', 'isa'), { recursive: true });
  writeFileSync(path.join(sys, 'i386', 'include', 'segments.h'), SEGMENTS_H);
  writeFileSync(path.join(sys, 'i386', 'i386', 'sys_machdep.c'), SYS_MACHDEP_C);
  writeFileSync(path.join(sys, 'i386', 'isa', 'clock.c'), CLOCK_C);
  return sys;
}

const lineOf = (text: string, needle: string): number => text.slice(0, text.indexOf(needle)).split('\n').length;

describe('descriptor tables, selectors, the clock', () => {
  it('finds the table writes, not the descriptor being built or the allocated buffer', async () => {
    const sys = fixture();
    const r = await scan({ paths: [sys], rules: loadRules(RULES), cache: false, workers: 0, arch: 'i386' });
    const at = (id: string): number[] => r.findings.filter((f) => f.ruleId === id).map((f) => f.line);
    expect(at('descriptor-write')).toEqual([lineOf(SYS_MACHDEP_C, 'gdt[6].sd =')]);
    expect(at('descriptor-copy')).toEqual([lineOf(SYS_MACHDEP_C, 'bcopy(descs')]);
    expect(at('descriptor-clear')).toEqual([lineOf(SYS_MACHDEP_C, 'bzero(&((union')]);
    expect(at('descriptor-field-write')).toEqual([]);
    expect(at('kernel-selector-privilege')).toEqual([lineOf(SEGMENTS_H, 'SEL_KPL\t0')]);
    expect(at('timer-8254')).toEqual([lineOf(CLOCK_C, 'outb(TIMER_MODE'), lineOf(CLOCK_C, 'count & 0xff'), lineOf(CLOCK_C, 'count >> 8')]);
  });

  it('a guarded rewrite compiles natively and with -DXEN', async () => {
    const sys = fixture();
    const out = path.join(path.dirname(sys), 'out');
    const r = await rewriteTree({ root: sys, rules: RULES, mode: 'hypercall', guard: 'XEN', arch: 'i386', scope: { arch: 'i386' }, out });
    expect(r.changedFiles).toEqual(expect.arrayContaining(['i386/include/segments.h', 'i386/i386/sys_machdep.c']));
    const seg = readFileSync(path.join(out, 'i386', 'include', 'segments.h'), 'latin1');
    expect(seg).toContain('#ifdef XEN\n#define\tSEL_KPL\t1\t\t/* kernel privilege level */\n#else\n#define\tSEL_KPL\t0\t\t/* kernel privilege level */\n#endif\n');
    const text = readFileSync(path.join(out, 'i386', 'i386', 'sys_machdep.c'), 'latin1');
    expect(text).toContain('HYPERVISOR_update_descriptor(xen_vtomach(&gdt[6].sd), ((const xen_u32 *)&(pldt->ldt_sd))[0], ((const xen_u32 *)&(pldt->ldt_sd))[1]);');
    expect(text.match(/HYPERVISOR_update_descriptor/g)).toHaveLength(3);
    symlinkSync(path.join(out, 'i386', 'include'), path.join(out, 'i386', 'machine'));
    const cc = (defines: string[]) =>
      execa('gcc', ['-m32', '-c', '-std=gnu99', '-ffreestanding', '-nostdinc', '-Werror', `-I${path.join(out, 'i386')}`, `-I${out}`, ...defines, path.join(out, 'i386', 'i386', 'sys_machdep.c'), '-o', '/dev/null'], { reject: false, cwd: out });
    for (const d of [[], ['-DXEN']]) {
      const c = await cc(d);
      expect(c.stderr).toBe('');
      expect(c.exitCode).toBe(0);
    }
  }, 60_000);
});
