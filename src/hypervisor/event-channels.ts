/*
 * Event channels, after Xen 2.0's xen/common/event_channel.c: every domain (the
 * guests and domain 0) has a table of ports; a port is free, bound to a virtual
 * IRQ, unbound (awaiting a binding from one named domain), or interdomain (bound to
 * <remote domain, remote port>). Sending on an interdomain port raises the remote
 * end: for a guest, the pending bits in its shared_info (evtchn_set_pending); for
 * domain 0, whose ends are TypeScript back ends, the port is queued and its
 * handler runs when the hypervisor next services domain 0 (Dom0.service).
 *
 * Invariants (checked by invariants.ts): an interdomain port's remote end is an
 * interdomain port that names it back; an unbound port names an existing domain;
 * virqPort and the table agree; port 0 is never allocated (Xen 2.0 reserves it
 * for VIRQ_MISDIRECT).
 */
import { LAYOUT, NR_EVENT_CHANNELS } from '../xen-abi/index.js';
import type { Xen } from './xen.js';

export type EvtchnState =
  | { kind: 'free' }
  | { kind: 'virq'; virq: number }
  | { kind: 'unbound'; remote: number }
  | { kind: 'interdomain'; remote: number; remotePort: number };

/** A domain as the event-channel code sees it (a guest Domain or Dom0). */
export interface EvtchnDomain {
  readonly id: number;
  readonly evtchn: EvtchnState[];
  readonly virqPort: Map<number, number>;
}

export const ESRCH = 3;
export const ENOSPC = 28;
export const EINVAL = 22;
export const EPERM = 1;

/** The lowest free port above 0, growing the table up to NR_EVENT_CHANNELS; or -ENOSPC. */
export function getFreePort(d: EvtchnDomain): number {
  let port = 1;
  while (port < d.evtchn.length && d.evtchn[port]!.kind !== 'free') port++;
  if (port >= NR_EVENT_CHANNELS) return -ENOSPC;
  while (d.evtchn.length <= port) d.evtchn.push({ kind: 'free' });
  return port;
}

export interface BindResult {
  rc: number;
  port1: number;
  port2: number;
}

/**
 * EVTCHNOP_bind_interdomain between <dom1,port1> and <dom2,port2> (a zero port is
 * allocated), with Xen 2.0's checks. `privileged` is the caller's IS_PRIV; an
 * unprivileged caller has already been required to name itself as dom1.
 */
export function bindInterdomain(xen: Xen, callerId: number, privileged: boolean, dom1: number, port1: number, dom2: number, port2: number): BindResult {
  const out = (rc: number): BindResult => ({ rc, port1, port2 });
  const d1 = xen.evtchnDomain(dom1);
  const d2 = xen.evtchnDomain(dom2);
  if (!d1 || !d2) return out(-ESRCH);
  const in1 = port1, in2 = port2;
  if (port1 === 0) {
    port1 = getFreePort(d1);
    if (port1 < 0) return out(port1);
  } else if (port1 >= NR_EVENT_CHANNELS) return out(-EINVAL);
  while (d1.evtchn.length <= port1) d1.evtchn.push({ kind: 'free' });
  if (port2 === 0) {
    // Keep port1 taken while port2 is chosen (dom1 may be dom2).
    const keep = d1.evtchn[port1]!;
    d1.evtchn[port1] = { kind: 'interdomain', remote: dom2, remotePort: 0 };
    port2 = getFreePort(d2);
    d1.evtchn[port1] = keep;
    if (port2 < 0) return out(port2);
  } else if (port2 >= NR_EVENT_CHANNELS) return out(-EINVAL);
  while (d2.evtchn.length <= port2) d2.evtchn.push({ kind: 'free' });
  const c1 = d1.evtchn[port1]!;
  switch (c1.kind) {
    case 'free':
      break;
    case 'unbound':
      if (c1.remote !== dom2) return out(-EINVAL);
      break;
    case 'interdomain':
      if (c1.remote !== dom2 || (c1.remotePort !== port2 && in2 !== 0)) return out(-EINVAL);
      return { rc: 0, port1, port2: c1.remotePort };
    default:
      return out(-EINVAL);
  }
  const c2 = d2.evtchn[port2]!;
  switch (c2.kind) {
    case 'free':
      if (!privileged && dom2 !== callerId) return out(-EPERM);
      break;
    case 'unbound':
      if (c2.remote !== dom1) return out(-EINVAL);
      break;
    case 'interdomain':
      if (c2.remote !== dom1 || (c2.remotePort !== port1 && in1 !== 0)) return out(-EINVAL);
      return { rc: 0, port1: c2.remotePort, port2 };
    default:
      return out(-EINVAL);
  }
  if (dom1 === dom2 && port1 === port2) return out(-EINVAL);
  d1.evtchn[port1] = { kind: 'interdomain', remote: dom2, remotePort: port2 };
  d2.evtchn[port2] = { kind: 'interdomain', remote: dom1, remotePort: port1 };
  return { rc: 0, port1, port2 };
}

/** EVTCHNOP_alloc_unbound: a port of `d` awaiting a binding from `remote`. */
export function allocUnbound(xen: Xen, d: EvtchnDomain, remote: number): number {
  if (!xen.evtchnDomain(remote)) return -ESRCH;
  const port = getFreePort(d);
  if (port < 0) return port;
  d.evtchn[port] = { kind: 'unbound', remote };
  return port;
}

/** EVTCHNOP_close (__evtchn_close): the remote end of an interdomain channel becomes unbound. */
export function closePort(xen: Xen, d: EvtchnDomain, port: number): number {
  const c = port > 0 ? d.evtchn[port] : undefined;
  if (!c || c.kind === 'free') return -EINVAL;
  if (c.kind === 'virq') d.virqPort.delete(c.virq);
  if (c.kind === 'interdomain') {
    const r = xen.evtchnDomain(c.remote);
    const rc = r?.evtchn[c.remotePort];
    if (r && rc?.kind === 'interdomain' && rc.remote === d.id && rc.remotePort === port) r.evtchn[c.remotePort] = { kind: 'unbound', remote: d.id };
  }
  d.evtchn[port] = { kind: 'free' };
  return 0;
}

/** EVTCHNOP_send from <d, lport>: raises the remote end. */
export function sendOn(xen: Xen, d: EvtchnDomain, lport: number): number {
  const c = d.evtchn[lport];
  if (!c || c.kind !== 'interdomain') return -EINVAL;
  xen.raiseEvent(c.remote, c.remotePort);
  return 0;
}

/**
 * evtchn_set_pending for a guest: the port's pending bit; unless the port is
 * masked, its selector bit and evtchn_upcall_pending (Xen 2.0 event.h).
 */
export function setPending(xen: Xen, sharedInfoMfn: number, port: number): void {
  const S = LAYOUT.shared_info_t.fields;
  const si = sharedInfoMfn * 4096;
  const dv = xen.mem.dv;
  const word = port >>> 5;
  const bit = 1 << (port & 31);
  const pend = si + S.evtchn_pending.offset + 4 * word;
  const old = dv.getUint32(pend, true);
  if (old & bit) return;
  dv.setUint32(pend, (old | bit) >>> 0, true);
  if (dv.getUint32(si + S.evtchn_mask.offset + 4 * word, true) & bit) return;
  const sel = si + S.evtchn_pending_sel.offset;
  dv.setUint32(sel, (dv.getUint32(sel, true) | (1 << word)) >>> 0, true);
  xen.mem.u8[si] = 1; // evtchn_upcall_pending
}

/** Violations of the channel invariants over every domain (empty when they hold). */
export function checkEventChannels(xen: Xen): string[] {
  const errs: string[] = [];
  for (const d of xen.evtchnDomains()) {
    if (d.evtchn[0] && d.evtchn[0].kind !== 'free') errs.push(`domain ${d.id}: port 0 is in use`);
    d.evtchn.forEach((c, p) => {
      if (c.kind === 'interdomain') {
        const r = xen.evtchnDomain(c.remote)?.evtchn[c.remotePort];
        if (!r || r.kind !== 'interdomain' || r.remote !== d.id || r.remotePort !== p)
          errs.push(`domain ${d.id} port ${p}: bound to <${c.remote},${c.remotePort}>, which does not name it back`);
      } else if (c.kind === 'unbound' && !xen.evtchnDomain(c.remote)) errs.push(`domain ${d.id} port ${p}: awaits domain ${c.remote}, which does not exist`);
      else if (c.kind === 'virq' && d.virqPort.get(c.virq) !== p) errs.push(`domain ${d.id} port ${p}: VIRQ ${c.virq} not in the VIRQ table`);
    });
    for (const [virq, p] of d.virqPort) {
      const c = d.evtchn[p];
      if (!c || c.kind !== 'virq' || c.virq !== virq) errs.push(`domain ${d.id}: VIRQ ${virq} names port ${p}, which is not bound to it`);
    }
  }
  return errs;
}
