/*
 * Shared fixtures for the rewrite tests: a tiny FreeBSD-shaped `sys` tree, a
 * fake scanner that reports `cli();` / `hlt();` / `*pte = v;` sites by regex,
 * pipeline files written into a temp directory, and a tree hash.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Finding, FixSpec } from '../../src/analyze/types.js';
import { parsePipeline, type PipelineConfig, type ScanFn } from '../../src/rewrite/index.js';

export const FIXTURE: Record<string, string> = {
  'i386/conf/files.i386': 'i386/i386/machdep.c\t\tstandard\n',
  'i386/conf/Makefile.i386': 'SYSTEM_SFILES=\t$S/i386/i386/locore.s\nLDSCRIPT=\t$S/i386/conf/ldscript.i386\n',
  'i386/conf/GENERIC': 'machine\t\ti386\nident\t\tGENERIC\n',
  'i386/i386/locore.s': '#include <machine/asmacros.h>\n\t.text\nNON_GPROF_ENTRY(btext)\n\tcli\n\tcall\tinit386\n',
  'i386/i386/machdep.c': '#include <sys/param.h>\n\n/* caf\xe9 */\nvoid\ncpu_halt(void)\n{\n\tcli();\n\tfor (;;)\n\t\thlt();\n}\n\nvoid\nset(pt_entry_t *pte, u_int v)\n{\n\t*pte = v;\n}\n\nu_int cpu_feature;\nvoid\nidentify(u_int r)\n{\n\tcpu_feature = r;\n}\n',
  'kern/tty_cons.c': '#include <sys/param.h>\n\nvoid\ncnputc(c)\n\tint c;\n{\n\n\tif (cn_tab == NULL)\n\t\treturn;\n}\n',
};

export const RULES: Array<{ id: string; category: string; fix: FixSpec }> = [
  { id: 'cpu-cli', category: 'privileged-instruction', fix: { xen: 'mask', hypercall: 'xen_cli()', breakpoint: 'XENO_BREAKPOINT("$RULE", "$WHERE")', breakpointAsm: 'XENO_BREAKPOINT_ASM($RULE, $WHERE)' } },
  { id: 'cpu-hlt', category: 'privileged-instruction', fix: { xen: 'hypercall', hypercall: 'xen_halt()', breakpoint: 'XENO_BREAKPOINT("$RULE", "$WHERE")', breakpointAsm: 'XENO_BREAKPOINT_ASM($RULE, $WHERE)' } },
  { id: 'pte-write', category: 'pte-write', fix: { xen: 'hypercall', hypercall: 'xen_pte_set($PTR, $VAL)', breakpoint: 'XENO_BREAKPOINT("$RULE", "$WHERE")', breakpointAsm: 'XENO_BREAKPOINT_ASM($RULE, $WHERE)' } },
];

function lineCol(text: string, at: number): { line: number; col: number } {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  return { line, col: at - before.lastIndexOf('\n') };
}

/** Finds `cli();`-style calls, asm `cli`, and `*p = v;` in the tree. */
export const fakeScan: ScanFn = async (root) => {
  const findings: Finding[] = [];
  const walk = (rel: string): void => {
    for (const ent of readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else if (/\.(c|s)$/.test(ent.name)) {
        const text = readFileSync(path.join(root, r)).toString('latin1');
        const file = `${path.basename(root)}/${r}`;
        const asm = r.endsWith('.s');
        const push = (ruleId: string, category: Finding['category'], start: number, end: number, captures: Finding['captures'] = {}) => {
          const a = lineCol(text, start);
          const b = lineCol(text, end);
          findings.push({ ruleId, category, severity: 'error', message: `${ruleId} message`, file, line: a.line, col: a.col, endLine: b.line, endCol: b.col, startByte: start, endByte: end, captures, recovered: false, language: asm ? 'asm' : 'c' });
        };
        const re = asm ? /^\t(cli|hlt)$/gm : /\b(cli|hlt)\(\)/g;
        for (let m = re.exec(text); m; m = re.exec(text)) {
          const start = asm ? m.index + 1 : m.index;
          push(`cpu-${m[1]}`, 'privileged-instruction', start, start + (asm ? m[1].length : m[0].length));
        }
        const pre = /\*(\w+) = (\w+)(?=;)/g;
        for (let m = pre.exec(text); m; m = pre.exec(text)) {
          const ptr = m.index + 1;
          const val = m.index + m[0].length - m[2].length;
          push('pte-write', 'pte-write', m.index, m.index + m[0].length, {
            PTR: { text: m[1], startByte: ptr, endByte: ptr + m[1].length },
            VAL: { text: m[2], startByte: val, endByte: val + m[2].length },
          });
        }
      }
    }
  };
  walk('');
  return { findings, rules: RULES };
};

export function tempDir(prefix = 'xeno-rw-'): string {
  return mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function writeTree(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), Buffer.from(text, 'latin1'));
  }
}

/** sha256 over every path and its bytes (and mtime-independent). */
export function hashTree(root: string): string {
  const h = createHash('sha256');
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel)).sort()) {
      const r = rel ? `${rel}/${name}` : name;
      const st = statSync(path.join(root, r));
      if (st.isDirectory()) walk(r);
      else h.update(r).update('\0').update(readFileSync(path.join(root, r)));
    }
  };
  walk('');
  return h.digest('hex');
}

export const PIPELINE_YAML = `version: 1
source: src/sys
output: out/sys
cache: cache
rules: rules
mode: hypercall
stages:
  - { name: copy-arch, kind: copy-arch, step: 2 }
  - { name: makefiles, kind: makefiles, step: 2 }
  - { name: minimal-os, kind: minimal-os, step: 5 }
  - { name: early-console, kind: early-console, step: 7 }
  - { name: rewrite, kind: rewrite, step: 10 }
`;

/** A fixture workspace: src/sys (the FIXTURE tree), rules/, and a pipeline file. */
export function workspace(yaml = PIPELINE_YAML): { dir: string; config: PipelineConfig; file: string } {
  const dir = tempDir();
  writeTree(path.join(dir, 'src', 'sys'), FIXTURE);
  writeTree(path.join(dir, 'rules'), { 'fake.yaml': 'rules: []\n' });
  const file = path.join(dir, 'xenoport.pipeline.yaml');
  writeFileSync(file, yaml);
  return { dir, config: parsePipeline(file, yaml), file };
}
