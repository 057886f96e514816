/*
 * Memory reservations and page ownership, after Xen 2.0's
 * xen/common/dom_mem_ops.c (dom_mem_op: MEMOP_increase_reservation,
 * MEMOP_decrease_reservation) and the MMUEXT_REASSIGN_PAGE path of
 * xen/arch/x86/memory.c, which netback uses to flip a page to a guest:
 *
 *  - decrease_reservation gives frames back: each must be the domain's own and
 *    not a page Xen shares with it; a pin is dropped, then the allocation
 *    reference; the frame is freed (junk-filled, owner none) when its last
 *    reference goes, so a frame still mapped stays the domain's until unmapped;
 *  - increase_reservation takes free frames (order 0 only: larger extents are for
 *    I/O-capable domains) while the domain is under its max_pages;
 *  - transferFrame moves a frame from one domain to another exactly when the only
 *    reference left is its allocation (not mapped, not pinned, no type use) and
 *    the receiver has headroom: a frame given away is no longer the giver's;
 *  - mapForeign / unmapForeign: a back end's long-lived mapping of a guest's frame
 *    (the ring pages), a general and a writable type reference taken in the
 *    guest's name, so the guest can neither free nor retype the frame meanwhile.
 *
 * Invariants (invariants.ts): a domain's totPages equals the frames it owns
 * outside Xen's shared pages and never exceeds maxPages; dom0.frames lists exactly
 * dom0's; every foreign hold names a frame of the domain it was taken from and is
 * counted in the frame's references.
 */
import { DOMID_SELF, MemOp } from '../xen-abi/index.js';
import { P2M_GONE, type Domain } from './domain.js';
import { F_ALLOCATED, F_PINNED, F_XENHEAP, OWNER_FREE, OWNER_XEN, PGT_NONE, PGT_WRITABLE } from './frames.js';
import { COST, EINVAL, EPERM, fail, hex, MAX_BATCH, type HypercallHost } from './hypercalls-common.js';
import { M2P_INVALID, type Xen } from './xen.js';

/** What the reservation code needs of a domain (a guest Domain or Dom0). */
export interface Reservation {
  readonly id: number;
  totPages: number;
  maxPages: number;
}

/** Bits of dom_mem_op's op below start_extent (Xen's START_EXTENT_SHIFT). */
const START_EXTENT_SHIFT = 4;
/** Largest extent order decrease_reservation takes (2^10 frames per extent). */
const MAX_ORDER = 10;

/**
 * dom_mem_op(op, extent_list, nr_extents, extent_order, domid): the number of
 * extents done (fewer than asked on the first failure), or a negative errno.
 */
export function domMemOp(h: HypercallHost, op: number, list: number, nr: number, order: number, domid: number): number {
  const start = op >>> START_EXTENT_SHIFT;
  const cmd = op & ((1 << START_EXTENT_SHIFT) - 1);
  nr >>>= 0;
  if (start > nr || nr > 0xffffffff >>> START_EXTENT_SHIFT) return fail(h, -EINVAL, `dom_mem_op: start extent ${start} of ${nr}`);
  if ((domid & 0xffff) !== DOMID_SELF) return fail(h, -EPERM, `dom_mem_op: domain ${domid & 0xffff} is not DOMID_SELF`);
  if (nr - start > MAX_BATCH) return fail(h, -EINVAL, `dom_mem_op: ${nr - start} extents (more than ${MAX_BATCH})`);
  const xen = h.xen;
  const d = h.dom;
  order >>>= 0;
  switch (cmd) {
    case MemOp.increase_reservation: {
      if (order !== 0) {
        xen.mm.fail('increase_reservation: only I/O-capable domains may allocate extents of order > 0');
        return start;
      }
      for (let i = start; i < nr; i++) {
        h.charge(COST.batchElement);
        const mfn = allocFrame(xen, d);
        if (mfn < 0) return i;
        if (!h.mem.write32((list + 4 * i) >>> 0, mfn)) return i;
      }
      return nr;
    }
    case MemOp.decrease_reservation: {
      if (order > MAX_ORDER) {
        xen.mm.fail(`decrease_reservation: extent order ${order}`);
        return start;
      }
      for (let i = start; i < nr; i++) {
        const mfn = h.mem.read32((list + 4 * i) >>> 0);
        if (mfn === undefined) return i;
        for (let j = 0; j < 1 << order; j++) {
          h.charge(COST.batchElement);
          if (!giveBack(xen, d, (mfn + j) >>> 0)) return i;
        }
      }
      return nr;
    }
    default:
      return fail(h, -38, `dom_mem_op: no command ${cmd}`);
  }
}

/** free_dom_mem for one frame: drop its pin and allocation reference (the frame goes when unused). */
export function giveBack(xen: Xen, d: Domain, mfn: number): boolean {
  const m = xen.mem;
  if (!m.isFrame(mfn)) return xen.mm.fail(`decrease_reservation: frame ${hex(mfn)} is not in machine memory`);
  if (m.flags[mfn]! & F_XENHEAP) return xen.mm.fail(`decrease_reservation: frame ${hex(mfn)} is shared by Xen with domain ${d.id}`);
  if (!xen.mm.getPage(mfn, d)) return xen.mm.fail(`decrease_reservation: bad page free for domain ${d.id}`);
  if (m.flags[mfn]! & F_PINNED) {
    m.flags[mfn]! &= ~F_PINNED;
    xen.mm.putPageAndType(mfn);
  }
  if (m.flags[mfn]! & F_ALLOCATED) {
    m.flags[mfn]! &= ~F_ALLOCATED;
    forgetFrame(xen, d.id, mfn);
    xen.mm.putPage(mfn);
  }
  xen.mm.putPage(mfn);
  return true;
}

/** One free frame for `d` (zeroed, allocation reference) if under max_pages; or -1. */
export function allocFrame(xen: Xen, d: Reservation): number {
  if (d.totPages >= d.maxPages) {
    xen.mm.fail(`increase_reservation: domain ${d.id} is at its limit of ${d.maxPages} pages`);
    return -1;
  }
  const mfn = xen.takeFreeFrame();
  if (mfn < 0) {
    xen.mm.fail('increase_reservation: out of machine memory');
    return -1;
  }
  xen.assign(mfn, d.id);
  d.totPages++;
  if (d.id === 0) xen.dom0.frames.push(mfn);
  return mfn;
}

/**
 * MMUEXT_REASSIGN_PAGE as domain 0 does it for page flipping: `mfn` leaves `from`
 * for `to`. Refused (false, logged) unless the frame is from's, its only reference
 * is the allocation, and `to` has reservation headroom.
 */
export function transferFrame(xen: Xen, mfn: number, from: Reservation, to: Reservation): boolean {
  const m = xen.mem;
  if (!m.isFrame(mfn) || m.owner[mfn] !== from.id) return xen.mm.fail(`reassign: frame ${hex(mfn)} is not domain ${from.id}'s`);
  if (m.flags[mfn]! & F_XENHEAP) return xen.mm.fail(`reassign: frame ${hex(mfn)} is shared by Xen`);
  if (m.refs[mfn] !== 1 || !(m.flags[mfn]! & F_ALLOCATED) || m.typeCount[mfn] !== 0)
    return xen.mm.fail(`reassign: frame ${hex(mfn)} is in use (${m.refs[mfn]} references, ${m.typeCount[mfn]} type uses)`);
  if (to.totPages >= to.maxPages) return xen.mm.fail(`reassign: domain ${to.id} has no reservation headroom (${to.totPages}/${to.maxPages})`);
  forgetFrame(xen, from.id, mfn);
  from.totPages--;
  m.owner[mfn] = to.id;
  m.type[mfn] = PGT_NONE;
  m.version[mfn]!++;
  to.totPages++;
  if (to.id === 0) xen.dom0.frames.push(mfn);
  return true;
}

/** The giver's records of a frame it no longer holds: dom0's list, or the builder's p2m. */
function forgetFrame(xen: Xen, domid: number, mfn: number): void {
  if (domid === 0) {
    const k = xen.dom0.frames.indexOf(mfn);
    if (k >= 0) xen.dom0.frames.splice(k, 1);
    return;
  }
  const d = xen.domains.get(domid);
  if (!d) return;
  const hint = xen.m2p(mfn);
  if (hint >= 0 && hint < d.p2m.length && d.p2m[hint] === mfn) {
    d.p2m[hint] = P2M_GONE;
    return;
  }
  const k = d.p2m.indexOf(mfn);
  if (k >= 0) d.p2m[k] = P2M_GONE;
}

/** Frees a frame that lost its last reference (Mm.onRelease). */
export function releaseFrame(xen: Xen, mfn: number): void {
  const m = xen.mem;
  const owner = m.owner[mfn]!;
  if (owner === OWNER_XEN || owner === OWNER_FREE) return;
  if (m.typeCount[mfn] !== 0) throw new Error(`internal error: frame ${hex(mfn)} freed with ${m.typeCount[mfn]} type uses`);
  const r: Reservation | undefined = owner === 0 ? xen.dom0 : xen.domains.get(owner);
  if (r && !(m.flags[mfn]! & F_XENHEAP)) r.totPages--;
  m.owner[mfn] = OWNER_FREE;
  m.type[mfn] = PGT_NONE;
  m.flags[mfn] = 0;
  m.junkFrame(mfn);
  xen.setM2p(mfn, M2P_INVALID);
}

/**
 * A back end's mapping of `domid`'s frame (2.0's update_va_mapping_otherdomain /
 * ioremap of a foreign frame): a reference and a writable type use in the
 * guest's name. False (logged) when the frame is not the guest's or cannot be
 * writable (a page table, a GDT page).
 */
export function mapForeign(xen: Xen, domid: number, mfn: number): boolean {
  if (!xen.mem.isFrame(mfn) || xen.mem.flags[mfn]! & F_XENHEAP) return xen.mm.fail(`foreign map: frame ${hex(mfn)} cannot be mapped`);
  if (!xen.mm.getPageAndType(mfn, PGT_WRITABLE, { id: domid, baseMfn: -1 })) return false;
  xen.foreign.push({ frame: mfn, owner: domid });
  return true;
}

export function unmapForeign(xen: Xen, mfn: number): void {
  const k = xen.foreign.findIndex((f) => f.frame === mfn);
  if (k < 0) throw new Error(`internal error: frame ${hex(mfn)} is not foreign-mapped`);
  xen.foreign.splice(k, 1);
  xen.mm.putPageAndType(mfn);
}

/** Violations of the reservation invariants (empty when they hold). */
export function checkReservations(xen: Xen): string[] {
  const errs: string[] = [];
  const m = xen.mem;
  const owned = new Map<number, number>();
  for (let f = 0; f < m.nframes; f++) {
    const o = m.owner[f]!;
    if (o === OWNER_FREE || o === OWNER_XEN || m.flags[f]! & F_XENHEAP) continue;
    owned.set(o, (owned.get(o) ?? 0) + 1);
  }
  const all: Reservation[] = [xen.dom0, ...xen.domains.values()];
  for (const d of all) {
    const n = owned.get(d.id) ?? 0;
    if (n !== d.totPages) errs.push(`domain ${d.id}: tot_pages ${d.totPages}, owns ${n} frames`);
    if (d.totPages > d.maxPages) errs.push(`domain ${d.id}: tot_pages ${d.totPages} over max_pages ${d.maxPages}`);
    owned.delete(d.id);
  }
  for (const [o, n] of owned) errs.push(`${n} frames owned by domain ${o}, which does not exist`);
  if (xen.dom0.frames.length !== xen.dom0.totPages) errs.push(`dom0 lists ${xen.dom0.frames.length} frames, owns ${xen.dom0.totPages}`);
  for (const f of xen.dom0.frames) if (m.owner[f] !== 0) errs.push(`dom0 lists frame ${hex(f)}, owned by ${m.owner[f]}`);
  for (const h of xen.foreign) if (m.owner[h.frame] !== h.owner) errs.push(`foreign mapping of frame ${hex(h.frame)} taken from domain ${h.owner}, now owned by ${m.owner[h.frame]}`);
  return errs;
}
