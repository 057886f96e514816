/*
 * The hypercalls that move a domain through time and events: event_channel_op
 * (Xen 2.0's evtchn_op_t: VIRQs, interdomain channels, send, close, status; the
 * channel logic is event-channels.ts), console_io and sched_op (yield, block,
 * shutdown), the ones whose effects reach the run through HypercallHost.
 */
import { ConsoleIO, DOMID_SELF, EvtchnOp, EvtchnStat, LAYOUT, NR_EVENT_CHANNELS, NR_VIRQS, SchedOp } from '../xen-abi/index.js';
import { allocUnbound, bindInterdomain, closePort, getFreePort, sendOn } from './event-channels.js';
import { COST, EEXIST, EFAULT, EINVAL, ENOSYS, EPERM, fail, hex, s32, type HypercallHost } from './hypercalls-common.js';

export function eventChannelOp(h: HypercallHost, va: number): number {
  const d = h.dom;
  const b = h.mem.read(va, LAYOUT.evtchn_op_t.size);
  if (!b) return fail(h, -EFAULT, `event_channel_op: ${hex(va)} is not readable`);
  const dv = new DataView(b.buffer);
  const cmd = dv.getUint32(0, true);
  // The command's structure is the union at offset 8 (Xen 2.0 evtchn_op_t).
  const U = LAYOUT.evtchn_op_t.fields.u.offset;
  const u16 = (o: number): number => dv.getUint16(U + o, true);
  const u32 = (o: number): number => dv.getUint32(U + o, true);
  const put = (o: number, v: number): boolean => h.mem.write32((va + U + o) >>> 0, v);
  const self = (dom: number): number => (dom === DOMID_SELF ? d.id : dom);
  switch (cmd) {
    case EvtchnOp.bind_virq: {
      const virq = u32(0);
      if (virq >= NR_VIRQS) return fail(h, -EINVAL, `bind_virq: no VIRQ ${virq}`);
      if (d.virqPort.has(virq)) return fail(h, -EEXIST, `bind_virq: VIRQ ${virq} is already bound`);
      const port = getFreePort(d);
      if (port < 0) return fail(h, port, 'bind_virq: no free port');
      d.evtchn[port] = { kind: 'virq', virq };
      d.virqPort.set(virq, port);
      if (!put(4, port)) return -EFAULT;
      h.timersChanged();
      return 0;
    }
    case EvtchnOp.bind_interdomain: {
      // An unprivileged domain binds only its own end (event_channel.h note 2).
      const dom1 = u16(0), dom2 = u16(2), port1 = u32(4), port2 = u32(8);
      if (dom1 !== DOMID_SELF) return fail(h, -EPERM, `bind_interdomain: dom1 ${dom1} is not DOMID_SELF`);
      if ((port1 | 0) < 0 || (port2 | 0) < 0) return fail(h, -EINVAL, 'bind_interdomain: negative port');
      const r = bindInterdomain(h.xen, d.id, false, d.id, port1, self(dom2), port2);
      if (r.rc < 0) return fail(h, r.rc, `bind_interdomain <${d.id},${port1}> <${self(dom2)},${port2}> refused`);
      if (!put(4, r.port1) || !put(8, r.port2)) return -EFAULT;
      return 0;
    }
    case EvtchnOp.alloc_unbound: {
      const port = allocUnbound(h.xen, d, self(u16(0)));
      if (port < 0) return fail(h, port, `alloc_unbound: for domain ${u16(0)} refused`);
      return put(4, port) ? 0 : -EFAULT;
    }
    case EvtchnOp.close: {
      if (u16(0) !== DOMID_SELF) return fail(h, -EPERM, `evtchn close: domain ${u16(0)} is not DOMID_SELF`);
      const rc = closePort(h.xen, d, u32(4));
      return rc < 0 ? fail(h, rc, `evtchn close: port ${u32(4)} is not in use`) : 0;
    }
    case EvtchnOp.send: {
      const rc = sendOn(h.xen, d, u32(0));
      return rc < 0 ? fail(h, rc, `evtchn send: port ${u32(0)} is not an interdomain channel`) : 0;
    }
    case EvtchnOp.status: {
      if (u16(0) !== DOMID_SELF) return fail(h, -EPERM, `evtchn status: domain ${u16(0)} is not DOMID_SELF`);
      const port = u32(4);
      if (port >= NR_EVENT_CHANNELS) return -EINVAL;
      const s = d.evtchn[port] ?? { kind: 'free' };
      const S = EvtchnStat;
      let ok: boolean;
      switch (s.kind) {
        case 'free':
          ok = put(8, S.closed);
          break;
        case 'unbound':
          ok = put(8, S.unbound) && put(12, s.remote);
          break;
        case 'interdomain':
          ok = put(8, S.interdomain) && put(12, s.remote) && put(16, s.remotePort);
          break;
        case 'virq':
          ok = put(8, S.virq) && put(12, s.virq);
          break;
      }
      return ok ? 0 : -EFAULT;
    }
    case EvtchnOp.bind_pirq:
      return fail(h, -EPERM, 'bind_pirq: physical IRQs are for privileged domains');
    default:
      return -ENOSYS;
  }
}

export function consoleIo(h: HypercallHost, cmd: number, count: number, buf: number): number {
  if (cmd === ConsoleIO.write) {
    count = s32(count);
    if (count < 0) return -EINVAL;
    const n = Math.min(count, 1 << 16);
    h.charge(n * COST.consoleByte);
    const b = h.mem.read(buf, n);
    if (!b) return fail(h, -EFAULT, `console_io: buffer ${hex(buf)} (+${n}) is not readable`);
    h.dom.console.append(Buffer.from(b).toString('latin1'));
    return 0;
  }
  if (cmd === ConsoleIO.read) return 0;
  return -ENOSYS;
}

export function schedOp(h: HypercallHost, op: number): number {
  switch (op & SchedOp.cmdmask) {
    case SchedOp.yield:
      return 0;
    case SchedOp.block:
      h.block();
      return 0;
    case SchedOp.shutdown:
      return h.shutdown((op >>> SchedOp.reasonshift) & 0xff);
    default:
      return -ENOSYS;
  }
}
