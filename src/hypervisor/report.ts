/*
 * The termination report (seed step 9): why the hypervisor killed the domain, in
 * terms a porter can act on — the reason, the faulting IR instruction, the ORIGINAL
 * C file:line (sys/i386) and the generated one (sys/i386-xeno), the rule whose
 * breakpoint stub was hit, registers, the page-table walk of the faulting address,
 * the last 16 hypercalls, and the validator's last refusals.
 *
 * SourceMap: maps a generated "file:line" (what the IR's locations say) to the
 * original "file:line"; manifestSourceMap builds one from an xenify output tree's
 * manifest (.xenoport-manifest.json: per file, its source and the edits applied
 * with byte ranges into the ORIGINAL file).
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { HypercallRecord } from './domain.js';

export type TerminationKind =
  | 'breakpoint-stub'
  | 'privileged-instruction'
  | 'page-table-write'
  | 'hole-access'
  | 'double-fault'
  | 'page-fault'
  | 'guest-fault'
  | 'guest-crash'
  | 'step-limit'
  | 'engine-limit'
  | 'entry-returned'
  /** sched_op block with no timer and no event: not a fault, but the end of the run. */
  | 'blocked';

export interface CrashReport {
  kind: TerminationKind;
  reason: string;
  /** Rule id and original site from a breakpoint stub's message. */
  rule?: string;
  function?: string;
  instruction?: string;
  /** The file:line the IR carries (the generated file for an xenified tree). */
  generated?: string;
  /** The ORIGINAL file:line (sys/i386), when known. */
  original?: string;
  eip: number;
  address?: number;
  registers: Record<string, number>;
  walk: string[];
  /** Likely callers: return addresses found on the guest stack (a scan, innermost first). */
  backtrace: string[];
  hypercalls: HypercallRecord[];
  mmuLog: string[];
  /** The last exception the hypervisor delivered to the guest, if any. */
  lastException?: string;
  steps: number;
}

export type SourceMap = (where: string) => string | undefined;

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

export function formatHypercall(r: HypercallRecord): string {
  const args = r.args.map((a) => hex(a)).join(', ');
  const res = r.result < 0 ? `${r.result}` : hex(r.result);
  return `#${r.seq} ${r.name}(${args}) = ${res}${r.detail ? `  [${r.detail}]` : ''}`;
}

export function formatReport(r: CrashReport): string {
  const out: string[] = [];
  out.push(`xen: ${r.kind === 'blocked' ? 'domain stopped' : 'domain terminated'}: ${r.reason}`);
  if (r.rule) out.push(`  rule:        ${r.rule}`);
  if (r.instruction) out.push(`  instruction: ${r.instruction}   (in ${r.function ?? '?'} at ${hex(r.eip)})`);
  else out.push(`  eip:         ${hex(r.eip)}${r.function ? ` (in ${r.function})` : ''}`);
  if (r.original) out.push(`  original:    ${r.original}`);
  if (r.generated) out.push(`  generated:   ${r.generated}`);
  if (r.address !== undefined) out.push(`  address:     ${hex(r.address)}`);
  if (r.lastException) out.push(`  last exception delivered to the guest: ${r.lastException}`);
  const R = r.registers;
  const regLine = (names: string[]): string => names.map((n) => `${n}=${hex(R[n] ?? 0)}`).join(' ');
  out.push(`  registers:   ${regLine(['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'])}`);
  out.push(`               ${regLine(['ebp', 'esp', 'eflags', 'eip'])} cs=${(R.cs ?? 0).toString(16)} ss=${(R.ss ?? 0).toString(16)}`);
  if (r.backtrace.length) {
    out.push('  called from (stack scan):');
    for (const l of r.backtrace) out.push(`    ${l}`);
  }
  if (r.walk.length) {
    out.push('  page-table walk:');
    for (const l of r.walk) out.push(`    ${l}`);
  }
  out.push(`  last ${r.hypercalls.length} hypercalls:`);
  for (const c of r.hypercalls) out.push(`    ${formatHypercall(c)}`);
  if (r.mmuLog.length) {
    out.push('  hypervisor log (last refusals):');
    for (const l of r.mmuLog) out.push(`    ${l}`);
  }
  out.push(`  after ${r.steps} steps`);
  return out.join('\n');
}

interface ManifestShape {
  source: string;
  files: Record<string, { source?: string; edits: { startByte: number; endByte: number; replacement: string; where: string }[] }>;
}

/**
 * A SourceMap from the xenify output tree at `treeDir` (the directory holding
 * .xenoport-manifest.json). Generated paths are matched by suffix, so IR files named
 * "sys/i386-xeno/i386/machdep.c" or "i386/machdep.c" both resolve. Returns undefined
 * when the manifest is missing.
 */
export function manifestSourceMap(treeDir: string, sourceRoot?: string): SourceMap | undefined {
  const mf = path.join(treeDir, '.xenoport-manifest.json');
  if (!existsSync(mf)) return undefined;
  const man = JSON.parse(readFileSync(mf, 'utf8')) as ManifestShape;
  const srcRoot = sourceRoot ?? man.source;
  const cache = new Map<string, ((line: number) => string) | null>();
  const mapperFor = (rel: string): ((line: number) => string) | null => {
    if (cache.has(rel)) return cache.get(rel)!;
    const f = man.files[rel];
    let fn: ((line: number) => string) | null = null;
    if (f?.source) {
      const srcPath = path.isAbsolute(srcRoot) ? path.join(srcRoot, f.source) : path.resolve(treeDir, '..', srcRoot, f.source);
      const orig = existsSync(srcPath) ? readFileSync(srcPath) : undefined;
      fn = makeLineMap(`${path.basename(srcRoot)}/${f.source}`, orig, f.edits);
    }
    cache.set(rel, fn);
    return fn;
  };
  const rels = Object.keys(man.files);
  return (where: string) => {
    const m = /^(.*):(\d+)$/.exec(where);
    if (!m) return undefined;
    const file = m[1]!.replace(/\\/g, '/');
    const rel = rels.find((r) => file === r || file.endsWith('/' + r));
    if (!rel) return undefined;
    const fn = mapperFor(rel);
    return fn ? fn(Number(m[2])) : undefined;
  };
}

/**
 * Line map generated -> original for a file made by applying `edits` (byte ranges
 * of the original) to `orig`: a generated line inside a replacement maps to the
 * edit's `where`; any other line shifts by the newlines the edits before it added.
 */
export function makeLineMap(
  source: string,
  orig: Buffer | undefined,
  edits: { startByte: number; endByte: number; replacement: string; where: string }[],
): (line: number) => string {
  const sorted = [...edits].sort((a, b) => a.startByte - b.startByte);
  const nl = (b: Buffer | string, s = 0, e?: number): number => {
    const buf = typeof b === 'string' ? Buffer.from(b) : b;
    let c = 0;
    for (let i = s; i < (e ?? buf.length); i++) if (buf[i] === 10) c++;
    return c;
  };
  // For each edit: generated line range it occupies and the line delta after it.
  const spans: { genFrom: number; genTo: number; where: string; deltaAfter: number }[] = [];
  let delta = 0;
  for (const e of sorted) {
    const origLine = orig ? nl(orig, 0, e.startByte) + 1 : Number(/:(\d+)$/.exec(e.where)?.[1] ?? 0);
    const genFrom = origLine + delta;
    const added = nl(e.replacement);
    const removed = orig ? nl(orig, e.startByte, e.endByte) : 0;
    // A replacement ending in a newline ends its own last line; otherwise that line
    // continues with the original text after the edit (and still counts as the edit).
    const genTo = e.replacement.endsWith('\n') ? genFrom + added - 1 : genFrom + added;
    spans.push({ genFrom, genTo, where: e.where, deltaAfter: delta + added - removed });
    delta += added - removed;
  }
  return (line: number) => {
    let d = 0;
    for (const s of spans) {
      if (line < s.genFrom) break;
      if (line <= s.genTo) return s.where;
      d = s.deltaAfter;
    }
    return `${source}:${line - d}`;
  };
}
