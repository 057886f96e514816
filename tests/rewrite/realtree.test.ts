/*
 * Real-tree shapes in a small fixture tree (written here, FreeBSD 9.x-shaped):
 * `sti; hlt` and a pushfl;cli;...;popfl critical section in one asm statement,
 * an existing port under #ifdef XEN, pmap.h helper macros, a PAE pdpt array, a
 * struct member of entry type, a mask constant, an asm statement at file scope
 * (7.x acpi_wakeup.c's acpi_restorecpu). The guarded rewrite must finish,
 * leave the ported code alone, and the result must compile with gcc -m32 both
 * natively and with -DXEN (the guest API header it emits included).
 */
import { describe, expect, it } from 'vitest';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { loadRules, scan } from '../../src/analyze/index.js';
import { rewriteTree } from '../../src/rewrite/index.js';
import { tempDir } from './helpers.js';

const RULES = path.resolve(__dirname, '..', '..', 'rules');

const PMAP_H = `#ifndef _MACHINE_PMAP_H_
#define	_MACHINE_PMAP_H_
typedef unsigned int u_int;
typedef unsigned long long uint64_t;
typedef u_int pt_entry_t;
typedef u_int pd_entry_t;
typedef uint64_t pdpt_entry_t;
#define	PG_V		0x001
#define	PG_RW		0x002
#define	PG_FRAME	0xfffff000
#define	pte_store(ptep, pte)	do { *(u_int *)(ptep) = (u_int)(pte); } while (0)
#define	pte_clear(ptep)		pte_store((ptep), 0)
#define	pde_store(pdep, pde)	pte_store((pdep), (pde))
struct pmap {
	pd_entry_t	*pm_pdir;
	pdpt_entry_t	*pm_pdpt;
};
#endif
`;

const MACHDEP_C = `#include <machine/pmap.h>

struct act {
	pd_entry_t	newpde;
};

void
cpu_idle(int busy)
{

	if (busy)
		return;
	__asm __volatile("sti; hlt");
}

static __inline u_int
cmpset(volatile u_int *dst, u_int expect, u_int src)
{
	unsigned char res;

	__asm __volatile(
	"	pushfl ;		"
	"	cli ;			"
	"	cmpl	%3,%4 ;		"
	"	jne	1f ;		"
	"	movl	%2,%1 ;		"
	"1:				"
	"	sete	%0 ;		"
	"	popfl ;			"
	: "=q" (res), "=m" (*dst)
	: "r" (src), "r" (expect), "m" (*dst)
	: "memory");
	return (res);
}

void
pmap_fill(struct pmap *pm, pt_entry_t *pte, u_int pa, int i)
{
	struct act act;

	pte_store(pte, pa | PG_V);
	pte_clear(pte + 1);
	pde_store(&pm->pm_pdir[i], pa | PG_RW | PG_V);
	pm->pm_pdpt[i] = pa | PG_V;
	act.newpde = pa;
	(void)act;
	(void)cmpset(pte, 0, 1);
}

extern int	acpi_restorecpu(void);

__asm__("				\\n\\
	.text				\\n\\
	.type acpi_restorecpu, @function\\n\\
acpi_restorecpu:			\\n\\
	sgdt	saved_gdt		\\n\\
	lgdt	saved_gdt		\\n\\
	ret				\\n\\
");

u_int
frame_of(u_int x)
{

	return (x & PG_FRAME);
}

void
cpu_halt(void)
{
#ifdef XEN
	HYPERVISOR_shutdown(0);
#else
	for (;;)
		__asm __volatile("hlt");
#endif
}
`;

function fixture(): string {
  const dir = tempDir('xeno-realtree-');
  const sys = path.join(dir, 'sys');
  mkdirSync(path.join(sys, 'i386', 'include'), { recursive: true });
  mkdirSync(path.join(sys, 'i386', 'i386'), { recursive: true });
  writeFileSync(path.join(sys, 'i386', 'include', 'pmap.h'), PMAP_H);
  writeFileSync(path.join(sys, 'i386', 'i386', 'machdep.c'), MACHDEP_C);
  return sys;
}

describe('real-tree shapes', () => {
  it('the scan leaves ported and dead code out, finds the helper macros and the PAE array, not the struct member', async () => {
    const sys = fixture();
    const r = await scan({ paths: [sys], rules: loadRules(RULES), cache: false, workers: 0, arch: 'i386' });
    const at = (id: string): number[] => r.findings.filter((f) => f.ruleId === id).map((f) => f.line);
    const line = (needle: string): number => MACHDEP_C.slice(0, MACHDEP_C.indexOf(needle)).split('\n').length;
    expect(at('hlt')).toEqual([line('sti; hlt')]);
    expect(at('pte-write-helper').sort()).toEqual([line('pte_store(pte'), line('pte_clear('), line('pde_store(')].sort());
    expect(at('pte-write')).toEqual([line('pm->pm_pdpt[i] =')]);
    expect(r.findings.some((f) => f.line === line('act.newpde'))).toBe(false);
    // The file-scope asm statement is found (the rewrite must then leave it).
    expect(r.findings.filter((f) => f.line >= line('__asm__("') && f.line <= line('ret\t')).length).toBeGreaterThan(0);
    const all = await scan({ paths: [sys], rules: loadRules(RULES), cache: false, workers: 0, arch: 'i386', allBranches: true });
    expect(all.findings.filter((f) => f.branch === 'ported').map((f) => f.line)).toContain(line('__asm __volatile("hlt")'));
  });

  it('a guarded rewrite finishes, writes units, and compiles natively and with -DXEN', async () => {
    const sys = fixture();
    const out = path.join(path.dirname(sys), 'out');
    const r = await rewriteTree({ root: sys, rules: RULES, mode: 'hypercall', guard: 'XEN', arch: 'i386', scope: { arch: 'i386' }, out });
    const text = (await import('node:fs')).readFileSync(path.join(out, 'i386', 'i386', 'machdep.c'), 'latin1');
    expect(text).toContain('#ifdef XEN\n\txen_halt();\n#else\n\t__asm __volatile("sti; hlt");\n#endif\n');
    expect(text).toMatch(/u_int xeno_ef = xen_read_eflags\(\); xen_cli\(\);[\s\S]*xen_write_eflags\(xeno_ef\)/);
    expect(text).toContain('HYPERVISOR_shutdown(0);');
    expect(text.match(/#ifdef XEN/g)!.length).toBeGreaterThan(4);
    expect(r.header['i386/include/xen/hypervisor.h']).toContain('xen_halt');
    // No C stub at file scope: the statement stays as written, and a note names it.
    expect(text).toContain('acpi_restorecpu:\t\t\t\\n\\\n\tsgdt\tsaved_gdt');
    const line = MACHDEP_C.slice(0, MACHDEP_C.indexOf('__asm__("')).split('\n').length;
    expect(r.notes.find((n) => n.where.endsWith(`machdep.c:${line}`))?.text).toMatch(/^skipped: .*in an asm statement at file scope/);
    const cc = async (defines: string[]) =>
      execa('gcc', ['-m32', '-c', '-ffreestanding', '-nostdinc', '-w', `-I${path.join(out, 'i386')}`, `-I${out}`, ...defines, path.join(out, 'i386', 'i386', 'machdep.c'), '-o', '/dev/null'], {
        reject: false,
        env: { ...process.env },
        cwd: out,
      });
    // machine/ is the arch's include directory, as in a kernel build.
    (await import('node:fs')).symlinkSync(path.join(out, 'i386', 'include'), path.join(out, 'i386', 'machine'));
    const native = await cc([]);
    expect(native.stderr).toBe('');
    expect(native.exitCode).toBe(0);
    const xen = await cc(['-DXEN', '-DHYPERVISOR_shutdown(x)=((void)(x))']);
    expect(xen.stderr).toBe('');
    expect(xen.exitCode).toBe(0);
  }, 60_000);
});
