/*
 * The domain controller (Xen 2.0's xend + xcs, in TypeScript): the guest half
 * is the control interface of domain_controller.h, control_if_t at shared_info +
 * CONTROL_IF_OFFSET with 8-entry rings of 64-byte control_msg_t, on the channel
 * whose guest end start_info.domain_controller_evtchn names (bound by the
 * builder); the back-end half is plain function calls into netback.
 *
 * The guest's requests arrive on tx_ring (up to tx_req_prod) and are answered in
 * place (type, subtype and id echoed; tx_resp_prod advances); the controller's own
 * requests go on rx_ring (rx_req_prod) and the guest answers them there
 * (rx_resp_prod). For the network front end (CMSG_NETIF_FE) the sequence is
 * Xen 2.0.6's (netfront.c, xend's netif.py, wave2.md §3.2):
 *   guest DRIVER_STATUS{UP}            -> response {UP, max_handle}, then
 *   controller INTERFACE_STATUS{0, DISCONNECTED, mac}
 *   guest INTERFACE_CONNECT{0, tx, rx} -> response; an interdomain channel is
 *                                         bound, netback takes the ring frames;
 *   controller INTERFACE_STATUS{0, CONNECTED, evtchn (the guest's end), mac, domid 0}
 * DISCONNECT undoes the connection (status DISCONNECTED); QUERY is answered in
 * place; a request for an interface that does not exist gets status CLOSED.
 * CMSG_BLKIF_FE messages go to the block half (blkif-control.ts) when the domain
 * has disks. Messages of other types are answered with an empty response, as
 * ctrl_if's default handler does.
 */
import { Cmsg, CmsgNetifFe, CONTROL_IF_OFFSET, CONTROL_RING_SIZE, LAYOUT, NetifDriverStatus, NetifInterfaceStatus } from '../xen-abi/index.js';
import { bindInterdomain, closePort, sendOn, type BackEnd, type Domain, type Xen } from '../hypervisor/index.js';
import { Netback } from './netback.js';
import type { FrameLink } from './tap-link.js';
import { BlkifControl } from './blkif-control.js';
import type { DiskSpec } from './blkback.js';

export interface ControllerOptions {
  /** The guest's network interface (handle 0): its link to the network and MAC. */
  net?: { link: FrameLink; mac?: Uint8Array };
  /** The guest's virtual block devices (interface 0), served by blkback. */
  disks?: DiskSpec[];
}

/** One message as the controller sees it. */
export interface ControlMessage {
  type: number;
  subtype: number;
  id: number;
  body: Uint8Array;
}

/** Xen 2.0's xm chooses MACs under the OUI AA:00:00; ours end in the domain id and the handle. */
export function defaultMac(domid: number): Uint8Array {
  return Uint8Array.from([0xaa, 0, 0, 0, domid & 0xff, 0x01]);
}

export class DomainController implements BackEnd {
  /** Every message in order, for tests and traces: direction, type, subtype. */
  readonly log: { dir: 'guest' | 'controller'; type: number; subtype: number; status?: number }[] = [];
  readonly netback?: Netback;
  readonly blkif?: BlkifControl;
  readonly mac: Uint8Array;
  private txReqCons = 0;
  private readonly outbox: ControlMessage[] = [];
  private readonly port: number;
  private netState: number = NetifInterfaceStatus.CLOSED;
  private netPort = { dom0: 0, guest: 0 };

  constructor(
    readonly xen: Xen,
    readonly guest: Domain,
    opts: ControllerOptions = {},
  ) {
    const c = guest.evtchn[guest.controlEvtchn];
    if (!c || c.kind !== 'interdomain' || c.remote !== 0) throw new Error(`internal error: domain ${guest.id} has no control channel`);
    this.port = c.remotePort;
    this.mac = opts.net?.mac ?? defaultMac(guest.id);
    if (opts.net) {
      this.netback = new Netback(xen, guest, opts.net.link);
      this.netState = NetifInterfaceStatus.DISCONNECTED;
    }
    if (opts.disks?.length) this.blkif = new BlkifControl(xen, guest, opts.disks, (m) => this.outbox.push(m));
    xen.dom0.backends.push(this);
  }

  private get base(): number {
    return this.guest.sharedInfoMfn * 4096 + CONTROL_IF_OFFSET;
  }

  poll(charge: (steps: number) => void): boolean {
    const dv = this.xen.mem.dv;
    const F = LAYOUT.control_if_t.fields;
    const M = LAYOUT.control_msg_t;
    let did = false;
    const prod = dv.getUint32(this.base + F.tx_req_prod.offset, true);
    // At most a ring's worth per call, whatever the guest wrote in its producer.
    for (let n = Math.min((prod - this.txReqCons) >>> 0, CONTROL_RING_SIZE); n > 0; n--) {
      charge(1000);
      const slot = this.base + F.tx_ring.offset + M.size * (this.txReqCons & (CONTROL_RING_SIZE - 1));
      const u8 = this.xen.mem.u8;
      const len = Math.min(u8[slot + M.fields.length.offset]!, 60);
      const msg: ControlMessage = {
        type: u8[slot]!,
        subtype: u8[slot + 1]!,
        id: u8[slot + 2]!,
        body: u8.slice(slot + M.fields.msg.offset, slot + M.fields.msg.offset + len),
      };
      this.log.push({ dir: 'guest', type: msg.type, subtype: msg.subtype });
      const reply = this.handle(msg);
      // The response replaces the request in its slot (ctrl_if's tx ring).
      u8.fill(0, slot + M.fields.msg.offset, slot + M.size);
      u8[slot + M.fields.length.offset] = reply.length;
      u8.set(reply, slot + M.fields.msg.offset);
      this.txReqCons = (this.txReqCons + 1) >>> 0;
      dv.setUint32(this.base + F.tx_resp_prod.offset, this.txReqCons, true);
      did = true;
    }
    if (this.flushOutbox()) did = true;
    if (did) sendOn(this.xen, this.xen.dom0, this.port);
    return did;
  }

  /** A guest request: returns the response body (written in place). */
  private handle(msg: ControlMessage): Uint8Array {
    if (msg.type === Cmsg.BLKIF_FE && this.blkif) return this.blkif.handle(msg);
    if (msg.type !== Cmsg.NETIF_FE) return new Uint8Array(0);
    const dv = new DataView(msg.body.buffer, msg.body.byteOffset, msg.body.length);
    const u32 = (o: number): number => (o + 4 <= msg.body.length ? dv.getUint32(o, true) : 0);
    switch (msg.subtype) {
      case CmsgNetifFe.DRIVER_STATUS: {
        const up = u32(0) === NetifDriverStatus.UP;
        const out = new Uint8Array(LAYOUT.netif_fe_driver_status_t.size);
        const o = new DataView(out.buffer);
        o.setUint32(0, up ? NetifDriverStatus.UP : NetifDriverStatus.DOWN, true);
        o.setUint32(4, this.netback ? 1 : 0, true);
        if (up) this.reportStatus(0);
        else this.disconnect();
        return out;
      }
      case CmsgNetifFe.INTERFACE_CONNECT: {
        const F = LAYOUT.netif_fe_interface_connect_t.fields;
        const handle = u32(F.handle.offset);
        if (handle !== 0 || !this.netback || this.netState !== NetifInterfaceStatus.DISCONNECTED) {
          this.reportStatus(handle);
          return new Uint8Array(0);
        }
        const tx = u32(F.tx_shmem_frame.offset), rx = u32(F.rx_shmem_frame.offset);
        // xend: channel.eventChannel(backend, frontend), then BE_CONNECT to netback.
        const b = bindInterdomain(this.xen, 0, true, 0, 0, this.guest.id, 0);
        if (b.rc === 0 && this.netback.connect(tx, rx, b.port1)) {
          this.netPort = { dom0: b.port1, guest: b.port2 };
          this.netState = NetifInterfaceStatus.CONNECTED;
        } else if (b.rc === 0) closePort(this.xen, this.xen.dom0, b.port1);
        this.reportStatus(0);
        return new Uint8Array(0);
      }
      case CmsgNetifFe.INTERFACE_DISCONNECT:
        this.disconnect();
        this.reportStatus(u32(0));
        return new Uint8Array(0);
      case CmsgNetifFe.INTERFACE_QUERY:
        return this.status(u32(0));
      default:
        return new Uint8Array(0);
    }
  }

  private disconnect(): void {
    if (this.netState !== NetifInterfaceStatus.CONNECTED || !this.netback) return;
    this.netback.disconnect();
    closePort(this.xen, this.xen.dom0, this.netPort.dom0);
    this.netPort = { dom0: 0, guest: 0 };
    this.netState = NetifInterfaceStatus.DISCONNECTED;
  }

  /** netif_fe_interface_status_t for `handle` (CLOSED for one that does not exist). */
  private status(handle: number): Uint8Array {
    const F = LAYOUT.netif_fe_interface_status_t.fields;
    const out = new Uint8Array(LAYOUT.netif_fe_interface_status_t.size);
    const o = new DataView(out.buffer);
    const exists = handle === 0 && this.netback !== undefined;
    o.setUint32(F.handle.offset, handle, true);
    o.setUint32(F.status.offset, exists ? this.netState : NetifInterfaceStatus.CLOSED, true);
    o.setUint16(F.evtchn.offset, exists && this.netState === NetifInterfaceStatus.CONNECTED ? this.netPort.guest : 0, true);
    if (exists) out.set(this.mac, F.mac.offset);
    o.setUint16(F.domid.offset, 0, true);
    return out;
  }

  /** Queues INTERFACE_STATUS for `handle` on the controller's ring to the guest. */
  private reportStatus(handle: number): void {
    const body = this.status(handle);
    this.outbox.push({ type: Cmsg.NETIF_FE, subtype: CmsgNetifFe.INTERFACE_STATUS, id: 0, body });
  }

  /** Moves queued messages onto rx_ring while it has room (the guest answers at rx_resp_prod). */
  private flushOutbox(): boolean {
    const dv = this.xen.mem.dv, u8 = this.xen.mem.u8;
    const F = LAYOUT.control_if_t.fields;
    const M = LAYOUT.control_msg_t;
    let did = false;
    while (this.outbox.length) {
      const prod = dv.getUint32(this.base + F.rx_req_prod.offset, true);
      const done = dv.getUint32(this.base + F.rx_resp_prod.offset, true);
      if (((prod - done) >>> 0) >= CONTROL_RING_SIZE) break;
      const msg = this.outbox.shift()!;
      const slot = this.base + F.rx_ring.offset + M.size * (prod & (CONTROL_RING_SIZE - 1));
      u8.fill(0, slot, slot + M.size);
      u8[slot] = msg.type;
      u8[slot + 1] = msg.subtype;
      u8[slot + 2] = msg.id;
      u8[slot + 3] = msg.body.length;
      u8.set(msg.body, slot + M.fields.msg.offset);
      dv.setUint32(this.base + F.rx_req_prod.offset, (prod + 1) >>> 0, true);
      this.log.push({ dir: 'controller', type: msg.type, subtype: msg.subtype, status: new DataView(msg.body.buffer).getUint32(4, true) });
      did = true;
    }
    return did;
  }

  /** Ends the controller and its back ends (the domain is gone). */
  close(): void {
    this.disconnect();
    this.blkif?.close();
    const k = this.xen.dom0.backends.indexOf(this);
    if (k >= 0) this.xen.dom0.backends.splice(k, 1);
  }
}
