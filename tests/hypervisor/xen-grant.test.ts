// grant_table_op (hypercall 20): setup_table, map_grant_ref, unmap_grant_ref (Xen 2.0 grant_table.h).
import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../src/xen-abi/index.js';
import {
  EINVAL,
  ENOSYS,
  GNTMAP_device_map,
  GNTMAP_host_map,
  GNTMAP_readonly,
  GNTST_bad_domain,
  GNTST_bad_gntref,
  GNTST_bad_handle,
  GNTST_general_error,
  GNTST_permission_denied,
  GTF_permit_access,
  GTF_readonly,
  GTF_reading,
  GTF_writing,
  PGT_WRITABLE,
  checkInvariants,
  grantHolds,
  grantTableFrames,
  runHypercallFuzz,
  type Xen,
} from '../../src/hypervisor/index.js';
import { scratchGuest } from './xen-helpers.js';

function fresh() {
  const g = scratchGuest();
  const { buf, h, w32, call } = g;
  const { xen, dom } = g;
  const r16 = (va: number) => {
    const b = h.mem.read(va, 2)!;
    return (b[0]! | (b[1]! << 8)) << 16 >> 16;
  };
  const setup = (dom_ = DOMID_SELF, nr = 1) => {
    w32(buf, dom_ | (nr << 16), 0x7777, buf + 64);
    return call(20, 2, buf, 1);
  };
  const table = () => {
    expect(setup()).toBe(0);
    return grantTableFrames(xen, dom.id)[0]!;
  };
  /** Writes grant entry `ref` in the domain's table. */
  const grant = (ref: number, flags: number, domid: number, frame: number) => {
    const t = table();
    xen.mem.setWord(t * 4096 + ref * 8, (flags & 0xffff) | (domid << 16));
    xen.mem.setWord(t * 4096 + ref * 8 + 4, frame);
  };
  const entryFlags = (ref: number) => xen.mem.word(table() * 4096 + ref * 8) & 0xffff;
  /** map_grant_ref of `ref` from domain `gdom`; returns [rc, handle, dev_bus_addr]. */
  const map = (ref: number, flags = GNTMAP_device_map, gdom = DOMID_SELF) => {
    const op = buf + 128;
    w32(op, 0, gdom | (ref << 16), flags | (0x5555 << 16), 0x12345678);
    const rc = call(20, 0, op, 1);
    return [rc, r16(op + 10), h.mem.read32(op + 12)!];
  };
  const unmap = (handle: number) => {
    const op = buf + 256;
    w32(op, 0, 0, handle | (0x5555 << 16));
    const rc = call(20, 1, op, 1);
    expect(r16(op + 10)).toBe(rc);
    return rc;
  };
  // A frame of the domain outside the boot mapping (so it may become writable-typed).
  const spare = dom.p2m[1500]!;
  return { ...g, buf, h, w32, r16, call, setup, table, grant, entryFlags, map, unmap, spare };
}

describe('grant_table_op', () => {
  it('setup_table gives the domain owned frames and returns them in its list', () => {
    const { setup, xen, dom, h, buf, r16, call } = fresh();
    expect(grantTableFrames(xen, dom.id)).toEqual([]);
    expect(setup()).toBe(0);
    expect(r16(buf + 6)).toBe(0);
    const frames = grantTableFrames(xen, dom.id);
    expect(frames).toHaveLength(1);
    expect(h.mem.read32(buf + 64)).toBe(frames[0]);
    expect(xen.mem.owner[frames[0]!]).toBe(dom.id);
    expect(xen.mem.refs[frames[0]!]).toBe(1);
    expect(dom.p2m).not.toContain(frames[0]);
    // A second setup returns the same table; own id works like DOMID_SELF.
    expect(setup(dom.id)).toBe(0);
    expect(grantTableFrames(xen, dom.id)).toEqual(frames);
    expect(checkInvariants(xen)).toEqual([]);
    // Bounded nr_frames, another domain's table, a bad list pointer.
    expect(setup(DOMID_SELF, 2)).toBe(GNTST_general_error);
    expect(r16(buf + 6)).toBe(GNTST_general_error);
    expect(setup(5)).toBe(GNTST_permission_denied);
    expect(xen.mm.log.at(-1)).toMatch(/may not set up/);
    expect(call(20, 2, 0x1000, 1)).toBe(-14);
    expect(call(20, 2, buf, 513)).toBe(-EINVAL);
    expect(call(20, 7, buf, 1)).toBe(-ENOSYS);
    expect(call(20, 0, buf, 0)).toBe(0);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('a permitted writable map takes a reference and a writable type, unmap releases both', () => {
    const { grant, map, unmap, xen, dom, spare, entryFlags } = fresh();
    grant(3, GTF_permit_access, dom.id, spare);
    const [refs0, tc0] = [xen.mem.refs[spare]!, xen.mem.typeCount[spare]!];
    const [rc, handle, bus] = map(3, GNTMAP_host_map);
    expect(rc).toBe(0);
    expect(handle).toBe(0);
    expect(bus).toBe(spare * 4096);
    expect(xen.mem.refs[spare]).toBe(refs0 + 1);
    expect(xen.mem.typeCount[spare]).toBe(tc0 + 1);
    expect(xen.mem.type[spare]).toBe(PGT_WRITABLE);
    expect(xen.mem.owner[spare]).toBe(dom.id);
    expect(entryFlags(3)).toBe(GTF_permit_access | GTF_writing);
    expect(grantHolds(xen)).toEqual([{ granter: dom.id, ref: 3, frame: spare, writable: true }]);
    expect(checkInvariants(xen)).toEqual([]);
    // A second map gets the next handle.
    expect(map(3)[1]).toBe(1);
    expect(xen.mem.refs[spare]).toBe(refs0 + 2);
    expect(checkInvariants(xen)).toEqual([]);
    expect(unmap(0)).toBe(0);
    expect(entryFlags(3)).toBe(GTF_permit_access | GTF_writing);
    expect(unmap(1)).toBe(0);
    expect([xen.mem.refs[spare], xen.mem.typeCount[spare]]).toEqual([refs0, tc0]);
    expect(entryFlags(3)).toBe(GTF_permit_access);
    expect(grantHolds(xen)).toEqual([]);
    expect(checkInvariants(xen)).toEqual([]);
    // Released handles are gone.
    expect(unmap(1)).toBe(GNTST_bad_handle);
    expect(unmap(200)).toBe(GNTST_bad_handle);
    expect(xen.mm.log.at(-1)).toMatch(/handle 200/);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('a read-only grant refuses a writable map and allows a read-only one', () => {
    const { grant, map, unmap, xen, dom, spare, entryFlags } = fresh();
    grant(7, GTF_permit_access | GTF_readonly, dom.id, spare);
    const [refs0, tc0] = [xen.mem.refs[spare]!, xen.mem.typeCount[spare]!];
    expect(map(7)[0]).toBe(GNTST_permission_denied);
    expect(map(7)[1]).toBe(GNTST_permission_denied);
    expect(xen.mm.log.at(-1)).toMatch(/read-only/);
    expect(xen.mem.refs[spare]).toBe(refs0);
    const [rc, handle] = map(7, GNTMAP_device_map | GNTMAP_readonly);
    expect([rc, handle]).toEqual([0, 0]);
    expect([xen.mem.refs[spare], xen.mem.typeCount[spare]]).toEqual([refs0 + 1, tc0]);
    expect(entryFlags(7)).toBe(GTF_permit_access | GTF_readonly | GTF_reading);
    expect(checkInvariants(xen)).toEqual([]);
    expect(unmap(0)).toBe(0);
    expect(entryFlags(7)).toBe(GTF_permit_access | GTF_readonly);
    expect(xen.mem.refs[spare]).toBe(refs0);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('refuses entries that do not permit the domain, bad domains, out-of-range refs and foreign frames', () => {
    const { grant, map, xen, dom, spare } = fresh();
    const refs0 = xen.mem.refs[spare]!;
    grant(1, 0, dom.id, spare); // GTF_invalid
    expect(map(1)[0]).toBe(GNTST_permission_denied);
    grant(2, GTF_permit_access, dom.id + 7, spare); // granted to another domain
    expect(map(2)[0]).toBe(GNTST_permission_denied);
    expect(xen.mm.log.at(-1)).toMatch(/does not permit domain/);
    grant(4, GTF_permit_access, dom.id, spare);
    expect(map(4, 0)[0]).toBe(GNTST_general_error); // neither host nor device map
    expect(map(4, GNTMAP_device_map, 9)[0]).toBe(GNTST_bad_domain);
    expect(map(512)[0]).toBe(GNTST_bad_gntref);
    expect(map(0xffff)[1]).toBe(GNTST_bad_gntref);
    expect(xen.mm.log.at(-1)).toMatch(/out of range/);
    // A frame the granter does not own (Xen's), and a page table mapped writable.
    grant(5, GTF_permit_access, dom.id, 1);
    expect(map(5)[0]).toBe(GNTST_general_error);
    grant(6, GTF_permit_access, dom.id, dom.baseMfn);
    expect(map(6)[0]).toBe(GNTST_general_error);
    expect(map(6, GNTMAP_device_map | GNTMAP_readonly)[0]).toBe(0);
    expect(xen.mem.refs[spare]).toBe(refs0);
    expect(grantHolds(xen)).toHaveLength(1);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('a domain without a grant table has nothing to map', () => {
    const { map, xen } = fresh();
    expect(map(0)[0]).toBe(GNTST_bad_domain);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('the hypercall fuzz reaches successful grant maps and keeps the invariants', () => {
    let xenRef: Xen | undefined;
    let maxHolds = 0;
    const r = runHypercallFuzz({
      calls: 20_000,
      seed: 0x9a47,
      instrument: (xen) => {
        xenRef = xen;
        const orig = xen.mm.getPage.bind(xen.mm);
        xen.mm.getPage = (f, d) => {
          maxHolds = Math.max(maxHolds, grantHolds(xen).length);
          return orig(f, d);
        };
      },
    });
    expect(r.hostError).toBeUndefined();
    expect(r.violations, r.culprit).toEqual([]);
    expect(r.byName.grant_table_op).toBeGreaterThan(100);
    expect(grantTableFrames(xenRef!, 1)).toHaveLength(1);
    expect(maxHolds).toBeGreaterThan(0);
  }, 120_000);
});
