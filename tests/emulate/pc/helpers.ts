// Test helpers for the emulated PC: IR text → a kernel image at identity addresses,
// a BarePC with descriptor tables built from the host side (GDT, IDT, TSS), and
// page tables written straight into physical memory.
import { link } from '../../../src/ir/index.js';
import { findSymbol, type LinkedImage } from '../../../src/ir/index.js';
import { parseModule, verifyModule } from '../../../src/ir/index.js';
import { CS, DS, EFLAGS, ES, ESP, FS, GS, SS } from '../../../src/emulate/regs.js';
import { BarePC, type BarePCOptions, type BootResult } from '../../../src/emulate/pc/index.js';

/** Adds `!1:<line>` to every instruction line that has no location, and the file table entry. */
export function withLocs(text: string): string {
  const lines = text.split('\n').map((l, k) => {
    const t = l.trim();
    if (!t || t.startsWith('#') || t.startsWith('@') || t.startsWith('func') || t.startsWith('data') || t.startsWith('}') || t.startsWith('file') || t.includes(' !')) return l;
    return `${l} !1:${k + 1}`;
  });
  return `file 1 "test.xir"\n${lines.join('\n')}`;
}

export function kernelImage(text: string, entry = 'main'): LinkedImage {
  const mod = verifyModule(parseModule(withLocs(text), 'test.xir'));
  return link([mod], { kind: 'kernel', entry, vaddr: 0x100000, paddr: 0x100000 });
}

export const GDT = 0x1000;
export const IDT = 0x2000;
export const TSS = 0x3000;
export const STACK0 = 0x90000;
export const STACK1 = 0x88000;
export const STACK3 = 0x80000;
export const KCODE = 0x08, KDATA = 0x10, R1CODE = 0x19, R1DATA = 0x21, UCODE = 0x2b, UDATA = 0x33, TSSSEL = 0x38;

function desc(base: number, limit: number, type: number, dpl: number, gran: boolean): [number, number] {
  const lo = ((base & 0xffff) << 16) | (limit & 0xffff);
  const hi = (base & 0xff000000) | ((base >>> 16) & 0xff) | (type << 8) | (dpl << 13) | 0x8000 | (limit & 0xf0000) | (gran ? 0xc00000 : 0);
  return [lo | 0, hi | 0];
}

export interface TestPC {
  pc: BarePC;
  image: LinkedImage;
  addr(name: string): number;
  /** Sets IDT gate `vector` to function `name` (type 'interrupt' | 'trap', dpl). */
  gate(vector: number, name: string, type?: 'interrupt' | 'trap', dpl?: number, present?: boolean): void;
  run(maxSteps?: number, entry?: string): BootResult;
  word(name: string): number;
}

/** A BarePC with a flat GDT (rings 0, 1, 3), a TSS and an empty-but-valid IDT, running in ring 0. */
export function testPC(text: string, opts: BarePCOptions = {}): TestPC {
  const image = kernelImage(text);
  const pc = new BarePC(image, { memoryMB: 4, ...opts });
  const ph = pc.phys;
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
  gdt.forEach(([lo, hi], k) => {
    ph.write32(GDT + 8 * k, lo);
    ph.write32(GDT + 8 * k + 4, hi);
  });
  pc.cpu.gdtr = { base: GDT, limit: gdt.length * 8 - 1 };
  pc.cpu.idtr = { base: IDT, limit: 256 * 8 - 1 };
  ph.write32(TSS + 4, STACK0);
  ph.write32(TSS + 8, KDATA);
  ph.write32(TSS + 12, STACK1);
  ph.write32(TSS + 16, R1DATA);
  ph.write32(TSS + 0x64, 0x68 << 16);
  pc.cpu.loadTR(TSSSEL);
  const R = pc.machine.regs;
  R[ESP] = STACK0 - 0x1000;
  R[CS] = KCODE;
  R[DS] = R[ES] = R[FS] = R[GS] = R[SS] = KDATA;
  R[EFLAGS] = 2;
  const addr = (name: string): number => {
    const s = findSymbol(image, name);
    if (!s) throw new Error(`no symbol ${name}`);
    return s.addr;
  };
  return {
    pc,
    image,
    addr,
    gate(vector, name, type = 'interrupt', dpl = 0, present = true) {
      const off = addr(name);
      ph.write32(IDT + 8 * vector, (KCODE << 16) | (off & 0xffff));
      ph.write32(IDT + 8 * vector + 4, (off & 0xffff0000) | ((type === 'interrupt' ? 0x0e : 0x0f) << 8) | (dpl << 13) | (present ? 0x8000 : 0));
    },
    run(maxSteps = 1e6, entry = 'main') {
      return pc.run(maxSteps, addr(entry));
    },
    word(name: string) {
      return ph.read32(addr(name));
    },
  };
}

/** Puts the machine in ring `ring` with that ring's flat selectors (host-side setup). */
export function enterRing(t: TestPC, ring: 0 | 1 | 3, esp = ring === 3 ? STACK3 : ring === 1 ? STACK1 - 0x1000 : STACK0 - 0x1000): void {
  const R = t.pc.machine.regs;
  const [cs, ds] = ring === 0 ? [KCODE, KDATA] : ring === 1 ? [R1CODE, R1DATA] : [UCODE, UDATA];
  R[CS] = cs;
  R[SS] = R[DS] = R[ES] = R[FS] = R[GS] = ds;
  R[ESP] = esp;
  t.pc.cpu.setCpl(ring);
}

export const PD = 0x10000;
export const PT0 = 0x11000;

/**
 * Identity-maps [0, 4 MiB) with one page table (flags for every page), loads CR3 and
 * turns paging on from the host side.
 */
export function identityPaging(t: TestPC, flags = 0x7, cr0Extra = 0): void {
  const ph = t.pc.phys;
  for (let k = 0; k < 1024; k++) ph.write32(PT0 + 4 * k, (k << 12) | flags);
  ph.write32(PD, PT0 | 0x7);
  t.pc.mmu.loadCR3(PD);
  t.pc.cpu.writeCR0(t.pc.cpu.cr0 | 0x80000001 | cr0Extra);
}

/** Sets the PTE of virtual page va (in the first 4 MiB) to pa | flags. */
export function setPte(t: TestPC, va: number, value: number): void {
  t.pc.phys.write32(PT0 + 4 * ((va >>> 12) & 1023), value);
}
