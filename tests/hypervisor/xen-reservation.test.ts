/*
 * Memory reservations and page flipping (Xen 2.0 dom_mem_op and REASSIGN_PAGE):
 * a frame given back is freed once nothing maps it, a frame given away is no
 * longer the giver's, a domain never holds more than max_pages, a back end's
 * foreign mapping keeps a frame alive, and the reference counts stay exact
 * (checkInvariants after every step).
 */
import { describe, expect, it } from 'vitest';
import { LAYOUT } from '../../src/xen-abi/index.js';
import { allocFrame, checkInvariants, EINVAL, EPERM, F_ALLOCATED, mapForeign, OWNER_FREE, P2M_GONE, transferFrame, unmapForeign } from '../../src/hypervisor/index.js';
import { scratchGuest } from './xen-helpers.js';

const SELF = 0x7ff0;
const INC = 0, DEC = 1;

function guest() {
  const g = scratchGuest();
  const list = g.buf + 4096;
  const memop = (op: number, mfns: number[], order = 0, dom = SELF) => {
    g.w32(list, ...mfns);
    return g.call(12, op, list, mfns.length, order, dom);
  };
  const ok = () => expect(checkInvariants(g.xen)).toEqual([]);
  const m = g.xen.mem;
  // A frame of the domain's outside the boot mapping: nothing maps it.
  const spare = g.dom.p2m[1500]!;
  return { ...g, memop, ok, m, spare, list };
}

describe('dom_mem_op and page flipping', () => {
  it('decrease_reservation frees an unmapped frame at once and forgets it', () => {
    const g = guest();
    const tot = g.dom.totPages;
    expect(g.memop(DEC, [g.spare])).toBe(1);
    expect(g.m.owner[g.spare]).toBe(OWNER_FREE);
    expect(g.m.u8[g.spare * 4096 + 7]).toBe(0xa5); // junk-filled
    expect(g.dom.totPages).toBe(tot - 1);
    expect(g.dom.p2m[1500]).toBe(P2M_GONE);
    g.ok();
    // Given back twice: no longer the domain's.
    expect(g.memop(DEC, [g.spare])).toBe(0);
  });

  it('a frame still mapped stays the domain\'s until its last mapping goes', () => {
    const g = guest();
    const vpn = (g.buf >>> 12) + 1;
    const frame = g.dom.p2m[vpn - (g.built.layout.vStart >>> 12)]!;
    const tot = g.dom.totPages;
    expect(g.memop(DEC, [frame])).toBe(1);
    expect(g.m.owner[frame]).toBe(g.dom.id);
    expect(g.m.flags[frame]! & F_ALLOCATED).toBe(0);
    expect(g.dom.totPages).toBe(tot);
    g.ok();
    expect(g.call(14, vpn, 0, 2)).toBe(0); // update_va_mapping(va, 0, UVMF_INVLPG)
    expect(g.m.owner[frame]).toBe(OWNER_FREE);
    expect(g.dom.totPages).toBe(tot - 1);
    g.ok();
  });

  it('refuses shared_info, other domains\' frames, larger extents and foreign domains', () => {
    const g = guest();
    expect(g.memop(DEC, [g.dom.sharedInfoMfn])).toBe(0);
    expect(g.memop(DEC, [g.xen.dom0.frames[0]!])).toBe(0);
    expect(g.memop(DEC, [g.spare, g.xen.dom0.frames[0]!])).toBe(1); // stops at the first failure
    expect(g.memop(INC, [0], 1)).toBe(0);
    expect(g.memop(DEC, [g.spare], 0, 0)).toBe(-EPERM);
    expect(g.call(12, DEC | (5 << 4), g.list, 2, 0, SELF)).toBe(-EINVAL);
    g.ok();
  });

  it('increase_reservation only within max_pages, and hands out zeroed frames', () => {
    const g = guest();
    expect(g.memop(INC, [0])).toBe(0); // at the limit
    expect(g.memop(DEC, [g.spare, g.dom.p2m[1501]!])).toBe(2);
    expect(g.memop(INC, [0, 0, 0])).toBe(2);
    const got = [g.h.mem.read32(g.list)!, g.h.mem.read32(g.list + 4)!];
    for (const f of got) {
      expect(g.m.owner[f]).toBe(g.dom.id);
      expect(g.m.u8.subarray(f * 4096, f * 4096 + 4096).every((b) => b === 0)).toBe(true);
    }
    expect(g.dom.totPages).toBe(g.dom.maxPages);
    g.ok();
  });

  it('domain 0 flips a page to the guest only into headroom, and only an unused page', () => {
    const g = guest();
    const d0 = g.xen.dom0;
    const page = d0.frames[5]!;
    expect(transferFrame(g.xen, page, d0, g.dom)).toBe(false); // the guest is at max_pages
    expect(g.memop(DEC, [g.spare])).toBe(1);
    expect(transferFrame(g.xen, page, d0, g.dom)).toBe(true);
    expect(g.m.owner[page]).toBe(g.dom.id);
    expect(d0.frames).not.toContain(page);
    g.ok();
    // The guest maps its new page, may not give a mapped page away, and the old
    // owner cannot get it back.
    const vpn = (g.buf >>> 12) + 1;
    expect(g.call(14, vpn, (page << 12) | 7, 2)).toBe(0);
    expect(transferFrame(g.xen, page, g.dom, d0)).toBe(false);
    expect(transferFrame(g.xen, page, d0, g.dom)).toBe(false);
    g.ok();
    // A frame given away cannot be mapped by the giver.
    const mine = g.dom.p2m[1600]!;
    expect(transferFrame(g.xen, mine, g.dom, d0)).toBe(true);
    expect(g.call(14, vpn, (mine << 12) | 7, 2)).toBeLessThan(0);
    expect(d0.frames).toContain(mine);
    g.ok();
    // Domain 0 refills its pool (increase_reservation in its name) only below its limit.
    expect(allocFrame(g.xen, d0)).toBe(-1);
    expect(transferFrame(g.xen, d0.frames[9]!, d0, g.dom)).toBe(true);
    const fresh = allocFrame(g.xen, d0);
    expect(g.m.owner[fresh]).toBe(0);
    expect(d0.totPages).toBe(d0.maxPages);
    g.ok();
  });

  it('a back end\'s foreign mapping keeps a ring frame alive and cannot take a page table', () => {
    const g = guest();
    expect(mapForeign(g.xen, g.dom.id, g.spare)).toBe(true);
    g.ok();
    expect(g.memop(DEC, [g.spare])).toBe(1);
    expect(g.m.owner[g.spare]).toBe(g.dom.id);
    g.ok();
    unmapForeign(g.xen, g.spare);
    expect(g.m.owner[g.spare]).toBe(OWNER_FREE);
    g.ok();
    expect(mapForeign(g.xen, g.dom.id, g.dom.baseMfn)).toBe(false);
    expect(mapForeign(g.xen, 0, g.dom.p2m[1700]!)).toBe(false);
    expect(mapForeign(g.xen, g.dom.id, g.dom.sharedInfoMfn)).toBe(false);
    expect(LAYOUT.netif_tx_interface_t.size).toBeLessThanOrEqual(4096);
    g.ok();
  });
});
