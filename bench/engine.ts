/*
 * Engine micro-benchmarks: hand-written IR programs run in flat user mode, reported as
 * IR instructions per second (steps / wall time, compile time included but negligible).
 * The programs mirror what C compiled at -O0 looks like: `sieve` keeps every local in
 * an `alloc` slot (a load and a store per use, as gcc -O0 does), `loop` keeps them in
 * temps, `fib` measures cdecl calls through the emulated stack; `words` (paging only)
 * is a load and a store of a computed address per 9 IR instructions, memory-bound.
 * (The engine keeps non-escaping alloc slots in JS locals, so sieve's memory traffic
 * is its flags bytes.)
 * `npm run bench` calls runEngineBenchmarks(); `node dist/bench/engine.js` runs it alone,
 * followed by the paging comparison (runPagingBenchmarks): the same programs with
 * paging off (FlatMemory) and on — the engine test's TestTlbMemory and the PC's
 * PagedMemory, paging enabled over shuffled physical pages, every page's entry filled
 * (steady-state TLB hits) — as the ratio of their CPU times (warm runs, best of 3; the ratio is
 * what counts, the machine being shared). The JIT inlines the TLB hit when the memory
 * exposes a TlbView ("inlined TLB"), else calls its methods ("method calls").
 * Goal (issue 6): paging overhead under 2x on these CPU-bound programs.
 */
import { link } from '../src/ir/index.js';
import type { LinkedImage } from '../src/ir/index.js';
import { FlatMemory, runProgram, type Machine } from '../src/emulate/index.js';
import { PhysicalMemory } from '../src/emulate/pc/phys.js';
import { CR0_PE, CR0_PG, PagedMemory, PG_A, PG_M, PG_RW, PG_U, PG_V } from '../src/emulate/pc/mmu.js';
import { parseModule, verifyModule } from '../src/ir/index.js';
import { load, TestTlbMemory, PTE_P, PTE_W, type Loaded } from '../tests/emulate/tlb-memory.js';

export interface EngineBenchResult {
  name: string;
  steps: number;
  seconds: number;
  opsPerSecond: number;
  /** What the program printed/returned, to check the work was done. */
  exitCode: number | null;
}

const LOOP = (n: number): string => `
func export $main(w %argc, w %argv) : w {
@entry
	%i =w copy 0 !0:1
	%s =w copy 0 !0:1
	jmp @loop !0:1
@loop
	%t =w mul %i, %i !0:2
	%s =w add %s, %t !0:2
	%s =w xor %s, %i !0:2
	%i =w add %i, 1 !0:3
	%c =w csltw %i, ${n} !0:3
	jnz %c, @loop, @done !0:3
@done
	%r =w and %s, 255 !0:4
	ret %r !0:4
}`;

// for (rep) { for (i = 2; i < N; i++) flags[i] = 1; for (i = 2; i < N; i++) if (flags[i]) { count++; for (k = i + i; k < N; k += i) flags[k] = 0; } }
// with i, k, count in memory slots as gcc -O0 keeps them.
const SIEVE = (n: number, reps: number): string => `
data $flags align 4 { z ${n} }
func export $main(w %argc, w %argv) : w {
@entry
	%ip =w alloc 4, 4 !0:1
	%kp =w alloc 4, 4 !0:1
	%cp =w alloc 4, 4 !0:1
	%rp =w alloc 4, 4 !0:1
	storew 0, %rp !0:1
	jmp @rep !0:1
@rep
	storew 0, %cp !0:2
	storew 2, %ip !0:3
	jmp @fill !0:3
@fill
	%i =w loadw %ip !0:3
	%c =w csltw %i, ${n} !0:3
	jnz %c, @fillb, @scan0 !0:3
@fillb
	%i1 =w loadw %ip !0:4
	%a =w add $flags, %i1 !0:4
	storeb 1, %a !0:4
	%i2 =w loadw %ip !0:3
	%i3 =w add %i2, 1 !0:3
	storew %i3, %ip !0:3
	jmp @fill !0:3
@scan0
	storew 2, %ip !0:5
	jmp @scan !0:5
@scan
	%j =w loadw %ip !0:5
	%c2 =w csltw %j, ${n} !0:5
	jnz %c2, @scanb, @next !0:5
@scanb
	%j1 =w loadw %ip !0:6
	%a2 =w add $flags, %j1 !0:6
	%f =w loadub %a2 !0:6
	jnz %f, @prime, @scinc !0:6
@prime
	%cc =w loadw %cp !0:7
	%cc1 =w add %cc, 1 !0:7
	storew %cc1, %cp !0:7
	%j2 =w loadw %ip !0:8
	%k0 =w add %j2, %j2 !0:8
	storew %k0, %kp !0:8
	jmp @cross !0:8
@cross
	%k =w loadw %kp !0:8
	%c3 =w csltw %k, ${n} !0:8
	jnz %c3, @crossb, @scinc !0:8
@crossb
	%k1 =w loadw %kp !0:9
	%a3 =w add $flags, %k1 !0:9
	storeb 0, %a3 !0:9
	%k2 =w loadw %kp !0:8
	%j3 =w loadw %ip !0:8
	%k3 =w add %k2, %j3 !0:8
	storew %k3, %kp !0:8
	jmp @cross !0:8
@scinc
	%j4 =w loadw %ip !0:5
	%j5 =w add %j4, 1 !0:5
	storew %j5, %ip !0:5
	jmp @scan !0:5
@next
	%r =w loadw %rp !0:10
	%r1 =w add %r, 1 !0:10
	storew %r1, %rp !0:10
	%c4 =w csltw %r1, ${reps} !0:10
	jnz %c4, @rep, @done !0:10
@done
	%cnt =w loadw %cp !0:11
	%o =w and %cnt, 255 !0:11
	ret %o !0:11
}`;

const FIB = (n: number): string => `
func $fib(w %n) : w {
@entry
	%c =w csltw %n, 2 !0:1
	jnz %c, @base, @rec !0:1
@base
	ret %n !0:2
@rec
	%a =w sub %n, 1 !0:3
	%x =w call $fib(w %a) !0:3
	%b =w sub %n, 2 !0:3
	%y =w call $fib(w %b) !0:3
	%s =w add %x, %y !0:3
	ret %s !0:3
}
func export $main(w %argc, w %argv) : w {
@entry
	%r =w call $fib(w ${n}) !0:5
	%o =w and %r, 255 !0:5
	ret %o !0:5
}`;

// for (rep) for (i = 1; i < N; i++) a[i] = a[i - 1] + i; with 32-bit words through
// computed addresses: every step of the inner loop is a load and a store (memory-bound).
const WORDS = (n: number, reps: number): string => `
data $a align 4 { z ${4 * n} }
func export $main(w %argc, w %argv) : w {
@entry
	%r =w copy 0 !0:1
	jmp @rep !0:1
@rep
	%i =w copy 1 !0:2
	jmp @loop !0:2
@loop
	%o =w shl %i, 2 !0:3
	%p =w add $a, %o !0:3
	%q =w sub %p, 4 !0:3
	%x =w loadw %q !0:3
	%y =w add %x, %i !0:3
	storew %y, %p !0:3
	%i =w add %i, 1 !0:2
	%c =w csltw %i, ${n} !0:2
	jnz %c, @loop, @next !0:2
@next
	%r =w add %r, 1 !0:1
	%c2 =w csltw %r, ${reps} !0:1
	jnz %c2, @rep, @done !0:1
@done
	%l =w loadw $a+${4 * (n - 1)} !0:4
	%o2 =w and %l, 255 !0:4
	ret %o2 !0:4
}`;

function bench(name: string, text: string): EngineBenchResult {
  const img = link([verifyModule(parseModule(text, name))], { kind: 'program' });
  const t0 = performance.now();
  const r = runProgram(img, { maxSteps: 1e11 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.outcome !== 'exit') throw new Error(`bench ${name}: ${r.outcome} ${JSON.stringify(r.fault)}`);
  return { name, steps: r.steps, seconds, opsPerSecond: r.steps / seconds, exitCode: r.exitCode };
}

/** The IR loop of `n` iterations (6 IR instructions each): IR instructions per second. */
export function benchEngineLoop(n = 20_000_000): EngineBenchResult {
  return bench('loop', LOOP(n));
}
/** A -O0-style sieve of `n` bytes, `reps` times: memory-heavy IR. */
export function benchEngineSieve(n = 1_000_000, reps = 10): EngineBenchResult {
  return bench('sieve', SIEVE(n, reps));
}
/** Recursive fib(n): cdecl calls through the emulated stack. */
export function benchEngineFib(n = 30): EngineBenchResult {
  return bench('fib', FIB(n));
}

// ---- paging on vs off ----

export interface PagingBenchResult {
  name: string;
  /** Which paged memory: the engine test's TestTlbMemory, or the PC's PagedMemory (pc/mmu.ts). */
  memory: 'test' | 'mmu';
  /** Whether the JIT inlined the memory's TLB fast path (it exposes tlbView). */
  inlined: boolean;
  steps: number;
  flatSeconds: number;
  pagedSeconds: number;
  /** pagedSeconds / flatSeconds (CPU time, best of the repetitions). */
  ratio: number;
}

/** Virtual pages of the region: shuffled onto physical pages 1 + (k ^ 1) (neighbours not adjacent in RAM). */
const shuffle = (k: number, pages: number): number => ((k ^ 1) < pages ? k ^ 1 : k);

/** A TestTlbMemory mapping [base, base + size) with every TLB entry filled. */
function testPaged(img: LinkedImage, base: number, size: number): Loaded {
  const mem = new TestTlbMemory(size + 4096 * 2);
  mem.map(base, 4096, size / 4096, PTE_P | PTE_W, (k) => shuffle(k, size / 4096));
  mem.fillAll();
  mem.logging = false;
  return load(img, mem, base + size - 64);
}

/**
 * The PC's PagedMemory with paging on: a page directory at 0x1000, page tables after
 * it, [base, base + size) mapped (present, writable, accessed, dirty) to shuffled pages
 * from 1 MiB up; every page touched for reading and writing first (TLB full).
 */
export function mmuPaged(img: LinkedImage, base: number, size: number, Paged: typeof PagedMemory = PagedMemory): Loaded {
  const pages = size / 4096;
  const frames = 0x100000;
  const phys = new PhysicalMemory(frames + size);
  const pd = 0x1000;
  let nextPt = 0x2000;
  for (let k = 0; k < pages; k++) {
    const va = base + k * 4096;
    const pdi = va >>> 22;
    let pde = phys.read32(pd + pdi * 4);
    if (!(pde & PG_V)) {
      pde = nextPt | PG_V | PG_RW | PG_U | PG_A;
      phys.write32(pd + pdi * 4, pde);
      nextPt += 4096;
      if (nextPt > frames) throw new Error('bench: too many page tables');
    }
    const pa = frames + shuffle(k, pages) * 4096;
    phys.write32((pde & -4096) + ((va >>> 12) & 1023) * 4, pa | PG_V | PG_RW | PG_U | PG_A | PG_M);
  }
  const mem = new Paged(phys);
  mem.setControl(CR0_PE | CR0_PG, 0);
  mem.loadCR3(pd);
  for (let k = 0; k < pages; k++) mem.translate(base + k * 4096, true, false);
  return load(img, mem, base + size - 64, {
    read: (va, n) => mem.copyIn(va, n)!,
    write: (va, bytes) => void mem.copyOut(va, bytes),
    connect: (m: Machine) => {
      mem.onFault = (addr, _code, access, n, eip) => {
        m.memoryFault(addr, n, access, eip);
        return 'retry';
      };
    },
  });
}

/**
 * Runs main twice and times the second run (warm: compiled and tiered up by V8);
 * `seconds` is CPU time (user + system) of this process, robust to a loaded machine.
 */
function timed(L: Loaded): { seconds: number; steps: number; eax: number } {
  const w = L.call('main', [1, 0], 1e11);
  if (w.stop) throw new Error(`bench: ${JSON.stringify(w.stop)}`);
  const s0 = L.machine.steps;
  const c0 = process.cpuUsage();
  const r = L.call('main', [1, 0], 1e11);
  const c = process.cpuUsage(c0);
  const seconds = (c.user + c.system) / 1e6;
  if (r.stop) throw new Error(`bench: ${JSON.stringify(r.stop)}`);
  return { seconds, steps: L.machine.steps - s0, eax: r.eax };
}

/**
 * One program with paging off and on: each run `reps` times in a fresh machine,
 * alternating, the best CPU time of each kept (the machine is shared with other work).
 */
export function benchPaging(
  name: string,
  text: string,
  memory: 'test' | 'mmu',
  reps: number,
  paged: (img: LinkedImage, base: number, size: number) => Loaded = memory === 'test' ? testPaged : mmuPaged,
): PagingBenchResult {
  const img = link([verifyModule(parseModule(text, name))], { kind: 'program' });
  const base = Math.floor((img.vbase >>> 0) / 4096) * 4096;
  const size = Math.ceil(((img.vend >>> 0) - base) / 4096) * 4096 + (1 << 20);
  let flatBest = Infinity;
  let pagedBest = Infinity;
  let steps = 0;
  let inlined = false;
  for (let k = 0; k < reps; k++) {
    const f = timed(load(img, new FlatMemory(base, size), base + size - 64));
    const P = paged(img, base, size);
    inlined = P.machine.mem.tlbView !== undefined;
    const p = timed(P);
    if (p.eax !== f.eax || p.steps !== f.steps) throw new Error(`bench ${name}: paged run differs (${p.eax}/${p.steps} vs ${f.eax}/${f.steps})`);
    steps = f.steps;
    flatBest = Math.min(flatBest, f.seconds);
    pagedBest = Math.min(pagedBest, p.seconds);
  }
  return { name, memory, inlined, steps, flatSeconds: flatBest, pagedSeconds: pagedBest, ratio: pagedBest / flatBest };
}

/** sieve, fib, loop (and words, memory-bound) with paging off vs on, on the test memory and on the PC's MMU. */
export function runPagingBenchmarks(reps = 3, memories: ('test' | 'mmu')[] = ['test', 'mmu']): PagingBenchResult[] {
  const out: PagingBenchResult[] = [];
  for (const memory of memories) for (const [name, text] of PAGING_PROGRAMS) out.push(benchPaging(name, text, memory, reps));
  return out;
}

export const PAGING_PROGRAMS: readonly (readonly [string, string])[] = [
  ['sieve', SIEVE(1_000_000, 10)],
  ['fib', FIB(30)],
  ['loop', LOOP(20_000_000)],
  ['words', WORDS(1 << 18, 40)],
];

export function formatPagingBench(rs: PagingBenchResult[]): string {
  return rs
    .map(
      (r) =>
        `paging ${r.name.padEnd(6)} ${r.memory.padEnd(4)} ${r.inlined ? 'inlined TLB' : 'method calls'}  off ${(r.flatSeconds * 1000).toFixed(0).padStart(5)} ms  on ${(r.pagedSeconds * 1000)
          .toFixed(0)
          .padStart(5)} ms  ratio ${r.ratio.toFixed(2)}x  (${r.steps} steps)`,
    )
    .join('\n');
}

export function runEngineBenchmarks(): EngineBenchResult[] {
  return [benchEngineLoop(), benchEngineSieve(), benchEngineFib()];
}

export function formatEngineBench(rs: EngineBenchResult[]): string {
  return rs
    .map((r) => `engine ${r.name.padEnd(6)} ${(r.opsPerSecond / 1e6).toFixed(1).padStart(7)} M IR ops/s  (${r.steps} steps in ${r.seconds.toFixed(3)} s, exit ${r.exitCode})`)
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(formatEngineBench(runEngineBenchmarks()));
  console.log(formatPagingBench(runPagingBenchmarks()));
}
