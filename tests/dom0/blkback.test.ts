/*
 * The domain controller and blkback with a test guest (tests/dom0/guest/
 * blkfront-probe.c, compiled by xenoport, run on the bundled Xen): the block
 * interface comes up in Xen 2.0's message order, PROBE answers the disks'
 * sizes, a write reaches the image file on the host and reads back whole and in
 * two segments, a read-only disk refuses writes, and every request a hostile
 * guest can make with its grants is answered with an error, never a mapping
 * outside its grants. At the end no grant mapping is left and every invariant
 * holds.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BlkifBeStatus, BlkifRsp, Cmsg, CmsgBlkifBe, CmsgBlkifFe } from '../../src/xen-abi/index.js';
import { checkInvariants, grantHolds, runXenImage, type Xen } from '../../src/hypervisor/index.js';
import { DomainController, parseDiskSpec, Dom0Error } from '../../src/dom0/index.js';
import { buildBlkProbe } from './guest-probe.js';

const SECTORS = 256;

/** A disk image whose sector k begins with "sector k of NAME". */
function image(dir: string, name: string): string {
  const b = Buffer.alloc(SECTORS * 512);
  for (let k = 0; k < SECTORS; k++) b.write(`sector ${k} of ${name}`, k * 512, 'latin1');
  const p = path.join(dir, name);
  writeFileSync(p, b);
  return p;
}

const sha = (p: string): string => createHash('sha256').update(readFileSync(p)).digest('hex');

describe('blkback', () => {
  it('parses --disk specs and rejects malformed ones with the spec in the message', () => {
    expect(parseDiskSpec('file:/tmp/a.img,xbd0,w')).toEqual({ path: '/tmp/a.img', name: 'xbd0', vdevice: 0, writable: true });
    expect(parseDiskSpec('file:x,y.img,xbd12,r')).toEqual({ path: 'x,y.img', name: 'xbd12', vdevice: 12, writable: false });
    for (const bad of ['a.img', 'file:a.img,hda,w', 'file:a.img,xbd0,rw', 'phy:sda,xbd0,w', 'file:,xbd0,w'])
      expect(() => parseDiskSpec(bad)).toThrow(Dom0Error);
    expect(() => parseDiskSpec('a.img')).toThrow(/--disk a.img: expected file:PATH,xbdN,w/);
  });

  it('discovery, probe, writes that reach the file, a read-only disk, and hostile grants refused', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-blk-'));
    const rw = image(dir, 'rw.img');
    const ro = image(dir, 'ro.img');
    const roHash = sha(ro);
    const img = await buildBlkProbe();
    let ctl: DomainController | undefined;
    let xenRef: Xen | undefined;
    const r = runXenImage(img, {
      memoryMB: 8,
      maxSteps: 50e6,
      onBuilt: ({ xen, dom }) => {
        xenRef = xen;
        ctl = new DomainController(xen, dom, { disks: [parseDiskSpec(`file:${rw},xbd0,w`), parseDiskSpec(`file:${ro},xbd1,r`)] });
      },
    });
    const out = `${r.console}\n${r.reportText ?? ''}`;
    expect(r.outcome, out).toBe('shutdown');
    expect(r.console, out).not.toContain('FAIL');
    expect(r.console).toContain('blk: done');
    expect(r.console).toMatch(/blk: connected, event channel \d+, back end domain 0\n/);
    expect(r.console).toContain('blk: probe 2 disks\n');
    expect(r.console).toContain(`blk: xbd0 sectors ${SECTORS} writable sector size 512\n`);
    expect(r.console).toContain(`blk: xbd1 sectors ${SECTORS} read-only sector size 512\n`);
    expect(r.console).toContain('blk: xbd0 wrote and read back 4096 bytes at sector 16\n');
    expect(r.console).toContain('blk: two-segment read ok\n');
    expect(r.console).toContain(`blk: read past the end: status ${BlkifRsp.ERROR}\n`);
    expect(r.console).toContain(`blk: write to read-only xbd1: status ${BlkifRsp.ERROR}\n`);
    expect(r.console).toContain('blk: xbd1 sector 1: sector 1 of ro.img\n');
    for (const what of ['read into a read-only grant', 'grant of a frame not ours', 'ungranted reference', 'reference past the table', 'inverted sectors', 'no segments'])
      expect(r.console).toContain(`blk: ${what}: status ${BlkifRsp.ERROR}\n`);

    // The write reached the file: sectors 16..23 hold the guest's pattern, the rest is untouched.
    const disk = readFileSync(rw);
    const want = Buffer.alloc(4096);
    for (let i = 0; i < 4096; i++) want[i] = ((i * 7 + 3) ^ (i >> 8) ^ 0) & 0xff;
    expect(disk.subarray(16 * 512, 24 * 512).equals(want)).toBe(true);
    expect(disk.toString('latin1', 15 * 512, 15 * 512 + 16)).toBe('sector 15 of rw.');
    expect(disk.toString('latin1', 24 * 512, 24 * 512 + 16)).toBe('sector 24 of rw.');
    expect(sha(ro)).toBe(roHash);

    // Xen 2.0's sequence on the control ring, and the back-end messages behind it.
    const c = ctl!;
    const seq = c.log.map((m) => `${m.dir}:${m.type}/${m.subtype}${m.status !== undefined ? `/${m.status}` : ''}`);
    expect(seq).toEqual([
      `guest:${Cmsg.BLKIF_FE}/${CmsgBlkifFe.DRIVER_STATUS}`,
      `controller:${Cmsg.BLKIF_FE}/${CmsgBlkifFe.INTERFACE_STATUS}/1`,
      `guest:${Cmsg.BLKIF_FE}/${CmsgBlkifFe.INTERFACE_CONNECT}`,
      `controller:${Cmsg.BLKIF_FE}/${CmsgBlkifFe.INTERFACE_STATUS}/2`,
    ]);
    expect(c.blkif!.beLog).toEqual([
      { subtype: CmsgBlkifBe.CREATE, status: BlkifBeStatus.OKAY },
      { subtype: CmsgBlkifBe.VBD_CREATE, status: BlkifBeStatus.OKAY },
      { subtype: CmsgBlkifBe.VBD_CREATE, status: BlkifBeStatus.OKAY },
      { subtype: CmsgBlkifBe.CONNECT, status: BlkifBeStatus.OKAY },
    ]);
    const bb = c.blkif!.blkback;
    // 1 probe; xbd0: write, read, 2-segment read, (past the end); xbd1: (write), read; 6 hostile.
    expect(bb.stats).toMatchObject({ probes: 1, writes: 1, reads: 3, sectorsWritten: 8, sectorsRead: 17, errors: 8 });
    // Every data page went through a grant map (probe 1, write 1, reads 1 + 2 + 1).
    expect(bb.stats.grantMaps).toBe(6);
    expect(bb.errors.join('\n')).toMatch(/read-only; a writable mapping was asked/);
    expect(bb.errors.join('\n')).toMatch(/frame 0x0 cannot be mapped/);
    expect(bb.errors.join('\n')).toMatch(/does not permit domain 0/);
    expect(bb.errors.join('\n')).toMatch(/out of range/);
    expect(bb.errors.join('\n')).toMatch(/write to read-only xbd1/);

    // No mapping outlived its request; the domain's end leaves none and the invariants hold.
    const xen = xenRef!;
    expect(grantHolds(xen)).toEqual([]);
    expect(checkInvariants(xen)).toEqual([]);
    c.close();
    expect(c.blkif!.beLog.slice(4).map((e) => e.subtype)).toEqual([CmsgBlkifBe.DISCONNECT, CmsgBlkifBe.VBD_DESTROY, CmsgBlkifBe.VBD_DESTROY, CmsgBlkifBe.DESTROY]);
    expect(xen.foreign).toEqual([]);
    expect(checkInvariants(xen)).toEqual([]);
  }, 120_000);

  it('a disk image that does not exist is refused by VBD_CREATE and the guest sees no disk', async () => {
    const img = await buildBlkProbe();
    let ctl: DomainController | undefined;
    const r = runXenImage(img, {
      memoryMB: 8,
      maxSteps: 50e6,
      onBuilt: ({ xen, dom }) => void (ctl = new DomainController(xen, dom, { disks: [parseDiskSpec('file:/nonexistent/disk.img,xbd0,w')] })),
    });
    expect(ctl!.blkif!.beLog[1]).toEqual({ subtype: CmsgBlkifBe.VBD_CREATE, status: BlkifBeStatus.PHYSDEV_NOT_FOUND });
    expect(ctl!.blkif!.blkback.errors[0]).toMatch(/\/nonexistent\/disk.img: ENOENT/);
    expect(r.console).toContain('blk: FAIL probe');
    expect(r.outcome).toBe('shutdown');
  }, 120_000);

  it("the domain's end releases a grant mapping the guest still holds", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-blk-'));
    const rw = image(dir, 'rw.img');
    const img = await buildBlkProbe(['PROBE_HOLD_GRANT=1']);
    const r = runXenImage(img, {
      memoryMB: 8,
      maxSteps: 50e6,
      onBuilt: ({ xen, dom }) => void new DomainController(xen, dom, { disks: [parseDiskSpec(`file:${rw},xbd0,w`)] }),
    });
    expect(r.console, r.console).toContain('blk: holding a mapping of grant 9 at shutdown');
    expect(r.outcome).toBe('shutdown');
    // The hypercall succeeded (counted), and nothing of it is left.
    expect(r.counts.grant_table_op).toBe(2);
    expect(grantHolds(r.xen)).toEqual([]);
    expect(checkInvariants(r.xen)).toEqual([]);
  }, 120_000);
});
