/*
 * Trap delivery to a ring-1 guest: exceptions and software interrupts go through
 * the guest's trap table (set_trap_table) with Xen 2.0's frame (cr2 pushed below
 * the error code for #PF), pushed on the guest stack and run as a nested call; with
 * no handler, or for the illegal accesses the hypervisor stops at once (hole,
 * page-table page, a fault while pushing a frame), the domain terminates. Split
 * from platform.ts, which keeps time, events and the Platform entry points.
 */
import { EFLAGS, ESP, REG_INDEX, hex32, type Machine } from '../emulate/index.js';
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

/** A software interrupt `int $vector`: delivered when the guest's gate allows ring 1, else #GP. */
export function guestSoftInt(p: XenPlatform, m: Machine, vector: number, eip: number): number {
  const t = p.dom.traps.get(vector);
  if (t && (t.flags & 3) >= 1) {
    deliverToGuest(p, m, vector, undefined, eip, eip + 1);
    return 0;
  }
  return guestGP(p, m, `int $${vector} (no gate with DPL >= 1)`, eip);
}

/** XenMemory.onFault: an illegal access terminates the domain, any other becomes the guest's #PF. */
export function guestPagingFault(p: XenPlatform, va: number, size: number, write: boolean, eip: number, w: Walk): void {
  const m = p.machine;
  const acc = write ? 'write' : 'read';
  if (p.delivering > 0)
    p.terminate(m, 'double-fault', `fault while delivering a fault: ${acc} of ${hex32(va)} (${w.failure}) while pushing an exception frame`, eip, { address: va, walk: w });
  if (w.failure === 'hole')
    p.terminate(m, 'hole-access', `${acc} of ${size} bytes at ${hex32(va)} in the hypervisor hole (from ${hex32(HYPERVISOR_VIRT_START)}; only reads of the m2p table are allowed)`, eip, { address: va, walk: w });
  if (w.failure === 'read-only') {
    const target = w.l1e! >>> 12;
    const mm = p.xen.mem;
    const t = mm.type[target]!;
    if ((t === PGT_L1 || t === PGT_L2 || t === PGT_SEG) && mm.typeCount[target]! > 0)
      p.terminate(m, 'page-table-write', `write to a read-only ${TYPE_NAMES[t]} ${t === PGT_SEG ? 'descriptor-table' : 'page-table'} page at ${hex32(va)} (machine frame ${hex32(target)}); page tables change only through mmu_update`, eip, { address: va, walk: w });
  }
  const present = w.failure === 'read-only';
  const code = (present ? 1 : 0) | (write ? 2 : 0);
  if (!deliverToGuest(p, m, 14, code, eip, eip, va))
    p.terminate(m, 'page-fault', `page fault (${w.failure}) on ${acc} of ${hex32(va)} and the guest has no #PF handler`, eip, { address: va, walk: w });
}

/** Pushes [cr2] [error] eip cs eflags for `resume` on the guest stack. */
export function pushTrapFrame(p: XenPlatform, m: Machine, resume: number, extra: number[], eip: number): void {
  const R = m.regs;
  p.delivering++;
  let sp = R[ESP]!;
  for (const v of [R[EFLAGS]! | IF | 2, R[REG_INDEX.cs]! || FLAT_RING1_CS, resume, ...extra]) {
    sp = (sp - 4) | 0;
    m.mem.st32(sp, v, eip);
  }
  p.delivering--;
  R[ESP] = sp;
}

/**
 * Delivers exception `vector` through the guest's trap table; returns false when
 * there is no handler. The handler's iret must return to `resume`.
 */
export function deliverToGuest(p: XenPlatform, m: Machine, vector: number, errorCode: number | undefined, eip: number, resume: number, cr2?: number): boolean {
  const t = p.dom.traps.get(vector);
  if (!t) return false;
  if (p.delivering > 0) p.terminate(m, 'double-fault', `fault while delivering a fault (vector ${vector})`, eip);
  const extra: number[] = [];
  if (ERROR_CODE_VECTORS.has(vector)) extra.push(errorCode ?? 0);
  if (vector === 14) extra.push(cr2 ?? 0);
  pushTrapFrame(p, m, resume, extra, eip);
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
  if (ra !== resume) engineLimit(p, m, resume, ra, `the handler of vector ${vector}`);
  return true;
}

/** Ends the run when a handler returned somewhere the engine cannot resume. */
export function engineLimit(p: XenPlatform, m: Machine, expected: number, got: number, what: string): never {
  return p.terminate(m, 'engine-limit', `${what} returned to ${hex32(got)} instead of ${hex32(expected)} (the engine cannot resume elsewhere)`, expected, { address: got });
}
