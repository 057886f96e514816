/*
 * The safety invariants of the page-table validator, recomputed from scratch (the
 * fuzz test runs this after every hypercall):
 *  1. no present writable mapping (in any in-use L1) of a frame that is not a
 *     writable-typed page, hence none of a page-table or GDT frame; no writable
 *     linear (L2 -> L2) entry;
 *  2. nothing mapped in the hypervisor hole: slots >= 1008 of every in-use L2 are 0;
 *  3. reference and type counts equal what the tables, pins, base pointers, GDTs,
 *     shared_info and live grant mappings (grant.ts) imply; in-use L1/L2 frames are
 *     validated, unused ones are not; a grant-mapped frame is still its granter's;
 *  4. every frame an in-use table names, and every p2m entry, is owned by the
 *     table's domain; no frame appears in two domains' memory;
 *  5. reservations: tot_pages equals the frames a domain owns, within max_pages;
 *     back ends' foreign mappings hold a reference and a writable use each
 *     (reservation.ts);
 *  6. event channels: every interdomain port's remote end names it back, unbound
 *     ports await an existing domain, VIRQ tables agree (event-channels.ts).
 * Returns the violations found (empty when all hold); never throws on bad state.
 */
import { F_ALLOCATED, F_PINNED, F_VALIDATED, OWNER_XEN, PGT_L1, PGT_L2, PGT_SEG, PGT_WRITABLE, PTE_P, PTE_RW, TYPE_NAMES } from './frames.js';
import { FIRST_XEN_L2_SLOT } from './mm.js';
import { grantHolds } from './grant.js';
import { checkEventChannels } from './event-channels.js';
import { checkReservations } from './reservation.js';
import type { Xen } from './xen.js';
import { P2M_GONE } from './domain.js';

export function checkInvariants(xen: Xen, limit = 20): string[] {
  const m = xen.mem;
  const n = m.nframes;
  const errs: string[] = [];
  const err = (s: string): void => {
    if (errs.length < limit) errs.push(s);
  };
  const refs = new Int32Array(n);
  const tcount = new Int32Array(n);
  const hex = (x: number): string => '0x' + (x >>> 0).toString(16);

  const i32 = m.i32, owner = m.owner, type = m.type, typeCount = m.typeCount, flags = m.flags;
  for (let f = 0; f < n; f++) {
    const o = owner[f]!;
    if (o === OWNER_XEN || o < 0) continue;
    const fl = flags[f]!;
    if (fl & F_ALLOCATED) refs[f]!++;
    if (fl & F_PINNED) {
      refs[f]!++;
      tcount[f]!++;
    }
    const t = type[f]!;
    const used = typeCount[f]! > 0;
    if ((t === PGT_L1 || t === PGT_L2) && used !== !!(fl & F_VALIDATED))
      err(`frame ${hex(f)} (${TYPE_NAMES[t]}, ${typeCount[f]} uses) has validated=${!!(fl & F_VALIDATED)}`);
    if (!used) continue;
    const base = f * 1024;
    if (t === PGT_L1) {
      for (let i = 0; i < 1024; i++) {
        const e = i32[base + i]!;
        if (!(e & PTE_P)) continue;
        const g = e >>> 12;
        if (g >= n || owner[g] !== o) {
          err(`L1 ${hex(f)}[${i}] = ${hex(e)} maps frame ${hex(g)} not owned by domain ${o}`);
          continue;
        }
        refs[g]!++;
        if (e & PTE_RW) {
          tcount[g]!++;
          if (type[g] !== PGT_WRITABLE) err(`L1 ${hex(f)}[${i}] = ${hex(e)} maps ${TYPE_NAMES[type[g]!]} frame ${hex(g)} writable`);
        }
      }
    } else if (t === PGT_L2) {
      for (let i = FIRST_XEN_L2_SLOT; i < 1024; i++) {
        const e = i32[base + i]!;
        if (e !== 0) err(`L2 ${hex(f)}[${i}] = ${hex(e)}: a guest entry in the hypervisor hole`);
      }
      for (let i = 0; i < FIRST_XEN_L2_SLOT; i++) {
        const e = i32[base + i]!;
        if (!(e & PTE_P)) continue;
        const g = e >>> 12;
        if (g === f) {
          if (e & PTE_RW) err(`L2 ${hex(f)}[${i}]: writable linear self-map`);
          continue;
        }
        if (g >= n || owner[g] !== o) {
          err(`L2 ${hex(f)}[${i}] = ${hex(e)} names frame ${hex(g)} not owned by domain ${o}`);
          continue;
        }
        refs[g]!++;
        tcount[g]!++;
        if (type[g] === PGT_L2 && e & PTE_RW) err(`L2 ${hex(f)}[${i}]: writable linear map of L2 ${hex(g)}`);
        if (type[g] !== PGT_L1 && type[g] !== PGT_L2) err(`L2 ${hex(f)}[${i}] names ${TYPE_NAMES[type[g]!]} frame ${hex(g)}`);
      }
    }
  }
  const seen = new Int32Array(n).fill(-1);
  for (const d of xen.domains.values()) {
    if (d.baseMfn >= 0) {
      refs[d.baseMfn]!++;
      tcount[d.baseMfn]!++;
      if (m.type[d.baseMfn] !== PGT_L2) err(`domain ${d.id}: base pointer ${hex(d.baseMfn)} is a ${TYPE_NAMES[m.type[d.baseMfn]!]} frame`);
    }
    for (const g of d.gdtFrames) {
      refs[g]!++;
      tcount[g]!++;
      if (m.type[g] !== PGT_SEG) err(`domain ${d.id}: GDT frame ${hex(g)} is ${TYPE_NAMES[m.type[g]!]}`);
    }
    if (d.sharedInfoMfn >= 0) tcount[d.sharedInfoMfn]!++;
    const p2m = d.p2m;
    for (let pfn = 0; pfn < p2m.length; pfn++) {
      const mfn = p2m[pfn]!;
      if (mfn === P2M_GONE) continue;
      if (owner[mfn] !== d.id) err(`domain ${d.id}: pfn ${pfn} -> mfn ${hex(mfn)} owned by ${owner[mfn]}`);
      const other = seen[mfn]!;
      if (other >= 0 && other !== d.id) err(`frame ${hex(mfn)} is in the memory of domains ${other} and ${d.id}`);
      seen[mfn] = d.id;
    }
  }
  for (const g of grantHolds(xen)) {
    if (owner[g.frame] !== g.granter) err(`grant mapping of ref ${g.ref} names frame ${hex(g.frame)} owned by ${owner[g.frame]}, not granter ${g.granter}`);
    refs[g.frame]!++;
    if (g.writable) {
      tcount[g.frame]!++;
      if (type[g.frame] !== PGT_WRITABLE) err(`writable grant mapping of frame ${hex(g.frame)}, a ${TYPE_NAMES[type[g.frame]!]} frame`);
    }
  }
  for (const f of xen.foreign) {
    refs[f.frame]!++;
    tcount[f.frame]!++;
    if (type[f.frame] !== PGT_WRITABLE) err(`foreign mapping of frame ${hex(f.frame)}, a ${TYPE_NAMES[type[f.frame]!]} frame`);
  }
  for (const e of checkEventChannels(xen)) err(e);
  for (const e of checkReservations(xen)) err(e);
  const mrefs = m.refs;
  for (let f = 0; f < n; f++) {
    const o = owner[f]!;
    if (o === OWNER_XEN || o < 0) continue;
    if (refs[f] !== mrefs[f] || tcount[f] !== typeCount[f]) {
      if (refs[f] !== mrefs[f]) err(`frame ${hex(f)}: reference count ${mrefs[f]}, tables imply ${refs[f]}`);
      if (tcount[f] !== typeCount[f]) err(`frame ${hex(f)} (${TYPE_NAMES[type[f]!]}): type count ${typeCount[f]}, tables imply ${tcount[f]}`);
    }
  }
  return errs;
}

interface TableCache {
  type: number;
  version: number;
  /** Contributions: L1 entries as g * 2 + rw, L2 entries as g (self-maps left out). */
  refs: Int32Array;
  errors: string[];
}

/**
 * The same invariants as checkInvariants, checked incrementally so that a check
 * after every hypercall stays cheap: per-table contributions (references, writable
 * mappings, L2 references) are cached and recomputed only for tables whose frame
 * version (MachineMemory.version), type or use changed; the per-frame comparisons
 * run in full every time. Every `fullEvery` checks it also runs checkInvariants,
 * which trusts no cache.
 */
export class InvariantChecker {
  private readonly cache = new Map<number, TableCache>();
  private readonly aRefs: Int32Array;
  private readonly aType: Int32Array;
  private readonly aRw: Int32Array;
  private readonly aL2: Int32Array;
  private checks = 0;

  constructor(
    private readonly xen: Xen,
    private readonly fullEvery = 1024,
  ) {
    const n = xen.mem.nframes;
    this.aRefs = new Int32Array(n);
    this.aType = new Int32Array(n);
    this.aRw = new Int32Array(n);
    this.aL2 = new Int32Array(n);
  }

  private apply(c: TableCache, sign: number): void {
    const r = c.refs;
    if (c.type === PGT_L1) {
      for (let k = 0; k < r.length; k++) {
        const g = r[k]! >>> 1;
        this.aRefs[g]! += sign;
        if (r[k]! & 1) {
          this.aType[g]! += sign;
          this.aRw[g]! += sign;
        }
      }
    } else {
      for (let k = 0; k < r.length; k++) {
        const g = r[k]!;
        this.aRefs[g]! += sign;
        this.aType[g]! += sign;
        this.aL2[g]! += sign;
      }
    }
  }

  private scan(f: number, t: number): TableCache {
    const m = this.xen.mem;
    const n = m.nframes;
    const o = m.owner[f]!;
    const i32 = m.i32;
    const base = f * 1024;
    const out: number[] = [];
    const errors: string[] = [];
    const hex = (x: number): string => '0x' + (x >>> 0).toString(16);
    if (t === PGT_L1) {
      for (let i = 0; i < 1024; i++) {
        const e = i32[base + i]!;
        if (!(e & PTE_P)) continue;
        const g = e >>> 12;
        if (g >= n || m.owner[g] !== o) {
          errors.push(`L1 ${hex(f)}[${i}] = ${hex(e)} maps frame ${hex(g)} not owned by domain ${o}`);
          continue;
        }
        out.push(g * 2 + (e & PTE_RW ? 1 : 0));
      }
    } else {
      for (let i = FIRST_XEN_L2_SLOT; i < 1024; i++) if (i32[base + i] !== 0) errors.push(`L2 ${hex(f)}[${i}] = ${hex(i32[base + i]!)}: a guest entry in the hypervisor hole`);
      for (let i = 0; i < FIRST_XEN_L2_SLOT; i++) {
        const e = i32[base + i]!;
        if (!(e & PTE_P)) continue;
        const g = e >>> 12;
        if (g === f) {
          if (e & PTE_RW) errors.push(`L2 ${hex(f)}[${i}]: writable linear self-map`);
          continue;
        }
        if (g >= n || m.owner[g] !== o) {
          errors.push(`L2 ${hex(f)}[${i}] = ${hex(e)} names frame ${hex(g)} not owned by domain ${o}`);
          continue;
        }
        if (e & PTE_RW && m.type[g] === PGT_L2) errors.push(`L2 ${hex(f)}[${i}]: writable linear map of L2 ${hex(g)}`);
        out.push(g);
      }
    }
    return { type: t, version: m.version[f]!, refs: Int32Array.from(out), errors };
  }

  /** Violations after the latest change (empty when all hold). */
  check(limit = 20): string[] {
    if (++this.checks % this.fullEvery === 0) {
      const full = checkInvariants(this.xen, limit);
      if (full.length) return full;
    }
    const m = this.xen.mem;
    const n = m.nframes;
    const errs: string[] = [];
    const err = (s: string): void => {
      if (errs.length < limit) errs.push(s);
    };
    const hex = (x: number): string => '0x' + (x >>> 0).toString(16);
    const { owner, type, typeCount, flags, version } = m;
    for (let f = 0; f < n; f++) {
      const o = owner[f]!;
      const t = type[f]!;
      const table = o !== OWNER_XEN && o >= 0 && (t === PGT_L1 || t === PGT_L2) && typeCount[f]! > 0;
      const c = this.cache.get(f);
      if (c && (!table || c.type !== t || c.version !== version[f])) {
        this.apply(c, -1);
        this.cache.delete(f);
      }
      if (table && (!c || c.type !== t || c.version !== version[f])) {
        const nc = this.scan(f, t);
        this.apply(nc, 1);
        this.cache.set(f, nc);
      }
    }
    for (const c of this.cache.values()) for (const e of c.errors) err(e);
    const extraRefs = new Map<number, number>();
    const extraType = new Map<number, number>();
    const bump = (mp: Map<number, number>, f: number): void => void mp.set(f, (mp.get(f) ?? 0) + 1);
    for (const d of this.xen.domains.values()) {
      if (d.baseMfn >= 0) {
        bump(extraRefs, d.baseMfn);
        bump(extraType, d.baseMfn);
        if (type[d.baseMfn] !== PGT_L2) err(`domain ${d.id}: base pointer ${hex(d.baseMfn)} is a ${TYPE_NAMES[type[d.baseMfn]!]} frame`);
      }
      for (const g of d.gdtFrames) {
        bump(extraRefs, g);
        bump(extraType, g);
        if (type[g] !== PGT_SEG) err(`domain ${d.id}: GDT frame ${hex(g)} is ${TYPE_NAMES[type[g]!]}`);
      }
      if (d.sharedInfoMfn >= 0) bump(extraType, d.sharedInfoMfn);
    }
    for (const g of grantHolds(this.xen)) {
      if (owner[g.frame] !== g.granter) err(`grant mapping of ref ${g.ref} names frame ${hex(g.frame)} owned by ${owner[g.frame]}, not granter ${g.granter}`);
      bump(extraRefs, g.frame);
      if (g.writable) bump(extraType, g.frame);
    }
    for (const f of this.xen.foreign) {
      bump(extraRefs, f.frame);
      bump(extraType, f.frame);
    }
    for (let f = 0; f < n; f++) {
      const o = owner[f]!;
      if (o === OWNER_XEN || o < 0) continue;
      const fl = flags[f]!;
      const t = type[f]!;
      const pinned = fl & F_PINNED ? 1 : 0;
      const wantRefs = (fl & F_ALLOCATED ? 1 : 0) + pinned + this.aRefs[f]! + (extraRefs.get(f) ?? 0);
      const wantType = pinned + this.aType[f]! + (extraType.get(f) ?? 0);
      if (wantRefs !== m.refs[f]) err(`frame ${hex(f)}: reference count ${m.refs[f]}, tables imply ${wantRefs}`);
      if (wantType !== typeCount[f]) err(`frame ${hex(f)} (${TYPE_NAMES[t]}): type count ${typeCount[f]}, tables imply ${wantType}`);
      if ((t === PGT_L1 || t === PGT_L2) && typeCount[f]! > 0 !== !!(fl & F_VALIDATED)) err(`frame ${hex(f)} (${TYPE_NAMES[t]}, ${typeCount[f]} uses) has validated=${!!(fl & F_VALIDATED)}`);
      if (this.aRw[f]! > 0 && t !== PGT_WRITABLE) err(`${TYPE_NAMES[t]} frame ${hex(f)} has ${this.aRw[f]} writable mappings`);
      if (this.aL2[f]! > 0 && t !== PGT_L1 && t !== PGT_L2) err(`${TYPE_NAMES[t]} frame ${hex(f)} is named by ${this.aL2[f]} L2 entries`);
    }
    for (const e of checkEventChannels(this.xen)) err(e);
    for (const e of checkReservations(this.xen)) err(e);
    return errs;
  }
}
