/*
 * A small paged GuestMemory for the engine's tests and benchmarks: it implements the
 * TlbView fast-path contract (src/emulate/memory.ts) the way the PC's MMU does, over
 * a toy page table, and logs every call of its GuestMemory methods — which compiled
 * code makes only on the slow path (a miss, a page-crossing or unaligned access).
 *
 * Page table: one word per virtual page number, (physical page | P | W | U) or 0.
 * Four TLB arrays (supervisor/user x read/write) hold (physical page | 1) or 0; `rd`/`wr`
 * of the view point at the current privilege's pair (setUser swaps them). A walk fills
 * all four for the page; a write entry only once the page is dirty (a write walk sets
 * the dirty bit), as on hardware. invlpg() clears one page's entries.
 *
 * Also: runOn(), which loads a linked program into any memory and calls functions of
 * it with a minimal ring-0 platform (no intrinsics but sys_exit; faults end the run).
 */
import type { LinkedImage } from '../../src/ir/index.js';
import { findSymbol } from '../../src/ir/index.js';
import {
  ESP,
  FlatMemory,
  Machine,
  REG_INDEX,
  type AccessKind,
  type Fault,
  type FaultAction,
  type GuestMemory,
  type Platform,
  type StopReason,
  type TlbView,
} from '../../src/emulate/index.js';

export const PTE_P = 1;
export const PTE_W = 2;
export const PTE_U = 4;
const PTE_D = 8;
const NPAGES = 1 << 20;

export interface SlowCall {
  op: string;
  addr: number;
}

export class TestTlbMemory implements GuestMemory {
  readonly ram: Uint8Array;
  readonly ram32: Int32Array;
  private readonly dv: DataView;
  readonly pt = new Int32Array(NPAGES);
  private readonly krd = new Int32Array(NPAGES);
  private readonly kwr = new Int32Array(NPAGES);
  private readonly urd = new Int32Array(NPAGES);
  private readonly uwr = new Int32Array(NPAGES);
  readonly tlbView: TlbView;
  user = false;
  /** Range of virtual page numbers ever mapped. */
  private lo = NPAGES;
  private hi = 0;
  /** Every GuestMemory method call (= every slow-path access of compiled code), in order. */
  readonly slow: SlowCall[] = [];
  /** Walks done (TLB fills). */
  walks = 0;
  /** Set false to stop logging (benchmarks). */
  logging = true;
  onFault: (addr: number, size: number, access: AccessKind, eip: number) => void = () => {
    throw new Error('TestTlbMemory.onFault not connected');
  };

  constructor(ramBytes: number) {
    const buf = new ArrayBuffer(ramBytes);
    this.ram = new Uint8Array(buf);
    this.ram32 = new Int32Array(buf);
    this.dv = new DataView(buf);
    this.tlbView = { rd: this.krd, wr: this.kwr, ram: this.ram, ram32: this.ram32 };
  }

  /** Maps n pages at va to physical pages at pa (both page aligned), with PTE flags. */
  map(va: number, pa: number, pages: number, flags = PTE_P | PTE_W | PTE_U, order: (k: number) => number = (k) => k): void {
    for (let k = 0; k < pages; k++) {
      const frame = pa + order(k) * 4096;
      if (frame + 4096 > this.ram.length) throw new Error('map: outside RAM');
      const vpn = ((va >>> 12) + k) & (NPAGES - 1);
      this.pt[vpn] = frame | flags | PTE_P;
      this.lo = Math.min(this.lo, vpn);
      this.hi = Math.max(this.hi, vpn + 1);
    }
  }

  setUser(user: boolean): void {
    this.user = user;
    this.tlbView.rd = user ? this.urd : this.krd;
    this.tlbView.wr = user ? this.uwr : this.kwr;
  }

  invlpg(va: number): void {
    const vpn = va >>> 12;
    this.krd[vpn] = this.kwr[vpn] = this.urd[vpn] = this.uwr[vpn] = 0;
  }

  /** Unmaps everything, empties the TLB and zeroes RAM (to reuse the 20 MB of arrays). */
  reset(): void {
    for (let vpn = this.lo; vpn < this.hi; vpn++) this.pt[vpn] = this.krd[vpn] = this.kwr[vpn] = this.urd[vpn] = this.uwr[vpn] = 0;
    this.lo = NPAGES;
    this.hi = 0;
    this.ram.fill(0);
    this.setUser(false);
    this.slow.length = 0;
    this.walks = 0;
  }

  /** Fills the TLB for every mapped page as if each had been read and written (steady state). */
  fillAll(): void {
    for (let vpn = this.lo; vpn < this.hi; vpn++) if (this.pt[vpn]! & PTE_P) this.fill(vpn, (this.pt[vpn] |= PTE_D));
  }

  private fill(vpn: number, pte: number): void {
    const ent = (pte & -4096) | 1;
    const w = (pte & PTE_W) !== 0 && (pte & PTE_D) !== 0;
    const u = (pte & PTE_U) !== 0;
    this.krd[vpn] = ent;
    this.kwr[vpn] = w ? ent : 0;
    this.urd[vpn] = u ? ent : 0;
    this.uwr[vpn] = u && w ? ent : 0;
  }

  /** Physical address of one byte for an access by the current privilege, or -1 (no fault raised). */
  translate(va: number, write: boolean): number {
    const vpn = va >>> 12;
    const e = (write ? this.tlbView.wr : this.tlbView.rd)[vpn]!;
    if (e !== 0) return (e & -4096) | (va & 4095);
    this.walks++;
    let pte = this.pt[vpn]!;
    if (!(pte & PTE_P) || (this.user && !(pte & PTE_U)) || (write && !(pte & PTE_W))) return -1;
    if (write) this.pt[vpn] = pte |= PTE_D;
    this.fill(vpn, pte);
    return (pte & -4096) | (va & 4095);
  }

  /** Physical addresses of [va, va + n) (each byte translated, so a crossing access works), faulting until allowed. */
  private xlate(op: string, va: number, n: number, write: boolean, eip: number): number[] {
    if (this.logging) this.slow.push({ op, addr: va >>> 0 });
    for (;;) {
      const ps: number[] = [];
      for (let k = 0; k < n; k++) {
        const p = this.translate((va + k) | 0, write);
        if (p < 0) break;
        ps.push(p);
      }
      if (ps.length === n) return ps;
      this.onFault(va, n, write ? 'write' : 'read', eip);
    }
  }
  private rdN(op: string, a: number, n: number, eip: number): number {
    const ps = this.xlate(op, a, n, false, eip);
    let v = 0;
    for (let k = n - 1; k >= 0; k--) v = (v << 8) | this.ram[ps[k]!]!;
    return v;
  }
  private wrN(op: string, a: number, n: number, v: number, eip: number): void {
    const ps = this.xlate(op, a, n, true, eip);
    for (let k = 0; k < n; k++) this.ram[ps[k]!] = v >> (8 * k);
  }

  ld8u(a: number, eip: number): number {
    return this.rdN('ld8u', a, 1, eip);
  }
  ld8s(a: number, eip: number): number {
    return (this.rdN('ld8s', a, 1, eip) << 24) >> 24;
  }
  ld16u(a: number, eip: number): number {
    return this.rdN('ld16u', a, 2, eip);
  }
  ld16s(a: number, eip: number): number {
    return (this.rdN('ld16s', a, 2, eip) << 16) >> 16;
  }
  ld32(a: number, eip: number): number {
    return this.rdN('ld32', a, 4, eip) | 0;
  }
  st8(a: number, v: number, eip: number): void {
    this.wrN('st8', a, 1, v, eip);
  }
  st16(a: number, v: number, eip: number): void {
    this.wrN('st16', a, 2, v, eip);
  }
  st32(a: number, v: number, eip: number): void {
    this.wrN('st32', a, 4, v, eip);
  }

  /** Host-side copy through the page table (no permission checks, no TLB fill). */
  write(va: number, bytes: Uint8Array): void {
    bytes.forEach((b, k) => (this.ram[this.phys((va + k) | 0)] = b));
  }
  read(va: number, n: number): Uint8Array {
    return Uint8Array.from({ length: n }, (_, k) => this.ram[this.phys((va + k) | 0)]!);
  }
  private phys(va: number): number {
    const pte = this.pt[va >>> 12]!;
    if (!(pte & PTE_P)) throw new Error(`host access to unmapped ${(va >>> 0).toString(16)}`);
    return (pte & -4096) | (va & 4095);
  }
}

/** A ring-0 platform that ends the run on any fault and knows only sys_exit. */
class BarePlatform implements Platform {
  fault(m: Machine, f: Fault): FaultAction {
    return m.halt({ outcome: 'fault', fault: f });
  }
  intrinsic(m: Machine, name: string, a: number): number {
    if (name === 'sys_exit') return m.halt({ outcome: 'exit', exitCode: a & 255 });
    return m.halt({ outcome: 'halt', message: `unexpected intrinsic ${name}` });
  }
  hypercall(m: Machine): void {
    m.halt({ outcome: 'halt', message: 'hypercall' });
  }
  writeSegment(m: Machine, reg: keyof typeof REG_INDEX, v: number): void {
    m.regs[REG_INDEX[reg]] = v;
  }
  iret(m: Machine): number {
    return m.halt({ outcome: 'halt', message: 'iret' });
  }
}

export interface Loaded {
  machine: Machine;
  /** Calls function `name` (cdecl, w arguments): eax, or the reason the run ended. */
  call(name: string, args?: number[], maxSteps?: number): { eax: number; stop?: StopReason };
  /** Host read and write of guest memory. */
  read(va: number, n: number): Uint8Array;
  write(va: number, bytes: Uint8Array): void;
}

/** Host access to a guest memory, and how to connect its fault hook to the machine. */
export interface HostAccess {
  read(va: number, n: number): Uint8Array;
  write(va: number, bytes: Uint8Array): void;
  connect(m: Machine): void;
}

const hostOf = (mem: FlatMemory | TestTlbMemory): HostAccess => ({
  read: (va, n) => (mem instanceof FlatMemory ? mem.slice(va, n)!.slice() : mem.read(va, n)),
  write: (va, bytes) => void mem.write(va, bytes),
  connect: (m) => (mem.onFault = (addr, n, access, eip) => m.memoryFault(addr, n, access, eip)),
});

/**
 * Loads `img` into `mem` (a FlatMemory, a TestTlbMemory whose page table already maps
 * the image and the stack, or any memory with `host`) and returns a caller. Every call
 * starts with esp = `stackTop`.
 */
export function load(img: LinkedImage, mem: GuestMemory, stackTop: number, host?: HostAccess): Loaded {
  const h = host ?? hostOf(mem as FlatMemory | TestTlbMemory);
  for (const s of img.sections) if (s.bytes.length) h.write(s.vaddr, s.bytes);
  const machine = new Machine(img, mem, new BarePlatform());
  h.connect(machine);
  machine.regs[ESP] = stackTop;
  return {
    machine,
    call(name, args = [], maxSteps = 1e9) {
      const sym = findSymbol(img, name);
      if (!sym) throw new Error(`no symbol ${name}`);
      let eax = 0;
      machine.regs[ESP] = stackTop;
      const stop = machine.execute(() => {
        eax = machine.call(sym.addr, args, 0);
      }, maxSteps);
      return { eax, stop };
    },
    read: h.read,
    write: h.write,
  };
}

/**
 * The same program in flat memory and in a TestTlbMemory that maps the same virtual
 * range [base, base + bytes) onto shuffled physical pages (neighbouring virtual pages
 * are not neighbours in RAM, so a page-crossing access done as one RAM access would
 * be caught). The stack is at the top of the range.
 */
export function loadBoth(img: LinkedImage, bytes = 1 << 20, fill = false, reuse?: TestTlbMemory): { flat: Loaded; paged: Loaded; mem: TestTlbMemory } {
  const base = Math.floor((img.vbase >>> 0) / 4096) * 4096;
  const size = Math.max(bytes, Math.ceil(((img.vend >>> 0) - base) / 4096) * 4096 + (256 << 10));
  const pages = size / 4096;
  const flatMem = new FlatMemory(base, size);
  const mem = reuse && reuse.ram.length >= size + 4096 * 2 ? (reuse.reset(), reuse) : new TestTlbMemory(size + 4096 * 2);
  // Physical page 0 stays unmapped; virtual page k goes to physical page 1 + (k ^ 1).
  mem.map(base, 4096, pages, PTE_P | PTE_W, (k) => (k ^ 1) < pages ? k ^ 1 : k);
  if (fill) mem.fillAll();
  return { flat: load(img, flatMem, base + size - 64), paged: load(img, mem, base + size - 64), mem };
}
