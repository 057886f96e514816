/*
 * The hypervisor's state: machine memory with its frame table, the page-table
 * validator, the machine-to-physical table, and the domains.
 *
 * Machine layout (frames): [0, xenFrames) belong to Xen (its "image" and the m2p
 * table, which the guest reads at HYPERVISOR_VIRT_START); then dom0's frames; the
 * rest is free and handed to new domains in a scrambled order, so pseudo-physical
 * and machine frame numbers differ for every page (p2m != m2p).
 *
 * Invariant: m2p[mfn] is the pfn a domain said the frame holds (MACHPHYS_UPDATE)
 * or M2P_INVALID; it lives in Xen's machine frames at m2pBase, so the guest's
 * read-only view of it is ordinary memory.
 */
import { HypervisorError } from '../errors.js';
import { MachineMemory, OWNER_FREE, OWNER_XEN, F_ALLOCATED, PAGE } from './frames.js';
import { Mm } from './mm.js';
import type { Domain } from './domain.js';
import { Dom0 } from './domain0.js';
import { setPending, type EvtchnDomain } from './event-channels.js';
import { releaseFrame } from './reservation.js';

export { Dom0, type BackEnd } from './domain0.js';

export const M2P_INVALID = 0x55555555;

export interface XenConfig {
  /** Machine frames beyond what Xen, dom0 and the guests need (default 64). */
  spareFrames?: number;
  /** Frames given to dom0 (default 256 = 1 MiB). */
  dom0Frames?: number;
  /** Machine frames in total (default: computed from the guest's size). */
  machineFrames: number;
}

export class Xen {
  readonly mem: MachineMemory;
  readonly mm: Mm;
  readonly m2pBase: number;
  readonly xenFrames: number;
  readonly dom0 = new Dom0();
  readonly domains = new Map<number, Domain>();
  /** Back ends' long-lived mappings of guest frames (reservation.ts mapForeign). */
  readonly foreign: { frame: number; owner: number }[] = [];
  private nextDomid = 1;
  private freeCursor = 0;

  constructor(cfg: XenConfig) {
    const n = cfg.machineFrames;
    this.mem = new MachineMemory(n);
    this.mm = new Mm(this.mem);
    this.mm.onRelease = (mfn) => releaseFrame(this, mfn);
    const m2pFrames = Math.ceil((n * 4) / PAGE);
    this.xenFrames = 16 + m2pFrames;
    if (n < this.xenFrames + (cfg.dom0Frames ?? 256) + 16) throw new HypervisorError(`machine of ${n} frames is too small`);
    this.m2pBase = 16;
    for (let f = 0; f < this.xenFrames; f++) {
      this.mem.owner[f] = OWNER_XEN;
      this.mem.refs[f] = 1;
    }
    for (let f = 0; f < n; f++) this.setM2p(f, M2P_INVALID);
    const d0 = cfg.dom0Frames ?? 256;
    for (let f = this.xenFrames; f < this.xenFrames + d0; f++) {
      this.assign(f, this.dom0.id);
      this.dom0.frames.push(f);
    }
    this.dom0.totPages = this.dom0.maxPages = d0;
  }

  /** Domain 0 or a guest, by id, for the event-channel code. */
  evtchnDomain(id: number): EvtchnDomain | undefined {
    return id === 0 ? this.dom0 : this.domains.get(id);
  }

  evtchnDomains(): EvtchnDomain[] {
    return [this.dom0, ...this.domains.values()];
  }

  /** evtchn_set_pending on <domid, port>: a guest's shared_info bits, or dom0's queue. */
  raiseEvent(domid: number, port: number): void {
    if (domid === 0) return this.dom0.raise(port);
    const d = this.domains.get(domid);
    if (d && d.sharedInfoMfn >= 0) setPending(this, d.sharedInfoMfn, port);
  }

  newDomid(): number {
    return this.nextDomid++;
  }

  /** Gives a free frame to a domain (allocation reference, zeroed). */
  assign(mfn: number, domid: number): void {
    const m = this.mem;
    if (m.owner[mfn] !== OWNER_FREE) throw new Error(`internal error: frame ${mfn} assigned twice`);
    m.owner[mfn] = domid;
    m.refs[mfn] = 1;
    m.flags[mfn] = F_ALLOCATED;
    m.zeroFrame(mfn);
  }

  /** A free frame (searched round-robin from the last one taken), or -1. */
  takeFreeFrame(): number {
    const n = this.mem.nframes;
    for (let k = 0; k < n; k++) {
      const f = (this.freeCursor + k) % n;
      if (this.mem.owner[f] === OWNER_FREE) {
        this.freeCursor = (f + 1) % n;
        return f;
      }
    }
    return -1;
  }

  /** Free frames in ascending order. */
  freeFrames(): number[] {
    const out: number[] = [];
    for (let f = 0; f < this.mem.nframes; f++) if (this.mem.owner[f] === OWNER_FREE) out.push(f);
    return out;
  }

  /**
   * `count` free frames in a non-identity order: frame k of the result is
   * free[(k * stride + offset) mod n] for a stride coprime to n, so neighbouring
   * pseudo-physical pages land far apart and no pfn equals its mfn by construction.
   */
  scrambledFrames(count: number): number[] {
    const free = this.freeFrames();
    const n = free.length;
    if (count > n) throw new HypervisorError(`out of machine memory: ${count} frames asked, ${n} free`);
    let stride = Math.max(3, Math.floor(n * 0.618)) | 1;
    while (gcd(stride, n) !== 1) stride += 2;
    const out: number[] = [];
    const offset = Math.floor(n / 3);
    for (let k = 0; k < count; k++) out.push(free[(k * stride + offset) % n]!);
    // No page where pseudo-physical and machine numbers happen to agree.
    for (let k = 0; k < count; k++) if (out[k] === k && count > 1) [out[k], out[(k + 1) % count]] = [out[(k + 1) % count]!, out[k]!];
    return out;
  }

  m2p(mfn: number): number {
    return this.mem.word((this.m2pBase * PAGE + mfn * 4) >>> 0);
  }
  setM2p(mfn: number, pfn: number): void {
    this.mem.setWord((this.m2pBase * PAGE + mfn * 4) >>> 0, pfn);
  }
  /** Bytes of the m2p table the guest may read at HYPERVISOR_VIRT_START. */
  get m2pBytes(): number {
    return this.mem.nframes * 4;
  }
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}
