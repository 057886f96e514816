/*
 * The core of the Machine (machine.ts builds on it): the register file, the guest
 * memory, the step counter and budget, the platform, and the helpers compiled code
 * calls for faults and machine instructions; also the Platform interface and the
 * MachineStop signal that ends a run.
 *
 * Invariants: R[ESP] is the emulated esp. Steps (executed IR instructions) are
 * counted per basic block (summed in a local, subtracted from an int32 budget
 * budget[0] at loop heads and before calls); when it goes negative, tick() runs: it
 * ends the run at the step limit or lets the platform poll (timers, interrupts) and
 * sets a new budget up to the next deadline. steps = stepsAtRefill + (refill -
 * budget[0]).
 */
import { unreachable } from '../errors.js';
import { functionAt, lookupCode, printInstructionBody, type IntrinsicName, type LinkedImage, type RegName } from '../ir/index.js';
import type { Fault, FaultReport } from './fault.js';
import type { AccessKind, GuestMemory } from './memory.js';
import { EIP, ESP, NREGS, POPSLOT, REG_INDEX } from './regs.js';
import type { Machine } from './machine.js';

/** Why a run ended. */
export type StopReason =
  | { outcome: 'exit'; exitCode: number }
  | { outcome: 'step-limit' }
  | { outcome: 'fault'; fault: Fault }
  /** A platform-specific end (e.g. the guest halted for good, the domain was destroyed). */
  | { outcome: 'halt'; message: string };

/** What a platform decides about a fault: re-execute the access, or go on after the instruction. */
export type FaultAction = 'retry' | 'continue';

/**
 * The platform: everything machine-specific. Methods may end the run with m.halt()
 * (which never returns). Intrinsic results are int32 numbers.
 */
export interface Platform {
  /** A guest fault. Deliver it (and return 'retry'/'continue') or m.halt() with it. */
  fault(m: Machine, f: Fault): FaultAction;
  /** Any intrinsic except bsf/bsr/bswap; a..c are the IR operands (0 when absent). */
  intrinsic(m: Machine, name: IntrinsicName, a: number, b: number, c: number, eip: number): number;
  /** `hypercall` (int $0x82): registers in m.regs. */
  hypercall(m: Machine, eip: number): void;
  /** `wrreg <segment>, v`. */
  writeSegment(m: Machine, reg: RegName, value: number, eip: number): void;
  /** `iret`: pop the frame as x86 does; return the popped eip. */
  iret(m: Machine, eip: number): number;
  /** Called when the deadline set with m.setDeadline() passes (timers, interrupts). */
  tick?(m: Machine, eip: number): void;
  /**
   * Whether the CPU is in user mode (CPL 3): where a ret/iret goes then is code in
   * guest memory, run by the machine's `userCode` dispatcher. Asked only on
   * non-local transfers (after an iret to ring 3), never per instruction.
   */
  userMode?(m: Machine): boolean;
}

/** The signal that ends a run (halt); never escapes Machine.execute(). */
export class MachineStop {
  constructor(readonly reason: StopReason) {}
}

/**
 * Runs code that lives in guest memory (user mode, src/emulate/user-code.ts) from
 * `eip` for as long as it runs: it leaves only by a control signal (a context
 * switch, the end of the run), never by returning.
 */
export interface UserCode {
  run(eip: number): never;
  /** Forgets every compiled block (machine reset). */
  reset(): void;
}

export abstract class MachineCore {
  readonly regs = new Int32Array(NREGS);
  /** Step budget counted down by compiled code: budget[0]. */
  readonly budget = new Int32Array(1);
  private refill = 0;
  private stepsAtRefill = 0;
  /** The step limit of the current execute() (absolute step count). */
  maxSteps = Infinity;
  /** The platform's next deadline (absolute step count). */
  private deadline = Infinity;
  readonly image: LinkedImage;
  readonly mem: GuestMemory;
  platform: Platform;
  /**
   * The address after the instruction at `nextFor`, for a platform that must know
   * where a trap or software interrupt returns to (after(eip)): user code sets both
   * before entering the kernel, since its instructions have different lengths;
   * compiled IR code's next instruction is always eip + 1.
   */
  nextFor = 0;
  nextEip = 0;

  constructor(image: LinkedImage, mem: GuestMemory, platform: Platform) {
    this.image = image;
    this.mem = mem;
    this.platform = platform;
  }

  /** This machine as the platform sees it (Machine is the only subclass). */
  private get m(): Machine {
    return this as unknown as Machine;
  }

  /** Ends the current execute() with `reason`. Never returns. */
  halt(reason: StopReason): never {
    throw new MachineStop(reason);
  }

  /** Reports a fault to the platform; returns its decision (or never, if it halts). */
  raise(f: Fault): FaultAction {
    this.regs[EIP] = f.eip;
    return this.platform.fault(this.m, f);
  }

  /** The address of the instruction after the one at `eip` (where a trap or `int` returns). */
  after(eip: number): number {
    return (eip | 0) === this.nextFor ? this.nextEip : (eip + 1) | 0;
  }

  /** IR instructions executed so far. */
  get steps(): number {
    return this.stepsAtRefill + (this.refill - this.budget[0]!);
  }

  /**
   * Counts `n` steps of work the host did on the guest's behalf (a hypercall, each
   * element of a batch, bytes of console output), so that no guest instruction can
   * make the host work beyond what the step limit allows. Ends the run at the limit;
   * timers and interrupts are polled at the next block boundary, never inside the
   * host's work.
   */
  charge(n: number): void {
    const b = this.budget[0]! - n;
    if (b < -0x40000000) {
      // Keep the int32 budget far from overflow: fold what was used into stepsAtRefill.
      const now = this.steps + n;
      this.stepsAtRefill = now - 1;
      this.refill = 0;
      this.budget[0] = -1;
    } else this.budget[0] = b;
    if (this.steps > this.maxSteps) this.halt({ outcome: 'step-limit' });
  }

  /** Asks for platform.tick() once `atSteps` (absolute) steps have run. */
  setDeadline(atSteps: number): void {
    this.deadline = atSteps;
    this.rebudget();
  }

  protected rebudget(): void {
    const now = this.steps;
    const until = Math.min(this.maxSteps, this.deadline) - now;
    this.stepsAtRefill = now;
    this.refill = Math.max(0, Math.min(0x3fffffff, until));
    this.budget[0] = this.refill;
  }

  /** Compiled code calls this when the budget goes negative. */
  tick(eip: number): void {
    this.regs[EIP] = eip;
    const now = this.steps;
    if (now > this.maxSteps) this.halt({ outcome: 'step-limit' });
    if (now > this.deadline) {
      this.deadline = Infinity;
      this.rebudget();
      this.platform.tick?.(this.m, eip);
    } else this.rebudget();
  }

  mk64(lo: number, hi: number): bigint {
    return BigInt.asIntN(64, (BigInt(hi) << 32n) | BigInt(lo >>> 0));
  }

  divError(eip: number): number {
    this.raise({ kind: 'divide-error', eip, vector: 0, message: 'division by zero or quotient overflow' });
    return 0;
  }

  memoryFault(addr: number, size: number, access: AccessKind, eip: number): void {
    const act = this.raise({
      kind: 'memory',
      eip,
      address: addr,
      access,
      size,
      message: `${access} of ${size} byte${size === 1 ? '' : 's'} at ${hex(addr)} outside guest memory`,
    });
    if (act === 'continue') this.halt({ outcome: 'fault', fault: { kind: 'memory', eip, address: addr, access, size, message: 'cannot continue after a memory fault' } });
  }

  invalidOpcode(eip: number): void {
    this.raise({ kind: 'invalid-opcode', eip, vector: 6, message: 'executed `unreachable`' });
    this.halt({ outcome: 'fault', fault: { kind: 'invalid-opcode', eip, vector: 6, message: 'executed `unreachable`' } });
  }

  unreachableBlock(bb: number): never {
    return unreachable(`jit: block index ${bb} out of range`);
  }

  trap(message: string, eip: number): void {
    this.raise({ kind: 'breakpoint-stub', eip, vector: 3, message });
  }

  intrinsic(name: IntrinsicName, a: number, b: number, c: number, eip: number): number {
    this.regs[EIP] = eip;
    return this.platform.intrinsic(this.m, name, a, b, c, eip) | 0;
  }

  hypercall(eip: number): void {
    this.regs[EIP] = eip;
    this.platform.hypercall(this.m, eip);
  }

  writeSegment(reg: RegName, value: number, eip: number): void {
    this.regs[EIP] = eip;
    this.platform.writeSegment(this.m, reg, value, eip);
  }

  iret(eip: number): number {
    this.regs[EIP] = eip;
    // The slot of the popped eip for platforms that do not record it (x86: [esp]).
    this.regs[POPSLOT] = this.regs[ESP]!;
    return this.platform.iret(this.m, eip);
  }

  bsf(a: number): number {
    return a === 0 ? -1 : 31 - Math.clz32(a & -a);
  }
  bsr(a: number): number {
    return a === 0 ? -1 : 31 - Math.clz32(a);
  }
  bswap(a: number): number {
    return ((a & 0xff) << 24) | ((a & 0xff00) << 8) | ((a >>> 8) & 0xff00) | (a >>> 24);
  }

  // ---- reports ----

  /** A fault with its function, instruction text, source line and registers. */
  report(f: Fault): FaultReport {
    const at = lookupCode(this.image, f.eip);
    const registers = {} as Record<RegName | 'eip', number>;
    for (const [n, k] of Object.entries(REG_INDEX)) registers[n as RegName] = this.regs[k]! >>> 0;
    registers.eip = f.eip >>> 0;
    return {
      ...f,
      function: at?.func.name ?? functionAt(this.image, f.eip)?.name,
      instruction: at ? printInstructionBody(at.instr) : undefined,
      where: at?.where,
      registers,
    };
  }
}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}
