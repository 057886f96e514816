/*
 * The Machine: register file, guest memory, the function table of compiled code,
 * the step counter, and the platform that gives intrinsics, hypercalls and faults
 * their meaning. Compiled functions (jit.ts) call back into the Machine for
 * everything that is not plain arithmetic or memory.
 *
 * Ending a run: `halt(reason)` throws a private MachineStop signal that unwinds the
 * nested JS calls to `execute()`, which turns it into a value. No guest action can make
 * a host exception escape execute(): host RangeErrors from deep guest recursion become
 * a 'stack-overflow' fault, anything else unexpected is reported as a bug.
 *
 * Control that does not return where it was called from (cpu_switch, pcb_onfault)
 * goes through transfer(): a function start is run, any other address unwinds host
 * frames (the private NonLocal signal) to the compiled function whose continuation
 * table has it (docs/ir.md, "Non-local returns").
 *
 * Invariants: R[ESP] is the emulated esp. Steps (executed IR instructions) are
 * counted per basic block (summed in a local, subtracted from an int32 budget
 * budget[0] at loop heads and before calls); when it goes negative, tick() runs: it ends the run at the step limit
 * or lets the platform poll (timers, interrupts) and sets a new budget up to the
 * next deadline. steps = stepsAtRefill + (refill - budget[0]).
 */
import { unreachable } from '../errors.js';
import type { IntrinsicName, RegName } from '../ir/index.js';
import { functionAt, lookupCode, type LinkedImage } from '../ir/index.js';
import { printInstructionBody } from '../ir/index.js';
import type { Fault, FaultReport } from './fault.js';
import { compileFunction, type CompiledFunction, type CompileContext } from './jit.js';
import { FlatMemory, type AccessKind, type GuestMemory } from './memory.js';
import { EAX, EIP, ESP, NREGS, REG_INDEX } from './regs.js';

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
}

/** The private unwinding signal; never escapes execute(). */
class MachineStop {
  constructor(readonly reason: StopReason) {}
}

/**
 * Non-local continuation: execution must go on at `target`, which is not where the
 * innermost host frame expects it. Unwinds host frames until one whose continuation
 * table has `target` (a block start or the instruction after a call); never escapes
 * execute() (it becomes a bad-return fault there).
 */
class NonLocal {
  constructor(
    readonly target: number,
    readonly eip: number,
  ) {}
}

export class Machine {
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

  /** Function table: index -> compiled function (a compiling stub until first call). */
  private readonly F: CompiledFunction[] = [];
  private readonly indexByAddr = new Map<number, number>();

  constructor(image: LinkedImage, mem: GuestMemory, platform: Platform) {
    this.image = image;
    this.mem = mem;
    this.platform = platform;
    image.functions.forEach((f, k) => {
      this.indexByAddr.set(f.addr >>> 0, k);
      this.F.push(() => this.compileAndCall(k));
    });
  }

  /** The paged memory's TLB view and its RAM as words, when its fast path is inlined. */
  private tlbRam32?: Int32Array;

  private compile(k: number): CompiledFunction {
    const f = this.image.functions[k]!;
    const mem = this.mem;
    const flat = mem instanceof FlatMemory ? mem : undefined;
    const tlb = flat ? undefined : mem.tlbView;
    const ctx: CompileContext = {
      functionIndexAt: (a: number) => this.indexByAddr.get(a >>> 0),
      flat: flat && { base: flat.base, size: flat.size },
      tlb: tlb !== undefined,
    };
    if (flat) return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, flat.u8, flat.i32);
    if (tlb) {
      const ram = tlb.ram;
      this.tlbRam32 ??= tlb.ram32 ?? new Int32Array(ram.buffer, ram.byteOffset, ram.byteLength >>> 2);
      return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, ram, this.tlbRam32, tlb);
    }
    return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget);
  }

  private compileAndCall(k: number): number {
    const c = this.compile(k);
    this.F[k] = c;
    return c();
  }

  /** Compiles every function now (to measure compile time apart from run time). */
  compileAll(): void {
    this.image.functions.forEach((_f, k) => {
      this.F[k] = this.compile(k);
    });
  }

  // ---- control ----

  /** Ends the current execute() with `reason`. Never returns. */
  halt(reason: StopReason): never {
    throw new MachineStop(reason);
  }

  /** Reports a fault to the platform; returns its decision (or never, if it halts). */
  raise(f: Fault): FaultAction {
    this.regs[EIP] = f.eip;
    return this.platform.fault(this, f);
  }

  /**
   * Runs `body` (which calls guest code) until it returns or the run ends, with a step
   * limit counted from the current step count. Returns undefined when body returned.
   */
  execute(body: () => void, maxSteps = Infinity): StopReason | undefined {
    this.maxSteps = this.steps + maxSteps;
    this.rebudget();
    try {
      body();
      return undefined;
    } catch (e) {
      if (e instanceof MachineStop) return e.reason;
      if (e instanceof NonLocal) {
        return {
          outcome: 'fault',
          fault: {
            kind: 'bad-return',
            eip: e.eip,
            address: e.target,
            message: `return to ${hex(e.target)}, where no active frame continues (stack switched to a context whose frames are gone, or return address overwritten)`,
          },
        };
      }
      if (e instanceof RangeError && /call stack/i.test(e.message)) {
        return {
          outcome: 'fault',
          fault: { kind: 'stack-overflow', eip: this.regs[EIP]!, message: 'guest call nesting exceeds what the host stack can hold' },
        };
      }
      throw e;
    }
  }

  /**
   * Calls the function at code address `addr` whose return address the caller already
   * pushed; returns the address the callee's ret/iret popped. A non-function address
   * is a bad-call fault.
   */
  callAt(addr: number, eip: number): number {
    for (;;) {
      const k = this.indexByAddr.get(addr >>> 0);
      if (k !== undefined) return this.F[k]!();
      const act = this.raise({ kind: 'bad-call', eip, address: addr, message: `call to ${hex(addr)}, which is not the start of a function` });
      if (act === 'continue') return this.popReturn(eip);
    }
  }

  private popReturn(eip: number): number {
    const sp = this.regs[ESP]!;
    const ra = this.mem.ld32(sp, eip);
    this.regs[ESP] = (sp + 4) | 0;
    return ra;
  }

  /**
   * Host-side cdecl call: pushes `args` (w values) and a return address `ret`, runs the
   * function at `addr`, pops the arguments, and returns eax. For loaders and platforms.
   */
  call(addr: number, args: number[], ret = 0): number {
    const R = this.regs;
    let sp = (R[ESP]! - 4 * args.length - 4) | 0;
    args.forEach((a, n) => this.mem.st32((sp + 4 + 4 * n) | 0, a, ret));
    this.mem.st32(sp, ret, ret);
    R[ESP] = sp;
    const ra = this.callAt(addr, ret);
    if (ra !== (ret | 0)) this.transfer(ra, ret, addr);
    R[ESP] = (R[ESP]! + 4 * args.length) | 0;
    return R[EAX]!;
  }

  /**
   * Continues execution at code address `ra` after a ret/iret popped it where
   * `expected` was pushed (calls, and platforms after delivering an exception with
   * callAt). Returns normally once control comes back to `expected`. An address that
   * starts a function runs that function (a fresh thread started by a context switch;
   * what it returns to is followed the same way); any other address unwinds host frames
   * to the one that continues there (a switch back to a suspended context, an
   * exception handler that changed the saved eip), or ends the run with a bad-return
   * fault when there is none. `eip` is the instruction that received control (the call
   * or the delivery point); the fault names the ret/iret that popped `ra`.
   */
  transfer(ra: number, expected: number, eip: number): void {
    for (;;) {
      if ((ra | 0) === (expected | 0)) return;
      const k = this.indexByAddr.get(ra >>> 0);
      // regs[EIP] is the ret/iret that popped ra (compiled ret and iret record it).
      if (k === undefined) throw new NonLocal(ra, this.regs[EIP] || eip);
      ra = this.F[k]!();
    }
  }

  // ---- helpers called by compiled code ----

  /** The catch clause of every compiled function: the case continuing at e's target, or rethrow. */
  resume(e: unknown, table: Map<number, number>): number {
    if (e instanceof NonLocal) {
      const c = table.get(e.target >>> 0);
      if (c !== undefined) return c;
    }
    throw e;
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

  private rebudget(): void {
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
      this.platform.tick?.(this, eip);
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
    return this.platform.intrinsic(this, name, a, b, c, eip) | 0;
  }

  hypercall(eip: number): void {
    this.regs[EIP] = eip;
    this.platform.hypercall(this, eip);
  }

  writeSegment(reg: RegName, value: number, eip: number): void {
    this.regs[EIP] = eip;
    this.platform.writeSegment(this, reg, value, eip);
  }

  iret(eip: number): number {
    this.regs[EIP] = eip;
    return this.platform.iret(this, eip);
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
