/*
 * The xenify stages (seed steps 2-8 and 10), each a pure function from the
 * source tree (+ findings, + ABI) to copies, new files and edits against ORIGINAL
 * bytes. Paths are relative to the source root (`sys`); the arch tree `i386` is
 * copied to the target `i386-xeno` and edits to arch files are made on the copy.
 *
 * Findings are computed once per run (and cached on disk by source-tree, rule
 * and tool hashes) and split by category: va-hole → step 3, cpu-feature → step 4,
 * console → step 7, everything else → the rewrite (step 8 or 10). Steps 3, 4 and
 * 7 always use the rule's Xen fix; only the rewrite honours the mode.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Finding, FixSpec } from '../analyze/index.js';
import { renderGuestFiles } from '../hypervisor/abi/index.js';
import { PipelineError } from '../errors.js';
import type { PipelineConfig, StageConfig } from './config.js';
import { includeInsertion, planRewrite, type Plan, type PlanOptions } from './plan.js';
import { MINIMAL_OS_ASM, MINIMAL_OS_C, vaCheckC } from './minimal-os.js';
import { sha256, type SourceTree } from './tree.js';
import type { Edit, RewriteMode } from './types.js';
import { TOOL_VERSION } from './version.js';

export interface ScanRule { id: string; category: string; fix: FixSpec }
export interface ScanResult { findings: Finding[]; rules: ScanRule[] }
/** Scans `root` (a `sys` directory) with the rules in `rulesDir`; Finding.file starts with root's basename. */
export type ScanFn = (root: string, rulesDir: string) => Promise<ScanResult>;

export interface StageResult {
  copies: Array<{ from: string; to: string }>;
  files: Record<string, string>;
  edits: Edit[];
  notes: string[];
  summary: string;
}

export interface StageInput {
  config: PipelineConfig;
  stage: StageConfig;
  tree: SourceTree;
  scan?: ScanFn;
  mode?: RewriteMode;
}

const empty = (): StageResult => ({ copies: [], files: {}, edits: [], notes: [], summary: '' });

export const INCLUDE_LINE = '#include <machine/xen/hypervisor.h>';

/** Maps a Finding.file ('sys/i386/...') to its path in the output tree, or null. */
function mapper(config: PipelineConfig): (file: string) => string | null {
  const prefix = `${path.basename(config.source)}/`;
  return (file) => {
    const rel = file.startsWith(prefix) ? file.slice(prefix.length) : file;
    if (rel.startsWith(`${config.arch}/`)) return `${config.target}/${rel.slice(config.arch.length + 1)}`;
    return null;
  };
}

/** Source-relative path of a Finding.file. */
function sourceRel(config: PipelineConfig, file: string): string {
  const prefix = `${path.basename(config.source)}/`;
  return file.startsWith(prefix) ? file.slice(prefix.length) : file;
}

const memo = new Map<string, Promise<ScanResult>>();

/** Forgets in-process scan results (benchmarks measure cold runs with it). */
export function clearScanMemo(): void {
  memo.clear();
}

/** The scan of the arch tree, memoized in-process and cached on disk. */
async function findingsFor(input: StageInput): Promise<ScanResult | null> {
  const { config, tree, scan, stage } = input;
  if (!scan) return null;
  const rulesDir = stage.rules ?? config.rules;
  const { hashDir } = await import('./pipeline.js');
  // The scan covers the whole source tree, so every file keys it.
  const key = sha256(JSON.stringify([TOOL_VERSION, config.source, hashDir(rulesDir), tree.files.map((f) => [f, tree.hash(f)])]));
  const file = path.join(config.cache, 'scans', `${key.slice(0, 24)}.json`);
  let p = memo.get(key);
  if (!p) {
    p = (async () => {
      if (existsSync(file)) {
        try {
          return JSON.parse(readFileSync(file, 'utf8')) as ScanResult;
        } catch {
          /* rescan */
        }
      }
      const result = await scan(config.source, rulesDir);
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(`${file}.tmp-${process.pid}`, JSON.stringify(result));
      renameSync(`${file}.tmp-${process.pid}`, file);
      return result;
    })();
    memo.set(key, p);
  }
  return p;
}

function fromPlan(plan: Plan, what: string): StageResult {
  const r = empty();
  r.edits = plan.edits;
  r.notes = plan.notes.map((n) => `${n.where}: ${n.ruleId}: ${n.text}`);
  const kinds = new Map<string, number>();
  for (const e of plan.edits) if (e.kind !== 'xenify') kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  const sites = [...kinds.values()].reduce((a, b) => a + b, 0);
  const detail = kinds.size > 1 ? ` (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})` : '';
  r.summary = `${sites} ${what}${detail}${plan.left.length ? `, ${plan.left.length} left native` : ''}`;
  return r;
}

async function categoryStage(input: StageInput, categories: string[], mode: RewriteMode, what: string, include = true): Promise<StageResult | null> {
  const scanned = await findingsFor(input);
  if (!scanned) return null;
  const fix = new Map(scanned.rules.map((r) => [r.id, r.fix]));
  const findings = scanned.findings.filter((f) => categories.includes(f.category));
  const opts: PlanOptions = { mode, ruleModes: input.stage.ruleModes, mapPath: mapper(input.config), includeLine: INCLUDE_LINE };
  const plan = planRewrite(findings, (id) => fix.get(id), (file) => input.tree.read(sourceRel(input.config, file)), opts);
  if (!include) plan.edits = plan.edits.filter((e) => e.ruleId !== 'xenify/include-hypervisor-h');
  return fromPlan(plan, what);
}

/** Step 2: copy the arch tree. */
function copyArch(input: StageInput): StageResult {
  const { config, tree } = input;
  const r = empty();
  for (const f of tree.files) {
    if (f.startsWith(`${config.arch}/`)) r.copies.push({ from: f, to: `${config.target}/${f.slice(config.arch.length + 1)}` });
  }
  if (r.copies.length === 0) throw new PipelineError(`the source tree has no ${config.arch}/ directory to copy`, { span: { file: config.file, line: input.stage.line, col: 1 } });
  r.summary = `copied ${r.copies.length} files from ${config.arch}/ to ${config.target}/`;
  return r;
}

/** Edits replacing every match of `re` (global) in a file's original bytes. */
function replaceAll(file: string, text: Buffer, re: RegExp, replace: (m: RegExpExecArray) => string, ruleId: string): Edit[] {
  if (!re.global) throw new Error('internal error: replaceAll needs a global RegExp');
  const s = text.toString('latin1');
  const out: Edit[] = [];
  for (let m = re.exec(s); m; m = re.exec(s)) {
    const replacement = replace(m);
    if (replacement === m[0]) continue;
    const line = s.slice(0, m.index).split('\n').length;
    out.push({ file, startByte: m.index, endByte: m.index + m[0].length, replacement, ruleId, kind: 'xenify', where: `${file}:${line}` });
    if (m[0].length === 0) re.lastIndex++;
  }
  return out;
}

/**
 * Step 2: makefiles, kernel config and include paths. files.<arch> becomes
 * files.<target> with the target's paths; `machine <arch>` becomes the target;
 * `<arch>/` paths in the target's conf files and Makefiles, and `#include`s of
 * `<arch>/...` in its sources, point at the target.
 */
function makefiles(input: StageInput): StageResult {
  const { config, tree } = input;
  const { arch, target } = config;
  const r = empty();
  const esc = arch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // An arch path at the start of a path token, optionally after $S/ or ${S}/.
  const pathRe = () => new RegExp(`((?:^|[\\s"'=(:,])(?:\\$\\{?S\\}?/)?)${esc}/`, 'gm');
  const nameRe = () => new RegExp(`\\b(ldscript|files|Makefile|options)\\.${esc}\\b(?!-)`, 'g');
  for (const f of tree.files) {
    const base = path.posix.basename(f);
    const archFile = f.startsWith(`${arch}/`) ? `${target}/${f.slice(arch.length + 1)}` : null;
    const renamed = nameRe().test(base);
    if (renamed || (archFile && f.startsWith(`${arch}/conf/`))) {
      const dest = archFile ?? f;
      const to = renamed ? path.posix.join(path.posix.dirname(dest), base.replace(nameRe(), `$1.${target}`)) : dest;
      if (renamed) r.copies.push({ from: f, to });
      const text = tree.read(f);
      r.edits.push(...replaceAll(to, text, pathRe(), (m) => `${m[1]}${target}/`, 'xenify/makefiles'));
      r.edits.push(...replaceAll(to, text, nameRe(), (m) => `${m[1]}.${target}`, 'xenify/makefiles'));
      r.edits.push(...replaceAll(to, text, /^(\s*machine\s+)"?([\w.-]+)"?/gm, (m) => (m[2] === arch ? `${m[1]}${target}` : m[0]), 'xenify/makefiles'));
      r.edits.push(...replaceAll(to, text, /^(\s*(?:MACHINE|MACHINE_ARCH|ARCH)\s*[?:]?=\s*)([\w.-]+)/gm, (m) => (m[2] === arch ? `${m[1]}${target}` : m[0]), 'xenify/makefiles'));
      const s = text.toString('latin1');
      if (base === `files.${arch}`) {
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}# xenoport: the minimal OS and the generated Xen guest API (seed steps 3, 5, 10)\n${target}/${arch}/xen_locore.s\t\tstandard\n${target}/${arch}/xen_minios.c\t\tstandard\n${target}/${arch}/xen_hypervisor.c\tstandard\n${target}/${arch}/xen_vacheck.c\t\tstandard\n`,
          ruleId: 'xenify/makefiles',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      if (base === `Makefile.${arch}`) {
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}# xenoport: the rewrite leaves the native privileged wrappers defined but\n# unused, and locals only a stubbed instruction used; keep -Werror for the rest.\nMACHINE_CFLAGS+=\t-Wno-unused-function -Wno-unused-variable -Wno-unused-but-set-variable\n# Code compiled only into the Xen kernel (the step-7 console path).\nMACHINE_CFLAGS+=\t-DXENOPORT_XEN\n`,
          ruleId: 'xenify/makefiles',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      if (archFile && f.startsWith(`${arch}/conf/`) && /^ident\s/m.test(s)) {
        // A kernel configuration: config.sh turns its options into -D flags for
        // gcc and for xenoport's compiler alike.
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        const events = config.stages.some((x) => x.kind === 'xen-timer')
          ? 'options \tXENOPORT_XEN_EVENTS\t# the kernel defines xen_handle_event() (xen-timer stage)\n'
          : '';
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}# xenoport: the Xen paths (step 7 console, step 10 clock) are compiled in\noptions \tXENOPORT_XEN\n${events}`,
          ruleId: 'xenify/makefiles',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      if (base === `ldscript.${arch}`) {
        const nl = s.endsWith('\n') || s.length === 0 ? '' : '\n';
        const limit = `0x${(input.config.stages.find((x) => x.kind === 'va-hole')?.limit ?? 0xfc000000).toString(16)}`;
        r.edits.push({
          file: to,
          startByte: s.length,
          endByte: s.length,
          replacement: `${nl}/* xenoport step 3: Xen 2.0 owns ${limit} and up. */\nASSERT(end <= ${limit}, "xenoport: the kernel reaches into the hypervisor's top 64 MB")\n`,
          ruleId: 'xenify/va-hole-check',
          kind: 'xenify',
          where: `${f}:${s.split('\n').length}`,
        });
      }
      continue;
    }
    if (!archFile) continue;
    if (/\.(c|h|s|S)$/.test(base)) {
      r.edits.push(...replaceAll(archFile, tree.read(f), new RegExp(`(#\\s*include\\s*[<"])${esc}/`, 'g'), (m) => `${m[1]}${target}/`, 'xenify/makefiles'));
    }
  }
  const files = new Set(r.edits.map((e) => e.file));
  r.summary = `${r.edits.length} edits in ${files.size} files${r.copies.length ? `; ${r.copies.map((c) => c.to).join(', ')}` : ''}`;
  if (r.edits.length === 0) r.notes.push('no makefile, kernel config or arch include path needed a change');
  return r;
}

/** Step 3: move what lies in Xen's top 64 MB, and a build-time check. */
async function vaHole(input: StageInput): Promise<StageResult> {
  const { config } = input;
  const limit = input.stage.limit ?? 0xfc000000;
  const fixed = await categoryStage(input, ['va-hole'], 'hypercall', 'va-hole rule fixes', false);
  const r = fixed ?? { ...empty(), notes: ['no scanner available: va-hole sites not moved'], summary: '0 sites moved' };
  // The i386 page-directory layout (FreeBSD's names): the top slots hold the
  // alternate recursive map and the per-cpu slot, and KVA runs up to them. Move
  // them down by the hole's slots, keeping KERNBASE (KPTDI) where it is.
  const pmapH = `${config.arch}/include/pmap.h`;
  if (input.tree.has(pmapH)) {
    const to = `${config.target}/include/pmap.h`;
    const text = input.tree.read(pmapH);
    const slots = Math.ceil((0x100000000 - limit) / 0x400000);
    const moved: string[] = [];
    const edit = (re: RegExp, fn: (m: RegExpExecArray) => string, name: string) => {
      const e = replaceAll(to, text, re, fn, 'xenify/va-hole');
      if (e.length) moved.push(name);
      r.edits.push(...e);
    };
    edit(/^(#[ \t]*define[ \t]+APTDPTDI[ \t]+)([^\n/]*?)([ \t]*(?:\/\*[^\n]*)?)$/gm, (m) =>
      `#define\tXEN_HOLE_PDES\t${slots}\t/* xenoport step 3: directory slots of Xen's top 64 MB */\n${m[1]}(${m[2].trim()} - XEN_HOLE_PDES)${m[3].replace(/0x[0-9a-fA-F]+/, 'below the hypervisor')}`, 'APTDPTDI');
    edit(/^(#[ \t]*define[ \t]+NKPDE[ \t]+)([^\n/]*?)([ \t]*(?:\/\*[^\n]*)?)$/gm, (m) => `${m[1]}(${m[2].trim()} - XEN_HOLE_PDES)${m[3]}`, 'NKPDE');
    edit(/^(#[ \t]*define[ \t]+LAPIC_VADDR[ \t]+)(0x[fF][c-fC-F][0-9a-fA-F]{6})\b/gm, (m) =>
      `${m[1]}(VADDR(MPPTDI, 0) | (${m[2]} & PDRMASK))\t/* xenoport step 3: was ${m[2]} */`, 'LAPIC_VADDR');
    if (moved.length) {
      r.notes.unshift(`${to}: moved ${moved.join(', ')} below 0x${limit.toString(16)} (${slots} directory slots)`);
      r.summary = `moved ${moved.join(', ')} below the hole; ${r.summary}`;
    }
  }
  r.files[`${config.target}/${config.arch}/xen_vacheck.c`] = vaCheckC(limit);
  r.summary += `; build-time check ${config.target}/${config.arch}/xen_vacheck.c (nothing at or above 0x${limit.toString(16)})`;
  return r;
}

/**
 * Step 4: clear PSE, PGE, PAE in the CPU feature word the kernel reads. The
 * word is masked where cpuid's result is stored (`cpu_feature = <expr>;`), and
 * the cpu-feature rules' fixes make every test of those bits read 0.
 */
async function cpuFeatures(input: StageInput): Promise<StageResult> {
  const { config, tree } = input;
  const fixed = (await categoryStage(input, ['cpu-feature'], 'hypercall', 'feature-bit sites masked', false)) ?? {
    ...empty(),
    notes: ['no scanner available: cpu-feature rules not applied'],
    summary: '0 feature-bit sites masked',
  };
  const bits = { PSE: 0x8, MSR: 0x20, PAE: 0x40, APIC: 0x200, PGE: 0x2000 } as const;
  const mask = input.stage.clear.map((b) => `0x${bits[b].toString(16).padStart(8, '0')}`).join(' | ');
  let words = 0;
  for (const f of tree.files) {
    if (!f.startsWith(`${config.arch}/`) || !f.endsWith('.c')) continue;
    const e = replaceAll(
      `${config.target}/${f.slice(config.arch.length + 1)}`,
      tree.read(f),
      /(\bcpu_feature\s*=\s*)([^;=][^;]*);/g,
      (m) => (/^\s*0[xX]?0*\s*$/.test(m[2]) ? m[0] : `${m[1]}(${m[2].trim()}) & ~(${mask}) /* xenoport step 4: no ${input.stage.clear.join(', ')} under Xen */;`),
      'xenify/cpu-features',
    );
    words += e.length;
    fixed.edits.push(...e);
  }
  if (words === 0) fixed.notes.push('no assignment to cpu_feature found; the feature word itself is not masked');
  fixed.summary = `${words} cpu_feature assignment${words === 1 ? '' : 's'} masked (${input.stage.clear.join(', ')} cleared); ${fixed.summary}`;
  return fixed;
}

/** Step 5: the minimal-OS entry in front of locore, and the generated guest API. */
function minimalOs(input: StageInput): StageResult {
  const { config, tree } = input;
  const r = empty();
  const dir = `${config.target}/${config.arch}`;
  for (const [rel, text] of Object.entries(renderGuestFiles())) {
    r.files[`${config.target}/${rel.replace(/^i386\//, `${config.arch}/`)}`] = text;
  }
  r.files[`${dir}/xen_locore.s`] = MINIMAL_OS_ASM;
  r.files[`${dir}/xen_minios.c`] = MINIMAL_OS_C;
  const locore = [`${config.arch}/${config.arch}/locore.s`, `${config.arch}/${config.arch}/locore.S`].find((f) => tree.has(f));
  if (!locore) {
    r.notes.push(`no ${config.arch}/${config.arch}/locore.s: the entry is not grafted`);
  } else {
    const text = tree.read(locore).toString('latin1');
    const m = /^[ \t]*(?:NON_GPROF_ENTRY|ENTRY)\(btext\)[^\n]*\n|^btext:[^\n]*\n/m.exec(text);
    if (!m) r.notes.push(`${locore}: no btext entry found; the entry is not grafted`);
    else {
      const at = m.index + m[0].length;
      const to = `${config.target}/${locore.slice(config.arch.length + 1)}`;
      r.edits.push({
        file: to,
        startByte: at,
        endByte: at,
        replacement: '\tjmp\txen_start\t\t/* xenoport step 5: enter through the minimal OS (xen_locore.s) */\n',
        ruleId: 'xenify/minimal-os',
        kind: 'xenify',
        where: `${locore}:${text.slice(0, at).split('\n').length}`,
      });
    }
  }
  r.summary = `entry grafted at btext; generated ${Object.keys(r.files).sort().join(', ')}`;
  return r;
}

/**
 * Step 7: printf through the console hypercall, before any console
 * initialisation. The console rules' fixes are applied, and the machine-
 * independent cnputc() (which drops output until a console is attached) gets a
 * first branch, compiled only into Xen kernels (-DXENOPORT_XEN, set by the
 * target's Makefile), that writes through console_io from the first printf.
 */
async function earlyConsole(input: StageInput): Promise<StageResult> {
  const fixed = (await categoryStage(input, ['console'], 'hypercall', 'console output sites through console_io')) ?? {
    ...empty(),
    notes: ['no scanner available: console rules not applied'],
    summary: '0 console sites',
  };
  const { tree } = input;
  let hooked = '';
  for (const f of tree.files) {
    if (!f.endsWith('.c')) continue;
    const text = tree.read(f).toString('latin1');
    // A definition, ANSI or K&R (parameter declarations between `)` and `{`).
    const m = /^cnputc\s*\([^)]*\)[ \t]*\n(?:[ \t]+[^\n;{]*;[ \t]*\n)*\{[ \t]*\n/m.exec(text);
    if (!m) continue;
    const at = m.index + m[0].length;
    const line = text.slice(0, at).split('\n').length;
    fixed.edits.push({
      file: f,
      startByte: at,
      endByte: at,
      replacement: '#ifdef XENOPORT_XEN\n\t/* xenoport step 7: straight to the Xen console, from the first printf. */\n\tif (c == \'\\n\')\n\t\txen_cnputc(\'\\r\');\n\txen_cnputc(c);\n\treturn;\n#endif\n',
      ruleId: 'xenify/early-console',
      kind: 'xenify',
      where: `${f}:${line}`,
    });
    const ins = includeInsertion(tree.read(f), INCLUDE_LINE, m.index);
    if (ins) {
      fixed.edits.push({
        file: f,
        startByte: ins.at,
        endByte: ins.at,
        replacement: `#ifdef XENOPORT_XEN\n${ins.text}#endif\n`,
        ruleId: 'xenify/early-console',
        kind: 'xenify',
        where: `${f}:1`,
      });
    }
    hooked = f;
    break;
  }
  if (hooked) fixed.summary = `${fixed.summary}; cnputc() in ${hooked} writes through console_io under XENOPORT_XEN`;
  else fixed.notes.push('no cnputc() definition found: printf is not routed to the Xen console early');
  return fixed;
}

/** The body of the C function around byte `at`: from its `{` line to its closing `}` line. */
function functionAround(text: string, at: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n{\n', at);
  const close = text.indexOf('\n}\n', at);
  return { start: start < 0 ? 0 : start, end: close < 0 ? text.length : close };
}

/**
 * Step 10, the pmap's page-table lifetime (Xen 2.0 validates and pins every
 * page that becomes a page table, and refuses a writable linear map). Keyed on
 * the machine-dependent pmap interface points of `<arch>/<arch>/pmap.c`, not on
 * line numbers:
 *  - a page directory: the statement that installs its recursive self entry
 *    (`X[PTDPTDI] = <nonzero>`) makes X a directory: `xen_pt_pin(X, 2)` after it;
 *    `pmap_kremove((vm_offset_t)X)` unmaps it: `xen_pt_unpin(X)` before it;
 *  - a page-table page: `pmap_zero_page(V)` of a page whose address the same
 *    function then ORs into an entry (`V | PG_...`) makes it a page table:
 *    `xen_pt_pin_pa(V, 1)` after the zeroing, before the entry is hooked in;
 *    `vm_page_free(V)` of a page whose address was last taken from a directory
 *    entry (`V = ...pm_pdir[...] & PG_FRAME`): `xen_pt_unpin_pa(V)` before it;
 *  - the alternate recursive entry (`APTDpde`, get_ptbase()) is written without
 *    PG_RW: a linear map of page tables must be read-only under Xen.
 * Only while rule pte-write is in hypercall mode (otherwise the table writes themselves trap).
 */
export function pmapLifetimeEdits(file: string, to: string, text: string): Edit[] {
  const out: Edit[] = [];
  const line = (at: number) => text.slice(0, at).split('\n').length;
  const add = (at: number, replacement: string) =>
    out.push({ file: to, startByte: at, endByte: at, replacement, ruleId: 'xenify/pmap-pin', kind: 'xenify', where: `${file}:${line(at)}` });
  for (const m of text.matchAll(/^([ \t]*)((?:\w+(?:->|\.))*\w+)\[PTDPTDI\]\s*=(?!\s*0\s*;)[^;]*;/gm)) {
    add((m.index as number) + m[0].length, `\n${m[1]}xen_pt_pin(${m[2]}, 2);\t/* xenoport: the new directory is pinned */`);
  }
  for (const m of text.matchAll(/^([ \t]*)pmap_kremove\s*\(\s*\(vm_offset_t\)\s*((?:\w+(?:->|\.))*\w+)\s*\)\s*;/gm)) {
    const fn = functionAround(text, m.index as number);
    if (!new RegExp(`${m[2].replace(/[.>-]/g, '\\$&')}\\[PTDPTDI\\]`).test(text.slice(fn.start, fn.end))) continue;
    add((m.index as number) + m[1].length, `xen_pt_unpin(${m[2]});\t/* xenoport: unpinned before it is unmapped */\n${m[1]}`);
  }
  for (const m of text.matchAll(/^([ \t]*)pmap_zero_page\s*\(\s*(\w+)\s*\)\s*;/gm)) {
    const at = (m.index as number) + m[0].length;
    const fn = functionAround(text, at);
    if (!new RegExp(`\\b${m[2]}\\s*\\|\\s*PG_`).test(text.slice(at, fn.end))) continue;
    add(at, `\n${m[1]}xen_pt_pin_pa(${m[2]}, 1);\t/* xenoport: a page table from here on */`);
  }
  for (const m of text.matchAll(/^([ \t]*)vm_page_free\s*\(\s*(\w+)\s*\)\s*;/gm)) {
    const fn = functionAround(text, m.index as number);
    const sets = [...text.slice(fn.start, m.index as number).matchAll(new RegExp(`\\b${m[2]}\\s*=\\s*([^;=][^;]*);`, 'g'))];
    const last = sets.pop();
    if (!last || !/pm_pdir\s*\[[^\]]*\]\s*&\s*PG_FRAME/.test(last[1])) continue;
    add((m.index as number) + m[1].length, `xen_pt_unpin_pa(${m[2]});\n${m[1]}`);
  }
  return out;
}

/** Drops PG_RW from the value written into the alternate recursive entry (APTDpde). */
function readOnlyLinearMap(e: Edit): Edit {
  if (!/^xen_pte_set\(&APTDpde,/.test(e.replacement)) return e;
  return { ...e, replacement: e.replacement.replace(/\s*\|\s*PG_RW\b|\bPG_RW\s*\|\s*/, ''), message: 'alternate recursive map read-only under Xen (no PG_RW)' };
}

/** Steps 8 / 10: every other finding, in the chosen mode. */
async function rewrite(input: StageInput): Promise<StageResult> {
  const mode = input.mode ?? input.stage.mode ?? input.config.mode;
  const categories = ['privileged-instruction', 'sensitive-instruction', 'privileged-wrapper', 'pte-write', 'pte-read'];
  const r = await categoryStage(input, categories, mode, mode === 'breakpoint' ? 'breakpoint stubs' : 'sites rewritten');
  if (!r) throw new PipelineError('the rewrite stage needs the scanner (src/analyze), which is not available', { span: { file: input.config.file, line: input.stage.line, col: 1 } });
  // With the page-table writes (rule pte-write) in hypercall mode, globally or
  // per rule (`xenoport port` switches rules one by one).
  if ((input.stage.ruleModes?.['pte-write'] ?? mode) === 'hypercall') {
    const { config, tree } = input;
    const pmapC = `${config.arch}/${config.arch}/pmap.c`;
    r.edits = r.edits.map(readOnlyLinearMap);
    if (tree.has(pmapC)) {
      const pins = pmapLifetimeEdits(pmapC, `${config.target}/${pmapC.slice(config.arch.length + 1)}`, tree.read(pmapC).toString('latin1'));
      r.edits.push(...pins);
      if (pins.length) r.summary += `; ${pins.length} page-table pin/unpin points in ${pmapC}`;
    }
  }
  r.summary = `mode ${mode}: ${r.summary}`;
  return r;
}

/*
 * Step 10, the clock: under Xen the 8254 and the 8259 are the hypervisor's. The
 * guest binds VIRQ_TIMER to an event channel (xen_bind_virq), arms set_timer_op
 * one tick ahead (xen_set_timer), and runs the native clock interrupt handler
 * (what cpu_initclocks() hooked to IRQ0 with inthand_add) on each timer event,
 * from the minimal OS's event upcall (xen_handle_event, which this code defines
 * in place of the minimal OS's weak default). Xen 2.0 also sends VIRQ_TIMER
 * periodically once bound; the handler re-arms the one-shot from shared_info's
 * system time. Compiled only into Xen kernels (-DXENOPORT_XEN).
 */
export function xenClockC(handler: string): string {
  return `#ifdef XENOPORT_XEN
/*
 * xenoport step 10: the clock runs on Xen's timer (VIRQ_TIMER and set_timer_op),
 * not on the 8254 through IRQ0 of the 8259, which belong to the hypervisor.
 */
#include <machine/xen/hypervisor.h>

static int xen_timer_port = -1;
static struct trapframe xen_timer_frame;	/* a kernel-mode frame for ${handler}() */

/* Xen's system time in ns (0 when the hypervisor does not publish it). */
static xen_u64
xen_clock_now(void)
{
	shared_info_t *s;
	xen_u32 v;
	xen_u64 t;

	s = HYPERVISOR_shared_info;
	do {
		v = s->time_version2;
		__asm __volatile("" : : : "memory");
		t = s->system_time;
		__asm __volatile("" : : : "memory");
	} while (v != s->time_version1);
	return (t);
}

static void
xen_clock_arm(void)
{
	xen_set_timer(xen_clock_now() + (xen_u64)(1000000000U / (u_int)hz));
}

/* The minimal OS's event upcall calls this for every pending, unmasked port. */
void
xen_handle_event(unsigned int port)
{

	if ((int)port == xen_timer_port) {
		if (xen_clock_now() != 0)
			xen_clock_arm();
		${handler}(&xen_timer_frame);
		return;
	}
	/* No driver for this channel yet: mask it, as the minimal OS does. */
	HYPERVISOR_shared_info->evtchn_mask[port >> 5] |= 1U << (port & 31);
}

static void
xen_clock_start(void)
{

	xen_timer_port = xen_bind_virq(VIRQ_TIMER);
	if (xen_timer_port < 0)
		panic("xen: cannot bind VIRQ_TIMER");
	xen_clock_arm();
	printf("timecounter: Xen VIRQ_TIMER on event channel %d, %d Hz clock\\n",
	    xen_timer_port, hz);
}
#endif /* XENOPORT_XEN */

`;
}

/**
 * The xen-timer stage: finds the clock start-up (the arch function that hooks a
 * handler to IRQ0 with inthand_add(0, handler), cpu_initclocks() in FreeBSD),
 * puts the Xen clock in front of it, and makes its body start the Xen clock
 * and return under XENOPORT_XEN, so the 8254 programming and the IRQ0 hookup
 * through the 8259 are compiled only into the native kernel.
 */
function xenTimer(input: StageInput): StageResult {
  const { config, tree } = input;
  const r = empty();
  for (const f of tree.files) {
    if (!f.startsWith(`${config.arch}/`) || !f.endsWith('.c')) continue;
    const text = tree.read(f).toString('latin1');
    const hook = /\binthand_add\s*\(\s*(?:0|IRQ0)\s*,\s*([A-Za-z_]\w*)\s*\)/.exec(text);
    if (!hook) continue;
    // The definition that contains the hookup: `type\nname(...)\n[K&R decls]{`.
    const defs = [...text.matchAll(/^([A-Za-z_]\w*)\s*\([^;{)]*\)[ \t]*\n(?:[ \t]+[^\n;{]*;[ \t]*\n)*\{[ \t]*\n/gm)];
    const def = defs.filter((m) => (m.index as number) < hook.index).pop();
    if (!def) continue;
    const to = `${config.target}/${f.slice(config.arch.length + 1)}`;
    // The start of the definition's return-type line(s): back to the previous blank line or '}'.
    const before = text.slice(0, def.index as number);
    const typeStart = Math.max(before.lastIndexOf('\n\n'), before.lastIndexOf('}\n')) + 2;
    const bodyAt = (def.index as number) + def[0].length;
    const line = (at: number) => text.slice(0, at).split('\n').length;
    r.edits.push({
      file: to,
      startByte: typeStart,
      endByte: typeStart,
      replacement: xenClockC(hook[1]),
      ruleId: 'xenify/xen-timer',
      kind: 'xenify',
      where: `${f}:${line(typeStart)}`,
    });
    r.edits.push({
      file: to,
      startByte: bodyAt,
      endByte: bodyAt,
      replacement: '#ifdef XENOPORT_XEN\n\t/* xenoport step 10: no 8254 or 8259 under Xen; VIRQ_TIMER drives the clock. */\n\txen_clock_start();\n\treturn;\n#endif\n',
      ruleId: 'xenify/xen-timer',
      kind: 'xenify',
      where: `${f}:${line(bodyAt)}`,
    });
    r.summary = `${def[1]}() in ${to} starts the Xen timer (VIRQ_TIMER, set_timer_op) and calls ${hook[1]}() on timer events; the 8254/8259 path is native-only`;
    return r;
  }
  r.notes.push('no arch function hooks a handler to IRQ0 with inthand_add(0, ...): the clock is not moved to the Xen timer');
  r.summary = 'no clock start-up found';
  return r;
}

/** Runs one stage. */
export async function runStage(input: StageInput): Promise<StageResult> {
  switch (input.stage.kind) {
    case 'copy-arch':
      return copyArch(input);
    case 'makefiles':
      return makefiles(input);
    case 'va-hole':
      return vaHole(input);
    case 'cpu-features':
      return cpuFeatures(input);
    case 'minimal-os':
      return minimalOs(input);
    case 'early-console':
      return earlyConsole(input);
    case 'rewrite':
      return rewrite(input);
    case 'xen-timer':
      return xenTimer(input);
  }
}
