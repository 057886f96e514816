/*
 * BarePC figures for `npm run bench` (section `pc`):
 *  - the native sample kernel's boot to the root-mount failure: its compile time
 *    through xenoport's pipeline, IR instructions executed, wall time, and the virtual
 *    time the kernel saw;
 *  - the paging overhead: the CPU-bound C programs of the engine's bench
 *    (bench/programs.ts) run flat (run mode, FlatMemory with the inlined fast path),
 *    on BarePC with paging off (PagedMemory, identity) and with paging on (every page
 *    of RAM mapped through 4 KiB PTEs, so every load and store goes through the TLB).
 *    Target: paging on / flat < 2x.
 * The programs' libc reaches the host through the run-mode sys_* intrinsics; on
 * BarePC a small subclass answers them (the PC itself treats them as #UD).
 * `node dist/bench/pc.js` runs the section alone.
 */
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { compileProgram } from '../src/compile/index.js';
import { link, type LinkedImage } from '../src/ir/index.js';
import { runProgram } from '../src/emulate/index.js';
import type { Machine } from '../src/emulate/index.js';
import type { IntrinsicName } from '../src/ir/index.js';
import { BarePC } from '../src/emulate/pc/index.js';
import { buildKernelImage } from '../src/compile/index.js';
import { CS, DS, EFLAGS, ES, ESP, FS, GS, SS } from '../src/emulate/regs.js';
import { BENCH_PROGRAMS } from './programs.js';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = here.endsWith(path.join('dist', 'bench')) ? path.resolve(here, '../..') : path.resolve(here, '..');

export interface KernelBootBench {
  compileMs: number;
  steps: number;
  bootMs: number;
  outcome: string;
  virtualSeconds: number;
  stepsPerSecond: number;
}

/** Compiles the sample kernel with xenoport's pipeline and boots it on BarePC to the halt. */
export async function benchKernelBoot(kernelDir = path.join(root, 'sample-kernel')): Promise<KernelBootBench> {
  const t0 = performance.now();
  const build = await buildKernelImage(kernelDir);
  const compileMs = performance.now() - t0;
  if (!build.image) throw new Error(`the sample kernel does not build: ${build.errors.join('; ')}`);
  const pc = new BarePC(build.image, { memoryMB: 32 });
  const r = pc.boot(2e9);
  return {
    compileMs,
    steps: r.steps,
    bootMs: r.wallMs,
    outcome: r.message ?? r.outcome,
    virtualSeconds: r.virtualClocks / 1193182,
    stepsPerSecond: r.steps / (r.wallMs / 1000),
  };
}

/** BarePC plus the run-mode syscalls, for running ordinary C programs in ring 0. */
class ProgramPC extends BarePC {
  out: number[] = [];
  brk = 0;
  heapLimit = 0;
  override intrinsic(m: Machine, name: IntrinsicName, a: number, b: number, c: number, eip: number): number {
    switch (name) {
      case 'sys_write': {
        if (a !== 1 && a !== 2) return -9;
        for (let k = 0; k < c; k++) this.out.push(m.mem.ld8u((b + k) | 0, eip));
        return c;
      }
      case 'sys_read':
        return 0;
      case 'sys_exit':
        return m.halt({ outcome: 'exit', exitCode: a & 255 });
      case 'sys_sbrk': {
        const old = this.brk;
        const nb = old + a;
        if (nb < 0 || nb > this.heapLimit) return -1;
        this.brk = nb;
        return old;
      }
      default:
        return super.intrinsic(m, name, a, b, c, eip);
    }
  }
}

const LOW = 0x00400000;
const RAM = 128 << 20;

/** Runs a program image (linked at LOW) on BarePC, paging off or on. */
function runOnPC(image: LinkedImage, paging: boolean): { ms: number; steps: number; out: string; outcome: string } {
  const pc = new ProgramPC(image, { memoryBytes: RAM });
  pc.loadSections();
  const ph = pc.phys;
  // Page tables at the top of RAM: identity map every page with 4 KiB PTEs.
  const ptBase = RAM - (RAM >> 10) - 0x1000;
  const pd = RAM - 0x1000;
  if (paging) {
    for (let k = 0; k < RAM >> 12; k++) ph.write32(ptBase + 4 * k, (k << 12) | 0x3);
    for (let d = 0; d < RAM >> 22; d++) ph.write32(pd + 4 * d, (ptBase + 0x1000 * d) | 0x3);
    pc.mmu.loadCR3(pd);
    pc.cpu.writeCR0(pc.cpu.cr0 | 0x80010001);
  }
  const stackTop = ptBase - 0x1000;
  pc.brk = Math.ceil(image.vend / 16) * 16;
  pc.heapLimit = stackTop - (8 << 20);
  const argv0 = stackTop;
  ph.load(argv0, new TextEncoder().encode('bench\0'));
  const argv = stackTop - 16;
  ph.write32(argv, argv0);
  ph.write32(argv + 4, 0);
  const R = pc.machine.regs;
  R[ESP] = argv - 64;
  R[CS] = 0x08;
  R[DS] = R[ES] = R[FS] = R[GS] = R[SS] = 0x10;
  R[EFLAGS] = 2;
  const r = pc.run(5e9, image.entry, [1, argv]);
  return { ms: r.wallMs, steps: r.steps, out: Buffer.from(pc.out).toString('latin1'), outcome: r.outcome };
}

export interface PagingBenchRow {
  name: string;
  flatMs: number;
  pagingOffMs: number;
  pagingOnMs: number;
  /** pagingOn / flat */
  overhead: number;
  steps: number;
  outputMatches: boolean;
}

/** The bench programs flat vs BarePC paging off vs on. */
export async function benchPaging(only?: string[]): Promise<PagingBenchRow[]> {
  const rows: PagingBenchRow[] = [];
  const dir = mkdtempSync(path.join(tmpdir(), 'xenoport-pc-bench-'));
  for (const p of BENCH_PROGRAMS) {
    if (only && !only.includes(p.name)) continue;
    const file = path.join(dir, `${p.name}.c`);
    writeFileSync(file, p.source);
    const build = await compileProgram([file]);
    const image = link(build.modules, { kind: 'program', entry: '__xeno_start', vaddr: LOW });
    const t0 = performance.now();
    const flat = runProgram(image, { maxSteps: 5e9, memorySize: 96 << 20 });
    const flatMs = performance.now() - t0;
    const off = runOnPC(image, false);
    const on = runOnPC(image, true);
    rows.push({
      name: p.name,
      flatMs,
      pagingOffMs: off.ms,
      pagingOnMs: on.ms,
      overhead: on.ms / flatMs,
      steps: on.steps,
      outputMatches: flat.stdout === off.out && flat.stdout === on.out && on.outcome === 'exit',
    });
  }
  return rows;
}

/** The lines `npm run bench` prints for the pc section. */
export async function runPcBench(): Promise<string[]> {
  const lines: string[] = [];
  const k = await benchKernelBoot();
  lines.push(
    `native kernel boot: compile ${k.compileMs.toFixed(0)} ms, boot ${k.bootMs.toFixed(0)} ms, ${k.steps} IR instructions ` +
      `(${(k.stepsPerSecond / 1e6).toFixed(1)} M/s), ${k.virtualSeconds.toFixed(2)} s virtual, ended: ${k.outcome}`,
  );
  for (const r of await benchPaging()) {
    lines.push(
      `${r.name.padEnd(9)} flat ${r.flatMs.toFixed(0).padStart(6)} ms  paging off ${r.pagingOffMs.toFixed(0).padStart(6)} ms  ` +
        `paging on ${r.pagingOnMs.toFixed(0).padStart(6)} ms  overhead ${r.overhead.toFixed(2)}x${r.overhead < 2 ? '' : ' (OVER 2x)'}  output ${r.outputMatches ? 'matches' : 'DIFFERS'}`,
    );
  }
  return lines;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  runPcBench()
    .then((l) => process.stdout.write(l.join('\n') + '\n'))
    .catch((e: unknown) => {
      process.stderr.write(`pc bench failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 1;
    });
}
