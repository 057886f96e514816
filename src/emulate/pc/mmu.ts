/*
 * PagedMemory: the i386 MMU and TLB as a GuestMemory (two-level 32-bit paging, 4 KiB
 * pages and, with CR4.PSE, 4 MiB pages; no PAE). Used by BarePC over physical RAM and
 * by the hypervisor over machine memory (cr3 then holds a machine address): the class
 * knows nothing about who owns the page tables.
 *
 * API (for platforms):
 *   new PagedMemory(phys)               paging off, supervisor, empty TLB
 *   setControl(cr0, cr4)                CR0.PG/WP and CR4.PSE/PGE/PAE; a change of any
 *                                       of them flushes the whole TLB (global entries too)
 *   loadCR3(v)                          new directory; flushes the non-global entries
 *   invlpg(va)                          drops one page's entry (global or not)
 *   setUser(cpl === 3)                  the privilege of guest accesses (rings 0-2 are
 *                                       "supervisor" to the MMU, ring 3 "user")
 *   onFault(addr, errorCode, access, size, eip) -> 'retry' | 'continue'
 *                                       called on a #PF; the platform delivers it (CR2 =
 *                                       addr) and returns 'retry' to walk again, or ends
 *                                       the run. 'continue' skips the access (a load
 *                                       gives 0, a store is dropped).
 *   translate(va, write, user)          walk (or TLB hit) with all side effects; -1 and
 *                                       `errorCode` on a fault. For delivery code and
 *                                       hypercall copy-in/out, which must not re-enter.
 *   walk(va)                            the current page tables' answer, no side effects
 *   cached(va, kind)                    what the TLB holds (tests, debugging)
 *
 * TLB semantics (as on hardware, which is what lets a kernel that forgets a flush see a
 * stale mapping): an entry is made by a successful walk and lives until invlpg, a CR3
 * load (non-global entries), or a change of PG/WP/PSE/PGE/PAE. Page-table writes do
 * not touch it. It has one entry per virtual page (never evicts). Each entry is kept in
 * four arrays indexed by virtual page number — supervisor read, supervisor write, user
 * read, user write — holding (physical page | 1) when that access is allowed without
 * a walk, else 0; `rd`/`wr` point at the pair for the current privilege, so the fast
 * path of every load and store is one array lookup and one RAM access. A write entry
 * exists only once the dirty bit is set (a write through a clean entry walks again, to
 * set D, as the CPU does). Accessed and dirty bits are set on the walk, in the PDE (A;
 * D for a 4 MiB page) and the PTE (A, and D for writes), only for accesses that succeed.
 * Pages outside RAM are never cached (every access walks and then reads 0).
 *
 * Instruction fetch is not translated here: code is not in guest memory (docs/ir.md);
 * the platform checks fetch at the points it controls (see cpu.ts).
 *
 * With paging off, linear = physical and the same arrays cache the identity mapping.
 */
import type { GuestMemory, TlbView } from '../memory.js';
import type { PhysicalMemory } from './phys.js';
import type { CodePages } from '../code-pages.js';
import { walkPageTables, type WalkResult } from './page-walk.js';
import { CR0_PG, CR0_WP, CR4_PAE, CR4_PGE, CR4_PSE, PG_A, PG_G, PG_M, PG_PS, PG_RW, PG_U, PG_V, PGEX_P, PGEX_U, PGEX_W, type PageFaultHook } from './paging-bits.js';

// The paging constants and the page walker are their own modules (paging-bits.ts,
// page-walk.ts); re-exported so mmu.ts stays the one import for paging.
export * from './paging-bits.js';
export type { WalkResult } from './page-walk.js';

const NPAGES = 1 << 20;

export class PagedMemory implements GuestMemory {
  readonly phys: PhysicalMemory;
  /** RAM views (the same buffers as phys). */
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  private readonly dv: DataView;
  private readonly ramSize: number;

  // The four permission views of the TLB and the current pair.
  private readonly krd = new Int32Array(NPAGES);
  private readonly kwr = new Int32Array(NPAGES);
  private readonly urd = new Int32Array(NPAGES);
  private readonly uwr = new Int32Array(NPAGES);
  /**
   * The TLB views for the current privilege, read and write: entry = physical page | 1
   * when the access needs no walk, else 0. A compiler may inline the hit path as
   * `(e = M.rd[a >>> 12]) !== 0 ? U8[(e ^ 1) | (a & 4095)] : M.ld8u(a, eip)` (re-reading
   * the property each time: setUser() swaps the arrays). Never write them.
   */
  rd: Int32Array;
  wr: Int32Array;
  /** The same fast path for the engine's compiler (memory.ts TlbView): one fixed object, rd/wr kept current. */
  readonly tlbView: TlbView;
  /** Per virtual page: bit 0 = has an entry, bit 1 = global. */
  private readonly info = new Uint8Array(NPAGES);
  /** Virtual pages with an entry (may hold flushed pages; info[] decides). */
  private filled: number[] = [];

  /**
   * Pages with compiled user code (code-pages.ts): they never get a write entry, so
   * every write to them reaches the slow path and, through phys, drops their code.
   */
  code?: CodePages;

  pg = false;
  wp = false;
  pse = false;
  pge = false;
  pae = false;
  /** CR3 as loaded (the directory is cr3 & ~0xfff). */
  cr3 = 0;
  user = false;
  /** Error code of the last failed translate(). */
  errorCode = 0;
  /** TLB statistics: walks done (misses). */
  walks = 0;

  onFault: PageFaultHook = () => {
    throw new Error('internal error: PagedMemory.onFault not connected');
  };

  constructor(phys: PhysicalMemory) {
    this.phys = phys;
    this.u8 = phys.u8;
    this.i32 = phys.i32;
    this.dv = phys.dv;
    this.ramSize = phys.size;
    this.rd = this.krd;
    this.wr = this.kwr;
    this.tlbView = { rd: this.krd, wr: this.kwr, ram: phys.u8, ram32: phys.i32 };
  }

  // ---- control ----

  /** CR0 and CR4 as written; flushes everything if a paging-relevant bit changed. */
  setControl(cr0: number, cr4: number): void {
    const pg = (cr0 & CR0_PG) !== 0;
    const wp = (cr0 & CR0_WP) !== 0;
    const pse = (cr4 & CR4_PSE) !== 0;
    const pge = (cr4 & CR4_PGE) !== 0;
    const pae = (cr4 & CR4_PAE) !== 0;
    if (pg !== this.pg || wp !== this.wp || pse !== this.pse || pge !== this.pge || pae !== this.pae) {
      this.pg = pg;
      this.wp = wp;
      this.pse = pse;
      this.pge = pge;
      this.pae = pae;
      this.flushAll();
    }
  }

  loadCR3(v: number): void {
    this.cr3 = v | 0;
    this.flushNonGlobal();
  }

  setUser(user: boolean): void {
    if (user === this.user) return;
    this.user = user;
    this.rd = user ? this.urd : this.krd;
    this.wr = user ? this.uwr : this.kwr;
    this.tlbView.rd = this.rd;
    this.tlbView.wr = this.wr;
  }

  invlpg(va: number): void {
    const vpn = va >>> 12;
    if (this.info[vpn]) this.drop(vpn);
  }

  flushAll(): void {
    for (const vpn of this.filled) if (this.info[vpn]) this.drop(vpn);
    this.filled = [];
  }

  flushNonGlobal(): void {
    const keep: number[] = [];
    for (const vpn of this.filled) {
      const inf = this.info[vpn]!;
      if (!inf) continue;
      if (inf & 2) keep.push(vpn);
      else this.drop(vpn);
    }
    this.filled = keep;
  }

  /** Paging off, supervisor, empty TLB (memory contents untouched). */
  reset(): void {
    this.flushAll();
    this.pg = this.wp = this.pse = this.pge = this.pae = false;
    this.cr3 = 0;
    this.setUser(false);
    this.walks = 0;
  }

  private drop(vpn: number): void {
    this.krd[vpn] = 0;
    this.kwr[vpn] = 0;
    this.urd[vpn] = 0;
    this.uwr[vpn] = 0;
    this.info[vpn] = 0;
  }

  /** Page `ppn` now holds compiled code: drops every write entry that maps it. */
  dropWrites(ppn: number): void {
    for (const vpn of this.filled) {
      if (this.kwr[vpn]! >>> 12 === ppn) this.kwr[vpn] = 0;
      if (this.uwr[vpn]! >>> 12 === ppn) this.uwr[vpn] = 0;
    }
  }

  /** What the TLB holds for va and an access kind: the physical address, or undefined. */
  cached(va: number, kind: 'read' | 'write' | 'user-read' | 'user-write' = 'read'): number | undefined {
    const arr = { read: this.krd, write: this.kwr, 'user-read': this.urd, 'user-write': this.uwr }[kind];
    const e = arr[va >>> 12]!;
    return e === 0 ? undefined : ((e ^ 1) | (va & 4095)) >>> 0;
  }

  /** Number of virtual pages with a TLB entry. */
  get tlbSize(): number {
    let n = 0;
    for (const vpn of new Set(this.filled)) if (this.info[vpn]) n++;
    return n;
  }

  // ---- translation ----

  /** The page tables' answer for va, without side effects (no TLB fill, no A/D bits). */
  walk(va: number): WalkResult {
    return walkPageTables(this.phys, va, this.pg, this.cr3, this.pse, this.pge);
  }

  /**
   * Physical address of va for an access (TLB first, else a walk that sets A/D and
   * fills the TLB), or -1 with `errorCode` set. Never calls onFault.
   */
  translate(va: number, write: boolean, user: boolean): number {
    const vpn = va >>> 12;
    const e = (write ? (user ? this.uwr : this.kwr) : user ? this.urd : this.krd)[vpn]!;
    if (e !== 0) return ((e ^ 1) | (va & 4095)) >>> 0;
    if (!this.pg) {
      const p = va >>> 0;
      if (p < this.ramSize) {
        const ent = (p & ~4095) | 1;
        const w = this.code?.flags[p >>> 12] ? 0 : ent;
        this.krd[vpn] = this.urd[vpn] = ent;
        this.kwr[vpn] = this.uwr[vpn] = w;
        this.note(vpn, false);
      }
      return p;
    }
    if (this.pae) {
      // PAE paging is not modelled: every access faults as not present.
      this.errorCode = (write ? PGEX_W : 0) | (user ? PGEX_U : 0);
      return -1;
    }
    this.walks++;
    const ph = this.phys;
    const a = va >>> 0;
    const pdeAddr = ((this.cr3 & ~0xfff) + ((a >>> 22) << 2)) >>> 0;
    const pde = ph.read32(pdeAddr);
    const code = (write ? PGEX_W : 0) | (user ? PGEX_U : 0);
    if (!(pde & PG_V)) {
      this.errorCode = code;
      return -1;
    }
    let uok: boolean;
    let wok: boolean;
    let frame: number;
    let dirty: boolean;
    let global: boolean;
    if (this.pse && pde & PG_PS) {
      uok = (pde & PG_U) !== 0;
      wok = (pde & PG_RW) !== 0;
      if (!this.allowed(uok, wok, write, user)) {
        this.errorCode = code | PGEX_P;
        return -1;
      }
      const upd = pde | PG_A | (write ? PG_M : 0);
      if (upd !== pde) ph.write32(pdeAddr, upd);
      frame = ((pde & 0xffc00000) + (a & 0x3ff000)) >>> 0;
      dirty = (upd & PG_M) !== 0;
      global = this.pge && (pde & PG_G) !== 0;
    } else {
      const pteAddr = ((pde & ~0xfff) + (((a >>> 12) & 1023) << 2)) >>> 0;
      const pte = ph.read32(pteAddr);
      if (!(pte & PG_V)) {
        this.errorCode = code;
        return -1;
      }
      uok = (pde & pte & PG_U) !== 0;
      wok = (pde & pte & PG_RW) !== 0;
      if (!this.allowed(uok, wok, write, user)) {
        this.errorCode = code | PGEX_P;
        return -1;
      }
      if (!(pde & PG_A)) ph.write32(pdeAddr, pde | PG_A);
      const upd = pte | PG_A | (write ? PG_M : 0);
      if (upd !== pte) ph.write32(pteAddr, upd);
      frame = (pte & ~0xfff) >>> 0;
      dirty = (upd & PG_M) !== 0;
      global = this.pge && (pte & PG_G) !== 0;
    }
    if (frame < this.ramSize) {
      const ent = frame | 1;
      const code = this.code?.flags[frame >>> 12] === 1;
      this.krd[vpn] = ent;
      this.kwr[vpn] = dirty && (wok || !this.wp) && !code ? ent : 0;
      this.urd[vpn] = uok ? ent : 0;
      this.uwr[vpn] = uok && wok && dirty && !code ? ent : 0;
      this.note(vpn, global);
    }
    return (frame | (a & 0xfff)) >>> 0;
  }

  private allowed(uok: boolean, wok: boolean, write: boolean, user: boolean): boolean {
    if (user) return uok && (!write || wok);
    return !write || wok || !this.wp;
  }

  private note(vpn: number, global: boolean): void {
    if (!this.info[vpn]) this.filled.push(vpn);
    this.info[vpn] = global ? 3 : 1;
  }

  /** translate() for a guest access: on a fault asks onFault until it succeeds; -1 = skip. */
  private xlate(a: number, write: boolean, size: number, eip: number): number {
    for (;;) {
      const p = this.translate(a, write, this.user);
      if (p >= 0) return p;
      if (this.onFault(a | 0, this.errorCode, write ? 'write' : 'read', size, eip) === 'continue') return -1;
    }
  }

  /** A multi-byte access that may cross a page: the physical address of each byte, or undefined to skip. */
  private split(a: number, n: number, write: boolean, eip: number): number[] | undefined {
    const first = this.xlate(a, write, n, eip);
    if (first < 0) return undefined;
    const off = a & 4095;
    if (off + n <= 4096) return Array.from({ length: n }, (_, k) => first + k);
    const b = ((a | 4095) + 1) | 0;
    const second = this.xlate(b, write, n, eip);
    if (second < 0) return undefined;
    // The first page may have been flushed by the fault handler: translate again.
    const again = this.xlate(a, write, n, eip);
    if (again < 0) return undefined;
    return Array.from({ length: n }, (_, k) => (off + k < 4096 ? again + k : second + (off + k - 4096)));
  }

  // ---- GuestMemory: fast path = TLB hit ----

  ld32(a: number, eip: number): number {
    const e = this.rd[a >>> 12]!;
    if (e !== 0 && (a & 3) === 0) return this.i32[((e ^ 1) | (a & 4095)) >>> 2]!;
    return this.ld32slow(a, eip);
  }
  st32(a: number, v: number, eip: number): void {
    const e = this.wr[a >>> 12]!;
    if (e !== 0 && (a & 3) === 0) {
      this.i32[((e ^ 1) | (a & 4095)) >>> 2] = v;
      return;
    }
    this.st32slow(a, v, eip);
  }
  ld8u(a: number, eip: number): number {
    const e = this.rd[a >>> 12]!;
    if (e !== 0) return this.u8[(e ^ 1) | (a & 4095)]!;
    const p = this.xlate(a, false, 1, eip);
    return p < 0 ? 0 : this.phys.read8(p);
  }
  ld8s(a: number, eip: number): number {
    return (this.ld8u(a, eip) << 24) >> 24;
  }
  ld16u(a: number, eip: number): number {
    const e = this.rd[a >>> 12]!;
    if (e !== 0 && (a & 4095) !== 4095) return this.dv.getUint16((e ^ 1) | (a & 4095), true);
    const ps = this.split(a, 2, false, eip);
    if (!ps) return 0;
    return this.phys.read8(ps[0]!) | (this.phys.read8(ps[1]!) << 8);
  }
  ld16s(a: number, eip: number): number {
    return (this.ld16u(a, eip) << 16) >> 16;
  }
  st8(a: number, v: number, eip: number): void {
    const e = this.wr[a >>> 12]!;
    if (e !== 0) {
      this.u8[(e ^ 1) | (a & 4095)] = v;
      return;
    }
    const p = this.xlate(a, true, 1, eip);
    if (p >= 0) this.phys.write8(p, v);
  }
  st16(a: number, v: number, eip: number): void {
    const e = this.wr[a >>> 12]!;
    if (e !== 0 && (a & 4095) !== 4095) {
      this.dv.setUint16((e ^ 1) | (a & 4095), v & 0xffff, true);
      return;
    }
    const ps = this.split(a, 2, true, eip);
    if (!ps) return;
    this.phys.write8(ps[0]!, v);
    this.phys.write8(ps[1]!, v >> 8);
  }

  private ld32slow(a: number, eip: number): number {
    if ((a & 4095) <= 4092) {
      const p = this.xlate(a, false, 4, eip);
      return p < 0 ? 0 : this.phys.read32(p);
    }
    const ps = this.split(a, 4, false, eip);
    if (!ps) return 0;
    const r = (k: number): number => this.phys.read8(ps[k]!);
    return r(0) | (r(1) << 8) | (r(2) << 16) | (r(3) << 24);
  }
  private st32slow(a: number, v: number, eip: number): void {
    if ((a & 4095) <= 4092) {
      const p = this.xlate(a, true, 4, eip);
      if (p >= 0) this.phys.write32(p, v);
      return;
    }
    const ps = this.split(a, 4, true, eip);
    if (!ps) return;
    for (let k = 0; k < 4; k++) this.phys.write8(ps[k]!, v >> (8 * k));
  }

  // ---- host helpers (no faults delivered) ----

  /** Reads n bytes of virtual memory as the given privilege would; undefined on a fault. */
  copyIn(va: number, n: number, user = this.user): Uint8Array | undefined {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; k++) {
      const p = this.translate((va + k) | 0, false, user);
      if (p < 0) return undefined;
      out[k] = this.phys.read8(p);
    }
    return out;
  }

  /** Writes bytes to virtual memory as the given privilege would; false (nothing written) on a fault. */
  copyOut(va: number, bytes: Uint8Array, user = this.user): boolean {
    const ps: number[] = [];
    for (let k = 0; k < bytes.length; k++) {
      const p = this.translate((va + k) | 0, true, user);
      if (p < 0) return false;
      ps.push(p);
    }
    ps.forEach((p, k) => this.phys.write8(p, bytes[k]!));
    return true;
  }
}
