/*
 * Interdomain event channels (Xen 2.0 event_channel.c): the builder binds the
 * control channel (domain 0 <-> the guest) and puts the guest's port in
 * start_info; the guest sends, closes, rebinds and asks the status with Xen 2.0's
 * evtchn_op_t (cmd, reserved, union at 8); domain 0's ends are TypeScript handlers
 * and its sends set the guest's pending bits. Refusals follow Xen's rules, and the
 * channel invariants hold after every step.
 */
import { describe, expect, it } from 'vitest';
import { LAYOUT } from '../../src/xen-abi/index.js';
import { checkInvariants, EINVAL, EPERM } from '../../src/hypervisor/index.js';
import { scratchGuest } from './xen-helpers.js';

const SELF = 0x7ff0;
const OP = { bind_interdomain: 0, bind_virq: 1, close: 3, send: 4, status: 5, alloc_unbound: 6 };

function guest() {
  const g = scratchGuest();
  const { buf, w32, call, h, xen } = g;
  const op = (cmd: number, ...u: number[]) => {
    w32(buf, cmd, 0, ...u, 0, 0, 0, 0);
    return call(16, buf);
  };
  const word = (off: number) => h.mem.read32(buf + 8 + off)!;
  const status = (port: number) => {
    expect(op(OP.status, SELF, port)).toBe(0);
    return { status: word(8), dom: word(12) & 0xffff, port: word(16) };
  };
  const S = LAYOUT.shared_info_t.fields;
  const pending = (port: number) => (xen.mem.dv.getUint32(g.dom.sharedInfoMfn * 4096 + S.evtchn_pending.offset + 4 * (port >>> 5), true) >>> (port & 31)) & 1;
  const ok = () => expect(checkInvariants(xen)).toEqual([]);
  return { ...g, op, word, status, pending, ok };
}

describe('interdomain event channels', () => {
  it('the builder binds the control channel and start_info names the guest end', () => {
    const g = guest();
    const si = g.built.layout.vStartInfo;
    const evtchn = g.h.mem.read32(si + LAYOUT.start_info_t.fields.domain_controller_evtchn.offset)! & 0xffff;
    expect(evtchn).toBe(g.dom.controlEvtchn);
    expect(evtchn).toBeGreaterThan(0);
    const st = g.status(evtchn);
    expect(st.status).toBe(2); // EVTCHNSTAT_interdomain
    expect(st.dom).toBe(0);
    expect(g.xen.dom0.evtchn[st.port]).toEqual({ kind: 'interdomain', remote: g.dom.id, remotePort: evtchn });
    g.ok();
  });

  it('a guest send runs the domain 0 handler; a domain 0 send sets the guest pending bits', () => {
    const g = guest();
    const port = g.dom.controlEvtchn;
    const d0port = g.status(port).port;
    let ran = 0;
    g.xen.dom0.onEvent(d0port, () => ran++);
    expect(g.op(OP.send, port)).toBe(0);
    expect(ran).toBe(0); // delivered at the hypervisor's next service point
    expect(g.h.serviceDom0()).toBe(true);
    expect(ran).toBe(1);
    expect(g.h.serviceDom0()).toBe(false);
    // Domain 0 raises the guest: pending bit, selector, upcall pending.
    g.xen.raiseEvent(g.dom.id, port);
    expect(g.pending(port)).toBe(1);
    expect(g.xen.mem.u8[g.dom.sharedInfoMfn * 4096]).toBe(1);
    g.ok();
  });

  it('close leaves the remote end unbound; the guest may bind to it again, and only to it', () => {
    const g = guest();
    const port = g.dom.controlEvtchn;
    const d0port = g.status(port).port;
    expect(g.op(OP.close, SELF, port)).toBe(0);
    expect(g.status(port).status).toBe(0); // closed
    expect(g.xen.dom0.evtchn[d0port]).toEqual({ kind: 'unbound', remote: g.dom.id });
    g.ok();
    // An unprivileged guest may not name another domain as dom1, nor take a free port of another domain.
    expect(g.op(OP.bind_interdomain, 0 | (SELF << 16), 0, 0)).toBe(-EPERM);
    expect(g.op(OP.bind_interdomain, SELF | (0 << 16), 0, 200)).toBe(-EPERM);
    // The unbound port awaiting this guest: allowed.
    expect(g.op(OP.bind_interdomain, SELF | (0 << 16), 0, d0port)).toBe(0);
    const mine = g.word(4);
    expect(g.word(8)).toBe(d0port);
    expect(g.status(mine)).toEqual({ status: 2, dom: 0, port: d0port });
    // Binding the same pair again returns the existing port; another pair on it is refused.
    expect(g.op(OP.bind_interdomain, SELF | (0 << 16), 0, d0port)).toBe(0);
    expect(g.word(4)).toBe(mine);
    expect(g.op(OP.bind_interdomain, SELF | (0 << 16), mine, 300)).toBe(-EINVAL);
    g.ok();
  });

  it('refuses sends on non-interdomain ports, foreign closes and status, and ports out of range', () => {
    const g = guest();
    expect(g.op(OP.bind_virq, 1)).toBe(0);
    const vport = g.word(4);
    expect(g.op(OP.send, vport)).toBe(-EINVAL);
    expect(g.op(OP.send, 999)).toBe(-EINVAL);
    expect(g.op(OP.close, 0, g.dom.controlEvtchn)).toBe(-EPERM);
    expect(g.op(OP.status, 0, 1)).toBe(-EPERM);
    expect(g.op(OP.status, SELF, 5000)).toBe(-EINVAL);
    expect(g.op(OP.close, SELF, 0)).toBe(-EINVAL);
    expect(g.status(vport)).toEqual({ status: 4, dom: 1, port: expect.any(Number) });
    g.ok();
  });

  it('a loopback channel within the guest, and alloc_unbound for domain 0 that domain 0 binds', () => {
    const g = guest();
    expect(g.op(OP.bind_interdomain, SELF | (SELF << 16), 0, 0)).toBe(0);
    const [a, b] = [g.word(4), g.word(8)];
    expect(a).not.toBe(b);
    expect(g.op(OP.send, a)).toBe(0);
    expect(g.pending(b)).toBe(1);
    expect(g.pending(a)).toBe(0);
    g.ok();
    expect(g.op(OP.alloc_unbound, 0)).toBe(0);
    const u = g.word(4);
    expect(g.status(u)).toMatchObject({ status: 1, dom: 0 });
    expect(g.op(OP.alloc_unbound, 4321)).toBeLessThan(0); // no such domain
    g.ok();
  });
});
