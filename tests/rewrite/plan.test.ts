/*
 * Planning edits from findings: mode and per-rule choice of template, `leave`,
 * a breakpoint (with a note) where a rule has no Xen equivalent or its template
 * does not fit, nested sites composed inside captures, the include inserted once
 * before the first site, and `xenoport rewrite --diff` on the sample kernel
 * accepted by git and patch.
 */
import { describe, expect, it } from 'vitest';
import { cpSync, existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { Finding, FixSpec } from '../../src/analyze/types.js';
import { applyEdits, includeInsertion, planRewrite, rewriteTree } from '../../src/rewrite/index.js';
import { composeNested } from '../../src/rewrite/apply.js';
import { tempDir } from './helpers.js';

const BP = 'XENO_BREAKPOINT("$RULE", "$WHERE")';
const fix = (xen: FixSpec['xen'], hypercall?: string): FixSpec => ({ xen, hypercall, breakpoint: BP, breakpointAsm: 'XENO_BREAKPOINT_ASM($RULE, $WHERE)' });
const FIXES: Record<string, FixSpec> = {
  'cpu-hlt': fix('hypercall', 'xen_halt()'),
  'cpu-in': fix('leave'),
  'cpu-lmsw': fix('breakpoint'),
  'pte-write': fix('hypercall', 'xen_pte_set($PTR, $VAL)'),
  'needs-arg': fix('hypercall', 'xen_cnputc($ARG0)'),
};

function finding(src: string, ruleId: string, site: string, captures: Record<string, string> = {}, nth = 0): Finding {
  let start = -1;
  for (let i = 0; i <= nth; i++) start = src.indexOf(site, start + 1);
  const caps: Finding['captures'] = {};
  for (const [k, v] of Object.entries(captures)) {
    const at = src.indexOf(v, start);
    caps[k] = { text: v, startByte: at, endByte: at + v.length };
  }
  const line = src.slice(0, start).split('\n').length;
  return { ruleId, category: 'privileged-instruction', severity: 'error', message: `${ruleId}!`, file: 'sys/f.c', line, col: 1, endLine: line, endCol: 1, startByte: start, endByte: start + site.length, captures: caps, recovered: false, language: 'c' };
}

function run(src: string, findings: Finding[], mode: 'breakpoint' | 'hypercall', ruleModes = {}) {
  const plan = planRewrite(findings, (id) => FIXES[id], () => Buffer.from(src, 'latin1'), { mode, ruleModes });
  return { plan, out: applyEdits('sys/f.c', Buffer.from(src, 'latin1'), plan.edits).after.toString('latin1') };
}

const SRC = '#include <sys/param.h>\n\nvoid\nf(void)\n{\n\thlt();\n\tx = inb(0x60);\n\tlmsw(1);\n}\n';

describe('planRewrite', () => {
  const cases: Array<[string, 'breakpoint' | 'hypercall', Record<string, string>, string]> = [
    ['hypercall mode', 'hypercall', {}, '\txen_halt();\n\tx = inb(0x60);\n\tXENO_BREAKPOINT("cpu-lmsw", "sys/f.c:8");\n'],
    ['breakpoint mode', 'breakpoint', {}, '\tXENO_BREAKPOINT("cpu-hlt", "sys/f.c:6");\n\tx = inb(0x60);\n\tXENO_BREAKPOINT("cpu-lmsw", "sys/f.c:8");\n'],
    ['per-rule mode', 'hypercall', { 'cpu-hlt': 'breakpoint' }, '\tXENO_BREAKPOINT("cpu-hlt", "sys/f.c:6");\n'],
    ['per-rule leave', 'hypercall', { 'cpu-hlt': 'leave' }, '\thlt();\n'],
  ];
  for (const [name, mode, ruleModes, expected] of cases) {
    it(name, () => {
      const fs = [finding(SRC, 'cpu-hlt', 'hlt()'), finding(SRC, 'cpu-in', 'inb(0x60)'), finding(SRC, 'cpu-lmsw', 'lmsw(1)')];
      const { out, plan } = run(SRC, fs, mode, ruleModes);
      expect(out).toContain(expected);
      expect(out.startsWith('#include <sys/param.h>\n#include <machine/xen/hypervisor.h>\n\n')).toBe(true);
      expect(plan.left.map((f) => f.ruleId)).toContain('cpu-in');
    });
  }

  it('notes the sites that keep a breakpoint under hypercall mode, and why', () => {
    const { plan } = run(SRC, [finding(SRC, 'cpu-lmsw', 'lmsw(1)'), finding(SRC, 'needs-arg', 'hlt()')], 'hypercall');
    expect(plan.notes.map((n) => n.text).join('\n')).toMatch(/no Xen equivalent: cpu-lmsw!/);
    expect(plan.notes.map((n) => n.text).join('\n')).toMatch(/template not applicable.*\$ARG0/);
    expect(plan.edits.find((e) => e.ruleId === 'needs-arg')?.replacement).toBe('XENO_BREAKPOINT("needs-arg", "sys/f.c:6")');
  });

  it('composes a site nested in another site\'s capture (*a = *b = 0)', () => {
    const src = 'void\ng(void)\n{\n\t*CMAP1 = *CMAP2 = 0;\n}\n';
    const outer = finding(src, 'pte-write', '*CMAP1 = *CMAP2 = 0', { PTR: 'CMAP1', VAL: '*CMAP2 = 0' });
    const inner = finding(src, 'pte-write', '*CMAP2 = 0', { PTR: 'CMAP2', VAL: '0' });
    expect(run(src, [outer, inner], 'hypercall').out).toContain('\txen_pte_set(CMAP1, xen_pte_set(CMAP2, 0));\n');
    expect(run(src, [outer, inner], 'breakpoint').out).toContain('\tXENO_BREAKPOINT("pte-write", "sys/f.c:4");\n');
  });

  it('drops an edit inside a breakpoint stub from another stage, composes one inside a call', () => {
    const src = 'load_cr4(rcr4() | CR4_PGE);';
    const e = (s: number, t: number, replacement: string, ruleId: string, kind: 'breakpoint' | 'mask' | 'hypercall') => ({ file: 'f', startByte: s, endByte: t, replacement, ruleId, kind, where: 'f:1' });
    const stub = composeNested(Buffer.from(src), [e(0, 26, 'XENO_BREAKPOINT("w", "f:1")', 'w', 'breakpoint'), e(18, 25, '0', 'cpu-bits', 'mask')]);
    expect(stub.edits.map((x) => x.ruleId)).toEqual(['w']);
    const call = composeNested(Buffer.from(src), [e(0, 26, 'xen_load_cr4(rcr4() | CR4_PGE)', 'w', 'hypercall'), e(18, 25, '0', 'cpu-bits', 'mask')]);
    expect(call.edits).toHaveLength(1);
    expect(call.edits[0].replacement).toBe('xen_load_cr4(rcr4() | 0)');
  });

  it('puts the include after the last #include before the first site, or after the guard', () => {
    expect(includeInsertion(Buffer.from('#include <a.h>\nx;\n#include <b.h>\n'), '#include <x.h>', 16)).toEqual({ at: 15, text: '#include <x.h>\n' });
    expect(includeInsertion(Buffer.from('/* c */\n#ifndef _H_\n#define _H_\nstatic int x;\n#endif\n'), '#include <x.h>', 35)).toEqual({ at: 32, text: '#include <x.h>\n' });
    expect(includeInsertion(Buffer.from('#include <x.h>\n'), '#include <x.h>')).toBeNull();
  });
});

const KERNEL = path.resolve(__dirname, '..', '..', 'sample-kernel');
describe.skipIf(!existsSync(path.join(KERNEL, 'sys', 'i386')))('xenoport rewrite --diff on the sample kernel', () => {
  for (const mode of ['breakpoint', 'hypercall'] as const) {
    it(`${mode}: git apply --check and patch -p1 --dry-run accept the diff`, async () => {
      const r = await rewriteTree({ root: path.join(KERNEL, 'sys'), rules: path.resolve(KERNEL, '..', 'rules'), mode });
      expect(r.changedFiles.length).toBeGreaterThan(5);
      const dir = tempDir('xeno-rwdiff-');
      cpSync(path.join(KERNEL, 'sys'), path.join(dir, 'sys'), { recursive: true });
      const p = path.join(dir, '..', `${path.basename(dir)}.patch`);
      writeFileSync(p, Buffer.from(r.diff, 'latin1'));
      await execa('git', ['apply', '--check', p], { cwd: dir });
      await execa('patch', ['-p1', '--dry-run', '-s', '-i', p], { cwd: dir });
    }, 120_000);
  }
});
