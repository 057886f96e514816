/*
 * The architectural state of the privileged i386 CPU and the rules that read it:
 * control registers, descriptor tables (GDT/LDT/TR lookups, segment-load checks),
 * the TSS I/O bitmap, and EFLAGS privilege rules (pushf/popf). Exception and
 * interrupt delivery, which builds on this state, is X86Cpu in cpu.ts.
 */
import type { Machine } from '../machine.js';
import { EFLAGS, ESP } from '../regs.js';
import { type PagedMemory, CR0_PG } from './mmu.js';
import type { CpuFeatures } from './cpuid.js';
import { FL_CHANGEABLE, FL_IF, FL_IOPL, FL_RF, FL_VM } from './eflags.js';

export interface DescriptorTable {
  base: number;
  limit: number;
}

/** Registers, descriptor tables and privilege checks of the CPU (X86Cpu adds delivery). */
export class X86CpuState {
  readonly mmu: PagedMemory;
  features: CpuFeatures;
  cr0 = 0x00000011;
  cr2 = 0;
  cr4 = 0;
  cpl = 0;
  gdtr: DescriptorTable = { base: 0, limit: 0 };
  idtr: DescriptorTable = { base: 0, limit: 0x3ff };
  ldtr = 0;
  tr = { selector: 0, base: 0, limit: 0 };
  readonly dr = new Int32Array(8);
  readonly msr = new Map<number, bigint>();

  constructor(mmu: PagedMemory, features: CpuFeatures) {
    this.mmu = mmu;
    this.features = features;
    this.msr.set(0x1b, 0xfee00900n);
  }

  get cr3(): number {
    return this.mmu.cr3;
  }

  iopl(m: Machine): number {
    return (m.regs[EFLAGS]! >> 12) & 3;
  }

  setCpl(cpl: number): void {
    this.cpl = cpl;
    this.mmu.setUser(cpl === 3);
  }

  /** Writes CR0 (PG needs PE; the MMU sees PG/WP). Returns false when the value is invalid (#GP). */
  writeCR0(v: number): boolean {
    if (v & CR0_PG && !(v & 1)) return false;
    this.cr0 = (v | 0x10) | 0;
    this.mmu.setControl(this.cr0, this.cr4);
    return true;
  }

  /** Writes CR4; bits of features CPUID does not report are reserved (#GP). */
  writeCR4(v: number): boolean {
    const allowed = 0x1 | 0x2 | 0x4 | 0x8 | 0x40 | 0x100 | 0x200 | 0x400 | (this.features.pse ? 0x10 : 0) | (this.features.pae ? 0x20 : 0) | (this.features.pge ? 0x80 : 0);
    if (v & ~allowed) return false;
    this.cr4 = v | 0;
    this.mmu.setControl(this.cr0, this.cr4);
    return true;
  }

  // ---- descriptors ----

  /** The 8-byte descriptor for a selector (GDT or LDT), or undefined outside the table / unreadable. */
  descriptor(sel: number): [number, number] | undefined {
    const idx = sel & ~7;
    let base: number;
    let limit: number;
    if (sel & 4) {
      if (!this.ldtr) return undefined;
      const d = this.descriptor(this.ldtr & ~4);
      if (!d) return undefined;
      base = segBase(d);
      limit = segLimit(d);
    } else {
      base = this.gdtr.base;
      limit = this.gdtr.limit;
    }
    if (idx + 7 > limit) return undefined;
    const lo = this.readSys32((base + idx) | 0);
    const hi = this.readSys32((base + idx + 4) | 0);
    if (lo === undefined || hi === undefined) return undefined;
    return [lo, hi];
  }

  /** A supervisor read of a system structure; undefined if it faults. */
  readSys32(va: number): number | undefined {
    const p = this.mmu.translate(va, false, false);
    if (p < 0) return undefined;
    if ((va & 4095) > 4092) {
      const b = this.mmu.copyIn(va, 4, false);
      return b ? b[0]! | (b[1]! << 8) | (b[2]! << 16) | (b[3]! << 24) : undefined;
    }
    return this.mmu.phys.read32(p);
  }

  writeSys32(va: number, v: number): boolean {
    const p = this.mmu.translate(va, true, false);
    if (p < 0) return false;
    if ((va & 4095) > 4092) return this.mmu.copyOut(va, new Uint8Array(new Int32Array([v]).buffer), false);
    this.mmu.phys.write32(p, v);
    return true;
  }

  /** Checks a segment load; returns a #GP error code (selector) or undefined when allowed. */
  checkSegment(reg: 'cs' | 'ss' | 'ds' | 'es' | 'fs' | 'gs', sel: number): number | undefined {
    const s = sel & 0xffff;
    const rpl = s & 3;
    if ((s & ~3) === 0) return reg === 'cs' || reg === 'ss' ? 0 : undefined;
    const d = this.descriptor(s);
    if (!d) return s & ~3;
    const hi = d[1];
    const type = (hi >>> 8) & 0x1f;
    const dpl = (hi >>> 13) & 3;
    const present = (hi & 0x8000) !== 0;
    const isCode = (type & 0x18) === 0x18;
    const isData = (type & 0x18) === 0x10;
    if (reg === 'cs') {
      if (!isCode || rpl !== this.cpl) return s & ~3;
      if (!present) return s & ~3;
      return undefined;
    }
    if (reg === 'ss') {
      if (rpl !== this.cpl || dpl !== this.cpl || !isData || !(type & 2) || !present) return s & ~3;
      return undefined;
    }
    const readable = isData || (isCode && (type & 2) !== 0);
    if (!readable) return s & ~3;
    const conforming = isCode && (type & 4) !== 0;
    if (!conforming && dpl < Math.max(this.cpl, rpl)) return s & ~3;
    if (!present) return s & ~3;
    return undefined;
  }

  /** ltr: load TR from an available 32-bit TSS descriptor and mark it busy. Returns a #GP code or undefined. */
  loadTR(sel: number): number | undefined {
    const s = sel & 0xffff;
    if ((s & ~3) === 0 || s & 4) return s & ~3;
    const d = this.descriptor(s);
    if (!d) return s & ~3;
    const type = (d[1] >>> 8) & 0x1f;
    if (type !== 0x09) return s & ~3;
    if (!this.writeSys32((this.gdtr.base + (s & ~7) + 4) | 0, d[1] | 0x200)) return s & ~3;
    this.tr = { selector: s, base: segBase(d), limit: segLimit(d) };
    return undefined;
  }

  /** lldt. Returns a #GP code or undefined. */
  loadLDT(sel: number): number | undefined {
    const s = sel & 0xffff;
    if ((s & ~3) === 0) {
      this.ldtr = 0;
      return undefined;
    }
    if (s & 4) return s & ~3;
    const d = this.descriptor(s);
    if (!d || ((d[1] >>> 8) & 0x1f) !== 0x02) return s & ~3;
    this.ldtr = s;
    return undefined;
  }

  /** Whether port I/O of `width` bytes at `port` is allowed: CPL <= IOPL, else the TSS I/O bitmap. */
  ioAllowed(m: Machine, port: number, width: number): boolean {
    if (this.cpl <= this.iopl(m)) return true;
    if (!this.tr.selector || this.tr.limit < 0x67) return false;
    const mapBase = this.readSys32((this.tr.base + 0x64) | 0);
    if (mapBase === undefined) return false;
    const off = (mapBase >>> 16) + (port >>> 3);
    if (off + 1 > this.tr.limit) return false;
    const lo = this.readSys32((this.tr.base + off) | 0);
    if (lo === undefined) return false;
    const bits = ((lo & 0xffff) >>> (port & 7)) & ((1 << width) - 1);
    return bits === 0;
  }

  // ---- flags ----

  pushf(m: Machine, eip: number): void {
    const R = m.regs;
    const sp = (R[ESP]! - 4) | 0;
    m.mem.st32(sp, (R[EFLAGS]! & ~(FL_VM | FL_RF)) | 2, eip);
    R[ESP] = sp;
  }

  /** popf: IOPL changes only at CPL 0, IF only at CPL <= IOPL — silently, as on x86. */
  popf(m: Machine, eip: number): void {
    const R = m.regs;
    const sp = R[ESP]!;
    const v = m.mem.ld32(sp, eip);
    R[ESP] = (sp + 4) | 0;
    R[EFLAGS] = this.mergeFlags(R[EFLAGS]!, v, this.cpl, this.iopl(m));
  }

  mergeFlags(old: number, v: number, cpl: number, iopl: number): number {
    let mask = FL_CHANGEABLE;
    if (cpl > 0) mask &= ~FL_IOPL;
    if (cpl > iopl) mask &= ~FL_IF;
    return (((old & ~mask) | (v & mask)) & ~FL_RF) | 2;
  }
}

export function segBase(d: [number, number]): number {
  return ((d[0] >>> 16) | ((d[1] & 0xff) << 16) | (d[1] & 0xff000000)) | 0;
}

export function segLimit(d: [number, number]): number {
  let limit = (d[0] & 0xffff) | (d[1] & 0xf0000);
  if (d[1] & 0x800000) limit = ((limit << 12) | 0xfff) >>> 0;
  return limit;
}
