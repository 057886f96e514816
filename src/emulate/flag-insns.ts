/*
 * rdtsc, pushf and popf as every platform carries them out; the platforms differ
 * only in what the flags show (a Xen guest sees the real IF) and which bits popf
 * may not change (IF and IOPL below the needed privilege).
 */
import type { GuestMemory } from './memory.js';
import { EAX, EDX, EFLAGS, ESP, FLAGS_RESERVED } from './regs.js';

/** rdtsc: the machine's step count as the time-stamp counter, in edx:eax. */
export function readTimeStamp(R: Int32Array, steps: number): void {
  R[EAX] = steps | 0;
  R[EDX] = Math.floor(steps / 0x100000000) | 0;
}

/** pushf: pushes `flags`, the EFLAGS value the program is shown. */
export function pushFlags(R: Int32Array, mem: GuestMemory, flags: number, eip: number): void {
  const sp = (R[ESP]! - 4) | 0;
  mem.st32(sp, flags, eip);
  R[ESP] = sp;
}

/** popf: pops EFLAGS, the bits in `keep` staying as they were (silently, as on x86). */
export function popFlags(R: Int32Array, mem: GuestMemory, keep: number, eip: number): void {
  const sp = R[ESP]!;
  const v = mem.ld32(sp, eip);
  R[ESP] = (sp + 4) | 0;
  R[EFLAGS] = (v & ~keep) | (R[EFLAGS]! & keep) | FLAGS_RESERVED;
}
