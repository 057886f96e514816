/*
 * The domain controller's block half (xend's blkif.py in Xen 2.0.6, with the
 * message layouts of domain_controller.h at xen-project/xen 1fbd84c81a): it
 * turns the guest's CMSG_BLKIF_FE messages into CMSG_BLKIF_BE messages for
 * blkback, as real blkif_be_*_t bytes, and reports the interface's status back.
 *
 * When the domain is configured with disks (`--disk`): BE CREATE{domid, 0}, then
 * VBD_CREATE{vdevice, readonly} per disk. Then the guest's sequence
 * (xb_blkfront.c's wait_for_blkif / blkif_status / blkif_connect):
 *   guest DRIVER_STATUS{UP}            -> response {UP, max_handle}, then
 *   controller INTERFACE_STATUS{0, DISCONNECTED}
 *   guest INTERFACE_CONNECT{0, ring}   -> response; an interdomain channel is
 *                                         bound; BE CONNECT{ring, dom0's port}
 *   controller INTERFACE_STATUS{0, CONNECTED, the guest's port, domid 0}
 * (domid is whom the guest grants its buffers to). DISCONNECT undoes the
 * connection; QUERY is answered in place; an interface that does not exist is
 * CLOSED.
 */
import {
  BlkifBeStatus,
  BlkifDriverStatus,
  BlkifInterfaceStatus,
  Cmsg,
  CmsgBlkifBe,
  CmsgBlkifFe,
  LAYOUT,
} from '../xen-abi/index.js';
import { bindInterdomain, closePort, releaseGrants, type Domain, type Xen } from '../hypervisor/index.js';
import { Blkback, type DiskSpec } from './blkback.js';
import type { ControlMessage } from './controller.js';

export class BlkifControl {
  readonly blkback: Blkback;
  /** The back end's answers to the controller's BE messages, in order: subtype and status. */
  readonly beLog: { subtype: number; status: number }[] = [];
  private state: number = BlkifInterfaceStatus.CLOSED;
  private ports = { dom0: 0, guest: 0 };

  constructor(
    readonly xen: Xen,
    readonly guest: Domain,
    disks: DiskSpec[],
    private readonly post: (m: ControlMessage) => void,
  ) {
    this.blkback = new Blkback(xen, guest, disks);
    if (this.be(CmsgBlkifBe.CREATE, this.beBody(LAYOUT.blkif_be_create_t.size)) !== BlkifBeStatus.OKAY) return;
    for (const d of disks) {
      const F = LAYOUT.blkif_be_vbd_create_t.fields;
      const b = this.beBody(LAYOUT.blkif_be_vbd_create_t.size);
      const dv = new DataView(b.buffer);
      dv.setUint32(F.pdevice.offset, d.vdevice, true);
      dv.setUint16(F.vdevice.offset, d.vdevice, true);
      dv.setUint16(F.readonly.offset, d.writable ? 0 : 1, true);
      this.be(CmsgBlkifBe.VBD_CREATE, b);
    }
    this.state = BlkifInterfaceStatus.DISCONNECTED;
    xen.dom0.backends.push(this.blkback);
  }

  /** A blkif_be_*_t of `size` bytes for this domain's interface 0. */
  private beBody(size: number): Uint8Array {
    const b = new Uint8Array(size);
    new DataView(b.buffer).setUint16(0, this.guest.id, true);
    return b;
  }

  private be(subtype: number, body: Uint8Array): number {
    const status = this.blkback.control(subtype, body);
    this.beLog.push({ subtype, status });
    return status;
  }

  /** A guest CMSG_BLKIF_FE request: the response body (written in place). */
  handle(msg: ControlMessage): Uint8Array {
    const dv = new DataView(msg.body.buffer, msg.body.byteOffset, msg.body.length);
    const u32 = (o: number): number => (o + 4 <= msg.body.length ? dv.getUint32(o, true) : 0);
    switch (msg.subtype) {
      case CmsgBlkifFe.DRIVER_STATUS: {
        const up = u32(0) === BlkifDriverStatus.UP;
        const out = new Uint8Array(LAYOUT.blkif_fe_driver_status_t.size);
        const o = new DataView(out.buffer);
        o.setUint32(0, up ? BlkifDriverStatus.UP : BlkifDriverStatus.DOWN, true);
        o.setUint32(4, this.state !== BlkifInterfaceStatus.CLOSED ? 1 : 0, true);
        if (up) this.report(0);
        else this.disconnect();
        return out;
      }
      case CmsgBlkifFe.INTERFACE_CONNECT: {
        const F = LAYOUT.blkif_fe_interface_connect_t.fields;
        const handle = u32(F.handle.offset);
        if (handle !== 0 || this.state !== BlkifInterfaceStatus.DISCONNECTED) {
          this.report(handle);
          return new Uint8Array(0);
        }
        // xend: channel.eventChannel(backend, frontend), then BE_CONNECT to blkback.
        const b = bindInterdomain(this.xen, 0, true, 0, 0, this.guest.id, 0);
        if (b.rc === 0) {
          const C = LAYOUT.blkif_be_connect_t.fields;
          const body = this.beBody(LAYOUT.blkif_be_connect_t.size);
          const o = new DataView(body.buffer);
          o.setUint32(C.shmem_frame.offset, u32(F.shmem_frame.offset), true);
          o.setUint32(C.evtchn.offset, b.port1, true);
          if (this.be(CmsgBlkifBe.CONNECT, body) === BlkifBeStatus.OKAY) {
            this.ports = { dom0: b.port1, guest: b.port2 };
            this.state = BlkifInterfaceStatus.CONNECTED;
          } else closePort(this.xen, this.xen.dom0, b.port1);
        }
        this.report(0);
        return new Uint8Array(0);
      }
      case CmsgBlkifFe.INTERFACE_DISCONNECT:
        this.disconnect();
        this.report(u32(0));
        return new Uint8Array(0);
      case CmsgBlkifFe.INTERFACE_QUERY:
        return this.status(u32(0));
      default:
        return new Uint8Array(0);
    }
  }

  private disconnect(): void {
    if (this.state !== BlkifInterfaceStatus.CONNECTED) return;
    this.be(CmsgBlkifBe.DISCONNECT, this.beBody(LAYOUT.blkif_be_create_t.size));
    closePort(this.xen, this.xen.dom0, this.ports.dom0);
    this.ports = { dom0: 0, guest: 0 };
    this.state = BlkifInterfaceStatus.DISCONNECTED;
  }

  /** blkif_fe_interface_status_t for `handle` (CLOSED for one that does not exist). */
  private status(handle: number): Uint8Array {
    const F = LAYOUT.blkif_fe_interface_status_t.fields;
    const out = new Uint8Array(LAYOUT.blkif_fe_interface_status_t.size);
    const o = new DataView(out.buffer);
    const exists = handle === 0 && this.state !== BlkifInterfaceStatus.CLOSED;
    o.setUint32(F.handle.offset, handle, true);
    o.setUint32(F.status.offset, exists ? this.state : BlkifInterfaceStatus.CLOSED, true);
    o.setUint16(F.evtchn.offset, exists && this.state === BlkifInterfaceStatus.CONNECTED ? this.ports.guest : 0, true);
    o.setUint16(F.domid.offset, 0, true);
    return out;
  }

  private report(handle: number): void {
    this.post({ type: Cmsg.BLKIF_FE, subtype: CmsgBlkifFe.INTERFACE_STATUS, id: 0, body: this.status(handle) });
  }

  /**
   * The domain's end: the interface is disconnected and destroyed, and every
   * grant mapping of the domain's (held by it or of its grants) is released.
   */
  close(): void {
    this.disconnect();
    if (this.state !== BlkifInterfaceStatus.CLOSED) {
      for (const d of this.blkback.devices) {
        const b = this.beBody(LAYOUT.blkif_be_create_t.size + 4);
        new DataView(b.buffer).setUint16(8, d.device, true);
        this.be(CmsgBlkifBe.VBD_DESTROY, b);
      }
      this.be(CmsgBlkifBe.DESTROY, this.beBody(LAYOUT.blkif_be_create_t.size));
    }
    this.blkback.close();
    releaseGrants(this.xen, this.guest.id);
    this.state = BlkifInterfaceStatus.CLOSED;
    const k = this.xen.dom0.backends.indexOf(this.blkback);
    if (k >= 0) this.xen.dom0.backends.splice(k, 1);
  }
}
