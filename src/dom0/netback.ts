/*
 * netback: domain 0's end of a guest's network interface, after Xen 2.0.6's
 * netif.h and the shape of its netback (net_tx_action, net_rx_action): two ring
 * pages the guest gave in INTERFACE_CONNECT, an interdomain event channel, and a
 * FrameLink to the real network (tap-link.ts).
 *
 *  - transmit: for each request (12 bytes: machine address with page offset, id,
 *    size) the packet must lie in one page the guest owns and be an Ethernet frame
 *    (14..1514 bytes); it is copied out and sent; the response (id, status) goes
 *    in the same ring at resp_prod, and req_cons shadows the back end's consumer;
 *  - receive by page flipping: each frame from the network takes one of the
 *    guest's posted buffers (an rx request, whose page the guest already gave back
 *    with decrease_reservation); a page of domain 0's is zeroed, the frame copied
 *    in at RX_OFFSET, the page reassigned to the guest (transferFrame: only into
 *    its headroom), and the response carries the page's machine address plus the
 *    offset, and the length; domain 0 refills its pool with increase_reservation;
 *  - an event goes to the guest when a response producer reaches the ring's
 *    `event` threshold (make_tx_response / make_rx_response).
 *
 * The ring pages are held with foreign mappings (a reference and a writable use
 * each) while connected, so the guest cannot free or retype them under us.
 * Frames that arrive while no buffer is posted wait in a bounded queue.
 */
import { LAYOUT, NETIF_RX_RING_SIZE, NETIF_TX_RING_SIZE, NetifRsp } from '../xen-abi/index.js';
import { allocFrame, mapForeign, sendOn, transferFrame, unmapForeign, type BackEnd, type Domain, type Xen } from '../hypervisor/index.js';
import type { FrameLink } from './tap-link.js';

/** Where in a flipped page the received frame starts (the response's address carries it). */
export const RX_OFFSET = 16;
const ETH_HLEN = 14;
const ETH_FRAME_LEN = 1514;
/** Frames held while the guest has no receive buffer posted. */
const RX_BACKLOG = 256;
/** Steps charged per packet moved (about a validated page-table update's host cost). */
const PACKET_COST = 1000;

export interface NetbackStats {
  txPackets: number;
  txErrors: number;
  rxPackets: number;
  rxDropped: number;
  rxFlipRefused: number;
}

export class Netback implements BackEnd {
  readonly stats: NetbackStats = { txPackets: 0, txErrors: 0, rxPackets: 0, rxDropped: 0, rxFlipRefused: 0 };
  private ring?: { tx: number; rx: number; port: number };
  private txReqCons = 0;
  private txRespProd = 0;
  private rxReqCons = 0;
  private rxRespProd = 0;
  private readonly backlog: Uint8Array[] = [];

  constructor(
    readonly xen: Xen,
    readonly guest: Domain,
    readonly link: FrameLink,
  ) {}

  get connected(): boolean {
    return this.ring !== undefined;
  }

  /**
   * BE_CONNECT: takes the two ring frames (they must be the guest's and writable)
   * and domain 0's end of the channel. False, with nothing held, when refused.
   */
  connect(txFrame: number, rxFrame: number, port: number): boolean {
    if (this.ring || txFrame === rxFrame) return false;
    if (!mapForeign(this.xen, this.guest.id, txFrame)) return false;
    if (!mapForeign(this.xen, this.guest.id, rxFrame)) {
      unmapForeign(this.xen, txFrame);
      return false;
    }
    const tx = txFrame * 4096, rx = rxFrame * 4096;
    const T = LAYOUT.netif_tx_interface_t.fields, R = LAYOUT.netif_rx_interface_t.fields;
    const dv = this.xen.mem.dv;
    // Start where the guest's producers are (a fresh ring has them at 0).
    this.txReqCons = this.txRespProd = dv.getUint32(tx + T.req_prod.offset, true);
    this.rxReqCons = this.rxRespProd = dv.getUint32(rx + R.req_prod.offset, true);
    dv.setUint32(tx + T.req_cons.offset, this.txReqCons, true);
    dv.setUint32(tx + T.resp_prod.offset, this.txRespProd, true);
    dv.setUint32(rx + R.resp_prod.offset, this.rxRespProd, true);
    this.ring = { tx: txFrame, rx: rxFrame, port };
    this.xen.dom0.backends.push(this);
    return true;
  }

  disconnect(): void {
    if (!this.ring) return;
    unmapForeign(this.xen, this.ring.tx);
    unmapForeign(this.xen, this.ring.rx);
    this.ring = undefined;
    const k = this.xen.dom0.backends.indexOf(this);
    if (k >= 0) this.xen.dom0.backends.splice(k, 1);
  }

  poll(charge: (steps: number) => void): boolean {
    if (!this.ring) return false;
    let did = this.transmit(charge);
    for (let f = this.link.receive(); f; f = this.link.receive()) {
      if (this.backlog.length >= RX_BACKLOG) this.stats.rxDropped++;
      else this.backlog.push(f);
    }
    if (this.backlog.length && this.receive(charge)) did = true;
    return did;
  }

  wait(ms: number): boolean {
    return this.ring !== undefined && this.link.wait(ms);
  }

  /** net_tx_action: every request up to req_prod (at most a ring's worth per call). */
  private transmit(charge: (steps: number) => void): boolean {
    const r = this.ring!;
    const xen = this.xen, dv = xen.mem.dv, m = xen.mem;
    const base = r.tx * 4096;
    const T = LAYOUT.netif_tx_interface_t.fields;
    const Q = LAYOUT.netif_tx_request_t.fields, P = LAYOUT.netif_tx_response_t.fields;
    const E = LAYOUT.netif_tx_entry_t.size;
    const prod = dv.getUint32(base + T.req_prod.offset, true);
    let n = Math.min((prod - this.txReqCons) >>> 0, NETIF_TX_RING_SIZE);
    if (n === 0) return false;
    let notify = false;
    for (; n > 0; n--) {
      charge(PACKET_COST);
      const slot = base + T.ring.offset + E * (this.txReqCons & (NETIF_TX_RING_SIZE - 1));
      const addr = dv.getUint32(slot + Q.addr.offset, true);
      const id = dv.getUint16(slot + Q.id.offset, true);
      const size = dv.getUint16(slot + Q.size.offset, true);
      this.txReqCons = (this.txReqCons + 1) >>> 0;
      const frame = addr >>> 12, off = addr & 0xfff;
      let status: number = NetifRsp.OKAY;
      // The packet must be an Ethernet frame within one page of the guest's own
      // (2.0 maps it with update_va_mapping_otherdomain, which checks ownership).
      if (size < ETH_HLEN || size > ETH_FRAME_LEN || off + size > 4096 || !m.isFrame(frame) || m.owner[frame] !== this.guest.id) {
        status = NetifRsp.ERROR;
        this.stats.txErrors++;
      } else {
        this.link.send(m.u8.slice(frame * 4096 + off, frame * 4096 + off + size));
        this.stats.txPackets++;
      }
      const rslot = base + T.ring.offset + E * (this.txRespProd & (NETIF_TX_RING_SIZE - 1));
      dv.setUint16(rslot + P.id.offset, id, true);
      dv.setInt8(rslot + P.status.offset, status);
      this.txRespProd = (this.txRespProd + 1) >>> 0;
      dv.setUint32(base + T.req_cons.offset, this.txReqCons, true);
      dv.setUint32(base + T.resp_prod.offset, this.txRespProd, true);
      if (this.txRespProd === dv.getUint32(base + T.event.offset, true)) notify = true;
    }
    if (notify) sendOn(xen, xen.dom0, r.port);
    return true;
  }

  /** net_rx_action: one flipped page per backlog frame, while the guest has buffers posted. */
  private receive(charge: (steps: number) => void): boolean {
    const r = this.ring!;
    const xen = this.xen, dv = xen.mem.dv, m = xen.mem;
    const base = r.rx * 4096;
    const R = LAYOUT.netif_rx_interface_t.fields;
    const Q = LAYOUT.netif_rx_request_t.fields, P = LAYOUT.netif_rx_response_t.fields;
    const E = LAYOUT.netif_rx_entry_t.size;
    let did = false, notify = false;
    while (this.backlog.length) {
      const prod = dv.getUint32(base + R.req_prod.offset, true);
      if (((prod - this.rxReqCons) >>> 0) === 0 || ((prod - this.rxReqCons) >>> 0) > NETIF_RX_RING_SIZE) break;
      charge(PACKET_COST);
      const frame = this.backlog.shift()!;
      const id = dv.getUint16(base + R.ring.offset + E * (this.rxReqCons & (NETIF_RX_RING_SIZE - 1)) + Q.id.offset, true);
      this.rxReqCons = (this.rxReqCons + 1) >>> 0;
      const len = Math.min(frame.length, 4096 - RX_OFFSET);
      const page = xen.dom0.frames.find((f) => m.refs[f] === 1 && m.typeCount[f] === 0);
      let addr = 0;
      let status: number;
      if (page === undefined) {
        status = NetifRsp.DROPPED;
        this.stats.rxDropped++;
      } else {
        m.zeroFrame(page);
        m.u8.set(frame.subarray(0, len), page * 4096 + RX_OFFSET);
        if (transferFrame(xen, page, xen.dom0, this.guest)) {
          addr = page * 4096 + RX_OFFSET;
          status = len;
          this.stats.rxPackets++;
          allocFrame(xen, xen.dom0);
        } else {
          status = NetifRsp.ERROR;
          this.stats.rxFlipRefused++;
        }
      }
      const slot = base + R.ring.offset + E * (this.rxRespProd & (NETIF_RX_RING_SIZE - 1));
      dv.setUint32(slot + P.addr.offset, addr, true);
      dv.setUint32(slot + P.addr.offset + 4, 0, true);
      dv.setUint16(slot + P.id.offset, id, true);
      dv.setInt16(slot + P.status.offset, status, true);
      this.rxRespProd = (this.rxRespProd + 1) >>> 0;
      dv.setUint32(base + R.resp_prod.offset, this.rxRespProd, true);
      if (this.rxRespProd === dv.getUint32(base + R.event.offset, true)) notify = true;
      did = true;
    }
    if (notify) sendOn(xen, xen.dom0, r.port);
    return did;
  }
}
