/*
 * Guest faults as values. The engine never lets a guest fault escape as a host
 * exception: a fault goes to the platform, which delivers it (an exception through
 * the IDT, a hypervisor report) or ends the run with it as the result.
 */
import type { RegName } from '../ir/index.js';

export type FaultKind =
  /** Flat mode: an access outside guest memory. */
  | 'memory'
  /** Paging mode (#PF): address = CR2. */
  | 'page-fault'
  /** #GP: a privileged intrinsic where not allowed, a bad selector... */
  | 'general-protection'
  /** #DE: division by zero or overflow. */
  | 'divide-error'
  /** #UD: `unreachable`, an unknown instruction. */
  | 'invalid-opcode'
  /** `intr int3` (#BP). */
  | 'breakpoint'
  /** `trap "message"`: a xenify breakpoint stub. */
  | 'breakpoint-stub'
  /** An indirect call to an address that is not the start of a function. */
  | 'bad-call'
  /** `ret`/`iret` popped an address where no active frame continues (docs/ir.md). */
  | 'bad-return'
  /** Guest recursion deeper than the host can nest. */
  | 'stack-overflow';

export interface Fault {
  kind: FaultKind;
  /** Code address of the faulting instruction. */
  eip: number;
  message: string;
  /** The data address of a memory/page fault, the target of a bad call/return. */
  address?: number;
  access?: 'read' | 'write' | 'exec';
  size?: number;
  /** x86 exception vector and error code when meaningful. */
  vector?: number;
  errorCode?: number;
}

/** A fault with where it happened, for results and crash reports. */
export interface FaultReport extends Fault {
  /** Function containing eip, the instruction's IR text, and the original file:line. */
  function?: string;
  instruction?: string;
  where?: string;
  registers: Record<RegName | 'eip', number>;
}

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');
export { hex as hex32 };
