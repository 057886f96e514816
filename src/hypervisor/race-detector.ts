/*
 * Seed step 15 in the hypervisor: what batching the guest's page-table updates
 * costs and risks. Three parts, all per domain:
 *
 *  - MmuStats: mmu_update calls and requests per call (a power-of-two
 *    histogram), always on, for the bench and `npm start`.
 *  - RaceDetector (`xenoport boot --race-detect`): finds the guest's queue by
 *    symbol (xen_mmu_queue_buf, xen_mmu_queue_idx) and keeps a shadow of the
 *    queued, not yet flushed updates. The queue's frames get no write TLB
 *    entries, so every store to them reaches stored(): a store to the index
 *    adds the new entries to the shadow (with where they were queued, from the
 *    guest stack), a store to the queue with event delivery on is a re-entry
 *    race. Page-table frames get no read TLB entries while the detector runs,
 *    so every read of a page-table word and every walk reaches walked(): one
 *    that involves a shadowed entry is a read-after-write race. Hypercalls that
 *    need coherent tables, and block/yield, with a non-empty shadow are
 *    reported; an mmu_update of the queue buffer empties it.
 *  - UpcallInjector: event upcalls at seeded pseudo-random instruction counts
 *    (no channel pending: the guest's handler finds nothing to do), so that a
 *    queue that is not protected against re-entry shows up.
 *
 * Invariant: the detector only reads guest memory and drops TLB entries; it
 * never changes what the guest computes, so a run with it and one without
 * have the same console.
 */
import { findSymbol, type LinkedImage } from '../ir/index.js';
import { Hypercall, HYPERVISOR_VIRT_START, SchedOp } from '../xen-abi/index.js';
import { PGT_L1, PGT_L2, PTE_P } from './frames.js';
import type { MemoryWatch, Walk, XenMemory } from './paging.js';
import type { Xen } from './xen.js';
import type { Domain } from './domain.js';

/**
 * mmu_update calls and the number of requests in each. `calls` counts
 * mmu_update hypercalls (each its own trap into the hypervisor); an
 * mmu_update inside a multicall is counted apart, in `inMulticall`.
 */
export class MmuStats {
  calls = 0;
  requests = 0;
  /** mmu_updates carried by multicalls, and their requests. */
  inMulticall = 0;
  inMulticallRequests = 0;
  /** requests-per-call bucket (1, 2-3, 4-7, ... as its lower bound) -> calls. */
  readonly histogram = new Map<number, number>();

  record(count: number): void {
    this.calls++;
    this.requests += count;
    let b = 1;
    while (b * 2 <= count) b *= 2;
    this.histogram.set(b, (this.histogram.get(b) ?? 0) + 1);
  }

  /** The mmu_update entries of a multicall's list (read as the hypervisor will). */
  recordMulticall(mem: XenMemory, list: number, nr: number): void {
    for (let k = 0; k < Math.min(nr | 0, 64); k++) {
      const op = mem.read32((list + k * 32) >>> 0);
      if (op !== Hypercall.mmu_update) continue;
      this.inMulticall++;
      this.inMulticallRequests += mem.read32((list + k * 32 + 8) >>> 0) ?? 0;
    }
  }

  /** "1: 12, 2-3: 4, ..." in bucket order. */
  format(): string {
    return [...this.histogram.entries()]
      .sort((a, b) => a[0] - b[0])
      .map(([b, n]) => `${b === 1 ? '1' : `${b}-${b * 2 - 1}`}: ${n}`)
      .join(', ');
  }
}

export type RaceKind = 'read-after-write' | 'stale-walk' | 'coherent-hypercall' | 'block-with-queue' | 'reentry' | 'release-with-queue';

export interface RaceReport {
  kind: RaceKind;
  message: string;
  /** Where the pending update was queued (generated file:line, original in parentheses when it differs). */
  queuedAt?: string;
  /** Where the stale view was used, or the hypercall made. */
  usedAt: string;
  /** How many times this (kind, queuedAt, usedAt) happened. */
  count: number;
}

/** What the detector needs from the platform (XenPlatform implements it). */
export interface RaceHost {
  readonly xen: Xen;
  readonly dom: Domain;
  readonly mem: XenMemory;
  /** The guest's IR instruction pointer -> "file:line" of the generated tree, mapped to the original when known. */
  whereOf(eip: number): string;
  /**
   * Where the innermost caller outside the guest Xen API is, from the guest stack,
   * and the stack address of that function's own return slot (Infinity: unknown).
   */
  callerOf(eip: number): { where: string; frameTop: number; frameRa: number };
  /** The guest's stack pointer now. */
  stackPointer(): number;
  /** shared_info's evtchn_upcall_mask byte. */
  eventsMasked(): boolean;
}

interface Pending {
  val: number;
  queuedAt: string;
  /** The queuing function's return slot and the address in it: once the stack is above the slot or the slot holds another address, the function has returned. */
  frameTop: number;
  frameRa: number;
}

const COHERENT: Record<number, string> = {
  [Hypercall.update_va_mapping]: 'update_va_mapping',
  [Hypercall.set_gdt]: 'set_gdt',
  [Hypercall.dom_mem_op]: 'dom_mem_op',
  [Hypercall.grant_table_op]: 'grant_table_op',
  [Hypercall.update_va_mapping_otherdomain]: 'update_va_mapping_otherdomain',
};

const MAX_REPORTS = 200;

export class RaceDetector implements MemoryWatch {
  readonly reports: RaceReport[] = [];
  private readonly byKey = new Map<string, RaceReport>();
  /** Machine address of a queued NORMAL_PT_UPDATE's word -> the update. */
  private readonly pending = new Map<number, Pending>();
  /** Entries of the guest's queue already in the shadow. */
  private known = 0;
  private readonly bufVa: number;
  private readonly idxVa: number;
  private idxMa = -1;
  /** Machine frames of the queue -> the virtual page they back. */
  private readonly watched = new Map<number, number>();
  /** Page-table entry machine address -> virtual pages whose TLB entries came from it. */
  private readonly filledFrom = new Map<number, Set<number>>();
  /** Why the detector checks nothing (no queue in the image), if so. */
  readonly disabled?: string;
  entriesSeen = 0;

  /**
   * @param keepStale with a lazy TLB, translations made from an entry that is then
   *   queued are left in the TLB (the run shows what the stale view does) instead of
   *   being dropped so that their next use walks into the shadow.
   */
  constructor(
    private readonly host: RaceHost,
    image: LinkedImage,
    private readonly keepStale = false,
  ) {
    const buf = findSymbol(image, 'xen_mmu_queue_buf');
    const idx = findSymbol(image, 'xen_mmu_queue_idx');
    this.bufVa = buf?.addr ?? 0;
    this.idxVa = idx?.addr ?? 0;
    if (!buf || !idx) this.disabled = 'the image has no xen_mmu_queue_buf / xen_mmu_queue_idx: there is no queue to watch';
  }

  /** Called once paging is on (the first hypercall): the queue's machine frames. */
  private locate(): boolean {
    if (this.idxMa >= 0) return true;
    if (this.disabled) return false;
    const { mem } = this.host;
    const idx = mem.probe(this.idxVa);
    if (idx < 0) return false;
    this.idxMa = idx;
    this.watched.set(idx >>> 12, this.idxVa & ~0xfff);
    for (let va = this.bufVa & ~0xfff; va < this.bufVa + 2048 * 8; va += 0x1000) {
      const ma = mem.probe(va);
      if (ma >= 0) this.watched.set(ma >>> 12, va);
    }
    mem.flush();
    return true;
  }

  // ---- MemoryWatch ----

  watchesWrite(mfn: number): boolean {
    return this.watched.has(mfn);
  }

  watchesRead(mfn: number): boolean {
    const t = this.host.xen.mem.type[mfn];
    return (t === PGT_L1 || t === PGT_L2) && this.host.xen.mem.typeCount[mfn]! > 0;
  }

  walked(va: number, w: Walk, write: boolean, eip: number): void {
    if (va >>> 0 >= HYPERVISOR_VIRT_START || w.l2Mfn < 0) return;
    const l2ma = (w.l2Mfn * 4096 + w.l2Index * 4) >>> 0;
    const l1ma = w.l2e !== undefined && w.l2e & PTE_P && w.l1Index !== undefined ? ((w.l2e & ~0xfff) + w.l1Index * 4) >>> 0 : -1;
    const vpn = va >>> 12;
    this.remember(l2ma, vpn);
    if (l1ma >= 0) this.remember(l1ma, vpn);
    if (this.pending.size === 0) return;
    const hex = (n: number) => `0x${(n >>> 0).toString(16)}`;
    for (const [ma, level] of [[l2ma, 'directory'], [l1ma, 'page-table']] as const) {
      const p = ma >= 0 ? this.pending.get(ma) : undefined;
      if (p) this.report('stale-walk', `the walk of VA ${hex(va)} uses the ${level} entry at MA ${hex(ma)}, whose queued update (to ${hex(p.val)}) is not flushed`, p.queuedAt, eip);
    }
    if (!write && !w.failure && w.ma !== undefined) {
      const word = (w.ma & ~3) >>> 0;
      const p = this.pending.get(word);
      if (p) this.report('read-after-write', `a read of the page-table word at VA ${hex(va)} (MA ${hex(word)}) sees the old value: its update to ${hex(p.val)} is queued, not flushed`, p.queuedAt, eip);
    }
  }

  stored(ma: number, eip: number): void {
    if (!this.watched.has(ma >>> 12)) return;
    const inQueue = ma >>> 2 === this.idxMa >>> 2 || this.isBuf(ma);
    if (!inQueue) return;
    if (!this.host.eventsMasked()) this.report('reentry', 'the mmu_update queue is written with event delivery on: an upcall that queues or flushes can re-enter it', undefined, eip);
    if (ma >>> 2 === this.idxMa >>> 2) this.sync(eip);
  }

  private isBuf(ma: number): boolean {
    const page = this.watched.get(ma >>> 12);
    if (page === undefined) return false;
    const va = (page + (ma & 0xfff)) >>> 0;
    return va >= this.bufVa >>> 0 && va < (this.bufVa >>> 0) + 2048 * 8;
  }

  /** The guest's index changed: take the new entries into the shadow. */
  private sync(eip: number): void {
    const { xen, mem } = this.host;
    const n = xen.mem.word(this.idxMa) | 0;
    if (n <= this.known) {
      // Cleared before the flush hypercall (as FreeBSD-xen does): the shadow
      // empties when the mmu_update of the buffer arrives.
      this.known = Math.max(0, n);
      return;
    }
    let where: { where: string; frameTop: number; frameRa: number } | undefined;
    for (let i = this.known; i < n && i < 2048; i++) {
      const ema = mem.probe(this.bufVa + i * 8);
      if (ema < 0) continue;
      const ptr = xen.mem.word(ema) >>> 0;
      const val = xen.mem.word(ema + 4) >>> 0;
      this.entriesSeen++;
      if ((ptr & 3) !== 0) continue;
      where ??= this.host.callerOf(eip);
      const word = (ptr & ~3) >>> 0;
      this.pending.set(word, { val, queuedAt: where.where, frameTop: where.frameTop, frameRa: where.frameRa });
      // A translation the TLB still holds from the old entry is a stale view too: drop it,
      // so that the next use walks and meets the shadow.
      const vpns = this.keepStale ? undefined : this.filledFrom.get(word);
      if (vpns) for (const v of vpns) mem.flushOne(v << 12);
    }
    this.known = n;
  }

  private remember(ma: number, vpn: number): void {
    let s = this.filledFrom.get(ma);
    if (!s) this.filledFrom.set(ma, (s = new Set()));
    if (s.size < 1024) s.add(vpn);
  }

  /** Before a hypercall is dispatched; a multicall's entries are checked in order as if made one by one. */
  hypercall(nr: number, args: number[], eip: number): void {
    if (!this.locate()) return;
    if (nr === Hypercall.multicall) {
      for (let k = 0; k < Math.min(args[1]! | 0, 64); k++) {
        const b = this.host.mem.read((args[0]! + k * 32) >>> 0, 32);
        if (!b) return;
        const dv = new DataView(b.buffer, b.byteOffset, b.length);
        const op = dv.getUint32(0, true);
        if (op === Hypercall.multicall) continue;
        this.hypercall(op, [1, 2, 3, 4, 5].map((i) => dv.getInt32(4 * i, true)), eip);
      }
      return;
    }
    if (this.pending.size) this.checkReturned(eip);
    if (nr === Hypercall.mmu_update && args[0]! >>> 0 === this.bufVa >>> 0) {
      this.pending.clear();
      this.known = Math.min(this.known, this.host.xen.mem.word(this.idxMa) | 0);
      return;
    }
    if (this.pending.size === 0) return;
    if (nr === Hypercall.update_va_mapping) {
      // The entry it writes is applied by it (xen_invlpg's one-call form): no longer pending.
      const { xen, dom } = this.host;
      const va = (args[0]! << 12) >>> 0;
      const l2e = dom.baseMfn >= 0 && va < HYPERVISOR_VIRT_START ? xen.mem.entry(dom.baseMfn, va >>> 22) : 0;
      if (l2e & PTE_P) this.pending.delete(((l2e & ~0xfff) + ((va >>> 12) & 1023) * 4) >>> 0);
      if (this.pending.size === 0) return;
    }
    const first = this.pending.values().next().value!;
    const name = nr === Hypercall.mmu_update ? 'mmu_update (not of the queue)' : COHERENT[nr];
    if (name) {
      this.report('coherent-hypercall', `${name} with ${this.pending.size} queued page-table updates not flushed: it may act on the old tables`, first.queuedAt, eip);
      return;
    }
    const cmd = args[0]! & SchedOp.cmdmask;
    if (nr === Hypercall.sched_op && (cmd === SchedOp.block || cmd === SchedOp.yield))
      this.report('block-with-queue', `sched_op ${cmd === SchedOp.block ? 'block' : 'yield'} with ${this.pending.size} queued page-table updates not flushed`, first.queuedAt, eip);
  }

  /**
   * Linux's rule (flush before the page-table lock is dropped): an update still
   * queued after the function that queued it returned has outlived its critical
   * section, and whatever runs next may see the old table. Checked at every
   * hypercall while updates are queued; reported where it was noticed.
   */
  private checkReturned(eip: number): void {
    const sp = this.host.stackPointer() >>> 0;
    for (const [ma, p] of this.pending) {
      if (p.frameTop === Infinity) continue;
      // A call at the same depth reuses the slot with another return address.
      if (sp <= p.frameTop && this.host.mem.read32(p.frameTop) === p.frameRa >>> 0) continue;
      this.report('release-with-queue', `the function that queued the update of MA 0x${ma.toString(16)} returned with it unflushed (its critical section ended; noticed at the next hypercall)`, p.queuedAt, eip);
      p.frameTop = Infinity;
    }
  }

  private report(kind: RaceKind, message: string, queuedAt: string | undefined, eip: number): void {
    const usedAt = this.host.whereOf(eip);
    const key = `${kind}|${queuedAt ?? ''}|${usedAt}`;
    const r = this.byKey.get(key);
    if (r) {
      r.count++;
      return;
    }
    if (this.reports.length >= MAX_REPORTS) return;
    const n: RaceReport = { kind, message, queuedAt, usedAt, count: 1 };
    this.byKey.set(key, n);
    this.reports.push(n);
  }

  /** One line per distinct race. */
  format(): string[] {
    return this.reports.map((r) => `race: ${r.kind}: ${r.message}; ${r.queuedAt ? `queued at ${r.queuedAt}, ` : ''}used at ${r.usedAt}${r.count > 1 ? ` (${r.count} times)` : ''}`);
  }
}

/**
 * Upcalls at pseudo-random instruction counts from a seed (mulberry32): the
 * next one 1 000 to 50 000 instructions after the last.
 */
export class UpcallInjector {
  next: number;
  injected = 0;
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
    this.next = this.gap();
  }

  private rand(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  private gap(): number {
    return 1000 + Math.floor(this.rand() * 49_000);
  }

  /** True when an upcall is due at `steps`; schedules the next. */
  due(steps: number): boolean {
    if (steps < this.next) return false;
    this.injected++;
    this.next = steps + this.gap();
    return true;
  }
}
