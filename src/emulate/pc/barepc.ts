/*
 * BarePC: the emulated PC a native kernel boots on. One Machine whose memory is a
 * PagedMemory over RAM, whose platform is the privileged CPU (cpu.ts) plus the ISA
 * devices (devices.ts): COM1 is the console, IRQ0 comes from the PIT through the
 * PICs, PCI configuration mechanism #1 shows QEMU's host bridge, CPUID answers as
 * QEMU's qemu32 with PSE/PGE/PAE switchable.
 *
 * Intrinsic rules (i386): the privileged ones (lcr*, rcr*, lgdt, lidt, lldt, ltr,
 * invlpg, invd, wbinvd, hlt, clts, lmsw, mov DRn, rdmsr, wrmsr, rdpmc) raise #GP(0)
 * outside ring 0; cli/sti need CPL <= IOPL; in/out need CPL <= IOPL or the TSS I/O
 * bitmap's permission; sgdt/sidt/sldt/str/smsw/pushf/popf/cpuid are not privileged
 * (popf silently keeps IF and IOPL where it may not change them); rdtsc faults in
 * rings 1-3 only with CR4.TSD. A delivered fault whose handler returns to the same
 * instruction runs it again. The run-mode sys_* intrinsics are #UD here.
 *
 * Interrupts are polled at block boundaries (Platform.tick) when the step deadline
 * for the next timer edge passes, or right after IF may have become set with an
 * interrupt pending; `hlt` with IF set jumps the virtual clock to the next edge.
 * `hlt` with IF clear ends the run ('halt'), a triple fault or a reset request ends it
 * with 'halt' and says why; guest faults that cannot be delivered as exceptions
 * (bad call, stray return, host stack exhaustion) end it with 'fault' and a report.
 */
import type { IntrinsicName, RegName } from '../../ir/index.js';
import type { LinkedImage } from '../../compile/image.js';
import { Machine, type FaultAction, type Platform, type StopReason } from '../machine.js';
import type { Fault, FaultReport } from '../fault.js';
import { EAX, EBX, ECX, EDX, EFLAGS, ESP, REG_INDEX, CS, DS, ES, FS, GS, SS } from '../regs.js';
import { PhysicalMemory } from './phys.js';
import { CR0_TS, CR4_TSD, PagedMemory } from './mmu.js';
import { FL_IF, VEC_BP, VEC_DE, VEC_GP, VEC_PF, VEC_UD, VECTOR_NAMES, X86Cpu, type CpuEvent } from './cpu.js';
import { cpuid, QEMU32_FEATURES, type CpuFeatures } from './cpuid.js';
import { PciConfig, PicPair, Pit8254, PortBus, range, ResetControl, Uart16550 } from './devices.js';
import { BOOT_STACK, loadMultiboot, MULTIBOOT_BOOTLOADER_MAGIC, type LoadedKernel } from './multiboot.js';
import { formatFaultReport } from './report.js';

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
  /** A port whose write ends the run with outcome 'exit' and the value as exit code (tests). */
  debugExitPort?: number;
  /**
   * Memory to reuse (its RAM is cleared and its MMU reset): saves allocating the TLB
   * arrays for every short run (fuzzing). memoryMB/memoryBytes are then ignored.
   */
  memory?: PagedMemory;
}

export interface BootResult {
  outcome: 'exit' | 'halt' | 'fault' | 'step-limit';
  /** 'halt': why the machine stopped (hlt with IF clear, triple fault, reset request). */
  message?: string;
  exitCode?: number;
  /** Everything the kernel wrote to COM1 (latin1). */
  console: string;
  /** IR instructions executed. */
  steps: number;
  /** Virtual PIT clocks elapsed (steps and idle time). */
  virtualClocks: number;
  wallMs: number;
  /** The fault that ended the run (or started a triple fault), with where and registers. */
  fault?: FaultReport;
  /** formatFaultReport() of `fault`. */
  report?: string;
  /** Exceptions and interrupts delivered, by vector. */
  events: Record<number, number>;
}

const RETRY = Symbol('retry');
const PRIVILEGED = new Set<IntrinsicName>([
  'hlt', 'lcr0', 'lcr3', 'lcr4', 'rcr0', 'rcr2', 'rcr3', 'rcr4', 'lmsw', 'clts', 'rddr', 'lddr', 'invlpg', 'invd', 'wbinvd',
  'lidt', 'lgdt', 'lldt', 'ltr', 'rdmsr', 'wrmsr', 'rdpmc',
]);

export class BarePC implements Platform {
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
  private idle = 0;
  private trace?: (line: string) => void;
  private debugExitPort?: number;
  loaded?: LoadedKernel;
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
    this.spc = opts.stepsPerPitClock ?? 1;
    this.onConsole = opts.onConsole;
    this.makeDevices();
    this.debugExitPort = opts.debugExitPort;
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
    const k = loadMultiboot(this.image, this.phys, cmdline);
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
    switch (reason.outcome) {
      case 'exit':
        return { outcome: 'exit', exitCode: reason.exitCode, ...base };
      case 'step-limit':
        return { outcome: 'step-limit', ...base };
      case 'fault': {
        const fault = m.report(reason.fault);
        return { outcome: 'fault', fault, report: formatFaultReport(fault, { control }), message: reason.fault.message, ...base };
      }
      case 'halt': {
        const first = this.cpu.firstFault;
        if (first && /triple fault/.test(reason.message)) {
          const fault = m.report({
            kind: first.vector === VEC_PF ? 'page-fault' : first.vector === VEC_GP ? 'general-protection' : first.vector === VEC_UD ? 'invalid-opcode' : 'general-protection',
            eip: first.eip, vector: first.vector, errorCode: first.errorCode, address: first.address,
            message: `${first.message ?? VECTOR_NAMES[first.vector] ?? 'exception'}; ${reason.message}`,
          });
          return { outcome: 'halt', message: reason.message, fault, report: formatFaultReport(fault, { title: 'triple fault', control }), ...base };
        }
        return { outcome: 'halt', message: reason.message, ...base };
      }
    }
  }

  // ---- timer and interrupts ----

  /** Sets the machine's deadline to the next PIT edge (or a poll when an interrupt waits). */
  private scheduleTimer(): void {
    const m = this.machine;
    const t = this.pit.nextIrq0();
    if (t === undefined) return m.setDeadline(Infinity);
    const at = Math.ceil(t * this.spc - this.idle);
    m.setDeadline(Math.max(at, m.steps + 1));
  }

  /** Asks for a poll soon if an interrupt is waiting for IF. */
  private kick(): void {
    const m = this.machine;
    if (m.regs[EFLAGS]! & FL_IF && this.pic.master.pending() >= 0) m.setDeadline(m.steps);
  }

  tick(m: Machine, eip: number): void {
    if (this.pit.collectIrq0() > 0) this.pic.raise(0);
    this.deliverPending(m, eip, eip);
    this.scheduleTimer();
    if (m.regs[EFLAGS]! & FL_IF && this.pic.master.pending() >= 0) m.setDeadline(m.steps + 1);
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

  private hlt(m: Machine, eip: number): void {
    if (!(m.regs[EFLAGS]! & FL_IF)) m.halt({ outcome: 'halt', message: 'cpu halted with interrupts disabled (hlt with IF clear)' });
    for (let spins = 0; spins < 4; spins++) {
      if (this.pit.collectIrq0() > 0) this.pic.raise(0);
      if (this.pic.master.pending() >= 0) {
        this.deliverPending(m, eip, (eip + 1) | 0);
        this.scheduleTimer();
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

  private gp(m: Machine, eip: number, code = 0, message = 'general protection'): typeof RETRY | 0 {
    return this.cpu.exception(m, VEC_GP, code, eip, 'fault', { message }) === 'retry' ? RETRY : 0;
  }

  intrinsic(m: Machine, name: IntrinsicName, a: number, b: number, c: number, eip: number): number {
    for (;;) {
      const r = this.exec(m, name, a, b, c, eip);
      if (r !== RETRY) return r;
    }
  }

  private exec(m: Machine, name: IntrinsicName, a: number, b: number, _c: number, eip: number): number | typeof RETRY {
    const R = m.regs;
    const cpu = this.cpu;
    if (cpu.cpl !== 0 && PRIVILEGED.has(name)) return this.gp(m, eip, 0, `${name} is privileged (CPL ${cpu.cpl})`);
    switch (name) {
      case 'cli':
      case 'sti':
        if (cpu.cpl > cpu.iopl(m)) return this.gp(m, eip, 0, `${name} at CPL ${cpu.cpl} with IOPL ${cpu.iopl(m)}`);
        if (name === 'cli') R[EFLAGS] = R[EFLAGS]! & ~FL_IF;
        else {
          R[EFLAGS] = R[EFLAGS]! | FL_IF;
          this.kick();
        }
        return 0;
      case 'hlt':
        this.hlt(m, eip);
        return 0;
      case 'pushf':
        cpu.pushf(m, eip);
        return 0;
      case 'popf':
        cpu.popf(m, eip);
        this.kick();
        return 0;
      case 'int':
        cpu.exception(m, a & 0xff, undefined, eip, 'software', { message: `int $0x${(a & 0xff).toString(16)}` });
        return 0;
      case 'int3':
        cpu.exception(m, VEC_BP, undefined, eip, 'software', { message: 'int3' });
        return 0;
      case 'lcr0':
        if (!cpu.writeCR0(a)) return this.gp(m, eip, 0, `invalid CR0 value 0x${(a >>> 0).toString(16)}`);
        return 0;
      case 'lcr3':
        this.mmu.loadCR3(a);
        return 0;
      case 'lcr4':
        if (!cpu.writeCR4(a)) return this.gp(m, eip, 0, `reserved CR4 bits in 0x${(a >>> 0).toString(16)}`);
        return 0;
      case 'rcr0':
        return cpu.cr0;
      case 'rcr2':
        return cpu.cr2;
      case 'rcr3':
        return this.mmu.cr3;
      case 'rcr4':
        return cpu.cr4;
      case 'lmsw':
        cpu.writeCR0((cpu.cr0 & ~0xe) | (a & 0xf) | (cpu.cr0 & 1));
        return 0;
      case 'smsw':
        return cpu.cr0 & 0xffff;
      case 'clts':
        cpu.cr0 &= ~CR0_TS;
        return 0;
      case 'rddr':
        return cpu.dr[a & 7]!;
      case 'lddr':
        cpu.dr[a & 7] = b;
        return 0;
      case 'invlpg':
        this.mmu.invlpg(a);
        return 0;
      case 'invd':
      case 'wbinvd':
        return 0;
      case 'lidt':
      case 'lgdt': {
        const limit = m.mem.ld16u(a, eip);
        const base = m.mem.ld32((a + 2) | 0, eip);
        if (name === 'lidt') cpu.idtr = { base, limit };
        else cpu.gdtr = { base, limit };
        return 0;
      }
      case 'sidt':
      case 'sgdt': {
        const t = name === 'sidt' ? cpu.idtr : cpu.gdtr;
        m.mem.st16(a, t.limit, eip);
        m.mem.st32((a + 2) | 0, t.base, eip);
        return 0;
      }
      case 'lldt': {
        const code = cpu.loadLDT(a);
        return code === undefined ? 0 : this.gp(m, eip, code, `lldt 0x${(a & 0xffff).toString(16)}: not an LDT descriptor`);
      }
      case 'ltr': {
        const code = cpu.loadTR(a);
        return code === undefined ? 0 : this.gp(m, eip, code, `ltr 0x${(a & 0xffff).toString(16)}: not an available TSS descriptor`);
      }
      case 'sldt':
        return cpu.ldtr;
      case 'str':
        return cpu.tr.selector;
      case 'lar':
      case 'lsl':
      case 'verr':
      case 'verw': {
        const d = (a & ~3 & 0xffff) === 0 ? undefined : cpu.descriptor(a);
        if (!d) return 0;
        const dpl = (d[1] >>> 13) & 3;
        const type = (d[1] >>> 8) & 0x1f;
        const visible = dpl >= Math.max(cpu.cpl, a & 3) || (type & 0x1c) === 0x1c;
        if (!visible) return 0;
        if (name === 'lar') return d[1] & 0x00f0ff00;
        if (name === 'lsl') return (d[0] & 0xffff) | (d[1] & 0xf0000) | 0;
        if (!(type & 0x10)) return 0;
        if (name === 'verr') return (type & 0x18) === 0x10 || type & 2 ? 1 : 0;
        return (type & 0x18) === 0x10 && type & 2 ? 1 : 0;
      }
      case 'inb':
      case 'inw':
      case 'inl': {
        const w = name === 'inb' ? 1 : name === 'inw' ? 2 : 4;
        if (!cpu.ioAllowed(m, a & 0xffff, w)) return this.gp(m, eip, 0, `${name} port 0x${(a & 0xffff).toString(16)} not permitted at CPL ${cpu.cpl}`);
        return this.ports.read(a & 0xffff, w);
      }
      case 'outb':
      case 'outw':
      case 'outl': {
        const w = name === 'outb' ? 1 : name === 'outw' ? 2 : 4;
        if (!cpu.ioAllowed(m, b & 0xffff, w)) return this.gp(m, eip, 0, `${name} port 0x${(b & 0xffff).toString(16)} not permitted at CPL ${cpu.cpl}`);
        if (this.debugExitPort !== undefined && (b & 0xffff) === this.debugExitPort) m.halt({ outcome: 'exit', exitCode: a });
        this.ports.write(b & 0xffff, a, w);
        if ((b & 0xffff) === 0x20 || (b & 0xffff) === 0x21 || (b & 0xffff) === 0xa0 || (b & 0xffff) === 0xa1) this.kick();
        if ((b & 0xfffc) === 0x40) this.scheduleTimer();
        return 0;
      }
      case 'cpuid': {
        const [ea, eb, ec, ed] = cpuid(R[EAX]!, this.features);
        R[EAX] = ea;
        R[EBX] = eb;
        R[ECX] = ec;
        R[EDX] = ed;
        return 0;
      }
      case 'rdmsr': {
        const v = this.readMsr(R[ECX]! >>> 0);
        if (v === undefined) return this.gp(m, eip, 0, `rdmsr of unknown MSR 0x${(R[ECX]! >>> 0).toString(16)}`);
        R[EAX] = Number(BigInt.asIntN(32, v));
        R[EDX] = Number(BigInt.asIntN(32, v >> 32n));
        return 0;
      }
      case 'wrmsr': {
        const msr = R[ECX]! >>> 0;
        if (this.readMsr(msr) === undefined) return this.gp(m, eip, 0, `wrmsr of unknown MSR 0x${msr.toString(16)}`);
        const v = (BigInt(R[EDX]! >>> 0) << 32n) | BigInt(R[EAX]! >>> 0);
        if (msr === 0x10) this.idle += Number(v) - (m.steps + this.idle);
        else cpu.msr.set(msr, v);
        return 0;
      }
      case 'rdpmc':
        R[EAX] = 0;
        R[EDX] = 0;
        return 0;
      case 'rdtsc': {
        if (cpu.cr4 & CR4_TSD && cpu.cpl !== 0) return this.gp(m, eip, 0, 'rdtsc with CR4.TSD outside ring 0');
        const t = m.steps + this.idle;
        R[EAX] = t | 0;
        R[EDX] = Math.floor(t / 0x100000000) | 0;
        return 0;
      }
      case 'sys_write':
      case 'sys_read':
      case 'sys_exit':
      case 'sys_sbrk':
        cpu.exception(m, VEC_UD, undefined, eip, 'fault', { message: `${name} exists only in run mode` });
        return m.halt({ outcome: 'fault', fault: { kind: 'invalid-opcode', eip, vector: VEC_UD, message: `${name} is a run-mode syscall, not an instruction of the PC` } });
      case 'bsf':
        return m.bsf(a);
      case 'bsr':
        return m.bsr(a);
      case 'bswap':
        return m.bswap(a);
    }
  }

  private readMsr(msr: number): bigint | undefined {
    if (msr === 0x10) return BigInt(this.machine.steps + this.idle);
    return this.cpu.msr.get(msr);
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
      if (this.gp(m, eip, code, `load of ${reg} with selector 0x${(value & 0xffff).toString(16)}`) !== RETRY) return;
    }
  }

  iret(m: Machine, eip: number): number {
    const r = this.cpu.iret(m, eip);
    this.kick();
    return r;
  }
}

/** Boots `image` on a fresh BarePC: the whole of `xenoport boot --native` minus printing. */
export function bootNative(image: LinkedImage, opts: BarePCOptions & { maxSteps?: number } = {}): BootResult {
  const pc = new BarePC(image, opts);
  return pc.boot(opts.maxSteps ?? 2e9, opts.cmdline);
}
