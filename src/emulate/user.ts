/*
 * Run mode: an ordinary C program (a LinkedImage) in flat user mode, no paging.
 *
 * Memory is one FlatMemory region [base, base + memorySize) where base is the image's
 * load address rounded down to a page: .text/.data/.bss as linked, the heap from the
 * end of .bss upward (sys_sbrk), the stack at the top growing down with the argv
 * strings above it. Address 0 and everything below base is outside memory, so a null
 * dereference is a 'memory' fault.
 *
 * The libc reaches the host only through the sys_* intrinsics (docs/ir.md); every
 * privileged intrinsic, `hypercall` and `iret` is a general-protection fault; cpuid,
 * rdtsc, pushf/popf and the bit helpers work as in x86 user mode.
 */
import type { IntrinsicName, RegName } from '../ir/index.js';
import type { LinkedImage } from '../ir/index.js';
import type { Fault, FaultReport } from './fault.js';
import { Machine, type FaultAction, type Platform, type StopReason } from './machine.js';
import { FlatMemory } from './memory.js';
import { popFlags, pushFlags, readTimeStamp } from './flag-insns.js';
import { EAX, EBX, ECX, EDX, EFLAGS, ESP, FLAG_IF, FLAG_IOPL, FLAGS_RESERVED, REG_INDEX } from './regs.js';

export interface RunOptions {
  /** argv[0..]; default ['a.out']. */
  argv?: string[];
  /** Step limit (IR instructions); default 1e9. */
  maxSteps?: number;
  /** Bytes of guest memory (a multiple of 4096); default 32 MiB. */
  memorySize?: number;
  /** Bytes kept for the stack below the argv area (the heap may not grow into it); default 4 MiB. */
  stackSize?: number;
  stdin?: string | Uint8Array;
  /**
   * Receives the program's output as it is written (fd 1 or 2), so a caller can
   * stream it; the result keeps at most `keepOutput` bytes of each stream.
   */
  onOutput?: (fd: 1 | 2, bytes: Uint8Array) => void;
  /** Bytes of stdout and of stderr the result keeps (the first ones); default 64 MiB. */
  keepOutput?: number;
}

export interface RunResult {
  outcome: 'exit' | 'step-limit' | 'fault';
  /** exit(code) or main's return value, & 255; null unless outcome is 'exit'. */
  exitCode: number | null;
  stdout: string;
  stderr: string;
  stdoutBytes: Uint8Array;
  /** Bytes of stdout and stderr written beyond what the result keeps (RunOptions.keepOutput). */
  outputDropped: number;
  /** IR instructions executed. */
  steps: number;
  fault?: FaultReport;
}

const PAGE = 4096;
const EBADF = -9;
const EFAULT = -14;

/** The flat user-mode platform: syscalls, user-mode x86 behaviour, faults end the run. */
export class UserPlatform implements Platform {
  readonly out: Uint8Array[] = [];
  readonly err: Uint8Array[] = [];
  private kept = [0, 0];
  dropped = 0;
  onOutput?: (fd: 1 | 2, bytes: Uint8Array) => void;
  keepOutput = 64 << 20;
  private stdin: Uint8Array;
  private stdinPos = 0;
  brk: number;

  constructor(
    private mem: FlatMemory,
    brk: number,
    private heapLimit: number,
    stdin: Uint8Array,
  ) {
    this.brk = brk;
    this.stdin = stdin;
  }

  fault(m: Machine, f: Fault): FaultAction {
    return m.halt({ outcome: 'fault', fault: f });
  }

  private gp(m: Machine, what: string, eip: number): never {
    m.raise({ kind: 'general-protection', eip, vector: 13, errorCode: 0, message: `${what} is privileged (not allowed in user mode)` });
    return m.halt({ outcome: 'fault', fault: { kind: 'general-protection', eip, vector: 13, message: `${what} is privileged` } });
  }

  intrinsic(m: Machine, name: IntrinsicName, a: number, b: number, c: number, eip: number): number {
    const R = m.regs;
    switch (name) {
      case 'sys_write': {
        if (a !== 1 && a !== 2) return EBADF;
        if (c === 0) return 0;
        const bytes = c < 0 ? undefined : this.mem.slice(b, c);
        if (!bytes) return EFAULT;
        // Writing costs steps, so the step limit bounds how much a program can print.
        m.charge(c >>> 4);
        this.onOutput?.(a, bytes.slice());
        const k = a - 1;
        const room = Math.max(0, this.keepOutput - this.kept[k]!);
        if (room > 0) (a === 1 ? this.out : this.err).push(bytes.slice(0, room));
        this.kept[k]! += Math.min(room, c);
        this.dropped += c - Math.min(room, c);
        return c;
      }
      case 'sys_read': {
        if (a !== 0) return EBADF;
        const n = Math.max(0, Math.min(c, this.stdin.length - this.stdinPos));
        if (n === 0) return 0;
        if (!this.mem.write(b, this.stdin.subarray(this.stdinPos, this.stdinPos + n))) return EFAULT;
        this.stdinPos += n;
        return n;
      }
      case 'sys_exit':
        return m.halt({ outcome: 'exit', exitCode: a & 255 });
      case 'sys_sbrk': {
        const old = this.brk;
        const nb = old + a;
        if (nb < this.mem.base || nb > this.heapLimit) return -1;
        this.brk = nb;
        return old;
      }
      case 'cpuid': {
        const leaf = R[EAX]!;
        if (leaf === 0) {
          // "XenoportVCPU" in ebx, edx, ecx order, as GenuineIntel is.
          const s = 'XenoportVCPU';
          const word = (k: number): number => s.charCodeAt(k) | (s.charCodeAt(k + 1) << 8) | (s.charCodeAt(k + 2) << 16) | (s.charCodeAt(k + 3) << 24);
          R[EAX] = 1;
          R[EBX] = word(0);
          R[EDX] = word(4);
          R[ECX] = word(8);
        } else {
          R[EAX] = leaf === 1 ? 0x00000633 : 0;
          R[EBX] = 0;
          R[ECX] = 0;
          R[EDX] = 0;
        }
        return 0;
      }
      case 'rdtsc':
        readTimeStamp(R, m.steps);
        return 0;
      case 'pushf':
        pushFlags(R, this.mem, R[EFLAGS]! | FLAGS_RESERVED, eip);
        return 0;
      case 'popf':
        // At CPL 3 with IOPL 0, popf silently keeps IF and IOPL (the sensitive-instruction problem).
        popFlags(R, this.mem, FLAG_IF | FLAG_IOPL, eip);
        return 0;
      case 'int3': {
        m.raise({ kind: 'breakpoint', eip, vector: 3, message: 'int3' });
        return 0;
      }
      default:
        return this.gp(m, name === 'int' ? `int $${a}` : name, eip);
    }
  }

  hypercall(m: Machine, eip: number): void {
    this.gp(m, 'hypercall (int $0x82)', eip);
  }

  writeSegment(m: Machine, reg: RegName, value: number): void {
    m.regs[REG_INDEX[reg]] = value & 0xffff;
  }

  iret(m: Machine, eip: number): number {
    return this.gp(m, 'iret', eip);
  }
}

/** A program loaded into flat memory, ready to run once. */
export class UserMachine {
  readonly machine: Machine;
  readonly mem: FlatMemory;
  readonly platform: UserPlatform;
  readonly image: LinkedImage;
  private argvAddr = 0;
  private argc = 0;

  constructor(image: LinkedImage, opts: RunOptions = {}) {
    this.image = image;
    const base = Math.floor((image.vbase >>> 0) / PAGE) * PAGE;
    const need = Math.ceil(((image.vend >>> 0) - base) / PAGE) * PAGE;
    const stackSize = opts.stackSize ?? 4 << 20;
    const size = Math.max(opts.memorySize ?? 32 << 20, need + stackSize + (1 << 20));
    this.mem = new FlatMemory(base, Math.ceil(size / PAGE) * PAGE);
    for (const s of image.sections) if (s.bytes.length) this.mem.write(s.vaddr, s.bytes);
    const top = base + this.mem.size;

    // argv strings at the very top, then the argv array, then the stack.
    const argv = opts.argv ?? ['a.out'];
    const enc = new TextEncoder();
    let p = top;
    const ptrs: number[] = [];
    for (const a of [...argv].reverse()) {
      const b = enc.encode(a + '\0');
      p -= b.length;
      this.mem.write(p, b);
      ptrs.unshift(p);
    }
    p = Math.floor(p / 16) * 16 - 4 * (ptrs.length + 1);
    p = Math.floor(p / 16) * 16;
    ptrs.forEach((q, k) => this.mem.st32(p + 4 * k, q, 0));
    this.mem.st32(p + 4 * ptrs.length, 0, 0);
    this.argvAddr = p;
    this.argc = argv.length;

    const brk = Math.ceil((image.vend >>> 0) / 16) * 16;
    const stdin = typeof opts.stdin === 'string' ? enc.encode(opts.stdin) : (opts.stdin ?? new Uint8Array(0));
    this.platform = new UserPlatform(this.mem, brk, p - stackSize, stdin);
    this.platform.onOutput = opts.onOutput;
    if (opts.keepOutput !== undefined) this.platform.keepOutput = opts.keepOutput;
    this.machine = new Machine(image, this.mem, this.platform);
    this.mem.onFault = (addr, n, access, eip) => this.machine.memoryFault(addr, n, access, eip);
    const R = this.machine.regs;
    R[ESP] = (p - 16) | 0;
    R[EFLAGS] = FLAG_IF | FLAGS_RESERVED;
    R[REG_INDEX.cs] = 0x1b;
    R[REG_INDEX.ss] = R[REG_INDEX.ds] = R[REG_INDEX.es] = 0x23;
  }

  /** Runs entry(argc, argv) to completion, the step limit, or a fault. */
  run(maxSteps = 1e9): RunResult {
    const m = this.machine;
    let ret = 0;
    const stop: StopReason | undefined = m.execute(() => {
      ret = m.call(this.image.entry, [this.argc, this.argvAddr], 0);
    }, maxSteps);
    const reason: StopReason = stop ?? { outcome: 'exit', exitCode: ret & 255 };
    const cat = (parts: Uint8Array[]): Uint8Array => {
      const n = parts.reduce((k, q) => k + q.length, 0);
      const o = new Uint8Array(n);
      let at = 0;
      for (const q of parts) (o.set(q, at), (at += q.length));
      return o;
    };
    const out = cat(this.platform.out);
    const dec = new TextDecoder();
    const base = { stdout: dec.decode(out), stderr: dec.decode(cat(this.platform.err)), stdoutBytes: out, outputDropped: this.platform.dropped, steps: m.steps };
    switch (reason.outcome) {
      case 'exit':
        return { outcome: 'exit', exitCode: reason.exitCode, ...base };
      case 'step-limit':
        return { outcome: 'step-limit', exitCode: null, ...base };
      case 'fault':
        return { outcome: 'fault', exitCode: null, fault: m.report(reason.fault), ...base };
      case 'halt':
        return {
          outcome: 'fault',
          exitCode: null,
          fault: m.report({ kind: 'general-protection', eip: m.regs[15]!, message: reason.message }),
          ...base,
        };
    }
  }
}

/** Loads `image` into a fresh flat machine and runs it: the engine behind `xenoport run`. */
export function runProgram(image: LinkedImage, opts: RunOptions = {}): RunResult {
  return new UserMachine(image, opts).run(opts.maxSteps ?? 1e9);
}
