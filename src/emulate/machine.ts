/*
 * The Machine: the function table of compiled code and everything about control
 * flow, on top of MachineCore (machine-core.ts: register file, guest memory, step
 * counter, platform, and the helpers compiled code calls). Compiled functions
 * (jit.ts) call back into the Machine for everything that is not plain arithmetic or
 * memory.
 *
 * Ending a run: `halt(reason)` throws the MachineStop signal that unwinds the nested
 * JS calls to `execute()`, which turns it into a value. No guest action can make a
 * host exception escape execute(): host RangeErrors from deep guest recursion become
 * a 'stack-overflow' fault, anything else unexpected is reported as a bug.
 *
 * Control that does not return where it was called from (cpu_switch, pcb_onfault,
 * an iret to user mode) goes through transfer(): user mode runs the user-code
 * dispatcher, a function start is run, a frame saved at the popped slot is resumed,
 * any other address unwinds host frames (the private NonLocal signal) to the compiled
 * function suspended there (docs/ir.md, "Non-local returns"). A frame unwound while
 * suspended in a call saves itself (saveFrame), keyed by the slot of its return
 * address, so contexts whose host frames are gone can still be resumed.
 */
import type { LinkedImage } from '../ir/index.js';
import { compileFunction, type CompiledFunction, type CompileContext, type SavedFrame } from './jit.js';
import { SavedFrames } from './saved-frames.js';
import { FlatMemory, type GuestMemory } from './memory.js';
import { EAX, EIP, ESP, POPSLOT } from './regs.js';
import { MachineCore, MachineStop, type Platform, type StopReason, type UserCode } from './machine-core.js';

export { MachineStop, type StopReason, type FaultAction, type Platform, type UserCode } from './machine-core.js';

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

export class Machine extends MachineCore {

  /** Function table: index -> compiled function (a compiling stub until first call). */
  private readonly F: CompiledFunction[] = [];
  private readonly indexByAddr = new Map<number, number>();
  /** Frames unwound while suspended in a call (saved-frames.ts). */
  private readonly saved: SavedFrames;
  /** Runs user-mode code in guest memory (set by a platform that has user mode). */
  userCode?: UserCode;
  /** Dispatchers active on the host stack. */
  private userDepth = 0;

  constructor(image: LinkedImage, mem: GuestMemory, platform: Platform) {
    super(image, mem, platform);
    this.saved = new SavedFrames(this.regs);
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
    if (flat) return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, this.saved.buckets, flat.u8, flat.i32);
    if (tlb) {
      const ram = tlb.ram;
      this.tlbRam32 ??= tlb.ram32 ?? new Int32Array(ram.buffer, ram.byteOffset, ram.byteLength >>> 2);
      return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, this.saved.buckets, ram, this.tlbRam32, tlb);
    }
    return compileFunction(f, ctx, this, mem, this.regs, this.F, this.budget, this.saved.buckets);
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
      const rec = this.saved.take(popped, ra);
      if (rec !== undefined) {
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
    if (fi >= 0) this.saved.save(slot, { fi, ra, bb, v });
  }

  /** A return address was pushed at `slot` (compiled calls, delivery): a frame saved there is stale. */
  pushedAt(slot: number): void {
    this.saved.pushedAt(slot);
  }

  /** Number of saved frames (tests, reports). */
  get savedFrames(): number {
    return this.saved.size;
  }

  /** Forgets saved frames and compiled user code: the machine was reset. */
  resetFrames(): void {
    this.saved.clear();
    this.userCode?.reset();
  }

}

function hex(n: number): string {
  return '0x' + (n >>> 0).toString(16).padStart(8, '0');
}
