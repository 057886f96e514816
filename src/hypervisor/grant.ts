/*
 * grant_table_op (hypercall 20), after Xen 2.0's xen/include/public/grant_table.h
 * and xen/common/grant_table.c: a domain publishes grant entries
 *   grant_entry_t { u16 flags; domid_t domid; u32 frame; }   (8 bytes)
 * in its grant table; another domain (here: dom0's stand-in, or for a single guest
 * the domain itself) maps a granted frame with GNTTABOP_map_grant_ref and releases
 * it with GNTTABOP_unmap_grant_ref. GNTTABOP_setup_table gives the guest its table.
 *
 * Argument structures (x86_32, Xen 2.0 layout):
 *   gnttab_map_grant_ref_t   { u32 host_virt_addr; u16 dom; u16 ref; u16 flags; OUT s16 handle; OUT u32 dev_bus_addr } 16 bytes
 *   gnttab_unmap_grant_ref_t { u32 host_virt_addr; u32 dev_bus_addr; u16 handle; OUT s16 status }                   12 bytes
 *   gnttab_setup_table_t     { u16 dom; u16 nr_frames; u16 pad; OUT s16 status; u32 frame_list }                     12 bytes
 * (MEMORY_PADDING is empty on x86_32; offsets as in the header's comments.)
 * Errors are GNTST_* (negative) in the handle/status field; the hypercall returns
 * -EINVAL for count > 512, -EFAULT for unreadable structures, -ENOSYS for unknown
 * commands, and otherwise (a simplification for callers and tests) the first
 * failing op's GNTST_* code, or 0.
 *
 * Domain 0's back ends run no guest code: they map and unmap through mapGrant /
 * unmapGrant, the same checks as the hypercall with domain 0 as the mapper, and
 * reach the data only through the dev_bus_addr a map returns. releaseGrants drops
 * every mapping a domain holds or has granted (the domain's end).
 *
 * Simplifications: a map takes a reference (and, unless GNTMAP_readonly, a
 * writable type reference) on the granted frame and returns dev_bus_addr, but
 * installs no page-table entry at host_virt_addr (GNTMAP_host_map is accepted and
 * treated like GNTMAP_device_map). The table is NR_GRANT_FRAMES frames owned by the
 * domain with no extra type reference. Tables are never torn down.
 *
 * Invariants (checked by invariants.ts through grantHolds): each live handle holds
 * one reference on its frame (plus one writable type reference when writable); the
 * frame is owned by the granter; the entry's GTF_reading / GTF_writing bits are set
 * exactly while readers / writers are mapped.
 */
import { DOMID_SELF } from '../xen-abi/index.js';
import type { Domain } from './domain.js';
import { F_XENHEAP, PAGE, PGT_WRITABLE } from './frames.js';
import { COST } from './hypercalls-common.js';
import type { HypercallHost } from './hypercalls.js';
import type { Xen } from './xen.js';

export const GNTTABOP_map_grant_ref = 0;
export const GNTTABOP_unmap_grant_ref = 1;
export const GNTTABOP_setup_table = 2;

export const GTF_invalid = 0;
export const GTF_permit_access = 1;
export const GTF_accept_transfer = 2;
export const GTF_type_mask = 3;
export const GTF_readonly = 1 << 2;
export const GTF_reading = 1 << 3;
export const GTF_writing = 1 << 4;

export const GNTMAP_device_map = 1 << 0;
export const GNTMAP_host_map = 1 << 1;
export const GNTMAP_readonly = 1 << 2;
export const GNTMAP_application_map = 1 << 3;

export const GNTST_okay = 0;
export const GNTST_general_error = -1;
export const GNTST_bad_domain = -2;
export const GNTST_bad_gntref = -3;
export const GNTST_bad_handle = -4;
export const GNTST_bad_virt_addr = -5;
export const GNTST_bad_dev_addr = -6;
export const GNTST_no_device_space = -7;
export const GNTST_permission_denied = -8;

/** Xen 2.0: ORDER_GRANT_FRAMES 0, so one frame of 512 entries. */
export const NR_GRANT_FRAMES = 1;
export const GRANT_ENTRY_SIZE = 8;
export const ENTRIES_PER_FRAME = PAGE / GRANT_ENTRY_SIZE;
export const NR_GRANT_ENTRIES = NR_GRANT_FRAMES * ENTRIES_PER_FRAME;
/** Handles per mapping domain (Xen 2.0's maptrack: one page of entries). */
export const MAPTRACK_MAX = 256;
/** Largest batch (Xen 2.0 do_grant_table_op: count > 512 is -EINVAL). */
export const GNTTAB_MAX_BATCH = 512;

export const MAP_OP_SIZE = 16;
export const UNMAP_OP_SIZE = 12;
export const SETUP_OP_SIZE = 12;

const EFAULT = 14;
const EINVAL = 22;
const ENOSYS = 38;

export interface GrantHandle {
  granter: number;
  ref: number;
  frame: number;
  writable: boolean;
}

interface GrantState {
  /** Grant-table frames per domain id. */
  tables: Map<number, number[]>;
  /** Live handles per mapping domain id (index = handle). */
  maptrack: Map<number, (GrantHandle | null)[]>;
}

const STATE = new WeakMap<Xen, GrantState>();

function state(xen: Xen): GrantState {
  let s = STATE.get(xen);
  if (!s) STATE.set(xen, (s = { tables: new Map(), maptrack: new Map() }));
  return s;
}

/** The grant-table frames of a domain (empty before setup_table). */
export function grantTableFrames(xen: Xen, domid: number): number[] {
  return [...(STATE.get(xen)?.tables.get(domid) ?? [])];
}

/** Every live mapping, for the invariant checker. */
export function grantHolds(xen: Xen): GrantHandle[] {
  const s = STATE.get(xen);
  if (!s) return [];
  const out: GrantHandle[] = [];
  for (const t of s.maptrack.values()) for (const g of t) if (g) out.push(g);
  return out;
}

/** Machine address of entry `ref` of a table, or undefined when out of range. */
function entryMa(frames: number[], ref: number): number | undefined {
  if (!Number.isInteger(ref) || ref < 0 || ref >= frames.length * ENTRIES_PER_FRAME) return undefined;
  return frames[Math.floor(ref / ENTRIES_PER_FRAME)]! * PAGE + (ref % ENTRIES_PER_FRAME) * GRANT_ENTRY_SIZE;
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16);

export function grantTableOp(h: HypercallHost, cmd: number, uop: number, count: number): number {
  count = count | 0;
  if (count < 0 || count > GNTTAB_MAX_BATCH) return fail(h, -EINVAL, `grant_table_op: ${count} ops (at most ${GNTTAB_MAX_BATCH})`);
  let rc = 0;
  for (let k = 0; k < count; k++) {
    h.charge(COST.batchElement);
    let r: number;
    switch (cmd >>> 0) {
      case GNTTABOP_map_grant_ref:
        r = mapOne(h, (uop + k * MAP_OP_SIZE) >>> 0);
        break;
      case GNTTABOP_unmap_grant_ref:
        r = unmapOne(h, (uop + k * UNMAP_OP_SIZE) >>> 0);
        break;
      case GNTTABOP_setup_table:
        r = setupOne(h, (uop + k * SETUP_OP_SIZE) >>> 0);
        break;
      default:
        return fail(h, -ENOSYS, `grant_table_op: unknown command ${cmd >>> 0}`);
    }
    if (r === -EFAULT) return r;
    if (r !== 0 && rc === 0) rc = r;
  }
  return rc;
}

function fail(h: HypercallHost, rc: number, msg: string): number {
  h.xen.mm.fail(msg);
  return rc;
}

function setupOne(h: HypercallHost, va: number): number {
  const b = h.mem.read(va, SETUP_OP_SIZE);
  if (!b) return fail(h, -EFAULT, `gnttab setup_table: ${hex(va)} is not readable`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const dom = dv.getUint16(0, true);
  const nr = dv.getUint16(2, true);
  const list = dv.getUint32(8, true);
  const status = (st: number): number => (writeS16(h, (va + 6) >>> 0, st) ? st : -EFAULT);
  if (dom !== DOMID_SELF && dom !== h.dom.id) {
    h.xen.mm.fail(`gnttab setup_table: domain ${h.dom.id} may not set up domain ${dom}'s table`);
    return status(GNTST_permission_denied);
  }
  if (nr > NR_GRANT_FRAMES) {
    h.xen.mm.fail(`gnttab setup_table: ${nr} frames (at most ${NR_GRANT_FRAMES})`);
    return status(GNTST_general_error);
  }
  const s = state(h.xen);
  let frames = s.tables.get(h.dom.id);
  if (!frames) {
    const free = h.xen.freeFrames();
    if (free.length < NR_GRANT_FRAMES) {
      h.xen.mm.fail('gnttab setup_table: out of machine memory');
      return status(GNTST_general_error);
    }
    frames = free.slice(0, NR_GRANT_FRAMES);
    for (const f of frames) {
      h.xen.assign(f, h.dom.id);
      h.xen.mem.flags[f]! |= F_XENHEAP;
    }
    s.tables.set(h.dom.id, frames);
  }
  for (let i = 0; i < nr; i++) if (!h.mem.write32((list + 4 * i) >>> 0, frames[i]!)) return fail(h, -EFAULT, `gnttab setup_table: frame list ${hex(list)} is not writable`);
  return status(GNTST_okay);
}

function writeS16(h: HypercallHost, va: number, v: number): boolean {
  return h.mem.write(va, new Uint8Array([v & 0xff, (v >> 8) & 0xff]));
}

function mapOne(h: HypercallHost, va: number): number {
  const b = h.mem.read(va, MAP_OP_SIZE);
  if (!b) return fail(h, -EFAULT, `gnttab map: ${hex(va)} is not readable`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const r = mapGrant(h.xen, h.dom.id, dv.getUint16(4, true), dv.getUint16(6, true), dv.getUint16(8, true));
  if (!writeS16(h, (va + 10) >>> 0, r.status < 0 ? r.status : r.handle) || !h.mem.write32((va + 12) >>> 0, r.status < 0 ? 0 : r.frame * PAGE)) {
    if (r.status === GNTST_okay) releaseHandle(h.xen, state(h.xen), h.dom.id, r.handle);
    return -EFAULT;
  }
  return r.status;
}

/** The outcome of a map: GNTST_* status, and when okay the handle and the granted frame. */
export interface GrantMapResult {
  status: number;
  handle: number;
  frame: number;
}

/**
 * GNTTABOP_map_grant_ref for domain `mapperId` (a guest's hypercall, or domain 0's
 * back end): entry `ref` of domain `dom`'s table (DOMID_SELF: the mapper's) must
 * permit the mapper, and be writable unless `flags` has GNTMAP_readonly; the
 * granted frame must be the granter's. Takes a reference (and a writable type
 * reference) for as long as the handle lives.
 */
export function mapGrant(xen: Xen, mapperId: number, dom: number, ref: number, flags: number): GrantMapResult {
  const refuse = (st: number, msg: string): GrantMapResult => {
    xen.mm.fail(`gnttab map: ${msg}`);
    return { status: st, handle: -1, frame: 0 };
  };
  if ((flags & (GNTMAP_device_map | GNTMAP_host_map)) === 0) return refuse(GNTST_general_error, `flags ${hex(flags)} ask for neither a host nor a device mapping`);
  const granter: Domain | undefined = dom === DOMID_SELF ? xen.domains.get(mapperId) : xen.domains.get(dom);
  const s = state(xen);
  const frames = granter ? s.tables.get(granter.id) : undefined;
  if (!granter || !frames) return refuse(GNTST_bad_domain, `domain ${dom} has no grant table`);
  const ma = entryMa(frames, ref);
  if (ma === undefined) return refuse(GNTST_bad_gntref, `grant ref ${ref} of domain ${granter.id} is out of range (${frames.length * ENTRIES_PER_FRAME} entries)`);
  const w0 = xen.mem.word(ma);
  const eflags = w0 & 0xffff;
  const edom = w0 >>> 16;
  const frame = xen.mem.word(ma + 4) >>> 0;
  if ((eflags & GTF_type_mask) !== GTF_permit_access || edom !== mapperId)
    return refuse(GNTST_permission_denied, `grant ref ${ref} of domain ${granter.id} (flags ${hex(eflags)}, domid ${edom}) does not permit domain ${mapperId}`);
  const writable = (flags & GNTMAP_readonly) === 0;
  if (writable && eflags & GTF_readonly) return refuse(GNTST_permission_denied, `grant ref ${ref} of domain ${granter.id} is read-only; a writable mapping was asked`);
  let track = s.maptrack.get(mapperId);
  if (!track) s.maptrack.set(mapperId, (track = []));
  let handle = track.indexOf(null);
  if (handle < 0) handle = track.length;
  if (handle >= MAPTRACK_MAX) return refuse(GNTST_no_device_space, `domain ${mapperId} has ${MAPTRACK_MAX} grant mappings`);
  // get_page checks that the granter owns the frame: a domain cannot grant what is not its own.
  const ok = writable ? xen.mm.getPageAndType(frame, PGT_WRITABLE, granter) : xen.mm.getPage(frame, granter);
  if (!ok) return refuse(GNTST_general_error, `grant ref ${ref}: frame ${hex(frame)} cannot be mapped ${writable ? 'writable' : 'read-only'} for domain ${granter.id}`);
  track[handle] = { granter: granter.id, ref, frame, writable };
  setInUse(xen, s, granter.id, ref, ma);
  return { status: GNTST_okay, handle, frame };
}

/** GNTTABOP_unmap_grant_ref of `handle` for domain `mapperId`: GNTST_okay or GNTST_bad_handle. */
export function unmapGrant(xen: Xen, mapperId: number, handle: number): number {
  const s = state(xen);
  const track = s.maptrack.get(mapperId);
  if (!track || !Number.isInteger(handle) || !track[handle]) {
    xen.mm.fail(`gnttab unmap: handle ${handle} is not a live mapping of domain ${mapperId}`);
    return GNTST_bad_handle;
  }
  releaseHandle(xen, s, mapperId, handle);
  return GNTST_okay;
}

/**
 * A domain's end: every mapping it holds, and every mapping of its grants held by
 * others, is released (references and type references dropped, GTF_reading /
 * GTF_writing cleared). Returns how many were released.
 */
export function releaseGrants(xen: Xen, domid: number): number {
  const s = STATE.get(xen);
  if (!s) return 0;
  let n = 0;
  for (const [mapper, track] of s.maptrack)
    for (let k = 0; k < track.length; k++) {
      const g = track[k];
      if (g && (mapper === domid || g.granter === domid)) {
        releaseHandle(xen, s, mapper, k);
        n++;
      }
    }
  return n;
}

/** Sets GTF_reading / GTF_writing from the live handles on (granter, ref). */
function setInUse(xen: Xen, s: GrantState, granter: number, ref: number, ma: number): void {
  let reading = false;
  let writing = false;
  for (const t of s.maptrack.values())
    for (const g of t)
      if (g && g.granter === granter && g.ref === ref) {
        if (g.writable) writing = true;
        else reading = true;
      }
  const w0 = xen.mem.word(ma);
  const f = (w0 & 0xffff & ~(GTF_reading | GTF_writing)) | (reading ? GTF_reading : 0) | (writing ? GTF_writing : 0);
  xen.mem.setWord(ma, (w0 & ~0xffff) | f);
}

function releaseHandle(xen: Xen, s: GrantState, mapper: number, handle: number): void {
  const track = s.maptrack.get(mapper)!;
  const g = track[handle]!;
  track[handle] = null;
  if (g.writable) xen.mm.putPageAndType(g.frame);
  else xen.mm.putPage(g.frame);
  const ma = entryMa(s.tables.get(g.granter)!, g.ref)!;
  setInUse(xen, s, g.granter, g.ref, ma);
}

function unmapOne(h: HypercallHost, va: number): number {
  const b = h.mem.read(va, UNMAP_OP_SIZE);
  if (!b) return fail(h, -EFAULT, `gnttab unmap: ${hex(va)} is not readable`);
  const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
  const st = unmapGrant(h.xen, h.dom.id, dv.getUint16(8, true));
  if (!writeS16(h, (va + 10) >>> 0, st)) return -EFAULT;
  return st;
}
