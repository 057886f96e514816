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
 * Control that does not return where it was called from (cpu_switch, pcb_onfault,
 * an iret to user mode) goes through transfer(): user mode runs the user-code
 * dispatcher, a function start is run, a frame saved at the popped slot is resumed,
 * any other address unwinds host frames (the private NonLocal signal) to the compiled
 * function suspended there (docs/ir.md, "Non-local returns"). A frame unwound while
 * suspended in a call saves itself (saveFrame), keyed by the slot of its return
 * address, so contexts whose host frames are gone can still be resumed.
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
import { compileFunction, SLOT_HASH_BITS, slotBucket, type CompiledFunction, type CompileContext, type SavedFrame } from './jit.js';
import { FlatMemory, type AccessKind, type GuestMemory } from './memory.js';
import { EAX, EIP, ESP, NREGS, POPSLOT, REG_INDEX, SAVED } from './regs.js';

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
    /** The stack slot the ret/iret popped `target` from. */
    readonly slot: number,
    readonly eip: number,
  ) {}
}

/**
 * Control goes to user mode at `eip` while a user-code dispatcher is active below:
 * unwinds to the innermost one (dispatchers hold no state), which continues there.
 */
class UserResume {
  constructor(readonly eip: number) {}
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
  /**
   * Saved frames, by the stack slot of their return address (docs/ir.md, "Non-local
   * returns"). An entry is valid until its slot receives a new return address: a
   * compiled call that pushes onto a slot with an entry drops it (pushedAt), found
   * through the bucket counts SB (slotBucket); so a frame of a context that never
   * resumed (an exited process whose kernel stack is reused) cannot be taken for
   * the frame that now owns the slot. Entries for contexts that never come back stay
   * until overwritten or the machine is reset: harmless, each is one slot's.
   */
  private readonly saved = new Map<number, SavedFrame>();
  private readonly SB = new Int32Array(1 << SLOT_HASH_BITS);
  /** Runs user-mode code in guest memory (set by a platform that has user mode). */
  userCode?: UserCode;
  /**
   * The address after the instruction at `nextFor`, for a platform that must know
   * where a trap or software interrupt returns to (after(eip)): user code sets both
   * before entering the kernel, since its instructions have different lengths;
   * compiled IR code's next instruction is always eip + 1.
   */
  nextFor = 0;
  nextEip = 0;
  /** Dispatchers active on the host stack. */
  private userDepth = 0;

  constructor(image: LinkedImage, mem: GuestMemory, platform: Platform) {
    this.image = image;
    this.mem = mem;
    this.platform = platform;
    image.functions.forEach((f, k) => {
      this.indexByAddr.set(f.addr >>> 0, k);
      this.F.push((rs) => this.compileAndCall(k, rs));
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
      selfIndex: k,
    };
    if (flat) return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, this.SB, flat.u8, flat.i32);
    if (tlb) {
      const ram = tlb.ram;
      this.tlbRam32 ??= tlb.ram32 ?? new Int32Array(ram.buffer, ram.byteOffset, ram.byteLength >>> 2);
      return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, this.SB, ram, this.tlbRam32, tlb);
    }
    return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, this.SB);
  }

  private compileAndCall(k: number, rs?: SavedFrame): number {
    const c = this.compile(k);
    this.F[k] = c;
    return c(rs);
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
            message: `return to ${hex(e.target)} (popped from ${hex(e.slot)}), where no active or saved frame continues (return address overwritten, or a stack switch to a context that was never suspended there)`,
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
    this.regs[POPSLOT] = sp;
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
    this.pushedAt(sp);
    const ra = this.callAt(addr, ret);
    if (ra !== (ret | 0) || R[POPSLOT] !== sp) this.transfer(ra, ret, addr, sp);
    R[ESP] = (R[ESP]! + 4 * args.length) | 0;
    return R[EAX]!;
  }

  /**
   * Continues execution at code address `ra` after a ret/iret popped it (from the
   * slot R[POPSLOT]) where `expected` was pushed at `slot` (calls, and platforms
   * after delivering an exception with callAt). Returns normally once control comes
   * back to `expected` from `slot` (any slot when `slot` is undefined). Otherwise, in
   * this order: user mode (platform.userMode) runs the user-code dispatcher, or
   * unwinds to the innermost active one; an address that starts a function runs that
   * function (a fresh thread started by a context switch); a frame saved at the
   * popped slot that continues at `ra` is resumed (a switch back to a context whose
   * host frames were unwound); whatever these return to is followed the same way.
   * Anything else unwinds host frames to the active one suspended there (a switch
   * back to a context still on the host stack, an exception handler that changed the
   * saved eip), or ends the run with a bad-return fault when there is none. `eip` is
   * the instruction that received control (the call or the delivery point); the
   * fault names the ret/iret that popped `ra`.
   */
  transfer(ra: number, expected: number, eip: number, slot?: number): void {
    const R = this.regs;
    for (;;) {
      const popped = R[POPSLOT]!;
      if ((ra | 0) === (expected | 0) && (slot === undefined || popped === slot)) return;
      if (this.userCode !== undefined && this.platform.userMode?.(this)) {
        if (this.userDepth > 0) throw new UserResume(ra);
        this.runUser(ra);
      }
      const k = this.indexByAddr.get(ra >>> 0);
      if (k !== undefined) {
        ra = this.F[k]!();
        continue;
      }
      const rec = this.saved.get(popped);
      if (rec !== undefined && (rec.ra | 0) === (ra | 0)) {
        this.dropSaved(popped);
        ra = this.F[rec.fi]!(rec);
        continue;
      }
      // regs[EIP] is the ret/iret that popped ra (compiled ret and iret record it).
      throw new NonLocal(ra, popped, R[EIP] || eip);
    }
  }

  /**
   * Runs user-mode code from `eip` with the dispatcher; a transfer to user mode
   * while it runs (an iret that returns elsewhere than where the event came from:
   * a new program image, a signal handler, a switch to another process) continues
   * in it instead of nesting another. Never returns.
   */
  runUser(eip: number): never {
    const user = this.userCode!;
    this.userDepth++;
    try {
      for (;;) {
        try {
          user.run(eip);
        } catch (x) {
          if (!(x instanceof UserResume)) throw x;
          eip = x.eip;
        }
      }
    } finally {
      this.userDepth--;
    }
  }

  // ---- helpers called by compiled code ----

  /**
   * The catch clause of every compiled function: the case to continue at, or -1 for a
   * control signal that passes on (the frame saves itself if suspended in a call), -2
   * for anything else. A block start continues in the innermost frame that has it;
   * the address after a call only in the frame suspended in that call at that slot.
   */
  resume(x: unknown, table: Map<number, number>, bb: number, cs: number): number {
    if (x instanceof NonLocal) {
      const c = table.get(x.target >>> 0);
      if (c !== undefined) {
        if (c >= 0) return c;
        if (~c === bb && cs === x.slot) return bb;
      }
      return -1;
    }
    return x instanceof UserResume ? -1 : -2;
  }

  /** Keeps a frame unwound while suspended in a call, until a ret pops its return address from `slot`. */
  saveFrame(slot: number, fi: number, ra: number, bb: number, v: unknown[]): void {
    if (fi < 0) return;
    if (!this.saved.has(slot)) {
      this.SB[slotBucket(slot)]++;
      this.regs[SAVED]++;
    }
    this.saved.set(slot, { fi, ra, bb, v });
  }

  /** A return address was pushed at `slot`: a frame saved there is stale. */
  pushedAt(slot: number): void {
    if (this.saved.has(slot)) this.dropSaved(slot);
  }

  private dropSaved(slot: number): void {
    this.saved.delete(slot);
    this.SB[slotBucket(slot)]--;
    this.regs[SAVED]--;
  }

  /** Number of saved frames (tests, reports). */
  get savedFrames(): number {
    return this.saved.size;
  }

  /** Forgets saved frames and compiled user code: the machine was reset. */
  resetFrames(): void {
    this.saved.clear();
    this.SB.fill(0);
    this.regs[SAVED] = 0;
    this.userCode?.reset();
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
    // The slot of the popped eip for platforms that do not record it (x86: [esp]).
    this.regs[POPSLOT] = this.regs[ESP]!;
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
