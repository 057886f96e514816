/*
 * The guest's view of memory: a GuestMemory that translates guest virtual addresses
 * through the domain's two-level page tables (machine frame numbers in the entries)
 * to machine memory, with a software TLB.
 *
 * Hardware facts kept: present and RW bits of both levels combine (a write needs
 * RW in the L2 and the L1 entry); ring 1 is a supervisor ring, so U/S is checked only
 * for ring 3 (user processes of the guest), which has its own pair of TLB arrays. The hypervisor hole [HYPERVISOR_VIRT_START, 4 GiB) is served here, not by
 * the guest's L2 slots (which validation keeps empty): reads of the m2p table at its
 * start are allowed, everything else there is a fault of kind 'hole'.
 * A successful walk sets the accessed bit in both entries, and the dirty bit in
 * the L1 entry for a write, as the MMU does for a Xen guest's tables
 * (markAccessed); a read fills the write TLB only when the entry is already
 * dirty, so the first write to a page walks again and sets D.
 * Simplifications (docs/hypervisor.md): the TLB is flushed on every page-table change, not only on the guest's
 * flush requests, so a guest that forgets an invlpg is not caught, unless the
 * platform runs with a lazy TLB (entries kept until the guest invalidates them;
 * docs/batching.md). A MemoryWatch (the race detector) sees every walk and the
 * stores to the frames it watches.
 *
 * TLB: per virtual page number, (machine page address | 1) or 0, separately for
 * reads and writes — the engine's TlbView protocol, so compiled code inlines the hit
 * (emulate/memory.ts). A flush clears the entries filled since the last one. A miss
 * walks the tables; a failed walk calls onFault, which either ends the run (throws)
 * or returns to retry (after delivering a page fault).
 */
import type { GuestMemory, TlbView } from '../emulate/index.js';
import { HYPERVISOR_VIRT_START } from '../xen-abi/index.js';
import { PAGE, PTE_A, PTE_D, PTE_P, PTE_RW, PTE_US } from './frames.js';
import type { CodePages } from '../emulate/index.js';
import type { Xen } from './xen.js';
import type { Domain } from './domain.js';

/** 'supervisor': a ring-3 access to a page without U/S in both levels. */
export type WalkFailure = 'no-page-directory' | 'l2-not-present' | 'l1-not-present' | 'read-only' | 'supervisor' | 'hole';

export interface Walk {
  va: number;
  l2Mfn: number;
  l2Index: number;
  l2e?: number;
  l1Index?: number;
  l1e?: number;
  /** Machine address on success. */
  ma?: number;
  writable?: boolean;
  /** U/S in both levels: ring 3 may access the page. */
  user?: boolean;
  failure?: WalkFailure;
}

/**
 * A watcher of guest accesses (the race detector): frames it watches get no TLB
 * entries of that kind, so every such access takes the slow path and reaches it.
 */
export interface MemoryWatch {
  watchesWrite(mfn: number): boolean;
  watchesRead(mfn: number): boolean;
  /** After every walk of an access (failed or not), before the fault or the TLB fill. */
  walked(va: number, w: Walk, write: boolean, eip: number): void;
  /** After a store that took the slow path, at machine address ma. */
  stored(ma: number, eip: number): void;
}

export type PagingFault = (va: number, size: number, write: boolean, eip: number, walk: Walk) => void;

/** Walks the page tables of `d` for `va` (no side effects). */
export function walk(xen: Xen, d: Domain, va: number, write: boolean): Walk {
  va >>>= 0;
  const l2Mfn = d.baseMfn;
  const l2Index = va >>> 22;
  const w: Walk = { va, l2Mfn, l2Index };
  if (va >= HYPERVISOR_VIRT_START) {
    const off = va - HYPERVISOR_VIRT_START;
    if (!write && off < xen.m2pBytes) {
      w.ma = xen.m2pBase * PAGE + off;
      w.writable = false;
      return w;
    }
    w.failure = 'hole';
    return w;
  }
  if (l2Mfn < 0) {
    w.failure = 'no-page-directory';
    return w;
  }
  const m = xen.mem;
  const l2e = m.entry(l2Mfn, l2Index);
  w.l2e = l2e;
  if (!(l2e & PTE_P)) {
    w.failure = 'l2-not-present';
    return w;
  }
  const l1Index = (va >>> 12) & 1023;
  const l1e = m.entry(l2e >>> 12, l1Index);
  w.l1Index = l1Index;
  w.l1e = l1e;
  if (!(l1e & PTE_P)) {
    w.failure = 'l1-not-present';
    return w;
  }
  const writable = !!(l2e & PTE_RW) && !!(l1e & PTE_RW);
  w.writable = writable;
  w.user = !!(l2e & l1e & PTE_US);
  w.ma = (l1e & ~0xfff) + (va & 0xfff);
  if (write && !writable) w.failure = 'read-only';
  return w;
}

/**
 * Sets the accessed bits of a successful walk's entries (and the L1 dirty bit for
 * a write) in the tables themselves, as the MMU does; returns whether the L1
 * entry is dirty afterwards. The m2p window in the hole has no entries.
 */
export function markAccessed(xen: Xen, w: Walk, write: boolean): boolean {
  if (w.l2e === undefined || w.l1e === undefined || w.l1Index === undefined) return false;
  const m = xen.mem;
  if ((w.l2e & PTE_A) === 0) {
    w.l2e |= PTE_A;
    m.setEntry(w.l2Mfn, w.l2Index, w.l2e >>> 0);
  }
  const want = PTE_A | (write ? PTE_D : 0);
  if ((w.l1e & want) !== want) {
    w.l1e |= want;
    m.setEntry(w.l2e >>> 12, w.l1Index, w.l1e >>> 0);
  }
  return (w.l1e & PTE_D) !== 0;
}

/** The ring-3 TLB pair before a process ever ran: no entries (never written). */
const NO_ENTRIES = new Int32Array(0);

export class XenMemory implements GuestMemory {
  private readonly u8: Uint8Array;
  private readonly dv: DataView;
  private readonly i32: Int32Array;
  /**
   * Per virtual page: (machine page address | 1) when reads / writes need no walk, else
   * 0; one pair for the guest kernel (ring 1) and one for ring 3, `rd`/`wr` the current
   * privilege's (setUser swaps them, and the TlbView with them).
   */
  private readonly krd = new Int32Array(1 << 20);
  private readonly kwr = new Int32Array(1 << 20);
  // Ring 3's pair is made when a process first runs (most domains never have one).
  private urd = NO_ENTRIES;
  private uwr = NO_ENTRIES;
  private rd = this.krd;
  private wr = this.kwr;
  /** Accesses are ring 3's (U/S checked). */
  user = false;
  /**
   * Machine frames user code was compiled from (emulate's CodePages): they get no write
   * entry, and every write to them is reported, so that code is fetched again.
   */
  code?: CodePages;
  /** Pages with an entry, so that a flush clears only those (overflow: clear all). */
  private readonly filled = new Int32Array(1 << 16);
  private nfilled = 0;
  private overflow = false;
  /** The engine inlines this fast path into compiled loads and stores (emulate/memory.ts). */
  readonly tlbView: TlbView;
  onFault: PagingFault = () => {
    throw new Error('internal error: XenMemory.onFault not connected');
  };
  /** TLB statistics. */
  flushes = 0;
  misses = 0;
  /** The walk of the last fetchAddress() that failed. */
  fetchWalk?: Walk;
  /** The race detector, when on (race-detector.ts). */
  watch?: MemoryWatch;

  constructor(
    readonly xen: Xen,
    readonly dom: Domain,
  ) {
    this.u8 = xen.mem.u8;
    this.dv = xen.mem.dv;
    this.i32 = xen.mem.i32;
    this.tlbView = { rd: this.krd, wr: this.kwr, ram: this.u8, ram32: this.i32 };
  }

  /** Ring 3 (true) or the guest kernel's ring 1 (false) makes the accesses from now on. */
  setUser(user: boolean): void {
    if (user === this.user) return;
    if (user && this.urd === NO_ENTRIES) {
      this.urd = new Int32Array(1 << 20);
      this.uwr = new Int32Array(1 << 20);
    }
    this.user = user;
    this.rd = this.tlbView.rd = user ? this.urd : this.krd;
    this.wr = this.tlbView.wr = user ? this.uwr : this.kwr;
  }

  flush(): void {
    this.flushes++;
    if (this.overflow) {
      for (const a of [this.krd, this.kwr, this.urd, this.uwr]) if (a !== NO_ENTRIES) a.fill(0);
      this.overflow = false;
    } else {
      const user = this.urd !== NO_ENTRIES;
      for (let k = 0; k < this.nfilled; k++) {
        const vpn = this.filled[k]!;
        this.krd[vpn] = this.kwr[vpn] = 0;
        if (user) this.urd[vpn] = this.uwr[vpn] = 0;
      }
    }
    this.nfilled = 0;
  }
  flushOne(va: number): void {
    const vpn = va >>> 12;
    this.krd[vpn] = this.kwr[vpn] = 0;
    if (this.urd !== NO_ENTRIES) this.urd[vpn] = this.uwr[vpn] = 0;
  }

  /** Machine frame `mfn` now holds compiled code: no write entry may map it. */
  dropWrites(mfn: number): void {
    const drop = (vpn: number): void => {
      if (this.kwr[vpn]! >>> 12 === mfn) this.kwr[vpn] = 0;
      if (this.uwr !== NO_ENTRIES && this.uwr[vpn]! >>> 12 === mfn) this.uwr[vpn] = 0;
    };
    if (this.overflow) for (let vpn = 0; vpn < 1 << 20; vpn++) drop(vpn);
    else for (let k = 0; k < this.nfilled; k++) drop(this.filled[k]!);
  }

  /** Fills the TLB entries of a successful walk; the machine address. */
  private fill(va: number, w: Walk, write: boolean): number {
    const vpn = va >>> 12;
    const page = (w.ma! - (va & 0xfff)) | 1;
    if (this.krd[vpn] === 0 && this.kwr[vpn] === 0 && (this.urd === NO_ENTRIES || this.urd[vpn] === 0)) {
      if (this.nfilled < this.filled.length) this.filled[this.nfilled++] = vpn;
      else this.overflow = true;
    }
    const dirty = markAccessed(this.xen, w, write);
    const wok = w.writable === true && dirty && !(this.code !== undefined && this.code.flags[w.ma! >>> 12] === 1);
    this.krd[vpn] = page;
    this.kwr[vpn] = wok ? page : 0;
    if (this.urd !== NO_ENTRIES) {
      this.urd[vpn] = w.user ? page : 0;
      this.uwr[vpn] = w.user && wok ? page : 0;
    }
    if (this.watch) {
      const mfn = w.ma! >>> 12;
      if (this.watch.watchesRead(mfn)) {
        this.krd[vpn] = 0;
        if (this.urd !== NO_ENTRIES) this.urd[vpn] = 0;
      }
      if (this.watch.watchesWrite(mfn)) {
        this.kwr[vpn] = 0;
        if (this.uwr !== NO_ENTRIES) this.uwr[vpn] = 0;
      }
    }
    return w.ma!;
  }

  /** The walk for an access at the current privilege: U/S checked for ring 3. */
  private walkFor(va: number, write: boolean): Walk {
    const w = walk(this.xen, this.dom, va, write);
    if (this.user && !w.failure && !w.user) w.failure = 'supervisor';
    return w;
  }

  /** Machine byte address of `va` for an access; faults (and retries) until it maps. */
  translate(va: number, write: boolean, size: number, eip: number): number {
    const vpn = va >>> 12;
    for (;;) {
      const e = (write ? this.wr : this.rd)[vpn]!;
      if (e !== 0) return (e & -4096) + (va & 0xfff);
      this.misses++;
      const w = this.walkFor(va, write);
      if (this.watch) this.watch.walked(va, w, write, eip);
      if (!w.failure) return this.fill(va, w, write);
      this.onFault(va >>> 0, size, write, eip, w);
    }
  }

  /** translate() for a write: a write to a frame that holds compiled code drops that code. */
  private wtranslate(va: number, size: number, eip: number): number {
    const ma = this.translate(va, true, size, eip);
    if (this.code !== undefined && this.code.flags[ma >>> 12] === 1) this.code.written(ma, size);
    if (this.watch) this.watchedStore = ma;
    return ma;
  }

  /** The machine address of the slow-path store in progress, for watch.stored(). */
  private watchedStore = -1;
  private afterStore(eip: number): void {
    const ma = this.watchedStore;
    this.watchedStore = -1;
    if (ma >= 0) this.watch!.stored(ma, eip);
  }

  /** The machine address `va` maps to for a kernel read now, or -1 (a walk without side effects). */
  probe(va: number): number {
    const w = walk(this.xen, this.dom, va, false);
    return w.failure || w.ma === undefined ? -1 : w.ma;
  }

  /**
   * The machine address of `va` for an instruction fetch at the current privilege, or
   * -1 (the failed walk is kept in fetchWalk for the fault). No fault is delivered.
   */
  fetchAddress(va: number): number {
    const e = this.rd[va >>> 12]!;
    if (e !== 0) return (e & -4096) + (va & 0xfff);
    const w = this.walkFor(va, false);
    if (w.failure) {
      this.fetchWalk = w;
      return -1;
    }
    return this.fill(va, w, false);
  }

  ld32(a: number, eip: number): number {
    if ((a & 3) === 0) {
      const e = this.rd[a >>> 12]!;
      if (e !== 0) return this.i32[((e & -4096) | (a & 0xfff)) >>> 2]!;
      return this.i32[this.translate(a, false, 4, eip) >>> 2]!;
    }
    if ((a & 0xfff) <= 0xffc) return this.dv.getInt32(this.translate(a, false, 4, eip), true);
    return (this.ld8u(a, eip) | (this.ld8u(a + 1, eip) << 8) | (this.ld8u(a + 2, eip) << 16) | (this.ld8u(a + 3, eip) << 24)) | 0;
  }
  st32(a: number, v: number, eip: number): void {
    if ((a & 3) === 0) {
      const e = this.wr[a >>> 12]!;
      if (e !== 0) this.i32[((e & -4096) | (a & 0xfff)) >>> 2] = v;
      else {
        this.i32[this.wtranslate(a, 4, eip) >>> 2] = v;
        if (this.watch) this.afterStore(eip);
      }
      return;
    }
    if ((a & 0xfff) <= 0xffc) {
      this.dv.setInt32(this.wtranslate(a, 4, eip), v, true);
      if (this.watch) this.afterStore(eip);
      return;
    }
    // Check both pages before writing either (x86 does not write half a store).
    this.translate(a, true, 1, eip);
    this.translate(a + 3, true, 1, eip);
    for (let k = 0; k < 4; k++) this.st8(a + k, v >>> (8 * k), eip);
  }
  ld8u(a: number, eip: number): number {
    const e = this.rd[a >>> 12]!;
    if (e !== 0) return this.u8[(e & -4096) | (a & 0xfff)]!;
    return this.u8[this.translate(a, false, 1, eip)]!;
  }
  ld8s(a: number, eip: number): number {
    return (this.ld8u(a, eip) << 24) >> 24;
  }
  ld16u(a: number, eip: number): number {
    if ((a & 0xfff) <= 0xffe) return this.dv.getUint16(this.translate(a, false, 2, eip), true);
    return this.ld8u(a, eip) | (this.ld8u(a + 1, eip) << 8);
  }
  ld16s(a: number, eip: number): number {
    return (this.ld16u(a, eip) << 16) >> 16;
  }
  st8(a: number, v: number, eip: number): void {
    const e = this.wr[a >>> 12]!;
    if (e !== 0) this.u8[(e & -4096) | (a & 0xfff)] = v;
    else {
      this.u8[this.wtranslate(a, 1, eip)] = v;
      if (this.watch) this.afterStore(eip);
    }
  }
  st16(a: number, v: number, eip: number): void {
    if ((a & 0xfff) <= 0xffe) {
      this.dv.setUint16(this.wtranslate(a, 2, eip), v & 0xffff, true);
      if (this.watch) this.afterStore(eip);
      return;
    }
    this.translate(a, true, 1, eip);
    this.translate(a + 1, true, 1, eip);
    this.st8(a, v, eip);
    this.st8(a + 1, v >>> 8, eip);
  }

  /**
   * Hypervisor-side copy from guest memory with the guest's permissions (Xen's
   * copy_from_user): undefined when any byte is unmapped. No faults are raised.
   */
  read(va: number, n: number): Uint8Array | undefined {
    const out = new Uint8Array(n);
    for (let k = 0; k < n; ) {
      const a = (va + k) >>> 0;
      const w = walk(this.xen, this.dom, a, false);
      if (w.failure) return undefined;
      const len = Math.min(n - k, PAGE - (a & 0xfff));
      out.set(this.u8.subarray(w.ma!, w.ma! + len), k);
      k += len;
    }
    return out;
  }
  read32(va: number): number | undefined {
    const b = this.read(va, 4);
    return b && new DataView(b.buffer).getUint32(0, true);
  }
  /** copy_to_user: false when any byte is not writable. */
  write(va: number, bytes: Uint8Array): boolean {
    const mas: [number, number, number][] = [];
    for (let k = 0; k < bytes.length; ) {
      const a = (va + k) >>> 0;
      const w = walk(this.xen, this.dom, a, true);
      if (w.failure) return false;
      const len = Math.min(bytes.length - k, PAGE - (a & 0xfff));
      mas.push([w.ma!, k, len]);
      k += len;
    }
    for (const [ma, k, len] of mas) {
      this.u8.set(bytes.subarray(k, k + len), ma);
      this.code?.written(ma, len);
    }
    return true;
  }
  write32(va: number, v: number): boolean {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, v >>> 0, true);
    return this.write(va, b);
  }
}
