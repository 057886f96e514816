/*
 * Trap delivery to a ring-1 guest: exceptions and software interrupts go through
 * the guest's trap table (set_trap_table) with Xen 2.0's frame (cr2 pushed below
 * the error code for #PF), pushed on the guest stack and run as a nested call; with
 * no handler, or for the illegal accesses the hypervisor stops at once (hole,
 * page-table page, a fault while pushing a frame), the domain terminates. Split
 * from platform.ts, which keeps time, events and the Platform entry points.
 */
import { EFLAGS, ESP, POPSLOT, REG_INDEX, hex32, type Machine } from '../emulate/index.js';
import { FL_IF as IF } from '../emulate/pc/index.js';
import { FLAT_RING1_CS, HYPERVISOR_VIRT_START, TI_IF_FLAG } from '../xen-abi/index.js';
import { PGT_L1, PGT_L2, PGT_SEG, TYPE_NAMES } from './frames.js';
import type { Walk } from './paging.js';
import type { XenPlatform } from './platform.js';

const ERROR_CODE_VECTORS = new Set([8, 10, 11, 12, 13, 14, 17]);

const VECTOR_NAMES: Record<number, string> = { 0: '#DE', 1: '#DB', 3: '#BP', 6: '#UD', 7: '#NM', 8: '#DF', 13: '#GP', 14: '#PF' };


/** #GP into the guest for `what` (terminates the domain without a #GP handler). */
export function guestGP(p: XenPlatform, m: Machine, what: string, eip: number): number {
  p.dom.trace?.push(`#GP: ${what} at ${hex32(eip)}`);
  if (deliverToGuest(p, m, 13, 0, eip, eip)) return 0;
  return p.terminate(m, 'privileged-instruction', `privileged instruction ${what} in ring 1, and the guest has no #GP handler`, eip);
}

/** A software interrupt `int $vector`: delivered when the guest's gate allows the current ring (its DPL), else #GP. */
export function guestSoftInt(p: XenPlatform, m: Machine, vector: number, eip: number): number {
  const t = p.dom.traps.get(vector);
  const cpl = m.regs[REG_INDEX.cs]! & 3 || 1;
  if (t && (t.flags & 3) >= cpl) {
    deliverToGuest(p, m, vector, undefined, eip, m.after(eip));
    return 0;
  }
  return guestGP(p, m, `int $${vector} (no gate with DPL >= ${cpl})`, eip);
}

/**
 * XenMemory.onFault: an illegal access by the guest kernel terminates the domain, any
 * other becomes the guest's #PF. A ring-3 access (a process of the guest) is always
 * the guest kernel's business: a #PF with the user bit.
 */
export function guestPagingFault(p: XenPlatform, va: number, size: number, write: boolean, eip: number, w: Walk, fetch = false): void {
  const m = p.machine;
  const acc = fetch ? 'instruction fetch' : write ? 'write' : 'read';
  const user = p.mem.user;
  if (p.delivering > 0)
    p.terminate(m, 'double-fault', `fault while delivering a fault: ${acc} of ${hex32(va)} (${w.failure}) while pushing an exception frame`, eip, { address: va, walk: w });
  if (w.failure === 'hole' && !user)
    p.terminate(m, 'hole-access', `${acc} of ${size} bytes at ${hex32(va)} in the hypervisor hole (from ${hex32(HYPERVISOR_VIRT_START)}; only reads of the m2p table are allowed)`, eip, { address: va, walk: w });
  if (w.failure === 'read-only' && !user) {
    const target = w.l1e! >>> 12;
    const mm = p.xen.mem;
    const t = mm.type[target]!;
    if ((t === PGT_L1 || t === PGT_L2 || t === PGT_SEG) && mm.typeCount[target]! > 0)
      p.terminate(m, 'page-table-write', `write to a read-only ${TYPE_NAMES[t]} ${t === PGT_SEG ? 'descriptor-table' : 'page-table'} page at ${hex32(va)} (machine frame ${hex32(target)}); page tables change only through mmu_update`, eip, { address: va, walk: w });
  }
  const present = w.failure === 'read-only' || w.failure === 'supervisor' || (w.failure === 'hole' && !write);
  const code = (present ? 1 : 0) | (write ? 2 : 0) | (user ? 4 : 0) | (fetch ? 0x10 : 0);
  if (!deliverToGuest(p, m, 14, code, eip, eip, va))
    p.terminate(m, 'page-fault', `page fault (${w.failure}) on ${acc} of ${hex32(va)} and the guest has no #PF handler`, eip, { address: va, walk: w });
}

/**
 * Pushes [cr2] [error] eip cs eflags for `resume`, and the interrupted ss and esp
 * first when it comes from ring 3: the frame goes on the guest kernel's stack
 * (stack_switch), as Xen's create_bounce_frame builds it for an inter-privilege
 * return (xen/arch/x86/x86_32/entry.S). Switches to ring 1 with code selector `cs`.
 * Returns the stack slot of `resume`.
 */
export function pushTrapFrame(p: XenPlatform, m: Machine, resume: number, extra: number[], eip: number, cs = FLAT_RING1_CS): number {
  const R = m.regs;
  const fromUser = (R[REG_INDEX.cs]! & 3) === 3;
  p.delivering++;
  const words = [R[EFLAGS]! | IF | 2, R[REG_INDEX.cs]! || FLAT_RING1_CS, resume, ...extra];
  let sp = R[ESP]!;
  if (fromUser) {
    words.unshift(R[REG_INDEX.ss]! & 0xffff, R[ESP]!);
    sp = p.dom.kernelEsp | 0;
    p.mem.setUser(false);
  }
  let slot = sp;
  words.forEach((v, k) => {
    sp = (sp - 4) | 0;
    m.mem.st32(sp, v, eip);
    if (k === (fromUser ? 4 : 2)) slot = sp;
  });
  p.delivering--;
  R[ESP] = sp;
  if (fromUser) {
    R[REG_INDEX.ss] = p.dom.kernelSs;
    R[REG_INDEX.cs] = cs;
  }
  return slot;
}

/**
 * Delivers exception `vector` through the guest's trap table; returns false when
 * there is no handler. The handler's iret normally returns to `resume`; anywhere
 * else (a signal, a new program image, a switch to another process) is followed by
 * the engine's transfer.
 */
export function deliverToGuest(p: XenPlatform, m: Machine, vector: number, errorCode: number | undefined, eip: number, resume: number, cr2?: number): boolean {
  const t = p.dom.traps.get(vector);
  if (!t) return false;
  if (p.delivering > 0) p.terminate(m, 'double-fault', `fault while delivering a fault (vector ${vector})`, eip);
  const extra: number[] = [];
  if (ERROR_CODE_VECTORS.has(vector)) extra.push(errorCode ?? 0);
  if (vector === 14) extra.push(cr2 ?? 0);
  const slot = pushTrapFrame(p, m, resume, extra, eip, t.cs || FLAT_RING1_CS);
  m.pushedAt(slot);
  if (t.flags & TI_IF_FLAG) p.xen.mem.u8[p.si + 1] = 1;
  if (vector === 7) p.dom.fpuTs = false;
  p.exceptionsDelivered++;
  p.lastExceptionEip = eip;
  const at = m.report({ kind: 'general-protection', eip, message: '' });
  p.lastExceptionRegs = at.registers;
  p.lastException = `${VECTOR_NAMES[vector] ?? `vector ${vector}`} at ${at.instruction ?? hex32(eip)} (${at.function ?? '?'}, ${p.mapWhere(at.where) ?? at.where ?? '?'})${cr2 !== undefined ? `, address ${hex32(cr2)}` : ''}`;
  p.dom.trace?.push(`trap ${p.lastException} -> ${hex32(t.address)}`);
  p.event('trap', VECTOR_NAMES[vector] ?? `vector ${vector}`, p.lastException);
  const ra = m.callAt(t.address, resume);
  if (ra !== resume || m.regs[POPSLOT] !== slot) m.transfer(ra, resume, eip, slot);
  return true;
}
