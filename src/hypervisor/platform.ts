/*
 * The hypervisor as an engine Platform: the guest kernel runs in ring 1 over
 * XenMemory; `hypercall` (int $0x82) dispatches to hypercalls.ts; privileged
 * intrinsics raise #GP, which goes to the guest's trap table (set_trap_table) or,
 * without a handler, terminates the domain; page faults go to the guest's #PF
 * handler with Xen 2.0's frame (cr2 pushed below the error code), except the
 * illegal actions the hypervisor stops at once: a write to a page-table page, an
 * access to the hypervisor hole, a breakpoint stub, a fault while delivering a
 * fault. Events: shared_info's upcall pending/mask bytes; the guest's cli/sti are
 * its own writes to the mask, the platform only reads it before an upcall. Time:
 * system time = steps * nsPerStep + time skipped while blocked; VIRQ_TIMER fires
 * from set_timer_op and a periodic 100 Hz tick once bound. Domain 0's back ends
 * are serviced after hypercalls that raised them, at deadlines and in a block,
 * where a back end with real input makes the block wait in real time first
 * (waitForIo; docs/hypervisor.md "Virtual time and real I/O").
 *
 * Delivery uses the engine's nested-call model: the frame is pushed on the guest
 * stack and the handler is called with Machine.callAt; what its iret pops is
 * followed with Machine.transfer (a function start runs, e.g. the kernel's handler
 * behind the minimal OS's #PF trampoline; another address unwinds to the frame that
 * continues there), and an exception handler that returns resumes AFTER a faulting
 * intrinsic (it cannot skip it itself).
 *
 * This file keeps time, events, the Platform entry points and termination;
 * trap delivery is guest-traps.ts, the instructions a guest may or may not
 * execute guest-instructions.ts and the crash report's contents
 * guest-crash-report.ts.
 */
import type { IntrinsicName, RegName } from '../ir/index.js';
import { BoundedLog, BoundedText, CodePages, EAX, EBX, ECX, EDI, EDX, EFLAGS, EIP, ESI, ESP, POPSLOT, REG_INDEX, UserCodeDispatcher, hex32, type CodeFetch, type Fault, type FaultAction, type Machine, type Platform } from '../emulate/index.js';
import { FL_IF as IF, FL_IOPL as IOPL, type PortBus } from '../emulate/pc/index.js';
import { FLAT_RING1_CS, ShutdownReason, Virq } from '../xen-abi/index.js';
import { setPending } from './event-channels.js';
import type { Domain } from './domain.js';
import { PAGE } from './frames.js';
import { COST, HYPERCALL_NAMES, dispatch, type HypercallHost } from './hypercalls.js';
import type { Walk, XenMemory } from './paging.js';
import type { CrashReport, SourceMap, TerminationKind } from './termination-report.js';
import { formatHypercall } from './termination-report.js';
import type { Xen } from './xen.js';
import { checkGuestSelector, emulateIntrinsic, guestPortBus } from './guest-instructions.js';
import { buildCrashReport, describeWalk, guestBacktrace, type CrashDetails } from './guest-crash-report.js';
import { deliverToGuest, guestGP, guestPagingFault, pushTrapFrame } from './guest-traps.js';
import { MmuStats, RaceDetector, UpcallInjector, type RaceHost } from './race-detector.js';
import { Hypercall } from '../xen-abi/index.js';
import { lookupCode } from '../ir/index.js';

export interface XenPlatformOptions {
  /** Record every hypercall and trap (--debug). */
  debug?: boolean;
  /** Nanoseconds of system time per IR step (default 10). */
  nsPerStep?: number;
  /** Period of the VIRQ_TIMER tick in ns once bound (default 10 ms; 0 = none). */
  tickNs?: number;
  sourceMap?: SourceMap;
  /** Longest real-time wait for outside I/O per block, in ms (default 2000). */
  ioWaitMs?: number;
  /** Receives every hypercall, trap, upcall and the end, with the guest step it happened at (timelines, --trace-json). */
  onEvent?: (e: GuestEvent) => void;
  /** Seed step 15: watch the guest's mmu_update queue for races (race-detector.ts). */
  raceDetect?: boolean;
  /** Keep TLB entries until the guest invalidates them (INVLPG, TLB_FLUSH, NEW_BASEPTR, UVMF). */
  lazyTlb?: boolean;
  /** Deliver event upcalls at pseudo-random instruction counts from this seed. */
  upcallSeed?: number;
}

/** One thing that happened to the domain, at a guest instruction count. */
export interface GuestEvent {
  kind: 'hypercall' | 'trap' | 'upcall' | 'exit';
  /** The hypercall's name, the vector's (#GP, #PF), 'event callback', or the termination kind. */
  name: string;
  /** Guest IR instructions executed before it. */
  step: number;
  detail?: string;
}

export class XenPlatform implements Platform, HypercallHost, RaceHost {
  machine!: Machine;
  iopl = 0;
  debugRegs = [0, 0, 0, 0, 0, 0, 0, 0];
  crash?: CrashReport;
  /** Set when the run ended with a clean shutdown or blocked for good. */
  ended?: { kind: 'shutdown'; reason: string } | { kind: 'blocked' } | { kind: 'halted' };
  lastException?: string;
  /** Where the last delivered exception happened (for the report of a guest that then crashes). */
  lastExceptionEip?: number;
  /** The registers at the last delivered exception (for the crash report). */
  lastExceptionRegs?: Record<string, number>;
  readonly ioCounts = new Map<string, number>();
  /**
   * Port I/O once physdev_op SET_IOPL granted it: the PC module's PIT (on system
   * time), an inert PIC pair (physical IRQs never reach the domain) and a 16550 at
   * 0x3f8 whose output (`serial`) also goes to the domain console (CRs dropped).
   * Other ports read as all ones.
   */
  private ports?: PortBus;
  /** Runs the guest's user processes (set by attach). */
  user?: UserCodeDispatcher;
  readonly serial = new BoundedText();
  exceptionsDelivered = 0;
  upcalls = 0;
  /** Nesting of exception-frame pushes (a fault inside one is a double fault; guest-traps.ts). */
  delivering = 0;
  private idleNs = 0n;
  private nextTickNs: bigint | null = null;
  private note_?: string;
  private current?: { nr: number; args: number[]; eip: number };
  private readonly nsPerStep: bigint;
  private readonly tickNs: bigint;
  private readonly ioWaitMs: number;
  /** Blocks that waited for real I/O, and the real milliseconds they waited. */
  ioWaits = 0;
  ioWaitedMs = 0;
  /** mmu_update calls and requests per call. */
  readonly mmuStats = new MmuStats();
  race?: RaceDetector;
  injector?: UpcallInjector;
  /** Steps charged for the hypervisor's work (the rest of machine.steps are guest instructions). */
  charged = 0;

  constructor(
    readonly xen: Xen,
    readonly dom: Domain,
    readonly mem: XenMemory,
    readonly opts: XenPlatformOptions = {},
  ) {
    this.nsPerStep = BigInt(opts.nsPerStep ?? 10);
    this.tickNs = BigInt(opts.tickNs ?? 10_000_000);
    this.ioWaitMs = opts.ioWaitMs ?? 2000;
    if (opts.debug) dom.trace = new BoundedLog();
    xen.mm.onChange = () => mem.flush();
    if (opts.lazyTlb) {
      // Only a frame that stopped being the domain's must leave the TLB at once
      // (as Xen flushes before it frees a page); the rest waits for the guest.
      xen.mm.onEntryChange = (old) => {
        if (old & 1 && xen.mem.owner[old >>> 12] !== dom.id) mem.flush();
      };
    }
    if (opts.upcallSeed !== undefined) this.injector = new UpcallInjector(opts.upcallSeed);
    mem.onFault = (va, size, write, eip, w) => guestPagingFault(this, va, size, write, eip, w);
  }

  /** Tells opts.onEvent, when there is one. */
  event(kind: GuestEvent['kind'], name: string, detail?: string): void {
    this.opts.onEvent?.({ kind, name, step: this.machine.steps, detail });
  }

  attach(m: Machine): void {
    this.machine = m;
    if (this.opts.raceDetect) {
      this.race = new RaceDetector(this, m.image, this.opts.lazyTlb);
      if (!this.race.disabled) this.mem.watch = this.race;
    }
    if (this.injector) m.setDeadline(this.injector.next);
    // A guest's processes: XIR code in its memory, run by the engine's dispatcher and
    // fetched at ring 3 through the guest's page tables.
    const code = new CodePages(this.xen.mem.nframes);
    this.mem.code = code;
    this.xen.mem.code = code;
    code.onProtect = (mfn) => this.mem.dropWrites(mfn);
    const fetch: CodeFetch = {
      ram: this.xen.mem.u8,
      fetchAddress: (va) => this.mem.fetchAddress(va),
      fetchFault: (va, eip) => guestPagingFault(this, va, 1, false, eip, this.mem.fetchWalk!, true),
    };
    this.user = new UserCodeDispatcher(m, fetch, code, { mem: this.mem, ctx: { tlb: true }, u8: this.xen.mem.u8, i32: this.xen.mem.i32, view: this.mem.tlbView });
    m.userCode = this.user;
  }

  // ---- time and events ----

  now(): bigint {
    return BigInt(this.machine.steps) * this.nsPerStep + this.idleNs;
  }

  private nextTimerNs(): bigint | null {
    let t: bigint | null = this.dom.timerDeadlineNs;
    if (this.dom.virqPort.has(Virq.TIMER) && this.tickNs > 0n) {
      if (this.nextTickNs === null) this.nextTickNs = this.now() + this.tickNs;
      if (t === null || this.nextTickNs < t) t = this.nextTickNs;
    }
    return t;
  }

  timersChanged(): void {
    const m = this.machine;
    if (!m) return;
    const t = this.nextTimerNs();
    const inject = this.injector ? this.injector.next : Infinity;
    if (t === null) {
      m.setDeadline(Math.max(inject, m.steps + 1));
      return;
    }
    const steps = Number((t - this.idleNs + this.nsPerStep - 1n) / this.nsPerStep);
    m.setDeadline(Math.max(Math.min(steps, inject), m.steps + 1));
  }

  private fireTimers(): void {
    const now = this.now();
    const port = this.dom.virqPort.get(Virq.TIMER);
    let fire = false;
    if (this.dom.timerDeadlineNs !== null && now >= this.dom.timerDeadlineNs) {
      this.dom.timerDeadlineNs = null;
      fire = true;
    }
    if (this.nextTickNs !== null && now >= this.nextTickNs) {
      this.nextTickNs = now + this.tickNs;
      fire = true;
    }
    if (fire && port !== undefined) this.sendEvent(port);
  }

  /** Machine address of the domain's shared_info page. */
  get si(): number {
    return this.dom.sharedInfoMfn * PAGE;
  }

  sendEvent(port: number): void {
    setPending(this.xen, this.dom.sharedInfoMfn, port);
  }

  /** Runs domain 0's due work (its raised ports, its back ends); true when any was done. */
  serviceDom0(): boolean {
    return this.xen.dom0.service((n) => this.charge(n));
  }

  private upcallDue(): boolean {
    const u8 = this.xen.mem.u8;
    return this.dom.eventAddress !== 0 && u8[this.si] !== 0 && u8[this.si + 1] === 0;
  }

  private upcall(m: Machine, resume: number): void {
    this.xen.mem.u8[this.si + 1] = 1;
    this.upcalls++;
    this.dom.trace?.push(`upcall -> ${hex32(this.dom.eventAddress)} (resume ${hex32(resume)})`);
    this.event('upcall', 'event callback');
    const slot = pushTrapFrame(this, m, resume, [], resume, this.dom.eventCs || FLAT_RING1_CS);
    m.pushedAt(slot);
    const ra = m.callAt(this.dom.eventAddress, resume);
    if (ra !== resume || m.regs[POPSLOT] !== slot) m.transfer(ra, resume, resume, slot);
  }

  tick(m: Machine, eip: number): void {
    this.serviceDom0();
    // A seeded upcall: pending with no channel set, the handler finds nothing to do.
    // Only where delivery is on, so that it is delivered here and now: left pending
    // under a mask it would wake a `cli; hlt` the way no device of this domain does.
    if (this.injector?.due(m.steps) && this.dom.sharedInfoMfn >= 0 && this.xen.mem.u8[this.si + 1] === 0) this.xen.mem.u8[this.si] = 1;
    this.fireTimers();
    this.timersChanged();
    if (this.upcallDue()) this.upcall(m, eip);
  }

  block(): void {
    const u8 = this.xen.mem.u8;
    const masked = u8[this.si + 1] !== 0;
    u8[this.si + 1] = 0; // Xen 2.0 do_block re-enables event delivery.
    if (u8[this.si]) return;
    if (masked && this.nextTimerNs() !== null) {
      // Blocking with delivery masked is the native `cli; hlt`: the kernel has stopped
      // for good. Xen would wake it at the next timer event only for it to block
      // again, forever; the run ends here, as BarePC's does at hlt with IF clear.
      if (this.current) this.event('hypercall', this.dom.record({ ...this.current, name: 'sched_op', result: 0, detail: 'block with events masked: halted' }).name, 'block with events masked: halted');
      this.ended = { kind: 'halted' };
      return this.machine.halt({ outcome: 'halt', message: 'the guest blocked with event delivery masked (cli; hlt): halted' });
    }
    // Domain 0 may have work for this domain (a frame that arrived), or may get some
    // from the real network while the domain sleeps.
    this.serviceDom0();
    if (u8[this.si] || this.waitForIo()) return;
    const t = this.nextTimerNs();
    if (t === null) {
      const m = this.machine;
      if (this.current) this.event('hypercall', this.dom.record({ ...this.current, name: 'sched_op', result: 0, detail: 'block: nothing can wake the domain' }).name, 'block: nothing can wake the domain');
      this.ended = { kind: 'blocked' };
      const eip = this.current?.eip ?? m.regs[EIP]!;
      const reason = 'the domain blocked (sched_op block) with no timer set and no event pending: nothing can wake it';
      this.crash = this.buildReport(m, 'blocked', reason, eip, {});
      return m.halt({ outcome: 'halt', message: reason });
    }
    const now = this.now();
    if (t > now) this.idleNs += t - now;
    this.fireTimers();
    this.timersChanged();
  }

  /**
   * A blocked domain with a back end that has outside input (netback on a real
   * tap) waits for that input in real time before its virtual time skips to the
   * next timer: until the timer is due, virtual nanoseconds taken as real ones,
   * and at most ioWaitMs per block. Virtual time advances by the real time waited,
   * so a guest's retransmission timer fires only when the real network was silent
   * that long. True when an event for the domain arrived.
   */
  private waitForIo(): boolean {
    const w = this.xen.dom0.waiter();
    if (!w?.wait) return false;
    const t = this.nextTimerNs();
    const now = this.now();
    const capMs = t === null ? this.ioWaitMs : Math.min(this.ioWaitMs, Number(t - now) / 1e6);
    if (capMs <= 0) return false;
    const u8 = this.xen.mem.u8;
    const t0 = performance.now();
    let waited = 0;
    while (waited < capMs && !u8[this.si]) {
      const got = w.wait(capMs - waited);
      waited = performance.now() - t0;
      if (!got) break;
      this.serviceDom0();
    }
    const ns = BigInt(Math.round(Math.min(waited, capMs) * 1e6));
    this.idleNs += t === null ? ns : ns < t - now ? ns : t - now;
    this.ioWaits++;
    this.ioWaitedMs += waited;
    this.fireTimers();
    this.timersChanged();
    return u8[this.si] !== 0;
  }

  shutdown(reason: number): never {
    const name = ShutdownReason[reason] ?? `reason ${reason}`;
    if (this.current) this.event('hypercall', this.dom.record({ ...this.current, name: 'sched_op', result: 0, detail: `shutdown ${name}` }).name, `shutdown ${name}`);
    this.dom.shutdown = { reason: name, code: reason };
    const m = this.machine;
    if (reason === ShutdownReason.crash) {
      // Point the report at the exception the guest could not handle, if there was one.
      const eip = this.lastExceptionEip ?? this.current?.eip ?? m.regs[EIP]!;
      const why = this.lastException ? `the guest shut itself down (crash) after ${this.lastException.split(' at ')[0]}` : 'the guest shut itself down (crash)';
      this.crash = this.buildReport(m, 'guest-crash', why, eip, {});
      if (this.lastExceptionRegs) this.crash.registers = this.lastExceptionRegs;
    } else this.ended = { kind: 'shutdown', reason: name };
    return m.halt({ outcome: 'halt', message: `shutdown: ${name}` });
  }

  note(s: string): void {
    this.note_ = s;
  }

  charge(steps: number): void {
    this.charged += steps;
    this.machine.charge(steps);
  }

  // ---- Platform ----

  hypercall(m: Machine, eip: number): void {
    const R = m.regs;
    // Xen's int $0x82 gate has DPL 1: from a guest's process it is a #GP for its kernel.
    if (this.userMode(m)) {
      guestGP(this, m, 'hypercall (int $0x82) from ring 3', eip);
      return;
    }
    const nr = R[EAX]! >>> 0;
    const args = [R[EBX]!, R[ECX]!, R[EDX]!, R[ESI]!, R[EDI]!];
    this.note_ = undefined;
    this.current = { nr, args, eip };
    if (nr === Hypercall.mmu_update) this.mmuStats.record(args[1]! | 0);
    else if (nr === Hypercall.multicall) this.mmuStats.recordMulticall(this.mem, args[0]!, args[1]!);
    this.race?.hypercall(nr, args, eip);
    this.charge(COST.hypercall);
    const result = dispatch(this, nr, args) | 0;
    this.current = undefined;
    R[EAX] = result;
    const rec = this.dom.record({ name: HYPERCALL_NAMES[nr] ?? `hypercall_${nr}`, nr, args, result, eip, detail: this.note_ });
    this.dom.trace?.push(formatHypercall(rec));
    this.event('hypercall', rec.name, rec.detail);
    if (this.xen.dom0.hasPending) this.serviceDom0();
    if (this.upcallDue()) this.upcall(m, eip + 1);
  }
  intrinsic(m: Machine, name: IntrinsicName, a: number, _b: number, _c: number, eip: number): number {
    return emulateIntrinsic(this, m, name, a, _b, eip);
  }

  writeSegment(m: Machine, reg: RegName, value: number, eip: number): void {
    const sel = value & 0xffff;
    const why = checkGuestSelector(this, reg, sel);
    if (why) {
      guestGP(this, m, `mov to %${reg} (${why})`, eip);
      return;
    }
    m.regs[REG_INDEX[reg]] = sel;
  }

  iret(m: Machine, eip: number): number {
    const R = m.regs;
    const sp = R[ESP]!;
    const ret = m.mem.ld32(sp, eip);
    const cs = m.mem.ld32(sp + 4, eip) & 0xffff;
    const fl = m.mem.ld32(sp + 8, eip);
    if ((cs & 3) === 0) return this.terminate(m, 'guest-fault', `iret to ring 0 (cs ${hex32(cs)})`, eip);
    if ((cs & 3) < (R[REG_INDEX.cs]! & 3)) {
      guestGP(this, m, `iret from ring 3 to ring ${cs & 3}`, eip);
      return (eip + 1) | 0;
    }
    let nsp = sp + 12;
    if ((cs & 3) > 1) {
      const esp = m.mem.ld32(sp + 12, eip);
      const ss = m.mem.ld32(sp + 16, eip) & 0xffff;
      R[REG_INDEX.ss] = ss;
      nsp = esp;
    }
    R[REG_INDEX.cs] = cs;
    const keep = IF | IOPL;
    R[EFLAGS] = (fl & ~keep) | (R[EFLAGS]! & keep) | 2;
    R[ESP] = nsp | 0;
    R[POPSLOT] = sp;
    // Ring 1 to ring 3 is a real iret in Xen 2.0's i386 guests; from then on accesses
    // are ring 3's and the code at `ret` is the process's, in guest memory.
    this.mem.setUser((cs & 3) === 3);
    return ret;
  }

  userMode(m: Machine): boolean {
    return (m.regs[REG_INDEX.cs]! & 3) === 3;
  }

  fault(m: Machine, f: Fault): FaultAction {
    // A fault of one of the guest's processes is its kernel's to handle (a signal).
    if (this.userMode(m)) {
      const vector = { 'divide-error': 0, breakpoint: 3, 'breakpoint-stub': 3, 'invalid-opcode': 6, 'general-protection': 13 }[f.kind as string];
      const trap = vector === 3;
      if (vector !== undefined && deliverToGuest(this, m, vector, vector === 13 ? (f.errorCode ?? 0) : undefined, f.eip, trap ? m.after(f.eip) : f.eip)) return trap ? 'continue' : 'retry';
      return this.terminate(m, 'guest-fault', `${f.kind} in ring 3 with no handler in the trap table: ${f.message}`, f.eip, { address: f.address });
    }
    switch (f.kind) {
      case 'breakpoint-stub': {
        const msg = f.message.trim();
        const sp = msg.indexOf(' ');
        const rule = sp > 0 ? msg.slice(0, sp) : msg;
        const where = sp > 0 ? msg.slice(sp + 1).trim() : undefined;
        return this.terminate(m, 'breakpoint-stub', `breakpoint stub hit: rule ${rule}${where ? ` at ${where}` : ''} has not been ported`, f.eip, { rule, original: where });
      }
      case 'divide-error':
        if (deliverToGuest(this, m, 0, undefined, f.eip, f.eip)) return 'continue';
        return this.terminate(m, 'guest-fault', `divide error with no #DE handler`, f.eip);
      case 'breakpoint':
        if (deliverToGuest(this, m, 3, undefined, f.eip, f.eip + 1)) return 'continue';
        return this.terminate(m, 'guest-fault', `breakpoint with no #BP handler`, f.eip);
      case 'invalid-opcode':
        return this.terminate(m, 'guest-fault', `invalid opcode: ${f.message}`, f.eip);
      case 'bad-return':
        return this.terminate(m, 'engine-limit', f.message, f.eip, { address: f.address });
      case 'bad-call':
        return this.terminate(m, 'guest-fault', f.message, f.eip, { address: f.address });
      default:
        return this.terminate(m, 'guest-fault', `${f.kind}: ${f.message}`, f.eip, { address: f.address });
    }
  }

  /** The port bus a guest with I/O privilege reaches (made on first use). */
  portBus(): PortBus {
    if (this.ports) return this.ports;
    this.ports = guestPortBus(this);
    return this.ports;
  }

  // ---- RaceHost ----

  whereOf(eip: number): string {
    const at = this.machine.report({ kind: 'general-protection', eip, message: '' }).where;
    if (!at || at === '?') return `eip ${hex32(eip)}`;
    const original = this.mapWhere(at);
    return original && original !== at ? `${at} (${original})` : at;
  }

  callerOf(eip: number): { where: string; frameTop: number; frameRa: number } {
    const here = this.whereOf(eip);
    const api = (w: string): boolean => /xen_hypervisor\.c|hypervisor\.h/.test(w);
    if (!api(here)) return { where: here, frameTop: Infinity, frameRa: 0 };
    // Return addresses on the stack (a scan, as guestBacktrace): the first outside the
    // guest API is the call in the function that queued; the next one up is that
    // function's own return slot, which leaves the stack when it returns.
    const m = this.machine;
    const esp = m.regs[ESP]! >>> 0;
    const bytes = this.mem.read(esp, 256) ?? this.mem.read(esp, (4096 - (esp & 0xfff)) & ~3);
    if (!bytes) return { where: here, frameTop: Infinity, frameRa: 0 };
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    let where: string | undefined;
    for (let k = 0; k + 4 <= bytes.length; k += 4) {
      const ra = dv.getUint32(k, true);
      const at = lookupCode(m.image, ra - 1);
      if (!at || at.instr.kind !== 'call' || at.func.addr + at.index + 1 !== ra) continue;
      const w = this.whereOf(ra - 1);
      if (where === undefined) {
        if (!api(w)) where = w;
      } else return { where, frameTop: (esp + k) >>> 0, frameRa: ra };
    }
    return { where: where ?? here, frameTop: Infinity, frameRa: 0 };
  }

  stackPointer(): number {
    return this.machine.regs[ESP]!;
  }

  eventsMasked(): boolean {
    return this.dom.sharedInfoMfn < 0 || this.xen.mem.u8[this.si + 1] !== 0;
  }

  mapWhere(where: string | undefined): string | undefined {
    if (!where || where === '?') return undefined;
    return this.opts.sourceMap?.(where);
  }

  // ---- reports ----
  describeWalk(va: number, w?: Walk): string[] {
    return describeWalk(this, va, w);
  }

  buildReport(m: Machine, kind: TerminationKind, reason: string, eip: number, x: CrashDetails): CrashReport {
    return buildCrashReport(this, m, kind, reason, eip, x);
  }


  /**
   * Return addresses on the guest stack: words that are the address right after a
   * `call` instruction of the image. A scan, not an unwinder (stale words may show).
   */
  backtrace(m: Machine, esp: number, words = 512, max = 8): { func: string; where: string; original?: string; line: string }[] {
    return guestBacktrace(this, m, esp, words, max);
  }

  terminate(m: Machine, kind: TerminationKind, reason: string, eip: number, x: { rule?: string; original?: string; address?: number; walk?: Walk } = {}): never {
    m.regs[EIP] = eip;
    this.crash = this.buildReport(m, kind, reason, eip, x);
    this.dom.trace?.push(`terminate: ${reason}`);
    this.event('exit', kind, reason);
    return m.halt({ outcome: 'halt', message: reason });
  }
}
