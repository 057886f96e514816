/*
 * The figures of a real tree that need reading by hand, printed so they can be
 * read: PTE-write recall on the native pmap.c (the scan's page-table write lines
 * against a name-based regex over the file, both differences listed), and every
 * finding of a category (va-hole, console) with its source line. And the cold
 * scan of a whole sys/ beside ast-grep, each a child process under
 * /usr/bin/time (wall, CPU, peak RSS). Nothing here decides what is a page-table
 * write or a virtual address: it shows the lines; BENCHMARKS.md says how they
 * were read.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import type { Finding } from '../src/analyze/index.js';
import { PROJECT_ROOT } from '../src/analyze/paths.js';

/** The lines a name-based search takes for page-table writes (the comparison's other side). */
const PTE_REGEX = [
  /\b(pte_store|pde_store|pte_clear|pde_clear|pte_load_store|pte_load_clear|pde_load_clear|pde_cmpset|pte_cmpset|pagezero|pmap_zero_page)\s*\(/,
  /\*\s*\(?\s*(pte|pde|ptep|pdep|opte|npte|ptq|pdir_pde\s*\([^)]*\))\s*\)?\s*([|&+-]?=)(?!=)/,
  /\b(pm_pdir|pm_pdpt|PTD|PTmap|KPTD|KPTmap|APTD|APTmap|IdlePTD|PTDpde|APTDpde)\s*\[[^\]]*\]\s*([|&+-]?=)(?!=)/,
];

export interface RecallLines {
  file: string;
  found: number[];
  regex: number[];
  /** Lines the regex takes that the scan does not, with their text, to read. */
  regexOnly: Array<[number, string]>;
  /**
   * Those of regexOnly the scan reports as pt-pin sites: a page zeroed before it
   * becomes a page table (pmap_zero_page(m) in _pmap_allocpte). While it is zeroed it
   * is an ordinary page, and the Xen ports keep the zeroing as it is and pin the page
   * after (freebsd-5.3-xen-sparse/i386-xen/i386-xen/pmap.c:1239 and 1249, 1513): not
   * a page-table write, so not a miss of the pte-write rules.
   */
  pinPoints: number[];
  /** Lines the scan finds that the regex does not. */
  scanOnly: Array<[number, string]>;
}

/** The pte-write lines of `rel` (path as the findings name it) against the regex over `abs`. */
export function pteRecall(abs: string, rel: string, findings: Finding[]): RecallLines | undefined {
  if (!existsSync(abs)) return undefined;
  const lines = readFileSync(abs, 'latin1').split('\n');
  const found = [...new Set(findings.filter((f) => f.category === 'pte-write' && (f.file === rel || f.file.endsWith(`/${rel}`))).map((f) => f.line))].sort((a, b) => a - b);
  const regex: number[] = [];
  lines.forEach((l, i) => {
    const code = l.replace(/\/\*.*?\*\/|\/\/.*$/g, '');
    if (/^\s*\*|^\s*#/.test(l)) return;
    if (PTE_REGEX.some((re) => re.test(code))) regex.push(i + 1);
  });
  const pins = new Set(findings.filter((f) => f.category === 'pt-pin' && (f.file === rel || f.file.endsWith(`/${rel}`))).map((f) => f.line));
  const fs = new Set(found);
  const rs = new Set(regex);
  const text = (n: number): string => lines[n - 1].trim().slice(0, 110);
  return {
    file: rel,
    found,
    regex,
    regexOnly: regex.filter((n) => !fs.has(n)).map((n) => [n, text(n)]),
    pinPoints: regex.filter((n) => !fs.has(n) && pins.has(n)),
    scanOnly: found.filter((n) => !rs.has(n)).map((n) => [n, text(n)]),
  };
}

/** Every finding of `category` whose file starts with `prefix`, with its source line. */
export function findingLines(findings: Finding[], category: string, prefix: string, root: string): string[] {
  const strip = (f: string): string => (f.startsWith(`${path.basename(root)}/`) ? f.slice(path.basename(root).length + 1) : f);
  return findings
    .filter((f) => f.category === category && strip(f.file).startsWith(prefix))
    .map((f) => {
      const abs = path.join(root, strip(f.file));
      const line = existsSync(abs) ? (readFileSync(abs, 'latin1').split('\n')[f.line - 1] ?? '').trim().slice(0, 100) : '';
      return `${f.file}:${f.line} ${f.ruleId}: ${line}`;
    });
}

export interface Timed {
  wallS: number;
  cpuS: number;
  peakMb: number;
  exitCode: number;
  out: string;
}

/** Runs a command under /usr/bin/time -v; never throws. */
export async function timeCommand(cmd: string, args: string[], cwd: string): Promise<Timed> {
  const r = await execa('/usr/bin/time', ['-v', cmd, ...args], { cwd, reject: false, all: false, maxBuffer: 1 << 30 });
  const err = String(r.stderr);
  const num = (re: RegExp): number => Number(re.exec(err)?.[1] ?? NaN);
  const wall = /Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (?:(\d+):)?(\d+):([\d.]+)/.exec(err);
  const wallS = wall ? Number(wall[1] ?? 0) * 3600 + Number(wall[2]) * 60 + Number(wall[3]) : NaN;
  return {
    wallS,
    cpuS: num(/User time \(seconds\): ([\d.]+)/) + num(/System time \(seconds\): ([\d.]+)/),
    peakMb: Math.round(num(/Maximum resident set size \(kbytes\): (\d+)/) / 1024),
    exitCode: r.exitCode ?? -1,
    out: String(r.stdout),
  };
}

/**
 * A cold scan of the whole sys/ for `arch` (worker threads, no cache) and ast-grep
 * over the same tree with the issue's pattern (`ast-grep run -p '*$P = $V' -l c`),
 * one after the other, each measured on its own. With several rounds the order
 * alternates (a shared machine's load drifts) and the medians are given: on the
 * machines this runs on, ast-grep's own time moves by a quarter between runs, so
 * one round's ratio is a sample, not the figure.
 */
export async function speedAgainstAstGrep(sys: string, arch: string, rounds = 1): Promise<string[]> {
  const out: string[] = [];
  const cli = path.join(PROJECT_ROOT, 'dist', 'src', 'cli', 'main.js');
  const sg = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'ast-grep');
  const xenoport = () => timeCommand(process.execPath, [cli, 'scan', sys, '--arch', arch, '--no-cache', '--summary', '--error-on', 'none', '--root', sys], sys);
  const astGrep = () => timeCommand(sg, ['run', '-p', '*$P = $V', '-l', 'c', '.'], sys);
  const ratios: Array<{ wall: number; cpu: number; mb: number }> = [];
  for (let round = 1; round <= rounds; round++) {
    const tag = rounds > 1 ? `round ${round}: ` : '';
    const first = round % 2 === 1 || !existsSync(sg) ? 'xenoport' : 'ast-grep';
    const a0 = first === 'ast-grep' ? await astGrep() : undefined;
    const x = await xenoport();
    const files = /(\d[\d,]*) files?/.exec(x.out)?.[1] ?? '?';
    out.push(`${tag}xenoport scan ${path.basename(sys)} --arch ${arch} --no-cache (cold, worker threads): exit ${x.exitCode}, ${files} files, ${x.wallS.toFixed(1)} s wall, ${x.cpuS.toFixed(1)} CPU-s, ${x.peakMb} MB peak`);
    if (!existsSync(sg)) {
      out.push('ast-grep: not installed (node_modules/.bin/ast-grep missing; it is the devDependency @ast-grep/cli), not compared');
      continue;
    }
    const a = a0 ?? (await astGrep());
    const matches = a.out.split('\n').filter((l) => /^\S.*:\d+:/.test(l) || /^[^\s│].*\.([ch])$/.test(l)).length;
    out.push(`${tag}ast-grep run -p '*$P = $V' -l c (same tree): exit ${a.exitCode}, ${a.wallS.toFixed(1)} s wall, ${a.cpuS.toFixed(1)} CPU-s, ${a.peakMb} MB peak${matches ? `, ${matches} output lines` : ''}`);
    const r = { wall: x.wallS / a.wallS, cpu: x.cpuS / a.cpuS, mb: x.peakMb };
    ratios.push(r);
    out.push(`${tag}xenoport / ast-grep: ${r.wall.toFixed(2)}x wall, ${r.cpu.toFixed(2)}x CPU, ${(x.peakMb / a.peakMb).toFixed(2)}x memory (issue 13's target: <= 2x wall, < 1 GB)`);
  }
  if (ratios.length > 1) {
    const wall = ratios.map((r) => r.wall);
    const cpu = ratios.map((r) => r.cpu);
    const span = (v: number[]) => `${Math.min(...v).toFixed(2)}-${Math.max(...v).toFixed(2)}x`;
    out.push(
      `median of ${ratios.length} rounds: ${median(wall).toFixed(2)}x wall (${span(wall)}), ${median(cpu).toFixed(2)}x CPU (${span(cpu)}), xenoport's peak ${Math.max(...ratios.map((r) => r.mb))} MB; ` +
        `${wall.filter((w) => w <= 2).length} of ${ratios.length} rounds at or under 2x wall`,
    );
  }
  return out;
}

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(values: number[]): number {
  const v = [...values].sort((a, b) => a - b);
  const mid = v.length >> 1;
  return v.length % 2 === 1 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
