/*
 * The vocabulary of i386 exception and interrupt delivery: vector numbers and names,
 * and the types describing an event, a gate and a fault raised while delivering.
 * Shared by the CPU (cpu.ts), BarePC and the hypervisor; types and constants only.
 */
export const VEC_DE = 0, VEC_DB = 1, VEC_NMI = 2, VEC_BP = 3, VEC_OF = 4, VEC_BR = 5, VEC_UD = 6, VEC_NM = 7;
export const VEC_DF = 8, VEC_TS = 10, VEC_NP = 11, VEC_SS = 12, VEC_GP = 13, VEC_PF = 14, VEC_MF = 16, VEC_AC = 17;

export const VECTOR_NAMES: Record<number, string> = {
  0: '#DE divide error', 1: '#DB debug', 2: 'NMI', 3: '#BP breakpoint', 4: '#OF overflow', 5: '#BR bound range',
  6: '#UD invalid opcode', 7: '#NM device not available', 8: '#DF double fault', 10: '#TS invalid TSS',
  11: '#NP segment not present', 12: '#SS stack fault', 13: '#GP general protection', 14: '#PF page fault',
  16: '#MF x87 error', 17: '#AC alignment check', 18: '#MC machine check', 19: '#XM SIMD',
};

/**
 * How an event returns: 'fault' pushes the faulting eip (the instruction runs again),
 * 'trap' and 'software' (int n, int3, breakpoint stubs) push the next instruction,
 * 'interrupt' (external) pushes the interrupted eip and has no error code.
 */
export type EventKind = 'fault' | 'trap' | 'software' | 'interrupt';

export interface CpuEvent {
  vector: number;
  /** Pushed for the vectors that have one (8, 10-14, 17) unless the event is an interrupt or software int. */
  errorCode?: number;
  kind: EventKind;
  /** Address of the instruction the event belongs to. */
  eip: number;
  /** The eip pushed in the frame (eip for faults and interrupts, eip + 1 for traps). */
  returnEip: number;
  /** For #PF: the faulting linear address (CR2). */
  address?: number;
  /** Why (for reports and traces). */
  message?: string;
}

/** An IDT gate (or a hypervisor's trap-table entry) decoded. */
export interface Gate {
  offset: number;
  selector: number;
  /** 'interrupt' clears IF on entry, 'trap' keeps it. */
  type: 'interrupt' | 'trap';
  dpl: number;
}

/** An event the CPU could not deliver, and what it became. */
export interface DeliveryLog {
  vector: number;
  errorCode?: number;
  kind: EventKind;
  eip: number;
  cpl: number;
}

/** An exception raised while preparing a delivery (a second fault). */
export interface SecondFault {
  vector: number;
  errorCode: number;
  address?: number;
}
