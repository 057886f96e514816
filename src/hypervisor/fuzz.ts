/*
 * The hypercall fuzzer: a guest kernel whose loop asks for fresh random registers
 * (through `intr rdpmc`, which the fuzzing platform answers instead of faulting) and
 * issues `hypercall` with them. The generator is seeded and biased towards requests
 * that reach deep into the validator: mmu_update batches whose pointers are the
 * domain's own (and others') machine frames with random entry indices and flag
 * bits, every MMUEXT command, update_va_mapping over the booted region, GDTs,
 * trap tables, multicalls of the same, and plain random numbers and arguments.
 * Domain 0 plays a back end beside it: it maps the guest's grants (mapGrant, as
 * blkback does for each request's pages), unmaps them, and now and then ends the
 * domain's grants (releaseGrants), while the guest's own calls free, retype and
 * give away the same frames.
 * Calls that would end the run (sched_op block/shutdown) are turned into yields.
 * After every hypercall the invariants (invariants.ts) are checked; the first
 * violation stops the run with the call that caused it.
 */
import { link } from '../ir/index.js';
import { parseModule, verifyModule, type IntrinsicName } from '../ir/index.js';
import { EAX, EBX, ECX, EDI, EDX, ESI, type Machine } from '../emulate/index.js';
import { createXenGuest } from './boot.js';
import { InvariantChecker } from './invariants.js';
import { formatHypercall } from './termination-report.js';
import { XenPlatform } from './platform.js';
import { PGT_L2 } from './frames.js';
import { GNTMAP_host_map, GNTMAP_readonly, grantTableFrames, mapGrant, releaseGrants, unmapGrant } from './grant.js';
import { allocUnbound } from './event-channels.js';
import { allocFrame, mapForeign, transferFrame, unmapForeign } from './reservation.js';
import { EvtchnOp } from '../xen-abi/index.js';
import type { HypercallRecord } from './domain.js';
import type { Xen } from './xen.js';

const FUZZ_GUEST = `
file 1 "fuzz/guest.c"
data $buf export align 4096 { z 8192 }
func export $btext() {
@entry
	jmp @loop !1:1
@loop
	intr rdpmc !1:2
	hypercall !1:3
	jmp @loop !1:4
}`;

/** xorshift32: small, fast, seedable. */
export class Rng {
  private s: number;
  constructor(seed: number) {
    this.s = seed >>> 0 || 0x9e3779b9;
  }
  u32(): number {
    let x = this.s;
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    this.s = x >>> 0;
    return this.s;
  }
  below(n: number): number {
    return this.u32() % n;
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.below(xs.length)]!;
  }
  chance(p: number): boolean {
    return this.u32() / 0x100000000 < p;
  }
}

export interface FuzzResult {
  calls: number;
  seconds: number;
  violations: string[];
  /** The call after which the first violation was found. */
  culprit?: string;
  /** Results by outcome: ok (>= 0) or -errno. */
  results: Record<string, number>;
  byName: Record<string, number>;
  /** A host exception, if one escaped (a bug). */
  hostError?: string;
  mmuRefusals: number;
  /** Grant maps domain 0 made as a back end, and how many succeeded. */
  backendGrantMaps: { tried: number; mapped: number };
}

class FuzzPlatform extends XenPlatform {
  gen!: (m: Machine) => void;
  override intrinsic(m: Machine, name: IntrinsicName, a: number, b: number, c: number, eip: number): number {
    if (name === 'rdpmc') {
      this.gen(m);
      return 0;
    }
    return super.intrinsic(m, name, a, b, c, eip);
  }
}

export function runHypercallFuzz(opts: { calls: number; seed?: number; checkEvery?: number; instrument?: (xen: Xen) => void; fullEvery?: number }): FuzzResult {
  const img = link([verifyModule(parseModule(FUZZ_GUEST, 'fuzz.xir'))], { kind: 'kernel' });
  const rng = new Rng(opts.seed ?? 1);
  const g = createXenGuest(img, { memoryMB: 8, tickNs: 0 });
  const { xen, dom, machine: m, built } = g;
  opts.instrument?.(xen);
  // Swap in the fuzzing platform (same state).
  const p = new FuzzPlatform(xen, dom, g.mem, { tickNs: 0 });
  p.attach(m);
  m.platform = p;
  const bufVa = img.symbols.find((s) => s.name === 'buf')!.addr >>> 0;
  const L = built.layout;
  const mem = xen.mem;
  // Frames outside the boot mapping first: only those can become tables at once.
  const mappedPages = (built.layout.vEnd - built.layout.vStart) >>> 12;
  const domFrames = [...dom.p2m.slice(mappedPages), ...dom.p2m.slice(mappedPages), ...dom.p2m.slice(0, mappedPages)];
  const ptFrames = Array.from({ length: dom.nrPtFrames }, (_, k) => dom.p2m[((L.vPt - L.vStart) >>> 12) + k]!);
  const otherFrames = [0, 1, 16, xen.xenFrames, xen.xenFrames + 5, mem.nframes - 1, mem.nframes, 0xfffff];
  const flagBits = [0x1, 0x2, 0x4, 0x20, 0x40, 0x80, 0x100, 0x200];

  // A small pool of frames the run keeps coming back to, so that tables built by one
  // call are linked, pinned, mapped and unhooked by the next ones.
  const pool: number[] = [...ptFrames, ...Array.from({ length: 6 }, () => rng.pick(domFrames))];
  const frame = (): number => {
    if (rng.chance(0.05)) return rng.pick(otherFrames);
    if (rng.chance(0.6)) return rng.chance(0.5) && dom.baseMfn >= 0 ? dom.baseMfn : rng.pick(pool);
    const f = rng.chance(0.2) ? rng.pick(ptFrames) : rng.pick(domFrames);
    if (rng.chance(0.2)) pool[rng.below(pool.length)] = f;
    return f;
  };
  const flags = (): number => {
    let f = rng.chance(0.85) ? 1 : 0;
    for (const b of flagBits.slice(1)) if (rng.chance(b >= 0x80 ? 0.05 : 0.4)) f |= b;
    return f;
  };
  const entry = (): number => (rng.chance(0.1) ? rng.u32() : rng.chance(0.15) ? 0 : ((frame() << 12) | flags()) >>> 0);
  const slot = (): number => (rng.chance(0.7) ? ((L.vStart >>> 22) + rng.below(2)) & 1023 : rng.below(1024));
  const ptr = (): number => {
    const kind = rng.pick([0, 0, 0, 0, 2, 3, 3, 1]);
    const e = kind === 3 && rng.chance(0.5) ? 0 : rng.chance(0.5) ? slot() : rng.below(1024);
    return ((frame() << 12) | (e << 2) | kind) >>> 0;
  };
  // Writes n random mmu_update requests at buf (host side, into the frames behind buf).
  // The boot p2m (frames given back leave dom.p2m; the buffer's stay mapped, so its own).
  const p2m0 = [...dom.p2m];
  const backend = { tried: 0, mapped: 0 };
  const dom0Handles: number[] = [];
  const bufMa = (off: number): number => {
    const va = bufVa + off;
    return p2m0[(va - L.vStart) >>> 12]! * 4096 + (va & 0xfff);
  };
  // The fuzz guest keeps its own working set alive (its buffer's L2 slot, the L1
  // entries of the buffer pages, the pinned boot L2) so that the run goes on
  // exercising the validator instead of faulting on every later call; everything
  // else, including switching to another base pointer, is fair game.
  const bufSlot = bufVa >>> 22;
  const bufVpns = new Set([bufVa >>> 12, (bufVa >>> 12) + 1, (bufVa >>> 12) + 2]);
  const origL2 = dom.baseMfn;
  const bootL1 = mem.entry(origL2, bufSlot) >>> 12;
  const origEntry = mem.entry(origL2, bufSlot);
  const protect = (pt: number, val: number): [number, number] => {
    const kind = pt & 3;
    const mfn = pt >>> 12;
    const idx = (pt & 0xfff) >>> 2;
    if (kind === 0 && mfn === bootL1 && bufVpns.has((bufSlot << 10) | idx)) return [(pt + 64) >>> 0, val];
    if (kind === 0 && idx === bufSlot && mem.isFrame(mfn) && mem.type[mfn] === PGT_L2) return mfn === origL2 ? [(pt + 4) >>> 0, val] : [pt, origEntry];
    if (kind === 3 && (val & 255) === 4 && mfn === origL2) return [(pt ^ 0x1000) >>> 0, val];
    if (kind === 3 && (val & 255) === 5 && mfn !== origL2 && !(mem.isFrame(mfn) && mem.entry(mfn, bufSlot) === origEntry)) return [((origL2 << 12) | 3) >>> 0, val];
    return [pt, val];
  };
  const fillRequests = (n: number): void => {
    for (let k = 0; k < n; k++) {
      let pt = ptr();
      let val = entry();
      if ((pt & 3) === 3) {
        val = rng.chance(0.9) ? (rng.below(14) | (rng.chance(0.2) ? rng.below(9000) << 8 : 0)) >>> 0 : rng.u32();
        if ((val & 255) === 7) pt = ((L.vStart + rng.below(1024) * 4096) | 3) >>> 0;
      }
      [pt, val] = protect(pt, val);
      mem.setWord(bufMa(8 * k), pt);
      mem.setWord(bufMa(8 * k + 4), val);
    }
  };
  const safeSched = (op: number): number => ((op & 255) === 1 || (op & 255) === 2 ? 0 : op);
  const argsFor = (nr: number): number[] => {
    switch (nr) {
      case 1: {
        const n = rng.chance(0.9) ? 1 + rng.below(8) : rng.u32() | 0;
        if (n > 0 && n < 512) fillRequests(Math.min(n, 512));
        return [rng.chance(0.95) ? bufVa : rng.u32(), n, rng.chance(0.7) ? bufVa + 4096 : rng.chance(0.5) ? 0 : rng.u32(), 0, 0];
      }
      case 14: {
        let pn = rng.chance(0.9) ? (L.vStart >>> 12) + rng.below(((L.vEnd - L.vStart) >>> 12) + 1024) : rng.u32();
        if (bufVpns.has(pn)) pn += 8;
        return [pn, entry(), rng.below(4)];
      }
      case 2: {
        mem.setWord(bufMa(0), frame());
        return [bufVa, rng.chance(0.8) ? rng.below(300) : rng.u32(), 0];
      }
      case 0: {
        for (let k = 0; k < 4; k++) {
          mem.setWord(bufMa(8 * k), (rng.below(32) | (rng.below(8) << 8) | (rng.pick([0x819, 0x8, 0x9, rng.u32() & 0xffff]) << 16)) >>> 0);
          mem.setWord(bufMa(8 * k + 4), k === 3 ? 0 : rng.u32());
        }
        return [rng.chance(0.9) ? bufVa : rng.u32()];
      }
      case 13: {
        const n = 1 + rng.below(4);
        for (let k = 0; k < n; k++) {
          let op = rng.pick([1, 14, 14, 17, 21, 13, rng.below(30)]);
          if (op === 6 || op === 15) op = 17;
          mem.setWord(bufMa(4096 + 32 * k), op);
          const a = op === 14 ? argsFor(14) : op === 1 ? [bufVa, 1, 0] : [rng.u32(), rng.u32()];
          for (let i = 0; i < 7; i++) mem.setWord(bufMa(4096 + 32 * k + 4 + 4 * i), a[i] ?? rng.u32());
          if (op === 1) fillRequests(1);
        }
        return [bufVa + 4096, rng.chance(0.9) ? n : rng.u32()];
      }
      case 6:
        return [safeSched(rng.chance(0.5) ? 0 : rng.u32())];
      case 16: {
        // evtchn_op_t: cmd, reserved, the union at 8 (domains mostly DOMID_SELF,
        // dom0 or the guest; ports small, so binds, sends and closes meet).
        const cmd = rng.below(8);
        const domid = (): number => rng.pick([0x7ff0, 0x7ff0, 0, 0, dom.id, rng.below(4), rng.u32() & 0xffff]);
        const port = (): number => (rng.chance(0.25) ? 0 : rng.chance(0.95) ? rng.below(12) : rng.u32());
        mem.setWord(bufMa(0), cmd);
        mem.setWord(bufMa(4), 0);
        mem.setWord(bufMa(8), cmd === EvtchnOp.bind_interdomain ? (rng.chance(0.9) ? 0x7ff0 : domid()) | (domid() << 16) : cmd === EvtchnOp.bind_virq ? rng.below(9) : cmd === EvtchnOp.send ? port() : domid());
        mem.setWord(bufMa(12), port());
        mem.setWord(bufMa(16), port());
        // Domain 0 now and then offers the guest a port to bind to (alloc_unbound).
        if (rng.chance(0.05)) allocUnbound(xen, xen.dom0, dom.id);
        return [rng.chance(0.9) ? bufVa : rng.u32()];
      }
      case 18:
        return [rng.below(3), rng.below(64), rng.chance(0.8) ? bufVa : rng.u32()];
      case 12: {
        // dom_mem_op over the domain's own frames (and others'); now and then domain 0
        // flips a page to the guest or takes one, or maps one of the guest's frames
        // as a back end does its rings.
        const n = rng.chance(0.9) ? 1 + rng.below(4) : rng.u32();
        for (let k = 0; k < 4; k++) mem.setWord(bufMa(1024 + 4 * k), rng.chance(0.1) ? rng.u32() : frame());
        if (rng.chance(0.1)) transferFrame(xen, rng.pick(xen.dom0.frames), xen.dom0, dom);
        if (rng.chance(0.05)) transferFrame(xen, frame(), dom, xen.dom0);
        if (rng.chance(0.05)) mapForeign(xen, dom.id, frame());
        if (rng.chance(0.05) && xen.foreign.length) unmapForeign(xen, rng.pick(xen.foreign).frame);
        if (rng.chance(0.05)) allocFrame(xen, xen.dom0);
        const op = rng.chance(0.9) ? rng.below(2) : rng.u32();
        return [op, rng.chance(0.95) ? bufVa + 1024 : rng.u32(), n, rng.chance(0.9) ? 0 : rng.below(12), rng.chance(0.95) ? 0x7ff0 : rng.u32()];
      }
      case 20: {
        // grant_table_op: set up the table, write grant entries (as the guest would),
        // map and unmap them; refs, flags and frames mostly small or the guest's own.
        const cmd = rng.pick([0, 0, 0, 1, 1, 2, rng.below(5)]);
        const table = grantTableFrames(xen, dom.id);
        if (table.length && rng.chance(0.5)) {
          const ref = rng.below(8);
          const to = rng.chance(0.6) ? dom.id : rng.chance(0.75) ? 0 : rng.below(4);
          mem.setWord(table[0]! * 4096 + ref * 8, (rng.pick([1, 1, 5, 0, 2, rng.below(32)]) | (to << 16)) >>> 0);
          mem.setWord(table[0]! * 4096 + ref * 8 + 4, frame());
        }
        const n = rng.chance(0.9) ? 1 + rng.below(2) : rng.u32() | 0;
        for (let k = 0; k < 2; k++) {
          if (cmd === 2) {
            mem.setWord(bufMa(12 * k), (rng.chance(0.9) ? 0x7ff0 : rng.below(4)) | ((rng.chance(0.9) ? 1 : rng.below(4)) << 16));
            mem.setWord(bufMa(12 * k + 8), rng.chance(0.9) ? bufVa + 512 : rng.u32());
          } else if (cmd === 1) {
            mem.setWord(bufMa(12 * k + 8), rng.chance(0.9) ? rng.below(4) : rng.u32() & 0xffff);
          } else {
            mem.setWord(bufMa(16 * k + 4), (rng.chance(0.9) ? 0x7ff0 : rng.below(4)) | ((rng.chance(0.9) ? rng.below(8) : rng.u32() & 0xffff) << 16));
            mem.setWord(bufMa(16 * k + 8), rng.chance(0.9) ? rng.pick([1, 2, 5, 6]) : rng.below(16));
          }
        }
        return [cmd, rng.chance(0.95) ? bufVa : rng.u32(), n];
      }
      default:
        return [rng.u32(), rng.u32(), rng.u32(), rng.u32(), rng.u32()];
    }
  };
  // Domain 0 as a back end: maps one of the guest's grants, unmaps one it holds,
  // and now and then ends the domain's grants.
  const backendStep = (): void => {
    const table = grantTableFrames(xen, dom.id);
    backend.tried++;
    const ref = rng.below(8);
    // Mostly as a front end does before a request: a fresh grant of one of its frames to domain 0.
    if (table.length && rng.chance(0.6)) {
      mem.setWord(table[0]! * 4096 + ref * 8, (rng.pick([1, 1, 5]) | ((rng.chance(0.9) ? 0 : dom.id) << 16)) >>> 0);
      mem.setWord(table[0]! * 4096 + ref * 8 + 4, frame());
    }
    const r = mapGrant(xen, 0, rng.chance(0.95) ? dom.id : rng.below(4), ref, rng.pick([GNTMAP_host_map, GNTMAP_host_map | GNTMAP_readonly, GNTMAP_host_map | GNTMAP_readonly, 0, 1]));
    if (r.status === 0) {
      backend.mapped++;
      dom0Handles.push(r.handle);
    }
    if (dom0Handles.length && rng.chance(0.4)) unmapGrant(xen, 0, dom0Handles.splice(rng.below(dom0Handles.length), 1)[0]!);
    if (rng.chance(0.02)) {
      releaseGrants(xen, dom.id);
      dom0Handles.length = 0;
    }
  };
  p.gen = (mm: Machine) => {
    if (rng.chance(0.05)) backendStep();
    const R = mm.regs;
    let nr = rng.chance(0.8) ? rng.pick([1, 1, 1, 1, 1, 14, 14, 14, 2, 0, 13, 13, 16, 16, 12, 12, 18, 6, 3, 4, 5, 15, 17, 21, 8, 9, 10, 12, 19, 20, 22, 7, 11]) : rng.chance(0.5) ? rng.below(40) : rng.u32();
    const a = argsFor(nr);
    if (nr === 6) a[0] = safeSched(a[0]!);
    if (nr === 15) nr = 17; // set_timer_op with tickNs 0 would only schedule upcalls that stay masked; keep it cheap
    R[EAX] = nr | 0;
    [R[EBX], R[ECX], R[EDX], R[ESI], R[EDI]] = [a[0] ?? 0, a[1] ?? 0, a[2] ?? 0, a[3] ?? 0, a[4] ?? 0].map((v) => v | 0) as [number, number, number, number, number];
  };

  const results: Record<string, number> = {};
  const byName: Record<string, number> = {};
  let calls = 0;
  let violations: string[] = [];
  let culprit: string | undefined;
  const every = opts.checkEvery ?? 1;
  const checker = new InvariantChecker(xen, opts.fullEvery ?? 1000);
  const t0 = performance.now();
  let hostError: string | undefined;
  // Hook: count and check after every hypercall.
  const origRecord = dom.record.bind(dom);
  dom.record = (r: Omit<HypercallRecord, 'seq'>) => {
    const rec = origRecord(r);
    calls++;
    const k = rec.result >= 0 ? 'ok' : String(rec.result);
    results[k] = (results[k] ?? 0) + 1;
    byName[rec.name] = (byName[rec.name] ?? 0) + 1;
    if (calls % every === 0 || calls === opts.calls) {
      const v = checker.check();
      if (v.length) {
        violations = v;
        culprit = formatHypercall(rec);
        m.halt({ outcome: 'halt', message: 'invariant violated' });
      }
    }
    if (calls >= opts.calls) m.halt({ outcome: 'halt', message: 'done' });
    return rec;
  };
  try {
    const stop = m.execute(() => void m.call(img.entry, [], 0), Infinity);
    if (stop?.outcome === 'halt' && stop.message !== 'done' && stop.message !== 'invariant violated' && !violations.length) {
      violations = [`the fuzz guest stopped early: ${stop.message}${p.crash ? ` (${p.crash.reason})` : ''}`];
    }
  } catch (e) {
    hostError = e instanceof Error ? `${e.message}\n${e.stack}` : String(e);
  }
  return { calls, seconds: (performance.now() - t0) / 1000, violations, culprit, results, byName, hostError, mmuRefusals: xen.mm.logged, backendGrantMaps: backend };
}
