/*
 * The privileged i386 CPU: control and descriptor-table registers, privilege rings
 * (CPL = the RPL of CS: 0, 1 or 3), EFLAGS.IF/IOPL rules, and exception and interrupt
 * delivery through an IDT, for platforms built on the IR engine. BarePC runs a native
 * kernel at ring 0 with it; the hypervisor reuses the delivery half for ring-1 guests
 * (`enterHandler` with its own gate and stack, `iret`, `strayReturn`).
 *
 * This file holds the delivery half (X86Cpu); the registers, descriptor lookups and
 * privilege rules it extends are X86CpuState (cpu-state.ts), the EFLAGS bits are in
 * eflags.ts and the vectors and event types in cpu-events.ts.
 *
 * Delivery (exception(), interrupt()): read the gate (IDT limit, present bit, DPL for
 * software interrupts), switch to the TSS stack of the target ring on a privilege
 * change (pushing ss, esp), push eflags, cs, the return eip and the error code, clear
 * TF/NT/RF (and IF for an interrupt gate), then run the handler as a nested call
 * (Machine.callAt). Every push and table read is translated before anything is
 * committed; a fault there is a second exception, combined with the first by the
 * x86 double-fault table (contributory + contributory, #PF + contributory or #PF →
 * #DF; a benign first one lets the second be delivered instead); a fault while
 * delivering #DF is a triple fault, which resets the machine (the run ends with a
 * 'halt' naming the first fault). The handler's iret pops the frame (Platform.iret →
 * iret()); the popped eip decides what happens next:
 *   - the pushed return eip: 'retry' for a fault (the instruction runs again) or
 *     'continue' for a trap/interrupt (execution goes on after it);
 *   - for a fault, the next instruction (eip + 1): 'continue' (the handler skipped it);
 *   - anything else: strayReturn().
 *
 * Returns elsewhere (a handler that changed the saved eip, a context switch inside
 * the handler) are followed by Machine.transfer(), the engine's non-local return
 * (docs/ir.md); the delivery then completes when control comes back to the pushed eip.
 *
 * Instruction fetch under paging is checked where the platform transfers control:
 * the handler's address at delivery and the popped eip of an iret are translated as
 * reads at the new privilege (a #PF with that address otherwise). Calls, returns and
 * jumps inside guest code are not checked (the engine does not ask the platform).
 */
import type { Machine } from '../machine.js';
import { CS, DS, EFLAGS, ES, ESP, FS, GS, POPSLOT, SS } from '../regs.js';
import type { FaultDecision, PagedMemory } from './mmu.js';
import { QEMU32_FEATURES, type CpuFeatures } from './cpuid.js';
import { FL_IF, FL_NT, FL_RF, FL_TF, FL_VM } from './eflags.js';
import { VEC_DF, VEC_GP, VEC_NP, VEC_PF, VEC_TS, VECTOR_NAMES, type CpuEvent, type EventKind, type Gate, type SecondFault } from './cpu-events.js';
import { X86CpuState } from './cpu-state.js';

// The CPU's constants, event types and state live in their own modules; re-exported
// here so importers of cpu.ts keep one place to import the CPU from.
export * from './eflags.js';
export * from './cpu-events.js';
export { X86CpuState, segBase, segLimit, type DescriptorTable } from './cpu-state.js';

const HAS_ERROR_CODE = new Set([8, 10, 11, 12, 13, 14, 17]);
const CONTRIBUTORY = new Set([0, 10, 11, 12, 13]);

export interface CpuOptions {
  features?: CpuFeatures;
  /** Where events are delivered (default: the IDT, the gate's code descriptor in the GDT). */
  lookupGate?: (ev: CpuEvent) => { gate: Gate; ring: number } | SecondFault;
  /** The stack of an inner ring on a privilege change (default: the TSS). */
  stackFor?: (ring: number) => { ss: number; esp: number } | SecondFault;
  /** Called for every delivered event (tracing). */
  onEvent?: (ev: CpuEvent, cpl: number) => void;
}

/** The CPU: its state (X86CpuState) plus exception and interrupt delivery. */
export class X86Cpu extends X86CpuState {
  /** Events delivered, by vector (statistics). */
  readonly counts = new Map<number, number>();
  /** The first event of the chain that ended in a triple fault. */
  firstFault?: CpuEvent;
  onEvent?: (ev: CpuEvent, cpl: number) => void;
  /**
   * Delivery hooks for other platforms (the hypervisor's ring-1 guests): the gate and
   * ring an event goes to (a virtual trap table instead of the IDT), and the stack of
   * the inner ring (the guest's stack_switch values instead of the TSS).
   */
  lookupGate?: (ev: CpuEvent) => { gate: Gate; ring: number } | SecondFault;
  stackFor?: (ring: number) => { ss: number; esp: number } | SecondFault;
  /** Nesting depth of deliveries (an event handled while another's handler runs). */
  depth = 0;

  constructor(mmu: PagedMemory, opts: CpuOptions = {}) {
    super(mmu, opts.features ?? QEMU32_FEATURES);
    this.onEvent = opts.onEvent;
    this.lookupGate = opts.lookupGate;
    this.stackFor = opts.stackFor;
  }

  // ---- delivery ----

  /** Reads and checks IDT gate `vector`; a SecondFault when it cannot be used. */
  private idtGate(ev: CpuEvent): Gate | SecondFault {
    const ext = ev.kind === 'interrupt' ? 1 : 0;
    const code = ev.vector * 8 + 2 + ext;
    if (ev.vector * 8 + 7 > this.idtr.limit) return { vector: VEC_GP, errorCode: code };
    const lo = this.readSys32((this.idtr.base + ev.vector * 8) | 0);
    const hi = this.readSys32((this.idtr.base + ev.vector * 8 + 4) | 0);
    if (lo === undefined || hi === undefined) return { vector: VEC_PF, errorCode: this.mmu.errorCode, address: (this.idtr.base + ev.vector * 8) | 0 };
    const type = (hi >>> 8) & 0x1f;
    const dpl = (hi >>> 13) & 3;
    if (type !== 0x0e && type !== 0x0f) return { vector: VEC_GP, errorCode: code };
    if (ev.kind === 'software' && dpl < this.cpl) return { vector: VEC_GP, errorCode: code };
    if (!(hi & 0x8000)) return { vector: VEC_NP, errorCode: code };
    return { offset: ((lo & 0xffff) | (hi & 0xffff0000)) | 0, selector: (lo >>> 16) & 0xffff, type: type === 0x0e ? 'interrupt' : 'trap', dpl };
  }

  /** The ring a gate's code selector runs at (its descriptor's DPL; the RPL without a GDT entry). */
  private targetRing(sel: number): number | SecondFault {
    if ((sel & ~3) === 0) return { vector: VEC_GP, errorCode: 0 };
    const d = this.descriptor(sel);
    if (!d) return this.gdtr.limit === 0 ? sel & 3 : { vector: VEC_GP, errorCode: sel & ~3 };
    const type = (d[1] >>> 8) & 0x1f;
    if ((type & 0x18) !== 0x18) return { vector: VEC_GP, errorCode: sel & ~3 };
    if (!(d[1] & 0x8000)) return { vector: VEC_NP, errorCode: sel & ~3 };
    return (d[1] >>> 13) & 3;
  }

  /** The ring-n stack from the TSS. */
  tssStack(ring: number): { ss: number; esp: number } | SecondFault {
    if (!this.tr.selector || this.tr.limit < 8 * ring + 11) return { vector: VEC_TS, errorCode: this.tr.selector & ~3 };
    const esp = this.readSys32((this.tr.base + 4 + 8 * ring) | 0);
    const ss = this.readSys32((this.tr.base + 8 + 8 * ring) | 0);
    if (esp === undefined || ss === undefined) return { vector: VEC_PF, errorCode: this.mmu.errorCode, address: (this.tr.base + 4 + 8 * ring) | 0 };
    return { ss: ss & 0xffff, esp };
  }

  /**
   * Pushes the frame for `ev` and switches to the gate's ring and code (nothing is
   * changed when a push or table read fails: the SecondFault is returned). Does not
   * run the handler. Reusable with a hypervisor's own gate and stack choice:
   * `stackFor(ring)` gives the stack of an inner ring (default: the TSS).
   */
  enterHandler(m: Machine, ev: CpuEvent, gate: Gate, ring: number, stackFor: (ring: number) => { ss: number; esp: number } | SecondFault = (r) => this.tssStack(r)): SecondFault | undefined {
    const R = m.regs;
    if (ring > this.cpl) return { vector: VEC_GP, errorCode: gate.selector & ~3 };
    const words: number[] = [];
    let sp = R[ESP]!;
    let ss = R[SS]!;
    if (ring < this.cpl) {
      const st = stackFor(ring);
      if ('vector' in st) return st;
      words.push(R[SS]! & 0xffff, R[ESP]!);
      ss = st.ss;
      sp = st.esp;
    }
    words.push(R[EFLAGS]! | 2, R[CS]! & 0xffff, ev.returnEip);
    if (ev.errorCode !== undefined && HAS_ERROR_CODE.has(ev.vector) && ev.kind !== 'interrupt' && ev.kind !== 'software') words.push(ev.errorCode);
    // Translate every slot first (at the new ring's privilege), then write.
    const user = ring === 3;
    const slots: number[] = [];
    for (const _w of words) {
      sp = (sp - 4) | 0;
      const p = this.mmu.translate(sp, true, user);
      if (p < 0) return { vector: VEC_PF, errorCode: this.mmu.errorCode, address: sp };
      if ((sp & 4095) > 4092) {
        const p2 = this.mmu.translate((sp + 3) | 0, true, user);
        if (p2 < 0) return { vector: VEC_PF, errorCode: this.mmu.errorCode, address: (sp + 3) | 0 };
      }
      slots.push(sp);
    }
    words.forEach((w, k) => {
      const a = slots[k]!;
      if ((a & 4095) > 4092) this.mmu.copyOut(a, new Uint8Array(new Int32Array([w]).buffer), user);
      else this.mmu.phys.write32(this.mmu.translate(a, true, user), w);
    });
    R[ESP] = sp;
    if (ring < this.cpl) R[SS] = ss;
    R[CS] = (gate.selector & ~3) | ring;
    let fl = R[EFLAGS]! & ~(FL_TF | FL_NT | FL_RF | FL_VM);
    if (gate.type === 'interrupt') fl &= ~FL_IF;
    R[EFLAGS] = fl | 2;
    this.setCpl(ring);
    return undefined;
  }

  /**
   * Delivers an event through the IDT and runs its handler; returns what the caller
   * does next ('retry' re-executes the instruction, 'continue' goes on after it), or
   * ends the run (triple fault, stray return that cannot be resolved).
   */
  deliver(m: Machine, first: CpuEvent): FaultDecision {
    let ev = first;
    for (;;) {
      if (ev.vector === VEC_PF && ev.address !== undefined) this.cr2 = ev.address;
      let gate: Gate | SecondFault;
      let second: SecondFault | undefined;
      let ring = 0;
      if (this.lookupGate) {
        const g = this.lookupGate(ev);
        if ('vector' in g) gate = g;
        else {
          gate = g.gate;
          ring = g.ring;
        }
      } else {
        gate = this.idtGate(ev);
        if (!('vector' in gate)) {
          const r = this.targetRing(gate.selector);
          if (typeof r !== 'number') gate = r;
          else ring = r;
        }
      }
      if ('vector' in gate) second = gate;
      else second = this.enterHandler(m, ev, gate, ring, this.stackFor);
      if (!second) return this.runHandler(m, ev, gate as Gate);
      // A fault while delivering: double fault, triple fault, or the second one instead.
      if (ev.vector === VEC_DF) {
        this.firstFault = first;
        return m.halt({
          outcome: 'halt',
          message: `triple fault (${VECTOR_NAMES[second.vector] ?? `vector ${second.vector}`} while delivering #DF): the machine resets`,
        });
      }
      const df = (CONTRIBUTORY.has(ev.vector) && CONTRIBUTORY.has(second.vector)) || (ev.vector === VEC_PF && (CONTRIBUTORY.has(second.vector) || second.vector === VEC_PF));
      ev = df
        ? { vector: VEC_DF, errorCode: 0, kind: 'fault', eip: ev.eip, returnEip: ev.eip, message: `double fault: ${VECTOR_NAMES[second.vector]} while delivering ${VECTOR_NAMES[ev.vector] ?? ev.vector}` }
        : { vector: second.vector, errorCode: second.errorCode, kind: 'fault', eip: ev.eip, returnEip: ev.eip, address: second.address, message: `while delivering vector ${ev.vector}` };
    }
  }

  private runHandler(m: Machine, ev: CpuEvent, gate: Gate): FaultDecision {
    this.counts.set(ev.vector, (this.counts.get(ev.vector) ?? 0) + 1);
    this.onEvent?.(ev, this.cpl);
    this.checkFetch(m, gate.offset);
    // The slot of the pushed eip: the handler's iret must pop it from there to come back.
    const slot = (m.regs[ESP]! + (ev.errorCode !== undefined && HAS_ERROR_CODE.has(ev.vector) && ev.kind !== 'interrupt' && ev.kind !== 'software' ? 4 : 0)) | 0;
    m.pushedAt(slot);
    this.depth++;
    let ra: number;
    try {
      ra = m.callAt(gate.offset, ev.eip);
    } finally {
      this.depth--;
    }
    const back = m.regs[POPSLOT] === slot;
    if (ra === (ev.returnEip | 0) && back) return ev.kind === 'fault' ? 'retry' : 'continue';
    if (ev.kind === 'fault' && ra === ((ev.eip + 1) | 0) && back) return 'continue';
    m.transfer(ra, ev.returnEip, ev.eip, slot);
    return ev.kind === 'fault' ? 'retry' : 'continue';
  }

  /** Delivers an exception raised by the instruction at eip. */
  exception(m: Machine, vector: number, errorCode: number | undefined, eip: number, kind: EventKind = 'fault', extra: { address?: number; message?: string } = {}): FaultDecision {
    const returnEip = kind === 'fault' ? eip : m.after(eip);
    return this.deliver(m, { vector, errorCode, kind, eip, returnEip, ...extra });
  }

  /** Delivers external interrupt `vector` at a block boundary (the interrupted eip is pushed). */
  interrupt(m: Machine, vector: number, eip: number, returnEip = eip): FaultDecision {
    return this.deliver(m, { vector, kind: 'interrupt', eip, returnEip });
  }

  /** Makes sure code at `addr` is fetchable at the current CPL (paging on), delivering #PF until it is. */
  checkFetch(m: Machine, addr: number): void {
    if (!this.mmu.pg) return;
    for (let k = 0; k < 8; k++) {
      if (this.mmu.translate(addr, false, this.cpl === 3) >= 0) return;
      this.exception(m, VEC_PF, this.mmu.errorCode | 0x10, addr, 'fault', { address: addr, message: 'instruction fetch' });
    }
    m.halt({ outcome: 'fault', fault: { kind: 'page-fault', eip: addr, address: addr, access: 'exec', vector: 14, errorCode: this.mmu.errorCode, message: `instruction fetch at ${hex(addr)} keeps faulting` } });
  }

  /** iret: pops eip, cs, eflags (and esp, ss to an outer ring); returns the popped eip. */
  iret(m: Machine, eip: number): number {
    const R = m.regs;
    const mem = m.mem;
    for (;;) {
      const sp = R[ESP]!;
      const neip = mem.ld32(sp, eip);
      const ncs = mem.ld32((sp + 4) | 0, eip) & 0xffff;
      const nfl = mem.ld32((sp + 8) | 0, eip);
      const rpl = ncs & 3;
      if (rpl < this.cpl || (ncs & ~3) === 0) {
        if (this.exception(m, VEC_GP, ncs & ~3, eip) === 'continue') return eip + 1;
        continue;
      }
      let nsp = (sp + 12) | 0;
      let nss = R[SS]!;
      if (rpl > this.cpl) {
        nsp = mem.ld32((sp + 12) | 0, eip);
        nss = mem.ld32((sp + 16) | 0, eip) & 0xffff;
      }
      R[EFLAGS] = this.mergeFlags(R[EFLAGS]!, nfl, this.cpl, this.iopl(m));
      R[CS] = ncs;
      R[ESP] = nsp;
      R[POPSLOT] = sp;
      if (rpl > this.cpl) {
        R[SS] = nss;
        this.setCpl(rpl);
        // Data segments the outer ring may not use are nulled, as x86 does.
        for (const r of [DS, ES, FS, GS]) {
          const s = R[r]! & 0xffff;
          if ((s & ~3) === 0) continue;
          const d = this.descriptor(s);
          const dpl = d ? (d[1] >>> 13) & 3 : 0;
          const conformingCode = d ? ((d[1] >>> 8) & 0x1c) === 0x1c : false;
          if (!conformingCode && dpl < rpl) R[r] = 0;
        }
      }
      this.checkFetch(m, neip);
      return neip;
    }
  }

  /** Reset state (the machine's memory is not touched). */
  reset(): void {
    this.cr0 = 0x11;
    this.cr2 = 0;
    this.cr4 = 0;
    this.mmu.reset();
    this.setCpl(0);
    this.gdtr = { base: 0, limit: 0 };
    this.idtr = { base: 0, limit: 0x3ff };
    this.ldtr = 0;
    this.tr = { selector: 0, base: 0, limit: 0 };
    this.dr.fill(0);
    this.depth = 0;
    this.firstFault = undefined;
    this.counts.clear();
  }
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}
