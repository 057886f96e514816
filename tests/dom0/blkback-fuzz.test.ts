/*
 * blkback against a hostile ring: a guest's grant table and ring page are filled
 * with seeded random requests (operations, segment counts, devices, sectors,
 * grant references, sector ranges; grant entries for its own frames, others',
 * read-only or not, to domain 0 or not; producer indices that jump), and blkback
 * polls them. No host exception escapes, no grant mapping outlives a poll, the
 * invariants hold, every request gets exactly one response, and the disk image
 * changes only in the sectors of writes that were answered OKAY (a read-only
 * disk not at all). Control messages with bad frames are refused with the
 * documented status.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlkifBeStatus, BlkifOp, BlkifRsp, CmsgBlkifBe, LAYOUT } from '../../src/xen-abi/index.js';
import { bindInterdomain, checkInvariants, grantHolds, grantTableFrames, Rng } from '../../src/hypervisor/index.js';
import { Blkback, parseDiskSpec } from '../../src/dom0/index.js';
import { scratchGuest } from '../hypervisor/xen-helpers.js';

const SECTORS = 64;

function setup(writable: boolean, seed: number) {
  const g = scratchGuest();
  const { xen, dom, buf, w32, call } = g;
  w32(buf, 0x7ff0 | (1 << 16), 0, buf + 64);
  expect(call(20, 2, buf, 1)).toBe(0);
  const table = grantTableFrames(xen, dom.id)[0]!;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-blkfuzz-'));
  const file = path.join(dir, 'disk.img');
  const rng = new Rng(seed);
  const init = Buffer.alloc(SECTORS * 512);
  for (let i = 0; i < init.length; i++) init[i] = rng.below(256);
  writeFileSync(file, init);
  const bb = new Blkback(xen, dom, [parseDiskSpec(`file:${file},xbd0,${writable ? 'w' : 'r'}`)]);
  const be = (subtype: number, size: number, fill: (dv: DataView) => void = () => {}) => {
    const b = new Uint8Array(size);
    const dv = new DataView(b.buffer);
    dv.setUint16(0, dom.id, true);
    fill(dv);
    return bb.control(subtype, b);
  };
  return { ...g, table, file, init, bb, be, rng };
}

describe('blkback against a hostile guest', () => {
  it('control messages: frames that are not the guest\'s plain pages, twice-created VBDs and interfaces are refused', () => {
    const { xen, dom, be, table } = setup(true, 1);
    const C = LAYOUT.blkif_be_connect_t.fields;
    const V = LAYOUT.blkif_be_vbd_create_t.fields;
    expect(be(CmsgBlkifBe.VBD_CREATE, 24)).toBe(BlkifBeStatus.INTERFACE_NOT_FOUND);
    expect(be(CmsgBlkifBe.CREATE, 12)).toBe(BlkifBeStatus.OKAY);
    expect(be(CmsgBlkifBe.CREATE, 12)).toBe(BlkifBeStatus.INTERFACE_EXISTS);
    expect(be(CmsgBlkifBe.VBD_CREATE, 24, (dv) => dv.setUint32(V.pdevice.offset, 5, true))).toBe(BlkifBeStatus.PHYSDEV_NOT_FOUND);
    expect(be(CmsgBlkifBe.VBD_CREATE, 24)).toBe(BlkifBeStatus.OKAY);
    expect(be(CmsgBlkifBe.VBD_CREATE, 24)).toBe(BlkifBeStatus.VBD_EXISTS);
    // The grant table (Xen's page), a page table, domain 0's frame, a frame past memory.
    for (const f of [table, dom.baseMfn, xen.dom0.frames[0]!, xen.mem.nframes + 3])
      expect(be(CmsgBlkifBe.CONNECT, 24, (dv) => dv.setUint32(C.shmem_frame.offset, f, true)), `frame ${f}`).toBe(BlkifBeStatus.MAPPING_ERROR);
    expect(xen.foreign).toEqual([]);
    const ring = dom.p2m[1600]!;
    expect(be(CmsgBlkifBe.CONNECT, 24, (dv) => dv.setUint32(C.shmem_frame.offset, ring, true))).toBe(BlkifBeStatus.OKAY);
    expect(be(CmsgBlkifBe.CONNECT, 24, (dv) => dv.setUint32(C.shmem_frame.offset, ring, true))).toBe(BlkifBeStatus.INTERFACE_CONNECTED);
    expect(be(CmsgBlkifBe.DESTROY, 12)).toBe(BlkifBeStatus.INTERFACE_CONNECTED);
    // Another domain's interface does not exist here.
    expect(be(CmsgBlkifBe.DISCONNECT, 12, (dv) => dv.setUint16(0, 9, true))).toBe(BlkifBeStatus.INTERFACE_NOT_FOUND);
    expect(checkInvariants(xen)).toEqual([]);
    expect(be(CmsgBlkifBe.DISCONNECT, 12)).toBe(BlkifBeStatus.OKAY);
    expect(be(CmsgBlkifBe.DESTROY, 12)).toBe(BlkifBeStatus.OKAY);
    expect(xen.foreign).toEqual([]);
    expect(checkInvariants(xen)).toEqual([]);
  });

  for (const [writable, seed] of [[true, 0x5eed], [false, 0xb10c], [true, 77]] as const) {
    it(`over 2000 random requests on a ${writable ? 'writable' : 'read-only'} disk (seed ${seed})`, () => {
      const { xen, dom, be, table, file, init, bb, rng } = setup(writable, seed);
      const C = LAYOUT.blkif_be_connect_t.fields;
      const S = LAYOUT.blkif_sring_t.fields;
      const E = LAYOUT.blkif_sring_entry_t.size;
      const Q = LAYOUT.blkif_request_t.fields;
      const P = LAYOUT.blkif_response_t.fields;
      expect(be(CmsgBlkifBe.CREATE, 12)).toBe(BlkifBeStatus.OKAY);
      expect(be(CmsgBlkifBe.VBD_CREATE, 24, (dv) => dv.setUint16(LAYOUT.blkif_be_vbd_create_t.fields.readonly.offset, 0, true))).toBe(BlkifBeStatus.OKAY);
      const ringFrame = dom.p2m[1600]!;
      const b = bindInterdomain(xen, 0, true, 0, 0, dom.id, 0);
      expect(b.rc).toBe(0);
      expect(be(CmsgBlkifBe.CONNECT, 24, (dv) => {
        dv.setUint32(C.shmem_frame.offset, ringFrame, true);
        dv.setUint32(C.evtchn.offset, b.port1, true);
      })).toBe(BlkifBeStatus.OKAY);
      const ring = ringFrame * 4096;
      const dv = xen.mem.dv;
      // Frames a grant may name: the guest's own data pages mostly, and others. (Its
      // ring page is left out: a guest that grants it may scribble on its own ring,
      // which harms only itself but would blind this test's bookkeeping.)
      const own = Array.from({ length: 16 }, (_, k) => dom.p2m[1700 + k]!);
      const others = [0, table, dom.baseMfn, xen.dom0.frames[3]!, xen.mem.nframes - 1, 0xfffff];
      for (let ref = 0; ref < 32; ref++) {
        const frame = rng.chance(0.85) ? rng.pick(own) : rng.pick(others);
        const flags = rng.pick([1, 1, 1, 5, 0, 2, 5, rng.below(32)]);
        const to = rng.chance(0.9) ? 0 : rng.below(4);
        xen.mem.setWord(table * 4096 + ref * 8, flags | (to << 16));
        xen.mem.setWord(table * 4096 + ref * 8 + 4, frame);
      }
      let prod = 0, cons = 0, asked = 0;
      const okWrites: [number, number][] = [];
      const ops = new Map<number, { op: number; sector: number; total: number }>();
      for (let round = 0; round < 200; round++) {
        const n = rng.chance(0.9) ? 1 + rng.below(10) : 64;
        for (let k = 0; k < n; k++) {
          const slot = ring + S.ring.offset + E * (prod & 63);
          const op = rng.pick([BlkifOp.READ, BlkifOp.READ, BlkifOp.WRITE, BlkifOp.WRITE, BlkifOp.PROBE, rng.below(256)]);
          const nseg = rng.chance(0.9) ? 1 + rng.below(3) : rng.below(256);
          const sector = rng.chance(0.9) ? rng.below(SECTORS) : rng.u32();
          let total = 0;
          xen.mem.u8.fill(0, slot, slot + E);
          dv.setUint8(slot + Q.operation.offset, op);
          dv.setUint8(slot + Q.nr_segments.offset, nseg);
          dv.setUint16(slot + Q.device.offset, rng.chance(0.9) ? 0 : rng.below(65536), true);
          dv.setUint32(slot + Q.id.offset, asked, true);
          dv.setBigUint64(slot + Q.sector_number.offset, rng.chance(0.98) ? BigInt(sector) : BigInt(rng.u32()) << 20n, true);
          for (let s = 0; s < Math.min(nseg, 11); s++) {
            const first = rng.below(8), last = rng.chance(0.9) ? first + rng.below(8 - first) : rng.below(8);
            total += last - first + 1;
            const ref = rng.chance(0.95) ? rng.below(32) : rng.below(65536);
            dv.setUint32(slot + Q.frame_and_sects.offset + 4 * s, ((ref << 16) | (first << 3) | last) >>> 0, true);
          }
          ops.set(asked, { op, sector, total });
          asked++;
          prod = (prod + 1) >>> 0;
        }
        dv.setUint32(ring + S.req_prod.offset, prod, true);
        let guard = 0;
        while (bb.poll(() => {}) && guard++ < 100) {
          /* until it has taken everything it will take */
        }
        expect(grantHolds(xen)).toEqual([]);
        const rsp = dv.getUint32(ring + S.rsp_prod.offset, true);
        expect((rsp - cons) >>> 0).toBe(n);
        for (; cons !== rsp; cons = (cons + 1) >>> 0) {
          const slot = ring + S.ring.offset + E * (cons & 63);
          const id = dv.getUint32(slot + P.id.offset, true);
          const st = dv.getInt16(slot + P.status.offset, true);
          const q = ops.get(id);
          expect(q, `response ${cons} for request ${id}`).toBeDefined();
          if (q!.op === BlkifOp.WRITE && st === BlkifRsp.OKAY) okWrites.push([q!.sector, q!.total]);
          if (q!.op !== BlkifOp.PROBE) expect([BlkifRsp.OKAY, BlkifRsp.ERROR]).toContain(st);
        }
        if (round % 50 === 0) expect(checkInvariants(xen)).toEqual([]);
      }
      expect(checkInvariants(xen)).toEqual([]);
      expect(bb.stats.errors).toBeGreaterThan(0);
      if (writable) expect(bb.stats.writes + bb.stats.reads).toBeGreaterThan(0);
      expect(asked).toBeGreaterThan(2000);
      if (writable) expect(okWrites.length).toBeGreaterThan(20);
      // The image changed only where OKAY writes went.
      const now = readFileSync(file);
      expect(now.length).toBe(init.length);
      const touched = new Uint8Array(SECTORS);
      for (const [s, n] of okWrites) for (let k = s; k < Math.min(SECTORS, s + n); k++) touched[k] = 1;
      for (let k = 0; k < SECTORS; k++)
        if (!touched[k]) expect(now.subarray(k * 512, k * 512 + 512).equals(init.subarray(k * 512, k * 512 + 512)), `sector ${k}`).toBe(true);
      if (!writable) expect(okWrites).toEqual([]);
      // Last, a producer far ahead of the ring: blkback takes at most a ring's worth
      // per poll of slots the guest never filled (old requests under old responses).
      dv.setUint32(ring + S.req_prod.offset, (prod + 1000) >>> 0, true);
      let polls = 0;
      while (bb.poll(() => {})) polls++;
      expect(polls).toBe(Math.ceil(1000 / 64));
      expect(grantHolds(xen)).toEqual([]);
      if (!writable) expect(createHash('sha256').update(readFileSync(file)).digest('hex')).toBe(createHash('sha256').update(init).digest('hex'));
      expect(be(CmsgBlkifBe.DISCONNECT, 12)).toBe(BlkifBeStatus.OKAY);
      bb.close();
      expect(xen.foreign).toEqual([]);
      expect(checkInvariants(xen)).toEqual([]);
    });
  }
});
