/*
 * BarePC: the emulated PC a native kernel boots on. One Machine whose memory is a
 * PagedMemory over RAM, whose platform is the privileged CPU (cpu.ts) plus the ISA
 * devices (devices.ts): COM1 is the console, IRQ0 comes from the PIT through the
 * PICs, PCI configuration mechanism #1 shows QEMU's host bridge, CPUID answers as
 * QEMU's qemu32 with PSE/PGE/PAE switchable.
 *
 * Interrupts are polled at block boundaries (Platform.tick) when the step deadline
 * for the next timer edge passes, or right after IF may have become set with an
 * interrupt pending; `hlt` with IF set jumps the virtual clock to the next edge.
 * `hlt` with IF clear ends the run ('halt'), a triple fault or a reset request ends it
 * with 'halt' and says why; guest faults that cannot be delivered as exceptions
 * (bad call, stray return, host stack exhaustion) end it with 'fault' and a report.
 *
 * This file wires the machine and runs it (boot, timer and interrupt polling, the
 * Platform hooks); the instructions and their privilege rules are in
 * barepc-intrinsics.ts, the shape of a run's result in boot-result.ts.
 */
import type { IntrinsicName, RegName } from '../../ir/index.js';
import type { LinkedImage } from '../../ir/index.js';
import { Machine, type FaultAction, type Platform, type StopReason } from '../machine.js';
import type { Fault } from '../fault.js';
import { EAX, EBX, EFLAGS, ESP, REG_INDEX, CS, DS, ES, FS, GS, SS } from '../regs.js';
import { PhysicalMemory } from './phys.js';
import { PagedMemory } from './mmu.js';
import { FL_IF, VEC_BP, VEC_DE, VEC_GP, VEC_PF, VEC_UD, VECTOR_NAMES, X86Cpu, type CpuEvent } from './cpu.js';
import { QEMU32_FEATURES, type CpuFeatures } from './cpuid.js';
import { PciConfig, PicPair, Pit8254, PortBus, range, ResetControl, Uart16550 } from './devices.js';
import { BOOT_STACK, loadMultiboot, MULTIBOOT_BOOTLOADER_MAGIC, type LoadedKernel, type MultibootModule } from './multiboot.js';
import { bootResult, type BootResult } from './boot-result.js';
import { executeIntrinsic, raiseGP, RETRY, type IntrinsicHost } from './barepc-intrinsics.js';
import { CodePages } from '../code-pages.js';
import { UserCodeDispatcher, type CodeFetch } from '../user-code.js';
import { PGEX_I } from './paging-bits.js';

export type { BootResult } from './boot-result.js';

export interface BarePCOptions {
  /** RAM in MiB (default 32, as the pinned QEMU flags). */
  memoryMB?: number;
  /** RAM in bytes (overrides memoryMB; a multiple of 4096). */
  memoryBytes?: number;
  features?: CpuFeatures;
  /** IR instructions per PIT input clock (default 1). */
  stepsPerPitClock?: number;
  /** Each console byte as it is written. */
  onConsole?: (byte: number) => void;
  /** Trace lines (exceptions, interrupts, resets). */
  trace?: (line: string) => void;
  /** The multiboot command line. */
  cmdline?: string;
  /** Boot modules, loaded after the kernel as QEMU's -initrd does. */
  modules?: MultibootModule[];
  /** A port whose write ends the run with outcome 'exit' and the value as exit code (tests). */
  debugExitPort?: number;
  /**
   * Memory to reuse (its RAM is cleared and its MMU reset): saves allocating the TLB
   * arrays for every short run (fuzzing). memoryMB/memoryBytes are then ignored.
   */
  memory?: PagedMemory;
}

export class BarePC implements Platform, IntrinsicHost {
  readonly image: LinkedImage;
  readonly phys: PhysicalMemory;
  readonly mmu: PagedMemory;
  readonly cpu: X86Cpu;
  readonly machine: Machine;
  uart!: Uart16550;
  pic!: PicPair;
  pit!: Pit8254;
  ports!: PortBus;
  resetControl!: ResetControl;
  private onConsole?: (byte: number) => void;
  features: CpuFeatures;
  private readonly spc: number;
  /** Virtual time spent idle in hlt, in steps. */
  idle = 0;
  private trace?: (line: string) => void;
  debugExitPort?: number;
  loaded?: LoadedKernel;
  /** Physical pages user code was compiled from, and the dispatcher that runs it. */
  readonly codePages: CodePages;
  readonly user: UserCodeDispatcher;
  private readonly modules: MultibootModule[];
  private stepsAtStart = 0;
  private idleAtStart = 0;

  constructor(image: LinkedImage, opts: BarePCOptions = {}) {
    this.image = image;
    this.features = opts.features ?? QEMU32_FEATURES;
    if (opts.memory) {
      this.mmu = opts.memory;
      this.phys = opts.memory.phys;
      this.mmu.reset();
      this.phys.clear();
    } else {
      this.phys = new PhysicalMemory(opts.memoryBytes ?? (opts.memoryMB ?? 32) << 20);
      this.mmu = new PagedMemory(this.phys);
    }
    this.trace = opts.trace;
    this.cpu = new X86Cpu(this.mmu, {
      features: this.features,
      onEvent: opts.trace ? (ev, cpl) => this.traceEvent(ev, cpl) : undefined,
    });
    this.machine = new Machine(image, this.mmu, this);
    this.mmu.onFault = (addr, errorCode, access, _size, eip) =>
      this.cpu.exception(this.machine, VEC_PF, errorCode, eip, 'fault', { address: addr, message: `${access} at 0x${(addr >>> 0).toString(16)}` });
    // User mode: XIR code in guest memory, fetched at CPL 3 through the MMU.
    this.codePages = new CodePages(this.phys.size >>> 12);
    this.phys.code = this.codePages;
    this.mmu.code = this.codePages;
    this.codePages.onProtect = (ppn) => this.mmu.dropWrites(ppn);
    const fetch: CodeFetch = {
      ram: this.phys.u8,
      fetchAddress: (va) => this.mmu.translate(va, false, this.cpu.cpl === 3),
      fetchFault: (va, eip) => {
        this.cpu.exception(this.machine, VEC_PF, this.mmu.errorCode | PGEX_I, eip, 'fault', { address: va, message: `instruction fetch at 0x${(va >>> 0).toString(16)}` });
      },
    };
    this.user = new UserCodeDispatcher(this.machine, fetch, this.codePages, { mem: this.mmu, ctx: { tlb: true }, u8: this.phys.u8, i32: this.phys.i32, view: this.mmu.tlbView });
    this.machine.userCode = this.user;
    this.spc = opts.stepsPerPitClock ?? 1;
    this.onConsole = opts.onConsole;
    this.makeDevices();
    this.debugExitPort = opts.debugExitPort;
    this.modules = opts.modules ?? [];
  }

  private makeDevices(): void {
    this.uart = new Uart16550(0x3f8);
    if (this.onConsole) this.uart.onByte = this.onConsole;
    this.pic = new PicPair();
    this.pit = new Pit8254(() => this.clocks());
    this.resetControl = new ResetControl();
    this.resetControl.onReset = (why) => this.machine.halt({ outcome: 'halt', message: `reset: ${why}` });
    this.ports = new PortBus();
    this.ports.attach(this.uart, range(0x3f8, 8));
    this.ports.attach(this.pic, [0x20, 0x21, 0xa0, 0xa1]);
    this.ports.attach(this.pit, range(0x40, 4));
    this.ports.attach(this.resetControl, [0x64, 0x92]);
    this.ports.attach(new PciConfig(), range(0xcf8, 8));
  }

  /** Copies the image's sections to their physical addresses and clears the bss. */
  loadSections(): void {
    for (const s of this.image.sections) {
      if (s.bytes.length) this.phys.load(s.paddr, s.bytes);
      const end = Math.min(this.phys.size, (s.paddr >>> 0) + s.size);
      if ((s.paddr >>> 0) + s.bytes.length < end) this.phys.u8.fill(0, (s.paddr >>> 0) + s.bytes.length, end);
    }
  }

  /**
   * Power cycle: RAM cleared and the image's sections reloaded, CPU, MMU/TLB and
   * devices in their reset state, registers zero. The compiled code is kept, so a
   * second run costs no compilation.
   */
  powerCycle(): void {
    this.machine.resetFrames();
    this.cpu.reset();
    this.phys.clear();
    this.loadSections();
    this.makeDevices();
    this.idle = 0;
    this.machine.regs.fill(0);
    this.loaded = undefined;
  }

  /** Virtual time in PIT clocks. */
  clocks(): number {
    return Math.floor((this.machine.steps + this.idle) / this.spc);
  }

  private traceEvent(ev: CpuEvent, cpl: number): void {
    const name = VECTOR_NAMES[ev.vector] ?? (ev.kind === 'interrupt' ? `interrupt` : `int $0x${ev.vector.toString(16)}`);
    const code = ev.errorCode !== undefined ? ` error 0x${ev.errorCode.toString(16)}` : '';
    const addr = ev.address !== undefined ? ` cr2=0x${(ev.address >>> 0).toString(16)}` : '';
    this.trace?.(`[${this.machine.steps}] ${ev.kind} vector ${ev.vector} (${name})${code}${addr} at 0x${(ev.eip >>> 0).toString(16)} cpl ${cpl}`);
  }

  // ---- boot ----

  /**
   * Loads the image as a multiboot loader would and sets the entry state (paging off,
   * ring 0, IF clear, eax = magic, ebx = multiboot info). Throws EmulatorError if the
   * image does not fit.
   */
  loadKernel(cmdline?: string): LoadedKernel {
    const k = loadMultiboot(this.image, this.phys, cmdline, this.modules);
    this.loaded = k;
    const R = this.machine.regs;
    R[EAX] = MULTIBOOT_BOOTLOADER_MAGIC | 0;
    R[EBX] = k.mbiAddr;
    R[ESP] = BOOT_STACK;
    R[EFLAGS] = 2;
    R[CS] = 0x10;
    R[DS] = R[ES] = R[FS] = R[GS] = R[SS] = 0x18;
    return k;
  }

  /** Runs from the loaded entry (or `entry`) until the kernel stops; never throws for guest behaviour. */
  run(maxSteps = 2e9, entry = this.loaded?.entry ?? this.image.entry, args: number[] = []): BootResult {
    const t0 = performance.now();
    const m = this.machine;
    this.stepsAtStart = m.steps;
    this.idleAtStart = this.idle;
    let ret = 0;
    this.scheduleTimer();
    const stop: StopReason | undefined = m.execute(() => {
      ret = m.call(entry, args, 0);
    }, maxSteps);
    const reason: StopReason = stop ?? { outcome: 'exit', exitCode: ret };
    return this.result(reason, performance.now() - t0);
  }

  /** Multiboot load + run: the boot of a native kernel. */
  boot(maxSteps = 2e9, cmdline?: string): BootResult {
    this.loadKernel(cmdline);
    return this.run(maxSteps);
  }

  private result(reason: StopReason, wallMs: number): BootResult {
    const m = this.machine;
    const events: Record<number, number> = {};
    for (const [v, n] of this.cpu.counts) events[v] = n;
    const base = {
      console: this.uart.text(),
      steps: m.steps - this.stepsAtStart,
      virtualClocks: Math.floor((m.steps - this.stepsAtStart + this.idle - this.idleAtStart) / this.spc),
      wallMs,
      events,
    };
    const control = { cr0: this.cpu.cr0, cr2: this.cpu.cr2, cr3: this.mmu.cr3, cr4: this.cpu.cr4, cpl: this.cpu.cpl };
    return bootResult(m, reason, base, control, this.cpu.firstFault);
  }

  // ---- timer and interrupts ----

  /** Sets the machine's deadline to the next PIT edge (or a poll when an interrupt waits). */
  scheduleTimer(): void {
    const m = this.machine;
    const t = this.pit.nextIrq0();
    if (t === undefined) return m.setDeadline(Infinity);
    const at = Math.ceil(t * this.spc - this.idle);
    m.setDeadline(Math.max(at, m.steps + 1));
  }

  /** Asks for a poll soon if an interrupt is waiting for IF. */
  kick(): void {
    const m = this.machine;
    if (m.regs[EFLAGS]! & FL_IF && this.pic.master.pending() >= 0) m.setDeadline(m.steps);
  }

  tick(m: Machine, eip: number): void {
    if (this.pit.collectIrq0() > 0) this.pic.raise(0);
    // The handler may switch to another context and never come back here (the host
    // frames unwind): the next deadline is set on the way out either way.
    try {
      this.deliverPending(m, eip, eip);
    } finally {
      this.scheduleTimer();
      if (m.regs[EFLAGS]! & FL_IF && this.pic.master.pending() >= 0) m.setDeadline(m.steps + 1);
    }
  }

  /** Delivers waiting interrupts while IF is set; returns whether one was delivered. */
  private deliverPending(m: Machine, eip: number, returnEip: number): boolean {
    let any = false;
    for (let n = 0; n < 16; n++) {
      if (!(m.regs[EFLAGS]! & FL_IF)) break;
      if (this.pic.master.pending() < 0) break;
      const vector = this.pic.acknowledge();
      if (vector < 0) break;
      any = true;
      this.cpu.interrupt(m, vector, eip, returnEip);
    }
    return any;
  }

  hlt(m: Machine, eip: number): void {
    if (!(m.regs[EFLAGS]! & FL_IF)) m.halt({ outcome: 'halt', message: 'cpu halted with interrupts disabled (hlt with IF clear)' });
    for (let spins = 0; spins < 4; spins++) {
      if (this.pit.collectIrq0() > 0) this.pic.raise(0);
      if (this.pic.master.pending() >= 0) {
        try {
          this.deliverPending(m, eip, (eip + 1) | 0);
        } finally {
          this.scheduleTimer();
        }
        return;
      }
      const t = this.pit.nextIrq0();
      if (t === undefined || this.pic.master.imr & 1) break;
      const target = t * this.spc;
      const now = m.steps + this.idle;
      if (target > now) this.idle += target - now;
    }
    m.halt({ outcome: 'halt', message: 'cpu halted waiting for an interrupt that cannot come (no timer running or IRQ masked)' });
  }

  // ---- Platform ----

  fault(m: Machine, f: Fault): FaultAction {
    switch (f.kind) {
      case 'divide-error':
        return this.cpu.exception(m, VEC_DE, undefined, f.eip, 'fault', { message: f.message });
      case 'invalid-opcode':
        return this.cpu.exception(m, VEC_UD, undefined, f.eip, 'fault', { message: f.message });
      case 'breakpoint':
      case 'breakpoint-stub':
        this.trace?.(`[${m.steps}] breakpoint stub: ${f.message}`);
        return this.cpu.exception(m, VEC_BP, undefined, f.eip, 'software', { message: f.message });
      case 'general-protection':
        return this.cpu.exception(m, VEC_GP, f.errorCode ?? 0, f.eip, 'fault', { message: f.message });
      default:
        return m.halt({ outcome: 'fault', fault: f });
    }
  }
  intrinsic(m: Machine, name: IntrinsicName, a: number, b: number, c: number, eip: number): number {
    for (;;) {
      const r = executeIntrinsic(this, m, name, a, b, c, eip);
      if (r !== RETRY) return r;
    }
  }
  hypercall(m: Machine, eip: number): void {
    // On bare hardware `int $0x82` is just a software interrupt through the IDT.
    this.cpu.exception(m, 0x82, undefined, eip, 'software', { message: 'int $0x82 (hypercall) on bare hardware' });
  }

  writeSegment(m: Machine, reg: RegName, value: number, eip: number): void {
    for (;;) {
      const code = this.cpu.checkSegment(reg as 'cs', value);
      if (code === undefined) {
        m.regs[REG_INDEX[reg]] = value & 0xffff;
        return;
      }
      if (raiseGP(this.cpu, m, eip, code, `load of ${reg} with selector 0x${(value & 0xffff).toString(16)}`) !== RETRY) return;
    }
  }

  iret(m: Machine, eip: number): number {
    const r = this.cpu.iret(m, eip);
    this.kick();
    return r;
  }

  userMode(): boolean {
    return this.cpu.cpl === 3;
  }
}

/** Boots `image` on a fresh BarePC: the whole of `xenoport boot --native` minus printing. */
export function bootNative(image: LinkedImage, opts: BarePCOptions & { maxSteps?: number } = {}): BootResult {
  const pc = new BarePC(image, opts);
  return pc.boot(opts.maxSteps ?? 2e9, opts.cmdline);
}
