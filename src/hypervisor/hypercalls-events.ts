/*
 * The hypercalls that move a domain through time and events: event_channel_op
 * (binding VIRQs to ports, close, status), console_io and sched_op (yield, block,
 * shutdown), the ones whose effects reach the run through HypercallHost.
 */
import { ConsoleIO, EvtchnOp, LAYOUT, NR_VIRQS, SchedOp } from '../xen-abi/index.js';
import { COST, EEXIST, EFAULT, EINVAL, ENOSYS, EPERM, fail, hex, s32, type HypercallHost } from './hypercalls-common.js';

export function eventChannelOp(h: HypercallHost, va: number): number {
  const d = h.dom;
  const b = h.mem.read(va, LAYOUT.evtchn_op_t.size);
  if (!b) return fail(h, -EFAULT, `event_channel_op: ${hex(va)} is not readable`);
  const dv = new DataView(b.buffer);
  const cmd = dv.getUint32(0, true);
  const arg0 = dv.getUint32(4, true);
  switch (cmd) {
    case EvtchnOp.bind_virq: {
      if (arg0 >= NR_VIRQS) return fail(h, -EINVAL, `bind_virq: no VIRQ ${arg0}`);
      if (d.virqPort.has(arg0)) return fail(h, -EEXIST, `bind_virq: VIRQ ${arg0} is already bound`);
      let port = 1;
      while (port < d.evtchn.length && d.evtchn[port]!.kind !== 'free') port++;
      if (port >= 1024) return -ENOSYS;
      d.evtchn[port] = { kind: 'virq', virq: arg0 };
      d.virqPort.set(arg0, port);
      if (!h.mem.write32((va + 8) >>> 0, port)) return -EFAULT;
      h.timersChanged();
      return 0;
    }
    case EvtchnOp.close: {
      const s = d.evtchn[arg0];
      if (!s || arg0 === 0 || s.kind === 'free') return fail(h, -EINVAL, `evtchn close: port ${arg0} is not in use`);
      if (s.kind === 'virq') d.virqPort.delete(s.virq);
      d.evtchn[arg0] = { kind: 'free' };
      return 0;
    }
    case EvtchnOp.send:
      return fail(h, -EINVAL, `evtchn send: port ${arg0} is not an interdomain channel`);
    case EvtchnOp.status: {
      const s = d.evtchn[arg0];
      const st = !s || s.kind === 'free' ? 0 : s.kind === 'unbound' ? 1 : 4;
      if (arg0 >= 1024) return -EINVAL;
      return h.mem.write32((va + 8) >>> 0, st) ? 0 : -EFAULT;
    }
    case EvtchnOp.bind_interdomain:
    case EvtchnOp.bind_pirq:
      return fail(h, -EPERM, `event_channel_op ${cmd}: needs another domain or physical IRQs`);
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
