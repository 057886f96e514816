// A tiny kernel for the user-mode tests, written in C (user-kernel/kern.c, compiled
// by xenoport's front end) with IR stubs for the trap entry/exit and the privileged
// instructions (below), and the test programs' system-call stub (user-kernel/usys.xir,
// user.h). It runs
// on BarePC in ring 0 and gives user processes what issue 14's kernel will: XIR ELF
// programs read from a RAM disk and mapped into per-process address spaces at
// 0x08048000, system calls by int $0x80 (FreeBSD numbers: exit 1, fork 2, write 4,
// wait4 7, getpid 20, execve 59, sched_yield 331; the number in eax, arguments above
// the stub's return address on the user stack), timer preemption, demand-paged
// stacks, and signals as exit statuses (128 + signal) for faults.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileFile } from '../../../src/compile/index.js';
import { findSymbol, link, linkUserProgram, parseModule, verifyModule, type IRModule, type LinkedImage } from '../../../src/ir/index.js';
import { BarePC, type BootResult } from '../../../src/emulate/pc/index.js';
import { CS, DS, EFLAGS, ES, ESP, FS, GS, SS } from '../../../src/emulate/regs.js';
import { withLocs } from './helpers.js';

const scratch = mkdtempSync(join(tmpdir(), 'xeno-user-'));
const fixtures = join(dirname(fileURLToPath(import.meta.url)), 'user-kernel');
let nfile = 0;

/** Compiles C text (freestanding, the fixtures directory on the include path) to an IR module. */
export async function compileC(text: string, name: string, defines: string[] = [], includeDirs: string[] = []): Promise<IRModule> {
  const file = join(scratch, `${nfile++}-${name}`);
  writeFileSync(file, text);
  return compileFile(file, { includeDirs: [fixtures, ...includeDirs], defines });
}

const GDT = 0x1000;
const IDT = 0x2000;
const TSS = 0x3000;
const BOOT_STACK = 0x90000;
const KCODE = 0x08, KDATA = 0x10, UCODE = 0x2b, UDATA = 0x33, TSSSEL = 0x38;
export const RAMDISK = 0x600000;
export const DEBUG_EXIT = 0xf4;

// Trap frame, low address first (what the stubs push below the CPU's frame).
const TF_WORDS = ['edi', 'esi', 'ebp', 'ebx', 'edx', 'ecx', 'eax'];

/**
 * IR: pushes the registers under the CPU's frame, calls trap(tf), pops them and irets.
 * `cr2To`: the frame starts with a fault address (Xen 2.0's #PF frame), which is
 * popped into that symbol first.
 */
export function trapStub(name: string, vector: number, errorCode: boolean, cr2To?: string): string {
  const lines: string[] = [`func export $${name}() {`, '@entry', '\t%sp0 =w rdreg esp'];
  if (cr2To) lines.push('\t%cr2 =w loadw %sp0', `\tstorew %cr2, $${cr2To}`, '\t%sp0 =w add %sp0, 4', '\twrreg esp, %sp0');
  let k = 0;
  const push = (v: string): void => {
    lines.push(`\t%p${k} =w sub %sp0, ${4 * (k + 1)}`, `\tstorew ${v}, %p${k}`);
    k++;
  };
  if (!errorCode) push('0');
  push(String(vector));
  for (const r of ['eax', 'ecx', 'edx', 'ebx', 'ebp', 'esi', 'edi']) {
    lines.push(`\t%r${k} =w rdreg ${r}`);
    push(`%r${k}`);
  }
  lines.push(`\t%tf =w sub %sp0, ${4 * k}`, '\twrreg esp, %tf', '\tcall $trap(w %tf)', '\t%sp =w rdreg esp', popFrame(), '}');
  return lines.join('\n');
}

/** IR: with %sp -> a trap frame, restores the registers, drops trapno and err, and irets. */
export function popFrame(): string {
  const pop = TF_WORDS.map((r, k) => `\t%a${k} =w add %sp, ${4 * k}\n\t%v${k} =w loadw %a${k}\n\twrreg ${r}, %v${k}`).join('\n');
  return `${pop}\n\t%top =w add %sp, 36\n\twrreg esp, %top\n\tiret`;
}

/** IR of the kernel's assembly parts. */
export function kernelStubs(): string {
  return `
func export varargs $cpu_switch() {
@entry
	%sp =w rdreg esp
	%pa =w add %sp, 4
	%old =w loadw %pa
	%pb =w add %sp, 8
	%new =w loadw %pb
	%ra =w loadw %sp
	storew %ra, %old
	%o4 =w add %old, 4
	storew %sp, %o4
	%n4 =w add %new, 4
	%nsp =w loadw %n4
	wrreg esp, %nsp
	%neip =w loadw %new
	storew %neip, %nsp
	ret
}
# A new process starts here (cpu_switch's ret): esp -> its trap frame.
func export varargs $user_start() {
@entry
	%sp =w rdreg esp
${popFrame()}
}
func export $outb(w %port, w %v) {
@entry
	intr outb %v, %port
	ret
}
func export $lcr3(w %v) {
@entry
	intr lcr3 %v
	ret
}
func export $rcr2() : w {
@entry
	%v =w intr rcr2
	ret %v
}
func export $paging_on(w %pd) {
@entry
	intr lcr3 %pd
	%c =w intr rcr0
	%c =w or %c, 2147483649
	intr lcr0 %c
	ret
}
func export $debug_exit(w %code) {
@entry
	intr outb %code, ${DEBUG_EXIT}
	ret
}
${trapStub('Xde', 0, false)}
${trapStub('Xud', 6, false)}
${trapStub('Xgp', 13, true)}
${trapStub('Xpf', 14, true)}
${trapStub('Xtimer', 32, false)}
${trapStub('Xsyscall', 128, false)}
`;
}




/** Links a user program (C text; user.h is included) into an XIR ELF. */
export async function userProgram(name: string, c: string): Promise<Uint8Array> {
  const mod = await compileC(`#include "user.h"\n${c}`, `${name}.c`);
  const usys = verifyModule(parseModule(withLocs(readFileSync(join(fixtures, 'usys.xir'), 'utf8')), 'usys.xir'));
  return linkUserProgram([mod, usys]);
}

let kernelCache: Promise<LinkedImage> | undefined;
/** The kernel image (compiled once per test file). */
export function kernelImage(): Promise<LinkedImage> {
  kernelCache ??= (async () => {
    const defines = [`RAMDISK=${RAMDISK}`, `GSEL_UCODE=${UCODE}`, `GSEL_UDATA=${UDATA}`];
    const c = await compileC(readFileSync(join(fixtures, 'kern.c'), 'utf8'), 'kern.c', defines);
    const stubs = verifyModule(parseModule(withLocs(kernelStubs()), 'stubs.xir'));
    return link([c, stubs], { kind: 'kernel', entry: 'kmain', vaddr: 0x100000, paddr: 0x100000 });
  })();
  return kernelCache;
}

/** The RAM disk both test kernels read: a count, (offset, size) per file, then the files (16-byte aligned). */
export function ramdisk(files: Uint8Array[]): Uint8Array {
  let at = 4 + 8 * files.length;
  const offsets = files.map((f) => {
    at = Math.ceil(at / 16) * 16;
    const o = at;
    at += f.length;
    return o;
  });
  const out = new Uint8Array(at);
  const dv = new DataView(out.buffer);
  dv.setUint32(0, files.length, true);
  files.forEach((f, k) => {
    dv.setUint32(4 + 8 * k, offsets[k]!, true);
    dv.setUint32(8 + 8 * k, f.length, true);
    out.set(f, offsets[k]!);
  });
  return out;
}

function desc(base: number, limit: number, type: number, dpl: number, gran: boolean): [number, number] {
  const lo = ((base & 0xffff) << 16) | (limit & 0xffff);
  const hi = (base & 0xff000000) | ((base >>> 16) & 0xff) | (type << 8) | (dpl << 13) | 0x8000 | (limit & 0xf0000) | (gran ? 0xc00000 : 0);
  return [lo | 0, hi | 0];
}

export interface KernelRun {
  pc: BarePC;
  result: BootResult;
  console: string;
  /** "exit <pid> status <n>" lines, as pid -> status. */
  statuses: Map<number, number>;
}

/**
 * Boots the kernel on a fresh BarePC with `files` on the RAM disk; it runs files
 * [0, run) as processes (pids 1..run in order) and waits for all of them.
 */
export interface KernelRunOptions {
  /** Files [0, run) become processes 1..run (default all). */
  run?: number;
  maxSteps?: number;
  /** Timer ticks a process may run before it is killed with SIGXCPU (default 400, 4000 PIT clocks each). */
  cpuTicks?: number;
  trace?: (line: string) => void;
}

export async function runKernel(files: Uint8Array[], opts: KernelRunOptions = {}): Promise<KernelRun> {
  const image = await kernelImage();
  const pc = new BarePC(image, { memoryMB: 8, debugExitPort: DEBUG_EXIT, trace: opts.trace });
  const ph = pc.phys;
  pc.loadSections();
  const gdt: [number, number][] = [
    [0, 0],
    desc(0, 0xfffff, 0x1a, 0, true),
    desc(0, 0xfffff, 0x12, 0, true),
    desc(0, 0xfffff, 0x1a, 1, true),
    desc(0, 0xfffff, 0x12, 1, true),
    desc(0, 0xfffff, 0x1a, 3, true),
    desc(0, 0xfffff, 0x12, 3, true),
    desc(TSS, 0x67, 0x09, 0, false),
  ];
  gdt.forEach(([lo, hi], k) => (ph.write32(GDT + 8 * k, lo), ph.write32(GDT + 8 * k + 4, hi)));
  pc.cpu.gdtr = { base: GDT, limit: gdt.length * 8 - 1 };
  pc.cpu.idtr = { base: IDT, limit: 256 * 8 - 1 };
  ph.write32(TSS + 8, KDATA);
  ph.write32(TSS + 0x64, 0x68 << 16);
  pc.cpu.loadTR(TSSSEL);
  const gate = (vector: number, name: string, dpl: number): void => {
    const off = findSymbol(image, name)!.addr;
    ph.write32(IDT + 8 * vector, (KCODE << 16) | (off & 0xffff));
    ph.write32(IDT + 8 * vector + 4, (off & 0xffff0000) | (0x0e << 8) | (dpl << 13) | 0x8000);
  };
  gate(0, 'Xde', 0);
  gate(6, 'Xud', 0);
  gate(13, 'Xgp', 0);
  gate(14, 'Xpf', 0);
  gate(32, 'Xtimer', 0);
  gate(0x80, 'Xsyscall', 3);
  ph.load(RAMDISK, ramdisk(files));
  const R = pc.machine.regs;
  R[ESP] = BOOT_STACK;
  R[CS] = KCODE;
  R[DS] = R[ES] = R[FS] = R[GS] = R[SS] = KDATA;
  R[EFLAGS] = 2;
  const result = pc.run(opts.maxSteps ?? 2e8, findSymbol(image, 'kmain')!.addr, [opts.run ?? files.length, opts.cpuTicks ?? 400]);
  const console = result.console;
  const statuses = new Map<number, number>();
  // Not anchored at a line start: a program may have written a partial line before.
  for (const m of console.matchAll(/exit (\d+) status (\d+)$/gm)) statuses.set(Number(m[1]), Number(m[2]));
  return { pc, result, console, statuses };
}
