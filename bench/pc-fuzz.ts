/*
 * Random IR programs thrown at BarePC: a seeded generator of small verifier-valid
 * kernels (arithmetic in w and l, loads and stores to random and real addresses,
 * every intrinsic with random operands, direct and indirect calls, register and
 * segment writes, jumps and loops, iret, trap, hypercall, unreachable), each run with
 * paging off and on under a step limit, with a flat GDT, a TSS and an IDT whose
 * handlers skip the faulting instruction. Every run must end in exit, step-limit,
 * fault (with a report) or halt; a host exception or a hang is a failure.
 * tests/emulate/pc/fuzz.test.ts runs 10,000 programs; `npm run fuzz` (XENOPORT_FUZZ_FULL=1)
 * runs more through runPcFuzz().
 */
import { link } from '../src/ir/index.js';
import { findSymbol, type LinkedImage } from '../src/ir/index.js';
import { parseModule, verifyModule, INTRINSICS, type IntrinsicName } from '../src/ir/index.js';
import { BarePC, PagedMemory, PhysicalMemory, type BootResult } from '../src/emulate/pc/index.js';
import { CS, DS, EFLAGS, ES, ESP, FS, GS, SS } from '../src/emulate/regs.js';

/** mulberry32: a small seeded PRNG returning [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const BASE = 0x10000;
const RAM = 1 << 20;
const GDT = 0x1000, IDT = 0x2000, TSS = 0x3000, PD = 0xe0000, PT = 0xe1000;
const STACK0 = 0xd0000;

const W_TEMPS = 8;
const BIN = ['add', 'sub', 'mul', 'and', 'or', 'xor', 'shl', 'shr', 'sar', 'div', 'rem', 'udiv', 'urem'];
const CONDS = ['eq', 'ne', 'slt', 'sle', 'sgt', 'sge', 'ult', 'ule', 'ugt', 'uge'];
const REGS = ['eax', 'ecx', 'edx', 'ebx', 'esi', 'edi', 'ebp', 'eflags'];
const SEGS = ['ds', 'es', 'fs', 'gs', 'ss', 'cs'];
const INTRS = (Object.keys(INTRINSICS) as IntrinsicName[]).filter((n) => !n.startsWith('sys_'));

/** One random program's IR text (seeded). */
export function randomProgram(seed: number): string {
  const r = prng(seed);
  const pick = <T>(a: readonly T[]): T => a[Math.floor(r() * a.length)]!;
  const int = (n: number): number => Math.floor(r() * n);
  const konst = (): string => {
    switch (int(6)) {
      case 0: return String(int(16));
      case 1: return String(int(0x10000));
      case 2: return String((r() * 0x100000000) | 0);
      case 3: return String(-1 - int(8));
      case 4: return `${BASE + int(0x4000)}`;
      default: return String(int(300));
    }
  };
  const t = (): string => `%t${int(W_TEMPS)}`;
  const wv = (): string => (r() < 0.6 ? t() : konst());
  const addr = (): string => {
    switch (int(5)) {
      case 0: return `$buf`;
      case 1: return `$buf+${int(252)}`;
      case 2: return t();
      case 3: return konst();
      default: return String(STACK0 - int(0x800));
    }
  };
  const nBlocks = 2 + int(5);
  const label = (): string => `@b${int(nBlocks)}`;
  const lines: string[] = [];
  let line = 0;
  const emit = (s: string): void => {
    line++;
    lines.push(`\t${s} !1:${line}`);
  };
  const instr = (): void => {
    switch (int(16)) {
      case 0:
      case 1:
        return emit(`${t()} =w ${pick(BIN)} ${wv()}, ${wv()}`);
      case 2:
      {
        const op = pick(BIN);
        const b = op === 'shl' || op === 'shr' || op === 'sar' ? wv() : r() < 0.5 ? `%l${int(2)}` : konst();
        return emit(`%l${int(2)} =l ${op} %l${int(2)}, ${b}`);
      }
      case 3:
        return emit(`${t()} =w c${pick(CONDS)}w ${wv()}, ${wv()}`);
      case 4:
        switch (int(4)) {
          case 0: return emit(`${t()} =w ${pick(['neg', 'not', 'extsb', 'extub', 'extsh', 'extuh', 'copy'])} ${wv()}`);
          case 1: return emit(`%l${int(2)} =l ${pick(['extsw', 'extuw'])} ${wv()}`);
          case 2: return emit(`${t()} =w trunc %l${int(2)}`);
          default: return emit(`%l${int(2)} =l c${pick(CONDS)}l %l${int(2)}, %l${int(2)}`.replace(/^%l(\d) =l/, `%t$1 =w`));
        }
      case 5:
      case 6:
        if (r() < 0.15) return emit(`%l${int(2)} =l loadl ${addr()}`);
        return emit(`${t()} =w ${pick(['loadw', 'loadub', 'loadsb', 'loaduh', 'loadsh'])} ${addr()}`);
      case 7:
      case 8:
        if (r() < 0.15) return emit(`storel %l${int(2)}, ${addr()}`);
        return emit(`${pick(['storew', 'storeb', 'storeh'])} ${wv()}, ${addr()}`);
      case 9:
        if (r() < 0.7) return emit(`${t()} =w call $helper(w ${wv()}, w ${wv()})`);
        return emit(`${t()} =w call ${t()}(w ${wv()})`);
      case 10:
        if (r() < 0.5) return emit(`${t()} =w rdreg ${pick([...REGS, ...SEGS, 'esp'])}`);
        if (r() < 0.05) return emit(`wrreg esp, ${wv()}`);
        return emit(`wrreg ${r() < 0.7 ? pick(REGS) : pick(SEGS)}, ${wv()}`);
      case 11:
      case 12:
      case 13: {
        const name = pick(INTRS);
        const spec = INTRINSICS[name];
        const args: string[] = [];
        for (let k = 0; k < spec.args; k++) {
          if (name === 'int') args.push(String(int(256)));
          else if ((name === 'rddr' || name === 'lddr') && k === 0) args.push(String(int(8)));
          else args.push(wv());
        }
        const body = `intr ${name}${args.length ? ' ' + args.join(', ') : ''}`;
        return emit(spec.result ? `${t()} =w ${body}` : body);
      }
      case 14:
        return emit(r() < 0.5 ? `trap "fuzz ${seed}"` : 'hypercall');
      default:
        return emit(`${t()} =w alloc ${int(64)}, ${pick([1, 4, 16])}`);
    }
  };
  lines.push('file 1 "fuzz.xir"');
  lines.push('data $buf align 4 { z 256 }');
  lines.push('func $h_noerr() {\n@entry\n\tiret !1:0\n}');
  lines.push('func $h_err() {\n@entry\n\t%sp =w rdreg esp !1:0\n\t%sp4 =w add %sp, 4 !1:0\n\twrreg esp, %sp4 !1:0\n\t%e =w loadw %sp4 !1:0\n\t%e1 =w add %e, 1 !1:0\n\tstorew %e1, %sp4 !1:0\n\tiret !1:0\n}');
  lines.push('func $helper(w %a, w %b) : w {\n@entry\n\t%r =w add %a, %b !1:0\n\tret %r !1:0\n}');
  lines.push('func export $main() : w {');
  lines.push('@entry');
  for (let k = 0; k < W_TEMPS; k++) emit(`%t${k} =w copy ${konst()}`);
  emit(`%l0 =l copy ${konst()}`);
  emit(`%l1 =l copy ${konst()}`);
  emit('jmp @b0');
  for (let b = 0; b < nBlocks; b++) {
    lines.push(`@b${b}`);
    const n = 1 + int(7);
    for (let k = 0; k < n; k++) instr();
    const x = r();
    if (x < 0.45) emit(`jnz ${wv()}, ${label()}, ${label()}`);
    else if (x < 0.75) emit(`jmp ${label()}`);
    else if (x < 0.93) emit(`ret ${wv()}`);
    else if (x < 0.97) emit('iret');
    else emit('unreachable');
  }
  lines.push('}');
  return lines.join('\n');
}

/** Parses, verifies and links a generated program. */
export function fuzzImage(text: string): LinkedImage {
  const mod = verifyModule(parseModule(text, 'fuzz.xir'));
  return link([mod], { kind: 'kernel', entry: 'main', vaddr: BASE, paddr: BASE });
}

function desc(base: number, limit: number, type: number, dpl: number, gran: boolean): [number, number] {
  const lo = ((base & 0xffff) << 16) | (limit & 0xffff);
  const hi = (base & 0xff000000) | ((base >>> 16) & 0xff) | (type << 8) | (dpl << 13) | 0x8000 | (limit & 0xf0000) | (gran ? 0xc00000 : 0);
  return [lo | 0, hi | 0];
}

/** A BarePC for a program (reusing `memory` when given). */
export function fuzzPC(text: string | LinkedImage, memory?: PagedMemory): BarePC {
  const image = typeof text === 'string' ? fuzzImage(text) : text;
  return new BarePC(image, memory ? { memory } : { memoryBytes: RAM });
}

/** Runs one program on a fresh BarePC (paging on or off); never throws for guest behaviour. */
export function runFuzzProgram(text: string | LinkedImage, paging: boolean, maxSteps = 3000, memory?: PagedMemory): BootResult {
  return runOn(fuzzPC(text, memory), paging, maxSteps);
}

/** Power-cycles `pc`, sets up its tables (and paging) and runs main. */
export function runOn(pc: BarePC, paging: boolean, maxSteps: number): BootResult {
  pc.powerCycle();
  const image = pc.image;
  const ph = pc.phys;
  const gdt = [[0, 0] as [number, number], desc(0, 0xfffff, 0x1a, 0, true), desc(0, 0xfffff, 0x12, 0, true), desc(0, 0xfffff, 0x1a, 3, true), desc(0, 0xfffff, 0x12, 3, true), desc(TSS, 0x67, 0x09, 0, false)];
  gdt.forEach(([lo, hi], k) => {
    ph.write32(GDT + 8 * k, lo);
    ph.write32(GDT + 8 * k + 4, hi);
  });
  pc.cpu.gdtr = { base: GDT, limit: gdt.length * 8 - 1 };
  ph.write32(TSS + 4, STACK0);
  ph.write32(TSS + 8, 0x10);
  pc.cpu.loadTR(0x28);
  const addr = (n: string): number => findSymbol(image, n)!.addr;
  const noerr = addr('h_noerr');
  const err = addr('h_err');
  for (let v = 0; v < 256; v++) {
    const off = [8, 10, 11, 12, 13, 14, 17].includes(v) ? err : noerr;
    ph.write32(IDT + 8 * v, (0x08 << 16) | (off & 0xffff));
    ph.write32(IDT + 8 * v + 4, (off & 0xffff0000) | (0x0e << 8) | (3 << 13) | 0x8000);
  }
  pc.cpu.idtr = { base: IDT, limit: 256 * 8 - 1 };
  const R = pc.machine.regs;
  R[ESP] = STACK0 - 0x1000;
  R[CS] = 0x08;
  R[DS] = R[ES] = R[FS] = R[GS] = R[SS] = 0x10;
  R[EFLAGS] = 2;
  if (paging) {
    for (let k = 0; k < RAM >> 12; k++) ph.write32(PT + 4 * k, (k << 12) | 0x7);
    ph.write32(PD, PT | 0x7);
    pc.mmu.loadCR3(PD);
    pc.cpu.writeCR0(pc.cpu.cr0 | 0x80010001);
  }
  return pc.run(maxSteps, addr('main'));
}

export interface FuzzStats {
  programs: number;
  runs: number;
  outcomes: Record<string, number>;
  /** Host exceptions or invalid results, with the seed that produced them. */
  failures: { seed: number; paging: boolean; error: string }[];
  ms: number;
}

const OUTCOMES = new Set(['exit', 'step-limit', 'fault', 'halt']);

/** Runs `count` programs from `seed` on, each with paging off and on. */
export function runPcFuzz(count: number, seed = 1, maxSteps = 1000): FuzzStats {
  const t0 = performance.now();
  const stats: FuzzStats = { programs: 0, runs: 0, outcomes: {}, failures: [], ms: 0 };
  const memory = new PagedMemory(new PhysicalMemory(RAM));
  for (let k = 0; k < count; k++) {
    const s = seed + k;
    let pc: BarePC;
    try {
      pc = fuzzPC(randomProgram(s), memory);
    } catch (e) {
      stats.failures.push({ seed: s, paging: false, error: `generator: ${(e as Error).message}` });
      continue;
    }
    stats.programs++;
    for (const paging of [false, true]) {
      stats.runs++;
      try {
        const r = runOn(pc, paging, maxSteps);
        if (!OUTCOMES.has(r.outcome)) throw new Error(`unexpected outcome ${r.outcome}`);
        if (r.outcome === 'fault' && !r.report) throw new Error('fault without a report');
        if (r.steps > maxSteps + 10_000) throw new Error(`ran ${r.steps} steps past the limit ${maxSteps}`);
        const key = r.outcome === 'halt' ? `halt: ${(r.message ?? '').replace(/\(.*$/, '').replace(/0x[0-9a-f]+/g, 'X').trim()}` : r.outcome === 'fault' ? `fault: ${r.fault?.kind}` : r.outcome;
        stats.outcomes[key] = (stats.outcomes[key] ?? 0) + 1;
      } catch (e) {
        stats.failures.push({ seed: s, paging, error: e instanceof Error ? (e.stack ?? e.message) : String(e) });
      }
    }
  }
  stats.ms = performance.now() - t0;
  return stats;
}
