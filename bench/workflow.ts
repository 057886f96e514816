/*
 * The porter's daily commands: how fast `xenoport --version` and `--help` start
 * (wall and CPU time of the built CLI, best of 5), and the unified diff of a
 * 40,000-line file with 4,000 changes, in time and peak memory, each measured in a
 * fresh process: `rewrite --diff` (the diff built from the edits' regions), the same
 * change diffed without regions (git diff --no-index, what xenify's other stages
 * use), and `git diff --no-index` itself as the baseline.
 */
import { execa } from 'execa';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const CLI = path.resolve(here, '..', 'src', 'cli', 'main.js');
const DIFF = path.resolve(here, '..', 'src', 'rewrite', 'index.js');

/** Wall and CPU milliseconds of one command, from bash's `time`. */
async function measure(cmd: string, args: string[], cwd: string): Promise<{ wall: number; cpu: number }> {
  const r = await execa('bash', ['-c', `TIMEFORMAT='%3R %3U %3S'; time "$0" "$@" > /dev/null`, cmd, ...args], { cwd, reject: false });
  const [wall, user, sys] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
  return { wall: wall! * 1000, cpu: (user! + sys!) * 1000 };
}

/** The best of five runs. */
async function best(cmd: string, args: string[], cwd: string): Promise<{ wall: number; cpu: number }> {
  const runs = [];
  for (let i = 0; i < 5; i++) runs.push(await measure(cmd, args, cwd));
  return { wall: Math.min(...runs.map((r) => r.wall)), cpu: Math.min(...runs.map((r) => r.cpu)) };
}

async function startup(): Promise<string[]> {
  const out: string[] = [];
  const cwd = os.tmpdir();
  const n = await best(process.execPath, ['-e', '0'], cwd);
  out.push(`node -e 0 (the floor)      ${n.wall.toFixed(0).padStart(5)} ms wall  ${n.cpu.toFixed(0).padStart(5)} ms CPU`);
  for (const args of [['--version'], ['--help'], ['scan', '--help']]) {
    const b = await best(process.execPath, [CLI, ...args], cwd);
    out.push(`xenoport ${args.join(' ').padEnd(16)} ${b.wall.toFixed(0).padStart(5)} ms wall  ${b.cpu.toFixed(0).padStart(5)} ms CPU`);
  }
  return out;
}

/** A 40,000-line C file with a `cli` site every 10 lines: 4,000 changes. */
function bigFile(): string {
  const lines: string[] = [];
  for (let f = 0; f < 4000; f++) lines.push('void', `f${f}(void)`, '{', '\tint x;', '', '\tx = 1;', '\t__asm __volatile("cli");', '\tx++;', '}', '');
  return lines.join('\n') + '\n';
}

async function bigDiff(): Promise<string[]> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xenoport-bench-diff-'));
  try {
    const sys = path.join(dir, 'sys');
    mkdirSync(path.join(sys, 'kern'), { recursive: true });
    const text = bigFile();
    writeFileSync(path.join(sys, 'kern', 'big.c'), text);
    const out: string[] = [`file: ${text.split('\n').length - 1} lines, 4000 sites`];
    const timed = async (what: string, cmd: string, args: string[]): Promise<void> => {
      const r = await execa('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { cwd: dir, reject: false, stdout: 'ignore' });
      const [sec, kb] = r.stderr.trim().split('\n').pop()!.split(' ').map(Number);
      out.push(`${what.padEnd(44)} ${(sec! * 1000).toFixed(0).padStart(6)} ms  ${(kb! / 1024).toFixed(0).padStart(5)} MB peak`);
    };
    await timed('xenoport rewrite --diff (scan, plan, diff)', process.execPath, [CLI, 'rewrite', sys, '--mode', 'hypercall', '--diff', '--root', dir]);
    // The same change, diffed without regions: what a stage that rewrites text wholesale gets.
    const after = text.replace(/__asm __volatile\("cli"\);/g, 'xen_cli();');
    writeFileSync(path.join(dir, 'after.c'), after);
    const script = `import { readFileSync } from 'node:fs'; import { unifiedDiff } from ${JSON.stringify(DIFF)};
      const d = unifiedDiff({ path: 'big.c', before: readFileSync('sys/kern/big.c'), after: readFileSync('after.c') });
      if (!d.includes('+\\txen_cli();')) throw new Error('no diff');`;
    await timed('unified diff without regions (git hunks)', process.execPath, ['--input-type=module', '-e', script]);
    await timed('git diff --no-index (baseline)', 'git', ['diff', '--no-index', '--no-color', 'sys/kern/big.c', 'after.c']);
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchWorkflow(): Promise<string[]> {
  return [...(await startup()), ...(await bigDiff())];
}
