// The hypercall table, call by call (Xen 2.0 numbers), against a freshly built domain.
import { describe, expect, it } from 'vitest';
import { EEXIST, EFAULT, EINVAL, ENOSYS, EPERM, PGT_SEG, checkInvariants } from '../../src/hypervisor/index.js';
import { scratchGuest } from './xen-helpers.js';

function fresh() {
  const g = scratchGuest();
  // A frame outside the boot mapping (not mapped, so it can become a table or GDT page).
  const spare = g.dom.p2m[1500]!;
  return { ...g, spare };
}

describe('hypercalls', () => {
  it('xen_version, console_io, fpu_taskswitch, stack_switch, set_callbacks', () => {
    const { call, dom, buf, h } = fresh();
    expect(call(17, 0)).toBe(0x20000);
    h.mem.write(buf, Buffer.from('hi there'));
    expect(call(18, 0, 8, buf)).toBe(0);
    expect(dom.console.toString()).toBe('hi there');
    expect(call(18, 0, 8, 0xfc400000)).toBe(-EFAULT);
    expect(call(18, 7, 0, 0)).toBe(-ENOSYS);
    expect(call(5)).toBe(0);
    expect(dom.fpuTs).toBe(true);
    expect(call(3, 0x10, 0xc0200000)).toBe(-EPERM);
    expect(call(3, 0x821, 0xc0200000)).toBe(0);
    expect([dom.kernelSs, dom.kernelEsp]).toEqual([0x821, 0xc0200000]);
    expect(call(4, 0x8, 0xc0100000, 0x819, 0)).toBe(-EPERM);
    expect(call(4, 0x819, 0xc0100000, 0x819, 0xc0100010)).toBe(0);
    expect(call(6, 77)).toBe(-ENOSYS);
    expect(call(7)).toBe(-EPERM);
    expect(call(20, 0, 0, 0)).toBe(0);
    expect(call(20, 9, 0, 1)).toBe(-ENOSYS);
    expect(call(22)).toBe(-EPERM);
    expect(call(99)).toBe(-ENOSYS);
  });

  it('set_trap_table reads entries until address 0 and refuses ring-0 selectors', () => {
    const { call, dom, buf, w32 } = fresh();
    w32(buf, 13 | (0x819 << 16), 0xc0100000, 14 | (4 << 8) | (0x819 << 16), 0xc0100010, 0, 0);
    expect(call(0, buf)).toBe(0);
    expect(dom.traps.get(13)).toEqual({ vector: 13, flags: 0, cs: 0x819, address: 0xc0100000 });
    expect(dom.traps.get(14)!.flags).toBe(4);
    w32(buf, 6 | (0x8 << 16), 0xc0100000, 0, 0);
    expect(call(0, buf)).toBe(-EPERM);
    expect(call(0, 0x1000)).toBe(-EFAULT);
  });

  it('mmu_update stops at the first bad request and reports how many were done', () => {
    const { call, dom, buf, w32, xen, spare, built, h } = fresh();
    const l1 = xen.mem.entry(dom.baseMfn, built.layout.vEnd - 4096 >>> 22) >>> 12;
    const pte = (va: number) => l1 * 4096 + ((va >>> 12) & 1023) * 4;
    const va = built.layout.vEnd - 4096;
    w32(buf, pte(va), (spare << 12) | 3, spare * 4096 + 2, 1234, pte(va - 4096), (dom.baseMfn << 12) | 3, pte(va), 0);
    expect(call(1, buf, 4, buf + 4096)).toBe(-EINVAL);
    expect(h.mem.read32(buf + 4096)).toBe(2);
    expect(xen.m2p(spare)).toBe(1234);
    expect(xen.mm.log.at(-1)).toMatch(/in use as L2/);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('set_gdt takes only unmapped, valid descriptor pages, and update_descriptor checks too', () => {
    const { call, dom, buf, w32, xen, spare } = fresh();
    const flatCode = [0x0000ffff, 0x00cfba00]; // DPL 1, present, code
    xen.mem.setEntry(spare, 2, flatCode[0]!);
    xen.mem.setEntry(spare, 3, flatCode[1]!);
    w32(buf, spare);
    expect(call(2, buf, 4)).toBe(0);
    expect(xen.mem.type[spare]).toBe(PGT_SEG);
    expect(dom.gdtFrames).toEqual([spare]);
    expect(call(10, spare * 4096 + 8, 0x0000ffff, 0x00cf9a00)).toBe(-EINVAL); // DPL 0
    expect(call(10, spare * 4096 + 8, 0x0000ffff, 0x00cfb200)).toBe(0); // DPL 1 data
    // A page of kernel data (mapped writable by the builder) cannot become a GDT page.
    w32(buf, dom.p2m[(buf - 0xc0000000) >>> 12]!);
    expect(call(2, buf, 4)).toBe(-EINVAL);
    expect(xen.mm.log.at(-1)).toMatch(/mapped writable/);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('multicall runs each entry and returns its result in args[5]', () => {
    const { call, buf, w32, h } = fresh();
    w32(buf, 17, 0, 0, 0, 0, 0, 0, 0, 99, 0, 0, 0, 0, 0, 0, 0);
    expect(call(13, buf, 2)).toBe(0);
    expect(h.mem.read32(buf + 24)).toBe(0x20000);
    expect(h.mem.read32(buf + 32 + 24)! | 0).toBe(-ENOSYS);
    w32(buf, 13, buf, 1, 0, 0, 0, 0, 0);
    expect(call(13, buf, 1)).toBe(0);
    expect(h.mem.read32(buf + 24)! | 0).toBe(-EINVAL);
  });

  it('event channels, timers and vm_assist', () => {
    const { call, dom, buf, w32, h } = fresh();
    // evtchn_op_t: cmd, reserved, then bind_virq {virq, port} at 8.
    w32(buf, 1, 0, 1, 0);
    expect(call(16, buf)).toBe(0);
    const port = h.mem.read32(buf + 12)!;
    expect(port).toBeGreaterThan(0);
    expect(dom.virqPort.get(1)).toBe(port);
    expect(call(16, buf)).toBe(-EEXIST);
    w32(buf, 1, 0, 9, 0);
    expect(call(16, buf)).toBe(-EINVAL);
    // close {dom = DOMID_SELF, port}.
    w32(buf, 3, 0, 0x7ff0, port);
    expect(call(16, buf)).toBe(0);
    expect(call(16, buf)).toBe(-EINVAL);
    expect(call(15, 5000, 0)).toBe(0);
    expect(dom.timerDeadlineNs).toBe(5000n);
    expect(call(15, 0, 0)).toBe(0);
    expect(dom.timerDeadlineNs).toBeNull();
    expect(call(21, 0, 0)).toBe(0);
    expect(call(21, 0, 2)).toBe(-ENOSYS);
    expect(call(21, 5, 0)).toBe(-EINVAL);
  });
});
