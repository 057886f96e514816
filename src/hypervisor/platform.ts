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
 * from set_timer_op and a periodic 100 Hz tick once bound.
 *
 * Delivery uses the engine's nested-call model: the frame is pushed on the guest
 * stack and the handler is called with Machine.callAt; its iret must pop the eip
 * that was pushed (the engine cannot resume elsewhere), and an exception handler
 * that returns resumes AFTER a faulting intrinsic (it cannot skip it itself).
 */
import type { IntrinsicName, RegName } from '../ir/index.js';
import { lookupCode } from '../compile/image.js';
import { EAX, EBX, ECX, EDI, EDX, EFLAGS, EIP, ESI, ESP, REG_INDEX, hex32, type Fault, type FaultAction, type Machine, type Platform } from '../emulate/index.js';
import { FIRST_RESERVED_GDT_ENTRY, FLAT_RING1_CS, HYPERVISOR_VIRT_START, LAYOUT, ShutdownReason, TI_IF_FLAG, Virq } from './abi/index.js';
import type { Domain } from './domain.js';
import { PAGE, PGT_L1, PGT_L2, PGT_SEG, PTE_P, PTE_RW, TYPE_NAMES } from './frames.js';
import { HYPERCALL_NAMES, dispatch, type HypercallHost } from './hypercalls.js';
import { ownerName } from './mm.js';
import { walk, type Walk, type XenMemory } from './paging.js';
import type { CrashReport, SourceMap, TerminationKind } from './report.js';
import { formatHypercall } from './report.js';
import type { Xen } from './xen.js';
import { cpuid, PicPair, Pit8254, PortBus, TIMER_FREQ, Uart16550, type CpuFeatures } from '../emulate/pc/index.js';

/** What CPUID shows a guest: no 4 MB pages, global pages or PAE. */
const GUEST_FEATURES: CpuFeatures = { pse: false, pge: false, pae: false };

const IF = 1 << 9;
const IOPL = 3 << 12;
const ERROR_CODE_VECTORS = new Set([8, 10, 11, 12, 13, 14, 17]);
const CR0_PE = 1 << 0;
const CR0_TS = 1 << 3;
const CR0_ET = 1 << 4;
const CR0_PG = 1 << 31;

const VECTOR_NAMES: Record<number, string> = { 0: '#DE', 1: '#DB', 3: '#BP', 6: '#UD', 7: '#NM', 8: '#DF', 13: '#GP', 14: '#PF' };

export interface XenPlatformOptions {
  /** Record every hypercall and trap (--debug). */
  debug?: boolean;
  /** Nanoseconds of system time per IR step (default 10). */
  nsPerStep?: number;
  /** Period of the VIRQ_TIMER tick in ns once bound (default 10 ms; 0 = none). */
  tickNs?: number;
  sourceMap?: SourceMap;
}

export class XenPlatform implements Platform, HypercallHost {
  machine!: Machine;
  iopl = 0;
  debugRegs = [0, 0, 0, 0, 0, 0, 0, 0];
  crash?: CrashReport;
  /** Set when the run ended with a clean shutdown or blocked for good. */
  ended?: { kind: 'shutdown'; reason: string } | { kind: 'blocked' } | { kind: 'halted' };
  lastException?: string;
  /** Where the last delivered exception happened (for the report of a guest that then crashes). */
  lastExceptionEip?: number;
  private lastExceptionRegs?: Record<string, number>;
  readonly ioCounts = new Map<string, number>();
  /**
   * Port I/O once physdev_op SET_IOPL granted it: the PC module's PIT (on system
   * time), an inert PIC pair (physical IRQs never reach the domain) and a 16550 at
   * 0x3f8 whose output (`serial`) also goes to the domain console (CRs dropped).
   * Other ports read as all ones.
   */
  private ports?: PortBus;
  serial = '';
  exceptionsDelivered = 0;
  upcalls = 0;
  private delivering = 0;
  private idleNs = 0n;
  private nextTickNs: bigint | null = null;
  private note_?: string;
  private current?: { nr: number; args: number[]; eip: number };
  private readonly nsPerStep: bigint;
  private readonly tickNs: bigint;

  constructor(
    readonly xen: Xen,
    readonly dom: Domain,
    readonly mem: XenMemory,
    readonly opts: XenPlatformOptions = {},
  ) {
    this.nsPerStep = BigInt(opts.nsPerStep ?? 10);
    this.tickNs = BigInt(opts.tickNs ?? 10_000_000);
    if (opts.debug) dom.trace = [];
    xen.mm.onChange = () => mem.flush();
    mem.onFault = (va, size, write, eip, w) => this.pagingFault(va, size, write, eip, w);
  }

  attach(m: Machine): void {
    this.machine = m;
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
    if (t === null) {
      m.setDeadline(Infinity);
      return;
    }
    const steps = Number((t - this.idleNs + this.nsPerStep - 1n) / this.nsPerStep);
    m.setDeadline(Math.max(steps, m.steps + 1));
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

  private get si(): number {
    return this.dom.sharedInfoMfn * PAGE;
  }

  sendEvent(port: number): void {
    const u8 = this.xen.mem.u8;
    const S = LAYOUT.shared_info_t.fields;
    const si = this.si;
    const word = port >>> 5;
    const bit = 1 << (port & 31);
    const pend = si + S.evtchn_pending.offset + 4 * word;
    const dv = this.xen.mem.dv;
    const old = dv.getUint32(pend, true);
    if (old & bit) return;
    dv.setUint32(pend, (old | bit) >>> 0, true);
    if (dv.getUint32(si + S.evtchn_mask.offset + 4 * word, true) & bit) return;
    const sel = si + S.evtchn_pending_sel.offset;
    dv.setUint32(sel, (dv.getUint32(sel, true) | (1 << word)) >>> 0, true);
    u8[si] = 1; // evtchn_upcall_pending
  }

  private upcallDue(): boolean {
    const u8 = this.xen.mem.u8;
    return this.dom.eventAddress !== 0 && u8[this.si] !== 0 && u8[this.si + 1] === 0;
  }

  private upcall(m: Machine, resume: number): void {
    this.xen.mem.u8[this.si + 1] = 1;
    this.upcalls++;
    this.dom.trace?.push(`upcall -> ${hex32(this.dom.eventAddress)} (resume ${hex32(resume)})`);
    this.pushFrame(m, resume, [], resume);
    const ra = m.callAt(this.dom.eventAddress, resume);
    if (ra !== resume) this.engineLimit(m, resume, ra, 'the event callback');
  }

  tick(m: Machine, eip: number): void {
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
      if (this.current) this.dom.record({ ...this.current, name: 'sched_op', result: 0, detail: 'block with events masked: halted' });
      this.ended = { kind: 'halted' };
      return this.machine.halt({ outcome: 'halt', message: 'the guest blocked with event delivery masked (cli; hlt): halted' });
    }
    const t = this.nextTimerNs();
    if (t === null) {
      const m = this.machine;
      if (this.current) this.dom.record({ ...this.current, name: 'sched_op', result: 0, detail: 'block: nothing can wake the domain' });
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

  shutdown(reason: number): never {
    const name = ShutdownReason[reason] ?? `reason ${reason}`;
    if (this.current) this.dom.record({ ...this.current, name: 'sched_op', result: 0, detail: `shutdown ${name}` });
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

  // ---- Platform ----

  hypercall(m: Machine, eip: number): void {
    const R = m.regs;
    const nr = R[EAX]! >>> 0;
    const args = [R[EBX]!, R[ECX]!, R[EDX]!, R[ESI]!, R[EDI]!];
    this.note_ = undefined;
    this.current = { nr, args, eip };
    const result = dispatch(this, nr, args) | 0;
    this.current = undefined;
    R[EAX] = result;
    const rec = this.dom.record({ name: HYPERCALL_NAMES[nr] ?? `hypercall_${nr}`, nr, args, result, eip, detail: this.note_ });
    this.dom.trace?.push(formatHypercall(rec));
    if (this.upcallDue()) this.upcall(m, eip + 1);
  }

  intrinsic(m: Machine, name: IntrinsicName, a: number, _b: number, _c: number, eip: number): number {
    const R = m.regs;
    switch (name) {
      case 'int':
        if ((a & 255) === 0x82) {
          this.hypercall(m, eip);
          return R[EAX]!;
        }
        return this.softInt(m, a & 255, eip);
      case 'int3':
        if (this.deliver(m, 3, undefined, eip, eip + 1)) return 0;
        return this.terminate(m, 'guest-fault', 'int3 (breakpoint) with no #BP handler in the trap table', eip);
      case 'cpuid': {
        // The host CPU (the emulated PC's, QEMU's qemu32) with the paging features Xen
        // 2.0 does not give a paravirtual guest hidden (seed step 4).
        [R[EAX], R[EBX], R[ECX], R[EDX]] = cpuid(R[EAX]!, GUEST_FEATURES);
        return 0;
      }
      case 'rdtsc':
        R[EAX] = m.steps | 0;
        R[EDX] = Math.floor(m.steps / 0x100000000) | 0;
        return 0;
      case 'pushf': {
        // Sensitive, not privileged: the real IF (always 1 for a Xen guest) shows.
        const sp = (R[ESP]! - 4) | 0;
        m.mem.st32(sp, R[EFLAGS]! | IF | 2, eip);
        R[ESP] = sp;
        return 0;
      }
      case 'popf': {
        const sp = R[ESP]!;
        const v = m.mem.ld32(sp, eip);
        R[ESP] = (sp + 4) | 0;
        const keep = this.iopl >= 1 ? IOPL : IF | IOPL;
        R[EFLAGS] = (v & ~keep) | (R[EFLAGS]! & keep) | 2;
        return 0;
      }
      case 'smsw':
        return 0x33 | (this.dom.fpuTs ? 8 : 0);
      case 'sgdt':
      case 'sidt': {
        // Sensitive: reveals the hypervisor's tables (in the hole).
        const limit = name === 'sgdt' ? (FIRST_RESERVED_GDT_ENTRY + 40) * 8 - 1 : 0x7ff;
        m.mem.st16(a, limit, eip);
        m.mem.st32((a + 2) | 0, (HYPERVISOR_VIRT_START + (name === 'sgdt' ? 0x400000 : 0x500000)) | 0, eip);
        return 0;
      }
      case 'sldt':
      case 'str':
      case 'lar':
      case 'lsl':
      case 'verr':
      case 'verw':
        return 0;
      case 'inb':
      case 'inw':
      case 'inl':
      case 'outb':
      case 'outw':
      case 'outl':
        if (this.iopl >= 1) {
          this.ioCounts.set(name, (this.ioCounts.get(name) ?? 0) + 1);
          const bus = this.portBus();
          const width = name.endsWith('b') ? 1 : name.endsWith('w') ? 2 : 4;
          if (name.startsWith('in')) return bus.read(a & 0xffff, width);
          bus.write(_b & 0xffff, a, width);
          return 0;
        }
        return this.gp(m, name, eip);
      case 'cli':
      case 'sti':
        if (this.iopl >= 1) {
          R[EFLAGS] = name === 'cli' ? R[EFLAGS]! & ~IF : R[EFLAGS]! | IF;
          return 0;
        }
        return this.gp(m, name, eip);
      // What the real ports left native: Xen emulates these for a ring-1 guest
      // (docs/hypervisor.md), as the rules' "leave" action expects.
      case 'rcr0':
        this.emulated(name, eip);
        return (CR0_PE | CR0_ET | CR0_PG | (this.dom.fpuTs ? CR0_TS : 0)) | 0;
      case 'rcr4':
        this.emulated(name, eip);
        return 0; // no PSE, PGE or PAE for a paravirtual guest
      case 'wbinvd':
      case 'invd':
        this.emulated(name, eip);
        return 0;
      case 'rdmsr':
        // No MSR is virtualised: every read gives 0 (no local APIC under Xen).
        this.emulated(`rdmsr 0x${(R[ECX]! >>> 0).toString(16)}`, eip);
        R[EAX] = 0;
        R[EDX] = 0;
        return 0;
      case 'wrmsr':
        this.emulated(`wrmsr 0x${(R[ECX]! >>> 0).toString(16)} (ignored)`, eip);
        return 0;
      default:
        return this.gp(m, name, eip);
    }
  }

  /** A privileged instruction the hypervisor carried out for the guest: traced, not fatal. */
  private emulated(what: string, eip: number): void {
    this.dom.trace?.push(`emulated ${what} at ${hex32(eip)}`);
    const key = `emulated ${what.split(' ')[0]}`;
    this.ioCounts.set(key, (this.ioCounts.get(key) ?? 0) + 1);
  }

  writeSegment(m: Machine, reg: RegName, value: number, eip: number): void {
    const sel = value & 0xffff;
    const why = this.checkSelector(reg, sel);
    if (why) {
      this.gp(m, `mov to %${reg} (${why})`, eip);
      return;
    }
    m.regs[REG_INDEX[reg]] = sel;
  }

  private checkSelector(reg: RegName, sel: number): string | undefined {
    const rpl = sel & 3;
    const index = sel >>> 3;
    if (sel < 4) return reg === 'cs' || reg === 'ss' ? 'null selector' : undefined;
    if ((reg === 'cs' || reg === 'ss') && rpl !== 1) return `selector ${hex32(sel)} has RPL ${rpl}, the guest kernel runs in ring 1`;
    if (sel & 4) return this.dom.ldtEntries > index ? undefined : `LDT selector ${hex32(sel)} beyond the LDT`;
    if (index >= FIRST_RESERVED_GDT_ENTRY) return index < FIRST_RESERVED_GDT_ENTRY + 40 ? undefined : `selector ${hex32(sel)} beyond the GDT`;
    if (index >= this.dom.gdtEntries) return `selector ${hex32(sel)} beyond the guest GDT (${this.dom.gdtEntries} entries)`;
    const f = this.dom.gdtFrames[index >>> 9];
    if (f === undefined) return `selector ${hex32(sel)}: no GDT frame`;
    const hi = this.xen.mem.entry(f, 2 * (index & 511) + 1);
    if (!(hi & 0x8000)) return `selector ${hex32(sel)}: descriptor not present`;
    const dpl = (hi >>> 13) & 3;
    if (reg !== 'cs' && Math.max(1, rpl) > dpl && !(reg !== 'ss' && (hi & 0x1c00) === 0x1c00)) return `selector ${hex32(sel)}: DPL ${dpl} < CPL 1`;
    return undefined;
  }

  iret(m: Machine, eip: number): number {
    const R = m.regs;
    const sp = R[ESP]!;
    const ret = m.mem.ld32(sp, eip);
    const cs = m.mem.ld32(sp + 4, eip) & 0xffff;
    const fl = m.mem.ld32(sp + 8, eip);
    if ((cs & 3) === 0) return this.terminate(m, 'guest-fault', `iret to ring 0 (cs ${hex32(cs)})`, eip);
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
    return ret;
  }

  fault(m: Machine, f: Fault): FaultAction {
    switch (f.kind) {
      case 'breakpoint-stub': {
        const msg = f.message.trim();
        const sp = msg.indexOf(' ');
        const rule = sp > 0 ? msg.slice(0, sp) : msg;
        const where = sp > 0 ? msg.slice(sp + 1).trim() : undefined;
        return this.terminate(m, 'breakpoint-stub', `breakpoint stub hit: rule ${rule}${where ? ` at ${where}` : ''} has not been ported`, f.eip, { rule, original: where });
      }
      case 'divide-error':
        if (this.deliver(m, 0, undefined, f.eip, f.eip)) return 'continue';
        return this.terminate(m, 'guest-fault', `divide error with no #DE handler`, f.eip);
      case 'breakpoint':
        if (this.deliver(m, 3, undefined, f.eip, f.eip + 1)) return 'continue';
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

  private portBus(): PortBus {
    if (this.ports) return this.ports;
    const bus = new PortBus();
    const pit = new Pit8254(() => Number((this.now() * BigInt(TIMER_FREQ)) / 1_000_000_000n));
    bus.attach(pit, [0x40, 0x41, 0x42, 0x43]);
    bus.attach(new PicPair(), [0x20, 0x21, 0xa0, 0xa1]);
    const uart = new Uart16550(0x3f8);
    // The UART is the kernel's own console once it has I/O privilege: its bytes go
    // to the domain console too, in order with console_io output.
    uart.onByte = (b) => {
      const c = String.fromCharCode(b);
      this.serial += c;
      if (b !== 13) this.dom.console += c;
    };
    bus.attach(uart, [0x3f8, 0x3f9, 0x3fa, 0x3fb, 0x3fc, 0x3fd, 0x3fe, 0x3ff]);
    this.ports = bus;
    return bus;
  }

  // ---- exceptions ----

  private gp(m: Machine, what: string, eip: number): number {
    this.dom.trace?.push(`#GP: ${what} at ${hex32(eip)}`);
    if (this.deliver(m, 13, 0, eip, eip)) return 0;
    return this.terminate(m, 'privileged-instruction', `privileged instruction ${what} in ring 1, and the guest has no #GP handler`, eip);
  }

  private softInt(m: Machine, vector: number, eip: number): number {
    const t = this.dom.traps.get(vector);
    if (t && (t.flags & 3) >= 1) {
      this.deliver(m, vector, undefined, eip, eip + 1);
      return 0;
    }
    return this.gp(m, `int $${vector} (no gate with DPL >= 1)`, eip);
  }

  private pagingFault(va: number, size: number, write: boolean, eip: number, w: Walk): void {
    const m = this.machine;
    const acc = write ? 'write' : 'read';
    if (this.delivering > 0)
      this.terminate(m, 'double-fault', `fault while delivering a fault: ${acc} of ${hex32(va)} (${w.failure}) while pushing an exception frame`, eip, { address: va, walk: w });
    if (w.failure === 'hole')
      this.terminate(m, 'hole-access', `${acc} of ${size} bytes at ${hex32(va)} in the hypervisor hole (from ${hex32(HYPERVISOR_VIRT_START)}; only reads of the m2p table are allowed)`, eip, { address: va, walk: w });
    if (w.failure === 'read-only') {
      const target = w.l1e! >>> 12;
      const mm = this.xen.mem;
      const t = mm.type[target]!;
      if ((t === PGT_L1 || t === PGT_L2 || t === PGT_SEG) && mm.typeCount[target]! > 0)
        this.terminate(m, 'page-table-write', `write to a read-only ${TYPE_NAMES[t]} ${t === PGT_SEG ? 'descriptor-table' : 'page-table'} page at ${hex32(va)} (machine frame ${hex32(target)}); page tables change only through mmu_update`, eip, { address: va, walk: w });
    }
    const present = w.failure === 'read-only';
    const code = (present ? 1 : 0) | (write ? 2 : 0);
    if (!this.deliver(m, 14, code, eip, eip, va))
      this.terminate(m, 'page-fault', `page fault (${w.failure}) on ${acc} of ${hex32(va)} and the guest has no #PF handler`, eip, { address: va, walk: w });
  }

  /** Pushes [cr2] [error] eip cs eflags for `resume` on the guest stack. */
  private pushFrame(m: Machine, resume: number, extra: number[], eip: number): void {
    const R = m.regs;
    this.delivering++;
    let sp = R[ESP]!;
    for (const v of [R[EFLAGS]! | IF | 2, R[REG_INDEX.cs]! || FLAT_RING1_CS, resume, ...extra]) {
      sp = (sp - 4) | 0;
      m.mem.st32(sp, v, eip);
    }
    this.delivering--;
    R[ESP] = sp;
  }

  /**
   * Delivers exception `vector` through the guest's trap table; returns false when
   * there is no handler. The handler's iret must return to `resume`.
   */
  private deliver(m: Machine, vector: number, errorCode: number | undefined, eip: number, resume: number, cr2?: number): boolean {
    const t = this.dom.traps.get(vector);
    if (!t) return false;
    if (this.delivering > 0) this.terminate(m, 'double-fault', `fault while delivering a fault (vector ${vector})`, eip);
    const extra: number[] = [];
    if (ERROR_CODE_VECTORS.has(vector)) extra.push(errorCode ?? 0);
    if (vector === 14) extra.push(cr2 ?? 0);
    this.pushFrame(m, resume, extra, eip);
    if (t.flags & TI_IF_FLAG) this.xen.mem.u8[this.si + 1] = 1;
    if (vector === 7) this.dom.fpuTs = false;
    this.exceptionsDelivered++;
    this.lastExceptionEip = eip;
    const at = m.report({ kind: 'general-protection', eip, message: '' });
    this.lastExceptionRegs = at.registers;
    this.lastException = `${VECTOR_NAMES[vector] ?? `vector ${vector}`} at ${at.instruction ?? hex32(eip)} (${at.function ?? '?'}, ${this.mapWhere(at.where) ?? at.where ?? '?'})${cr2 !== undefined ? `, address ${hex32(cr2)}` : ''}`;
    this.dom.trace?.push(`trap ${this.lastException} -> ${hex32(t.address)}`);
    const ra = m.callAt(t.address, resume);
    if (ra !== resume) this.engineLimit(m, resume, ra, `the handler of vector ${vector}`);
    return true;
  }

  private engineLimit(m: Machine, expected: number, got: number, what: string): never {
    return this.terminate(m, 'engine-limit', `${what} returned to ${hex32(got)} instead of ${hex32(expected)} (the engine cannot resume elsewhere)`, expected, { address: got });
  }

  private mapWhere(where: string | undefined): string | undefined {
    if (!where || where === '?') return undefined;
    return this.opts.sourceMap?.(where);
  }

  // ---- reports ----

  describeWalk(va: number, w?: Walk): string[] {
    const d = this.dom;
    const mm = this.xen.mem;
    w ??= walk(this.xen, d, va, false);
    const frame = (mfn: number): string =>
      mm.isFrame(mfn) ? `frame ${hex32(mfn)} (${TYPE_NAMES[mm.type[mfn]!]}, ${mm.typeCount[mfn]} type uses, ${mm.refs[mfn]} refs, ${ownerName(mm.owner[mfn]!)})` : `frame ${hex32(mfn)} (outside machine memory)`;
    const flags = (e: number): string => [e & PTE_P ? 'P' : '-', e & PTE_RW ? 'RW' : 'RO', e & 4 ? 'U' : 'S'].join(' ');
    const out: string[] = [`VA ${hex32(va)}: page directory ${d.baseMfn >= 0 ? frame(d.baseMfn) : '(none)'}`];
    if ((va >>> 0) >= HYPERVISOR_VIRT_START) {
      out.push(`in the hypervisor hole (L2 slot ${va >>> 22} >= ${HYPERVISOR_VIRT_START >>> 22}); m2p table readable up to ${hex32(HYPERVISOR_VIRT_START + this.xen.m2pBytes)}`);
      return out;
    }
    if (w.l2e === undefined) return out;
    out.push(`L2[${w.l2Index}] = ${hex32(w.l2e)} ${flags(w.l2e)}${w.l2e & PTE_P ? ` -> ${frame(w.l2e >>> 12)}` : ''}`);
    if (w.l1e !== undefined) {
      out.push(`L1[${w.l1Index}] = ${hex32(w.l1e)} ${flags(w.l1e)}${w.l1e & PTE_P ? ` -> ${frame(w.l1e >>> 12)}` : ''}`);
      if (w.l1e & PTE_P) {
        const mfn = w.l1e >>> 12;
        const pfn = this.xen.m2p(mfn);
        out.push(`machine address ${hex32((w.l1e & ~0xfff) + (va & 0xfff))}, pseudo-physical frame ${pfn === 0x55555555 ? '(none)' : hex32(pfn)}`);
      }
    }
    if (w.failure) out.push(`=> ${w.failure}`);
    return out;
  }

  buildReport(
    m: Machine,
    kind: TerminationKind,
    reason: string,
    eip: number,
    x: { rule?: string; original?: string; address?: number; walk?: Walk },
  ): CrashReport {
    const at = m.report({ kind: 'general-protection', eip, message: reason });
    const bt = this.backtrace(m, kind === 'guest-crash' && this.lastExceptionRegs ? this.lastExceptionRegs.esp! : m.regs[ESP]!);
    let generated = at.where && at.where !== '?' ? at.where : undefined;
    let original = x.original ?? this.mapWhere(generated);
    // A guest that gave up on its own (xen_fail -> shutdown crash) is best named by
    // the innermost caller in the ported tree.
    if (!original && (kind === 'blocked' || (kind === 'guest-crash' && !this.lastException))) {
      const f = bt.find((b) => b.original);
      if (f) [generated, original] = [f.where, f.original];
    }
    original ??= generated;
    return {
      kind,
      reason,
      rule: x.rule,
      function: at.function,
      instruction: at.instruction,
      generated: generated !== original ? generated : undefined,
      original,
      eip: eip >>> 0,
      address: x.address,
      registers: at.registers,
      walk: x.address !== undefined ? this.describeWalk(x.address, x.walk) : [],
      backtrace: bt.map((f) => f.line),
      hypercalls: this.dom.recentCalls(),
      mmuLog: this.xen.mm.log.slice(-4),
      lastException: this.lastException,
      steps: m.steps,
    };
  }

  /**
   * Return addresses on the guest stack: words that are the address right after a
   * `call` instruction of the image. A scan, not an unwinder (stale words may show).
   */
  backtrace(m: Machine, esp: number, words = 512, max = 8): { func: string; where: string; original?: string; line: string }[] {
    const out: { func: string; where: string; original?: string; line: string }[] = [];
    const bytes = this.mem.read(esp >>> 0, words * 4) ?? this.mem.read(esp >>> 0, (4096 - (esp & 0xfff)) & ~3);
    if (!bytes) return out;
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
    for (let k = 0; k + 4 <= bytes.length && out.length < max; k += 4) {
      const ra = dv.getUint32(k, true);
      const at = lookupCode(m.image, ra - 1);
      if (!at || at.instr.kind !== 'call' || at.func.addr + at.index + 1 !== ra) continue;
      const original = this.mapWhere(at.where);
      out.push({ func: at.func.name, where: at.where, original, line: `${at.func.name} (${original ?? at.where}) [stack ${hex32((esp + k) >>> 0)}]` });
    }
    return out;
  }

  terminate(m: Machine, kind: TerminationKind, reason: string, eip: number, x: { rule?: string; original?: string; address?: number; walk?: Walk } = {}): never {
    m.regs[EIP] = eip;
    this.crash = this.buildReport(m, kind, reason, eip, x);
    this.dom.trace?.push(`terminate: ${reason}`);
    return m.halt({ outcome: 'halt', message: reason });
  }
}
