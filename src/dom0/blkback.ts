/*
 * blkback: domain 0's end of a guest's block interface, after the May-2005
 * grant variant of Xen's blkif.h (xen-project/xen 1fbd84c81a, io/blkif.h and
 * io/ring.h with CONFIG_XEN_BLKDEV_GRANT) and the shape of its blkback
 * (dispatch_rw_block_io, make_response): virtual block devices backed by disk
 * image files on the host, one ring page the guest gave in INTERFACE_CONNECT,
 * and an interdomain event channel.
 *
 * The domain controller drives it with real CMSG_BLKIF_BE messages (control():
 * CREATE, VBD_CREATE, CONNECT, DISCONNECT, VBD_DESTROY, DESTROY; the status is
 * written into the message as the back end's answer).
 *
 * For each request on the ring (blkif_request_t, 60 bytes):
 *  - READ / WRITE: the VBD must exist, a WRITE needs a writable VBD, the sectors
 *    must lie on the disk; each segment's frame_and_sects names a grant
 *    reference (bits 31-16) and sectors first..last (bits 5-3, 2-0) of the
 *    granted frame. The frames are reached only through mapGrant (writable for
 *    a READ, read-only for a WRITE, as the front end grants it), all of a
 *    request's before any byte moves, and released with unmapGrant once the
 *    bytes are copied: never through a machine address the guest names. The file is read or written at sector * 512 with
 *    consecutive segments following each other;
 *  - PROBE: one vdisk_t per VBD into the granted page; status is their number;
 *  - anything else, or any refusal: status BLKIF_RSP_ERROR, nothing written.
 * Responses (id, operation, status) go at rsp_prod in the same ring and the
 * guest's channel is notified (this ring.h has no event hold-off).
 *
 * Invariants: no grant mapping outlives the request that made it; the ring page
 * is held with a foreign mapping while connected; at most a ring's worth of
 * requests is taken per poll whatever the guest wrote in req_prod.
 */
import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import {
  BLKIF_MAX_SEGMENTS_PER_REQUEST,
  BLKIF_RING_SIZE,
  BLKIF_SECTOR_SIZE,
  BlkifBeStatus,
  BlkifOp,
  BlkifRsp,
  CmsgBlkifBe,
  LAYOUT,
  VdiskFlag,
} from '../xen-abi/index.js';
import { GNTMAP_host_map, GNTMAP_readonly, mapForeign, mapGrant, sendOn, unmapForeign, unmapGrant, type BackEnd, type Domain, type Xen } from '../hypervisor/index.js';
import { Dom0Error } from './nfs-server.js';

/** A disk given to the domain: `file:PATH,xbdN,w` (or `,r`). */
export interface DiskSpec {
  path: string;
  /** The guest's name for it, xbdN. */
  name: string;
  /** The VBD number the guest sees (vdisk_t.device): N of xbdN. */
  vdevice: number;
  writable: boolean;
}

/**
 * Parses `file:PATH,xbdN,w|r` (Xen 2.0's `disk = ['file:...,xbd0,w']`). The
 * device name is xbdN; the mode w or r.
 */
export function parseDiskSpec(spec: string): DiskSpec {
  const m = /^file:(.+),(xbd(\d{1,2})),(w|r)$/.exec(spec);
  if (!m) throw new Dom0Error(`--disk ${spec}: expected file:PATH,xbdN,w or file:PATH,xbdN,r`);
  return { path: m[1]!, name: m[2]!, vdevice: Number(m[3]), writable: m[4] === 'w' };
}

export interface BlkbackStats {
  reads: number;
  writes: number;
  probes: number;
  errors: number;
  sectorsRead: number;
  sectorsWritten: number;
  grantMaps: number;
}

interface Vbd {
  spec: DiskSpec;
  fd: number;
  sectors: number;
  readonly: boolean;
}

/** Steps charged per request and per sector moved (a hypercall's and a copy's host cost). */
const REQUEST_COST = 1000;
const SECTOR_COST = 64;

export class Blkback implements BackEnd {
  readonly stats: BlkbackStats = { reads: 0, writes: 0, probes: 0, errors: 0, sectorsRead: 0, sectorsWritten: 0, grantMaps: 0 };
  /** Why the last request was refused (for tests and the console of domain 0). */
  readonly errors: string[] = [];
  private created = false;
  private readonly vbds = new Map<number, Vbd>();
  private readonly disks = new Map<number, DiskSpec>();
  private ring?: { frame: number; port: number };
  private reqCons = 0;
  private rspProd = 0;

  constructor(
    readonly xen: Xen,
    readonly guest: Domain,
    disks: DiskSpec[],
  ) {
    for (const d of disks) {
      if (this.disks.has(d.vdevice)) throw new Dom0Error(`--disk ${d.path}: ${d.name} is given twice`);
      this.disks.set(d.vdevice, d);
    }
  }

  get connected(): boolean {
    return this.ring !== undefined;
  }

  /** The VBDs as the guest will see them (device number, sectors, read-only). */
  get devices(): { device: number; sectors: number; readonly: boolean }[] {
    return [...this.vbds.entries()].map(([device, v]) => ({ device, sectors: v.sectors, readonly: v.readonly }));
  }

  /**
   * One CMSG_BLKIF_BE message from the controller: `body` is the message's
   * blkif_be_*_t; the answer is written into its status field and returned.
   */
  control(subtype: number, body: Uint8Array): number {
    const dv = new DataView(body.buffer, body.byteOffset, body.byteLength);
    const st = this.controlStatus(subtype, dv);
    const at =
      subtype === CmsgBlkifBe.CONNECT ? LAYOUT.blkif_be_connect_t.fields.status.offset
      : subtype === CmsgBlkifBe.VBD_CREATE ? LAYOUT.blkif_be_vbd_create_t.fields.status.offset
      : subtype === CmsgBlkifBe.VBD_DESTROY ? 12 // blkif_be_vbd_destroy_t: domid, pad, handle, vdevice at 8, pad, status at 12
      : LAYOUT.blkif_be_create_t.fields.status.offset;
    if (at + 4 <= body.length) dv.setUint32(at, st, true);
    return st;
  }

  private controlStatus(subtype: number, dv: DataView): number {
    const domid = dv.getUint16(0, true);
    const handle = dv.byteLength >= 8 ? dv.getUint32(4, true) : -1;
    if (domid !== this.guest.id || handle !== 0) return this.created ? BlkifBeStatus.INTERFACE_NOT_FOUND : BlkifBeStatus.ERROR;
    switch (subtype) {
      case CmsgBlkifBe.CREATE:
        if (this.created) return BlkifBeStatus.INTERFACE_EXISTS;
        this.created = true;
        return BlkifBeStatus.OKAY;
      case CmsgBlkifBe.VBD_CREATE: {
        if (!this.created) return BlkifBeStatus.INTERFACE_NOT_FOUND;
        const F = LAYOUT.blkif_be_vbd_create_t.fields;
        const vdevice = dv.getUint16(F.vdevice.offset, true);
        const ro = dv.getUint16(F.readonly.offset, true) !== 0;
        if (this.vbds.has(vdevice)) return BlkifBeStatus.VBD_EXISTS;
        // pdevice names the disk image: the VBD's own number in this domain 0.
        const spec = this.disks.get(dv.getUint32(F.pdevice.offset, true));
        if (!spec) return BlkifBeStatus.PHYSDEV_NOT_FOUND;
        let fd: number;
        try {
          fd = openSync(spec.path, ro || !spec.writable ? 'r' : 'r+');
        } catch (e) {
          this.errors.push(`${spec.path}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
          return BlkifBeStatus.PHYSDEV_NOT_FOUND;
        }
        const sectors = Math.floor(fstatSync(fd).size / BLKIF_SECTOR_SIZE);
        this.vbds.set(vdevice, { spec, fd, sectors, readonly: ro || !spec.writable });
        return BlkifBeStatus.OKAY;
      }
      case CmsgBlkifBe.VBD_DESTROY: {
        const v = this.vbds.get(dv.getUint16(8, true));
        if (!v) return BlkifBeStatus.VBD_NOT_FOUND;
        closeSync(v.fd);
        this.vbds.delete(dv.getUint16(8, true));
        return BlkifBeStatus.OKAY;
      }
      case CmsgBlkifBe.CONNECT: {
        if (!this.created) return BlkifBeStatus.INTERFACE_NOT_FOUND;
        if (this.ring) return BlkifBeStatus.INTERFACE_CONNECTED;
        const F = LAYOUT.blkif_be_connect_t.fields;
        const frame = dv.getUint32(F.shmem_frame.offset, true);
        if (!mapForeign(this.xen, this.guest.id, frame)) return BlkifBeStatus.MAPPING_ERROR;
        const S = LAYOUT.blkif_sring_t.fields;
        // Start where the guest's producer is (a fresh ring has it at 0).
        this.reqCons = this.rspProd = this.xen.mem.dv.getUint32(frame * 4096 + S.req_prod.offset, true);
        this.xen.mem.dv.setUint32(frame * 4096 + S.rsp_prod.offset, this.rspProd, true);
        this.ring = { frame, port: dv.getUint32(F.evtchn.offset, true) };
        return BlkifBeStatus.OKAY;
      }
      case CmsgBlkifBe.DISCONNECT:
        if (!this.ring) return BlkifBeStatus.OKAY;
        unmapForeign(this.xen, this.ring.frame);
        this.ring = undefined;
        return BlkifBeStatus.OKAY;
      case CmsgBlkifBe.DESTROY:
        if (this.ring) return BlkifBeStatus.INTERFACE_CONNECTED;
        this.close();
        return BlkifBeStatus.OKAY;
      default:
        return BlkifBeStatus.ERROR;
    }
  }

  /** Ends the interface: the ring page is let go and the image files closed. */
  close(): void {
    if (this.ring) unmapForeign(this.xen, this.ring.frame);
    this.ring = undefined;
    for (const v of this.vbds.values()) closeSync(v.fd);
    this.vbds.clear();
    this.created = false;
  }

  poll(charge: (steps: number) => void): boolean {
    const r = this.ring;
    if (!r) return false;
    const dv = this.xen.mem.dv;
    const base = r.frame * 4096;
    const S = LAYOUT.blkif_sring_t.fields;
    const prod = dv.getUint32(base + S.req_prod.offset, true);
    let n = Math.min((prod - this.reqCons) >>> 0, BLKIF_RING_SIZE);
    if (n === 0) return false;
    for (; n > 0; n--) {
      charge(REQUEST_COST);
      const slot = base + S.ring.offset + LAYOUT.blkif_sring_entry_t.size * (this.reqCons & (BLKIF_RING_SIZE - 1));
      // Copied out first: the guest may rewrite the slot while we work.
      const req = this.xen.mem.u8.slice(slot, slot + LAYOUT.blkif_request_t.size);
      this.reqCons = (this.reqCons + 1) >>> 0;
      const q = new DataView(req.buffer);
      const Q = LAYOUT.blkif_request_t.fields;
      const op = q.getUint8(Q.operation.offset);
      const id = q.getUint32(Q.id.offset, true);
      let status: number;
      try {
        status = this.dispatch(q, charge);
      } catch (e) {
        // The host file failed (EIO, a full disk): the guest gets an error, never a crash.
        this.errors.push(`blkback: ${(e as Error).message}`);
        status = BlkifRsp.ERROR;
      }
      if (status < 0) this.stats.errors++;
      const rslot = base + S.ring.offset + LAYOUT.blkif_sring_entry_t.size * (this.rspProd & (BLKIF_RING_SIZE - 1));
      const P = LAYOUT.blkif_response_t.fields;
      dv.setUint32(rslot + P.id.offset, id, true);
      dv.setUint8(rslot + P.operation.offset, op);
      dv.setInt16(rslot + P.status.offset, status, true);
      this.rspProd = (this.rspProd + 1) >>> 0;
      dv.setUint32(base + S.rsp_prod.offset, this.rspProd, true);
    }
    sendOn(this.xen, this.xen.dom0, r.port);
    return true;
  }

  private refuse(why: string): number {
    this.errors.push(why);
    return BlkifRsp.ERROR;
  }

  /** One request: the response status. */
  private dispatch(q: DataView, charge: (steps: number) => void): number {
    const Q = LAYOUT.blkif_request_t.fields;
    const op = q.getUint8(Q.operation.offset);
    const nseg = q.getUint8(Q.nr_segments.offset);
    const fas = (k: number): number => q.getUint32(Q.frame_and_sects.offset + 4 * k, true);
    if (nseg < 1 || nseg > BLKIF_MAX_SEGMENTS_PER_REQUEST) return this.refuse(`request with ${nseg} segments (1..${BLKIF_MAX_SEGMENTS_PER_REQUEST})`);
    if (op === BlkifOp.PROBE) return this.probe(fas(0));
    if (op !== BlkifOp.READ && op !== BlkifOp.WRITE) return this.refuse(`unknown operation ${op}`);
    const write = op === BlkifOp.WRITE;
    const device = q.getUint16(Q.device.offset, true);
    const vbd = this.vbds.get(device);
    if (!vbd) return this.refuse(`no VBD ${device}`);
    if (write && vbd.readonly) return this.refuse(`write to read-only ${vbd.spec.name}`);
    const sector = q.getBigUint64(Q.sector_number.offset, true);
    let total = 0;
    for (let k = 0; k < nseg; k++) {
      const f = fas(k);
      const first = (f >>> 3) & 7, last = f & 7;
      if (last < first) return this.refuse(`segment ${k}: sectors ${first}..${last}`);
      total += last - first + 1;
    }
    if (sector + BigInt(total) > BigInt(vbd.sectors)) return this.refuse(`sectors ${sector}+${total} beyond ${vbd.spec.name}'s ${vbd.sectors}`);
    // Every segment is mapped before any byte moves (dispatch_rw_block_io maps the
    // whole request first): a request with one bad grant touches neither the disk
    // nor the guest's memory.
    const maps: { frame: number; handle: number }[] = [];
    try {
      for (let k = 0; k < nseg; k++) {
        const m = this.map(fas(k) >>> 16, !write);
        if (typeof m === 'string') return this.refuse(`segment ${k}: ${m}`);
        maps.push(m);
      }
      let pos = Number(sector) * BLKIF_SECTOR_SIZE;
      for (let k = 0; k < nseg; k++) {
        const f = fas(k);
        const first = (f >>> 3) & 7, last = f & 7;
        const bytes = (last - first + 1) * BLKIF_SECTOR_SIZE;
        const at = maps[k]!.frame * 4096 + first * BLKIF_SECTOR_SIZE;
        const data = this.xen.mem.u8.subarray(at, at + bytes);
        if (write) writeSync(vbd.fd, data, 0, bytes, pos);
        else {
          const got = readSync(vbd.fd, data, 0, bytes, pos);
          if (got < bytes) data.fill(0, got);
        }
        charge(SECTOR_COST * (last - first + 1));
        pos += bytes;
      }
    } finally {
      for (const m of maps) unmapGrant(this.xen, 0, m.handle);
    }
    if (write) {
      this.stats.writes++;
      this.stats.sectorsWritten += total;
    } else {
      this.stats.reads++;
      this.stats.sectorsRead += total;
    }
    return BlkifRsp.OKAY;
  }

  /** map_grant_ref of the guest's `ref` for domain 0: the frame, or why not. */
  private map(ref: number, writable: boolean): { frame: number; handle: number } | string {
    const r = mapGrant(this.xen, 0, this.guest.id, ref, GNTMAP_host_map | (writable ? 0 : GNTMAP_readonly));
    if (r.status !== 0) return `grant ref ${ref}: ${this.xen.mm.log.at(-1) ?? `status ${r.status}`}`;
    this.stats.grantMaps++;
    return { frame: r.frame, handle: r.handle };
  }

  /** BLKIF_OP_PROBE: a vdisk_t per VBD into the granted page. */
  private probe(f: number): number {
    const V = LAYOUT.vdisk_t;
    const m = this.map(f >>> 16, true);
    if (typeof m === 'string') return this.refuse(`probe: ${m}`);
    const dv = this.xen.mem.dv;
    let n = 0;
    for (const [device, v] of [...this.vbds.entries()].sort((a, b) => a[0] - b[0])) {
      if ((n + 1) * V.size > 4096) break;
      const at = m.frame * 4096 + n * V.size;
      dv.setBigUint64(at + V.fields.capacity.offset, BigInt(v.sectors), true);
      dv.setUint16(at + V.fields.device.offset, device, true);
      dv.setUint16(at + V.fields.info.offset, v.readonly ? VdiskFlag.READONLY : 0, true);
      dv.setUint16(at + V.fields.sector_size.offset, BLKIF_SECTOR_SIZE, true);
      dv.setUint16(at + V.fields._pad.offset, 0, true);
      n++;
    }
    unmapGrant(this.xen, 0, m.handle);
    this.stats.probes++;
    return n;
  }
}
