/*
 * Differential random testing of the C compiler with Csmith (Debian packages csmith,
 * libcsmith-dev; creduce for reductions). Each program is generated from a seed,
 * compiled by the host's gcc -O0 and run natively (Csmith's programs use fixed-width
 * types, so the 64-bit host compiler is a fair reference), and compiled and run by
 * xenoport in a reusable child process (csmith-worker.mjs) that is killed when it
 * overruns. The checksums they print are compared and each program is classified:
 * agree, miscompile, compiler error (by cause), crash (internal error or a fault of
 * the compiled program), timeout (step limit or wall clock). A program gcc's build
 * runs for more than NATIVE_TIMEOUT_MS is skipped, not counted: it says nothing
 * about the compiler. When xenoport and 64-bit gcc differ, a 32-bit gcc build decides
 * whether the program depends on the word size ('word-size', not a miscompile).
 *
 * reduceMiscompile runs C-Reduce on a disagreeing program (preprocessed with
 * xenoport's libc headers, so the result stands alone) under an interestingness test
 * that keeps it free of undefined behaviour (gcc's UBSan and warnings that signal
 * it, 32- and 64-bit gcc agreeing) while xenoport still prints something else.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { i386Runner, runI386 } from '../../src/native/i386-exec.js';

export const CSMITH_INCLUDE = '/usr/include/csmith';
const here = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(here, '..', '..');
export const LIBC_INCLUDE = path.join(ROOT, 'src', 'compile', 'libc', 'include');

/**
 * Csmith options that keep its programs inside the C xenoport compiles (docs/compile.md
 * lists them with the reasons). Csmith 2.3 leaves floating point off by default;
 * saying so keeps a newer default from changing the programs.
 */
export const CSMITH_OPTIONS = ['--no-float'];

/**
 * Node flags of the long-lived xenoport process. V8's compilation cache keeps the
 * engine's generated functions of every program (source, bytecode and, through the
 * cached feedback, their optimized code) until it ages them out or the heap is near
 * its limit: Csmith seed 1722 left 35 MB behind per compile and run (heap after gc()
 * 23 MB after the first, 62 after the second, 131 after the fourteenth). A process
 * that never compiles the same generated source twice gains nothing from the cache.
 * heap.test.ts checks the heap stays flat with these flags.
 */
export const WORKER_NODE_FLAGS = ['--no-compilation-cache'];

/** Smaller programs for `npm test` (50 of them in a few minutes). */
export const CSMITH_SMALL = ['--max-funcs', '4', '--max-block-depth', '3', '--max-block-size', '3', '--max-expr-complexity', '6', '--max-array-len-per-dim', '6'];

/** A native build running longer than this is skipped; xenoport gets steps for several times it. */
export const NATIVE_TIMEOUT_MS = 1000;
export const XENO_MAX_STEPS = 4e9;
export const XENO_WALL_MS = 180_000;

export type Kind = 'agree' | 'miscompile' | 'compiler-error' | 'crash' | 'timeout' | 'word-size' | 'skipped';
export interface Outcome { seed: number; kind: Kind; cause?: string; detail?: string; file: string }

export function csmithAvailable(): boolean {
  return existsSync(path.join(CSMITH_INCLUDE, 'csmith.h')) && ['/usr/bin/csmith', '/usr/local/bin/csmith'].some(existsSync);
}

export async function generate(seed: number, dir: string, extra: string[] = []): Promise<string> {
  mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `csmith-${seed}.c`);
  // Csmith writes platform.info into its working directory.
  await execa('csmith', ['--seed', String(seed), ...CSMITH_OPTIONS, ...extra, '-o', file], { cwd: dir });
  return file;
}

interface Native { kind: 'ok' | 'slow' | 'bad'; stdout: string; detail?: string }

async function native(file: string, m32 = false): Promise<Native> {
  const exe = file.replace(/\.c$/, m32 ? '.m32' : '.m64');
  const cc = await execa('gcc', ['-O0', '-w', ...(m32 ? ['-m32'] : []), '-I', CSMITH_INCLUDE, '-o', exe, file], { reject: false });
  if (cc.exitCode !== 0) return { kind: 'bad', stdout: '', detail: String(cc.stderr).split('\n')[0] };
  const r = m32
    ? await runI386(exe, [], { timeoutMs: NATIVE_TIMEOUT_MS })
    : await execa(exe, [], { reject: false, timeout: NATIVE_TIMEOUT_MS, stdin: 'ignore' }).then((x) => ({ ...x, stdout: String(x.stdout), timedOut: x.timedOut }));
  if (r.timedOut) return { kind: 'slow', stdout: '' };
  if (r.exitCode !== 0) return { kind: 'bad', stdout: String(r.stdout), detail: `exit ${r.exitCode}` };
  return { kind: 'ok', stdout: String(r.stdout).trim() };
}

interface Reply { id: number; kind: string; stdout?: string; message?: string; where?: string; steps?: number }

/** The xenoport child: one program at a time, killed and replaced when it overruns. */
export class XenoRunner {
  private child: ChildProcess | undefined;
  private next = 0;
  /** The end of the child's stderr (V8 prints why it aborts there: a heap limit, a fatal error). */
  private stderrTail = '';

  private spawn(): ChildProcess {
    const c = fork(path.join(here, 'csmith-worker.mjs'), [], { stdio: ['ignore', 'ignore', 'pipe', 'ipc'], execArgv: WORKER_NODE_FLAGS });
    this.stderrTail = '';
    c.stderr?.on('data', (d: Buffer) => {
      this.stderrTail = (this.stderrTail + d.toString()).slice(-2000);
    });
    return c;
  }

  run(file: string, maxSteps = XENO_MAX_STEPS, wallMs = XENO_WALL_MS): Promise<Reply> {
    const child = (this.child ??= this.spawn());
    const id = this.next++;
    return new Promise((resolve) => {
      const done = (r: Reply): void => {
        clearTimeout(timer);
        child.off('message', onMessage);
        child.off('exit', onExit);
        resolve(r);
      };
      const onMessage = (m: Reply): void => { if (m.id === id) done(m); };
      const onExit = (code: number | null, sig: string | null): void => {
        this.child = undefined;
        const why = this.stderrTail.trim().split('\n').slice(-6).join('\n');
        done({ id, kind: 'internal', message: `the compiler process died (${sig ?? `exit ${code}`})${why ? `: ${why}` : ''}` });
      };
      const timer = setTimeout(() => {
        child.off('exit', onExit);
        child.kill('SIGKILL');
        this.child = undefined;
        done({ id, kind: 'hang', message: `no answer in ${wallMs / 1000} s` });
      }, wallMs);
      child.on('message', onMessage);
      child.on('exit', onExit);
      child.send({ id, file, includeDirs: [CSMITH_INCLUDE], maxSteps });
    });
  }

  close(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

/** Removes a program and its native builds (kept only when the outcome is worth a look). */
export function discard(o: Outcome): void {
  for (const f of [o.file, o.file.replace(/\.c$/, '.m64'), o.file.replace(/\.c$/, '.m32')]) rmSync(f, { force: true });
}

/** A compile error's cause: its message without the quoted source text. */
export function errorCause(message: string): string {
  return message.replace(/ \(`.*`\)$/s, '').replace(/`[^`]*`/g, '`...`').replace(/'[^']*'/g, "'...'");
}

/** Generates, runs both ways and classifies one seed. */
export async function check(seed: number, dir: string, xeno: XenoRunner, extra: string[] = []): Promise<Outcome> {
  const file = await generate(seed, dir, extra);
  const want = await native(file);
  if (want.kind !== 'ok') return { seed, kind: 'skipped', cause: want.kind === 'slow' ? 'slow natively' : `gcc: ${want.detail}`, file };
  const got = await xeno.run(file);
  switch (got.kind) {
    case 'exit':
      if ((got.stdout ?? '').trim() === want.stdout) return { seed, kind: 'agree', file };
      if ((await i386Runner()).kind !== 'none') {
        const m32 = await native(file, true);
        if (m32.kind === 'ok' && m32.stdout === (got.stdout ?? '').trim()) return { seed, kind: 'word-size', detail: `gcc -m64: ${want.stdout}; gcc -m32 and xenoport: ${m32.stdout}`, file };
      }
      return { seed, kind: 'miscompile', detail: `gcc: ${want.stdout}; xenoport: ${(got.stdout ?? '').trim()}`, file };
    case 'compile-error': return { seed, kind: 'compiler-error', cause: errorCause(got.message ?? ''), detail: got.where, file };
    case 'step-limit': return { seed, kind: 'timeout', cause: `step limit (${XENO_MAX_STEPS})`, file };
    case 'hang': return { seed, kind: 'timeout', cause: 'wall clock', detail: got.message, file };
    case 'fault': return { seed, kind: 'crash', cause: 'the compiled program faulted', detail: got.message, file };
    default: return { seed, kind: 'crash', cause: 'internal error', detail: got.message, file };
  }
}

export type Counts = Record<Kind, number> & { causes: Record<string, number> };

export function tally(outcomes: Outcome[]): Counts {
  const c: Counts = { agree: 0, miscompile: 0, 'compiler-error': 0, crash: 0, timeout: 0, 'word-size': 0, skipped: 0, causes: {} };
  for (const o of outcomes) {
    c[o.kind]++;
    if (o.kind !== 'agree' && o.kind !== 'miscompile' && o.kind !== 'word-size') c.causes[`${o.kind}: ${o.cause}`] = (c.causes[`${o.kind}: ${o.cause}`] ?? 0) + 1;
  }
  return c;
}

export function formatCounts(c: Counts): string {
  const head = `agree ${c.agree}, miscompile ${c.miscompile}, compiler error ${c['compiler-error']}, crash ${c.crash}, timeout ${c.timeout}, word-size ${c['word-size']} (skipped ${c.skipped})`;
  const causes = Object.entries(c.causes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `  ${n} × ${k}`);
  return [head, ...causes].join('\n');
}

/**
 * Reduces a miscompiled program with C-Reduce into `out` (a stand-alone .c file).
 * Returns the reduced text, or undefined when the program is not a clean miscompile
 * to start with (the interestingness test fails on it). `cli` is the xenoport to test.
 */
export async function reduceMiscompile(file: string, out: string, timeoutMs = 3_600_000, cli = path.join(ROOT, 'dist', 'src', 'cli', 'main.js')): Promise<string | undefined> {
  const work = path.join(tmpdir(), `xeno-creduce-${path.basename(file, '.c')}-${process.pid}`);
  mkdirSync(work, { recursive: true });
  const pp = await execa('gcc', ['-E', '-P', '-nostdinc', '-I', LIBC_INCLUDE, '-I', CSMITH_INCLUDE, '-D__XENOPORT__=1', file]);
  writeFileSync(path.join(work, 'prog.c'), String(pp.stdout));
  const m32 = (await i386Runner()).kind === 'direct';
  const test = [
    '#!/bin/bash',
    '# Interesting: defined behaviour (gcc agrees with itself, UBSan and ASan are quiet), xenoport differs.',
    'gcc -O0 -w -o n64 prog.c >/dev/null 2>&1 || exit 1',
    'timeout 2 ./n64 > o64 2>/dev/null || exit 1',
    m32 ? 'gcc -O0 -w -m32 -o n32 prog.c >/dev/null 2>&1 && timeout 2 ./n32 > o32 2>/dev/null && cmp -s o32 o64 || exit 1' : '',
    // Warnings that mean a reduction made the program undefined (not -Woverflow:
    // Csmith's own constants wrap into narrower unsigned types, which is defined).
    'gcc -O1 -Wall -Wextra -Werror=uninitialized -Werror=maybe-uninitialized -Werror=return-type -Werror=implicit-function-declaration -Werror=int-conversion -Werror=incompatible-pointer-types -Werror=div-by-zero -Werror=array-bounds -fsyntax-only prog.c >/dev/null 2>&1 || exit 1',
    `timeout 120 node ${cli} run prog.c --max-steps ${XENO_MAX_STEPS} > ox 2>/dev/null < /dev/null || exit 1`,
    'cmp -s o64 ox && exit 1',
    'gcc -O0 -w -fsanitize=undefined,address -fno-sanitize-recover=all -o ub prog.c >/dev/null 2>&1 && timeout 10 ./ub >/dev/null 2>&1 || exit 1',
    'exit 0',
  ].filter((l) => l !== '').join('\n');
  writeFileSync(path.join(work, 'test.sh'), `${test}\n`);
  chmodSync(path.join(work, 'test.sh'), 0o755);
  const sane = await execa('./test.sh', [], { cwd: work, reject: false });
  if (sane.exitCode !== 0) return undefined;
  await execa('creduce', ['--n', '2', '--timing', './test.sh', 'prog.c'], { cwd: work, reject: false, timeout: timeoutMs });
  const reduced = readFileSync(path.join(work, 'prog.c'), 'utf8');
  writeFileSync(out, reduced);
  return reduced;
}
