/*
 * Scan benchmark (issues 3 and 13): a cold scan beside ast-grep on a tree given
 * by path, and cold against warm on the sample replica.
 * The tree: `npm run bench -- scan --tree PATH [--arch ARCH]`, else the one
 * XENOPORT_REAL_TREE names (a real kernel tree, its root or its sys/), else the
 * sample kernel's files replicated to at least a million lines (each copy marked
 * with a comment, so that no two files share a content hash). A real tree is
 * measured the way `npm run eval -- --speed` measures it (eval/measure.ts: each
 * side a child process under /usr/bin/time, wall, CPU and peak RSS); target
 * (issue 13): within 2x ast-grep's wall time and under 1 GB. The replica is also
 * scanned warm (full cache), in this process; target: warm >= 10x faster than
 * cold. `npm run bench` prints the lines benchScan() returns; run alone with
 * `node dist/bench/scan.js [--tree PATH]`.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRules, scan } from '../src/analyze/index.js';
import { PROJECT_ROOT } from '../src/analyze/paths.js';
import { speedAgainstAstGrep } from '../eval/measure.js';

const TARGET_LINES = 1_000_000;

/** ast-grep rules equivalent to the scan's per-file C rules (ast-grep has no asm, no types). */
const AST_GREP_RULES = `
id: inline-asm
language: c
rule: { kind: gnu_asm_expression }
---
id: pte-store
language: c
rule:
  kind: assignment_expression
  has: { field: left, any: [{ kind: pointer_expression }, { kind: subscript_expression }, { kind: field_expression }] }
---
id: wrapper-call
language: c
rule:
  kind: call_expression
  has: { field: function, regex: '^(invltlb|load_cr3|rcr2|rcr3|invlpg|disable_intr|enable_intr|read_eflags|write_eflags|inb|outb|inw|outw|inl|outl|lgdt|lidt|lldt|ltr|clts|halt|rdmsr|wrmsr)$' }
---
id: cpu-feature
language: c
rule: { kind: identifier, regex: '^(CPUID_(PSE|PGE|PAE|PSE36)|PG_PS|PG_G|CR4_(PSE|PGE|PAE))$' }
---
id: frame-mask
language: c
rule: { kind: binary_expression, has: { field: right, regex: '^(PG_FRAME|PG_PS_FRAME)$' } }
---
id: big-constant
language: c
rule: { kind: number_literal, regex: '^0[xX][fF][c-fC-F][0-9a-fA-F]{6}$' }
`;

function listFiles(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) listFiles(p, out);
    else if (/\.(c|h|s|S)$/.test(n)) out.push(p);
  }
  return out;
}

/** Builds the replicated tree under `root` (once); returns its sys/ and line count. */
export function generateTree(root: string, targetLines = TARGET_LINES): { sys: string; lines: number; files: number } {
  const src = path.join(PROJECT_ROOT, 'sample-kernel', 'sys');
  const files = listFiles(src).map((f) => ({ rel: path.relative(src, f), text: readFileSync(f) }));
  const perCopy = files.reduce((n, f) => n + f.text.toString('latin1').split('\n').length, 0);
  const copies = Math.ceil(targetLines / perCopy);
  const sys = path.join(root, 'sys');
  const stamp = path.join(root, `.complete-${copies}-${perCopy}`);
  if (!existsSync(stamp)) {
    rmSync(root, { recursive: true, force: true });
    for (let c = 0; c < copies; c++) {
      for (const f of files) {
        const dest = path.join(sys, `copy${String(c).padStart(4, '0')}`, f.rel);
        mkdirSync(path.dirname(dest), { recursive: true });
        writeFileSync(dest, Buffer.concat([f.text, Buffer.from(`/* bench copy ${c} */\n`)]));
      }
    }
    writeFileSync(stamp, '');
  }
  return { sys, lines: copies * (perCopy + files.length), files: copies * files.length };
}

async function timed<T>(fn: () => Promise<T> | T): Promise<{ value: T; seconds: number }> {
  const t0 = performance.now();
  const value = await fn();
  return { value, seconds: (performance.now() - t0) / 1000 };
}

const USAGE = 'usage: npm run bench -- scan [--tree PATH] [--arch ARCH] [--rounds N] (default tree: $XENOPORT_REAL_TREE, else the sample replica; on a real tree, N alternated rounds and their medians)\nexample: npm run bench -- scan --tree ~/src/freebsd-9.3 --rounds 5';

/** The tree to measure: `--tree`, else XENOPORT_REAL_TREE, else none (the replica). */
export function benchTree(argv: string[], env: NodeJS.ProcessEnv): { tree?: string; arch: string; from: string; rounds: number } {
  let tree: string | undefined;
  let arch = 'i386';
  let rounds = 1;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--tree') tree = argv[++i];
    else if (argv[i] === '--arch') arch = argv[++i] ?? arch;
    else if (argv[i] === '--rounds') rounds = Number(argv[++i]);
  }
  if (tree !== undefined) return { tree, arch, from: '--tree', rounds };
  if (env.XENOPORT_REAL_TREE) return { tree: env.XENOPORT_REAL_TREE, arch, from: 'XENOPORT_REAL_TREE', rounds };
  return { arch, from: 'replica', rounds };
}

/** A tree's sys/ (the path itself when it has none). */
function sysOf(tree: string): string {
  const abs = path.resolve(tree);
  return existsSync(path.join(abs, 'sys')) ? path.join(abs, 'sys') : abs;
}

export async function benchScan(argv: string[] = process.argv.slice(2)): Promise<string[]> {
  if (argv.includes('--help')) return [USAGE];
  const chosen = benchTree(argv, process.env);
  if (!Number.isInteger(chosen.rounds) || chosen.rounds < 1) {
    process.exitCode = 2;
    return ['scan bench: --rounds takes a whole number of at least 1', USAGE];
  }
  if (chosen.tree !== undefined) {
    const sys = sysOf(chosen.tree);
    if (!chosen.tree || !existsSync(sys) || !statSync(sys).isDirectory()) {
      process.exitCode = 2;
      return [`scan bench: no such directory: '${chosen.tree}' (from ${chosen.from})`, USAGE];
    }
    return [
      `scan bench: ${sys} (from ${chosen.from}), arch ${chosen.arch}, ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`,
      ...(await speedAgainstAstGrep(sys, chosen.arch, chosen.rounds)).map((l) => `  ${l}`),
    ];
  }
  const out: string[] = [];
  const root = path.join(os.tmpdir(), 'xenoport-bench-scan');
  const cache = path.join(os.tmpdir(), 'xenoport-bench-scan-cache');
  const { sys, lines, files } = generateTree(root);
  out.push(`scan bench: the sample replica (no --tree, no XENOPORT_REAL_TREE), ${files} files, ${lines} lines (sample kernel x${Math.round(lines / 6700)}), ${os.availableParallelism()} cores, load average ${os.loadavg()[0].toFixed(1)}`);
  const rules = loadRules();

  rmSync(cache, { recursive: true, force: true });
  const cold = await timed(() => scan({ paths: [sys], rules, cache }));
  const warm = await timed(() => scan({ paths: [sys], rules, cache }));
  out.push(`  xenoport cold: ${cold.seconds.toFixed(2)} s (${cold.value.summary.findings} findings, ${cold.value.summary.workers} threads, ${Math.round(lines / cold.seconds)} lines/s)`);
  out.push(`  xenoport warm: ${warm.seconds.toFixed(2)} s (${warm.value.summary.cached} files from cache)`);

  const sg = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'ast-grep');
  let sgSeconds: number | undefined;
  if (existsSync(sg)) {
    const r = await timed(() => {
      try {
        return execFileSync(sg, ['scan', '--inline-rules', AST_GREP_RULES, '--json=stream', sys], { maxBuffer: 1 << 30, encoding: 'utf8' });
      } catch (err) {
        // ast-grep exits 1 when a rule with severity error matched; the output is still there.
        return String((err as { stdout?: string }).stdout ?? '');
      }
    });
    sgSeconds = r.seconds;
    const matches = r.value.split('\n').filter((l) => l.trim()).length;
    out.push(`  ast-grep:      ${r.seconds.toFixed(2)} s (${matches} matches, 6 patterns, C files only)`);
  } else out.push('  ast-grep: not installed (npm install), skipped');

  const coldRatio = sgSeconds ? cold.seconds / sgSeconds : NaN;
  const warmRatio = cold.seconds / warm.seconds;
  out.push(`  cold / ast-grep = ${coldRatio.toFixed(2)}x (target <= 2x) ${coldRatio <= 2 ? 'OK' : 'MISSED'}`);
  out.push(`  cold / warm     = ${warmRatio.toFixed(1)}x (target >= 10x) ${warmRatio >= 10 ? 'OK' : 'MISSED'}`);
  return out;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  benchScan().then(
    (lines) => console.log(lines.join('\n')),
    (err: unknown) => {
      console.error(err instanceof Error ? err.message : String(err));
      process.exitCode = 2;
    },
  );
}
