/*
 * Grants held by a back end (domain 0 mapping a guest's grant as blkback does):
 * a frame mapped through a grant cannot be freed or reassigned while mapped; the
 * domain's end releases every grant mapping; a guest cannot grant a frame it does
 * not own; and the hypercall fuzz, with domain 0 mapping and unmapping beside the
 * guest's calls, keeps every invariant.
 */
import { describe, expect, it } from 'vitest';
import { MemOp } from '../../src/xen-abi/index.js';
import {
  GNTMAP_host_map,
  GNTMAP_readonly,
  GNTST_bad_handle,
  GNTST_general_error,
  GNTST_okay,
  GNTST_permission_denied,
  GTF_permit_access,
  GTF_readonly,
  GTF_reading,
  GTF_writing,
  OWNER_FREE,
  checkInvariants,
  grantHolds,
  grantTableFrames,
  mapGrant,
  releaseGrants,
  runHypercallFuzz,
  transferFrame,
  unmapGrant,
} from '../../src/hypervisor/index.js';
import { scratchGuest } from './xen-helpers.js';

function guestWithTable() {
  const g = scratchGuest();
  const { buf, w32, call, xen, dom } = g;
  w32(buf, 0x7ff0 | (1 << 16), 0, buf + 64);
  expect(call(20, 2, buf, 1)).toBe(0);
  const table = grantTableFrames(xen, dom.id)[0]!;
  /** The guest writes entry `ref`: `domid` may map `frame`. */
  const grant = (ref: number, frame: number, domid = 0, flags = GTF_permit_access) => {
    xen.mem.setWord(table * 4096 + ref * 8, flags | (domid << 16));
    xen.mem.setWord(table * 4096 + ref * 8 + 4, frame);
  };
  const entryFlags = (ref: number) => xen.mem.word(table * 4096 + ref * 8) & 0xffff;
  // Frames of the domain outside the boot mapping.
  const spare = (k: number) => dom.p2m[1500 + k]!;
  return { ...g, grant, entryFlags, spare };
}

describe('grants held by a back end', () => {
  it('a frame mapped through a grant is neither freed nor reassigned until it is unmapped', () => {
    const { xen, dom, grant, spare, entryFlags, buf, w32, call } = guestWithTable();
    const f = spare(0);
    grant(1, f);
    const m = mapGrant(xen, 0, dom.id, 1, GNTMAP_host_map);
    expect(m).toEqual({ status: GNTST_okay, handle: 0, frame: f });
    expect(entryFlags(1)).toBe(GTF_permit_access | GTF_writing);
    expect(checkInvariants(xen)).toEqual([]);
    // Page flipping it away is refused: it is in use.
    expect(transferFrame(xen, f, dom, xen.dom0)).toBe(false);
    expect(xen.mm.log.at(-1)).toMatch(/is in use/);
    // The guest gives it back: it leaves the guest's reservation but is not freed while mapped.
    const tot = dom.totPages;
    w32(buf + 512, f);
    expect(call(12, MemOp.decrease_reservation, buf + 512, 1, 0, 0x7ff0)).toBe(1);
    expect(xen.mem.owner[f]).toBe(dom.id);
    expect(xen.mem.refs[f]).toBeGreaterThan(0);
    expect(dom.p2m).not.toContain(f);
    // Nor can increase_reservation hand it to anyone.
    expect(xen.freeFrames()).not.toContain(f);
    expect(checkInvariants(xen)).toEqual([]);
    // Unmapped, it is freed; the reservation is one page smaller.
    expect(unmapGrant(xen, 0, m.handle)).toBe(GNTST_okay);
    expect(xen.mem.owner[f]).toBe(OWNER_FREE);
    expect(dom.totPages).toBe(tot - 1);
    expect(unmapGrant(xen, 0, m.handle)).toBe(GNTST_bad_handle);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it("the domain's end releases every grant mapping, held by others or by itself", () => {
    const { xen, dom, grant, spare, entryFlags } = guestWithTable();
    const before = [0, 1, 2].map((k) => [xen.mem.refs[spare(k)], xen.mem.typeCount[spare(k)]]);
    grant(1, spare(0));
    grant(2, spare(1), 0, GTF_permit_access | GTF_readonly);
    grant(3, spare(2), dom.id);
    expect(mapGrant(xen, 0, dom.id, 1, GNTMAP_host_map).status).toBe(GNTST_okay);
    expect(mapGrant(xen, 0, dom.id, 1, GNTMAP_host_map | GNTMAP_readonly).status).toBe(GNTST_okay);
    expect(mapGrant(xen, 0, dom.id, 2, GNTMAP_host_map | GNTMAP_readonly).status).toBe(GNTST_okay);
    expect(mapGrant(xen, dom.id, 0x7ff0, 3, GNTMAP_host_map).status).toBe(GNTST_okay);
    expect(grantHolds(xen)).toHaveLength(4);
    expect(entryFlags(1)).toBe(GTF_permit_access | GTF_reading | GTF_writing);
    expect(checkInvariants(xen)).toEqual([]);
    expect(releaseGrants(xen, dom.id)).toBe(4);
    expect(grantHolds(xen)).toEqual([]);
    expect([1, 2, 3].map(entryFlags)).toEqual([GTF_permit_access, GTF_permit_access | GTF_readonly, GTF_permit_access]);
    expect([0, 1, 2].map((k) => [xen.mem.refs[spare(k)], xen.mem.typeCount[spare(k)]])).toEqual(before);
    expect(releaseGrants(xen, dom.id)).toBe(0);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('a guest cannot grant a frame it does not own, nor more than it granted', () => {
    const { xen, dom, grant, spare } = guestWithTable();
    const dom0Frame = xen.dom0.frames[0]!;
    const refs0 = xen.mem.refs[dom0Frame];
    for (const [ref, frame] of [[1, dom0Frame], [2, 0], [3, xen.mem.nframes + 7]] as const) {
      grant(ref, frame);
      const r = mapGrant(xen, 0, dom.id, ref, GNTMAP_host_map);
      expect(r.status).toBe(GNTST_general_error);
      expect(xen.mm.log.at(-1)).toMatch(/cannot be mapped/);
    }
    expect(xen.mem.refs[dom0Frame]).toBe(refs0);
    // A read-only grant gives no writable mapping; a grant to another domain none to domain 0.
    grant(4, spare(0), 0, GTF_permit_access | GTF_readonly);
    expect(mapGrant(xen, 0, dom.id, 4, GNTMAP_host_map).status).toBe(GNTST_permission_denied);
    grant(5, spare(0), 7);
    expect(mapGrant(xen, 0, dom.id, 5, GNTMAP_host_map | GNTMAP_readonly).status).toBe(GNTST_permission_denied);
    expect(grantHolds(xen)).toEqual([]);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('the hypercall fuzz with domain 0 mapping grants as a back end keeps the invariants', () => {
    const r = runHypercallFuzz({ calls: 4_000, seed: 0xb10c });
    expect(r.hostError).toBeUndefined();
    expect(r.violations, r.culprit).toEqual([]);
    expect(r.backendGrantMaps.tried).toBeGreaterThan(100);
    expect(r.backendGrantMaps.mapped).toBeGreaterThan(20);
  }, 120_000);
});
