/*
 * What every hypercall shares: the errno values a refusal returns, the batch
 * bound, the HypercallHost interface (what a hypercall may ask of the running
 * platform) and the small helpers for logging a refusal. Split from hypercalls.ts
 * so the per-area hypercall files can use them without importing the dispatcher.
 */
import type { Domain } from './domain.js';
import type { XenMemory } from './paging.js';
import type { Xen } from './xen.js';

export const EPERM = 1;
export const ESRCH = 3;
export const EFAULT = 14;
export const EEXIST = 17;
export const EINVAL = 22;
export const ENOSYS = 38;

/** Largest batch mmu_update / multicall accept (a bound on hypervisor work per call). */
export const MAX_BATCH = 4096;

/**
 * What hypervisor work costs in guest steps (Machine.charge), so that the step limit
 * bounds host time whatever the guest asks: a hypercall, each request of an
 * mmu_update batch or multicall or grant op (a validated page-table update costs the
 * host about as long as a thousand IR instructions: bench/hypervisor.ts), and console
 * output per byte.
 */
export const COST = {
  hypercall: 20,
  batchElement: 1000,
  consoleByte: 1,
} as const;

/** What the hypercalls need from the running platform. */
export interface HypercallHost {
  readonly xen: Xen;
  readonly dom: Domain;
  readonly mem: XenMemory;
  /** Current system time in ns. */
  now(): bigint;
  /** Re-plans the machine deadline after a timer change. */
  timersChanged(): void;
  /** sched_op block: wait for an event (may advance time or end the run). */
  block(): void;
  /** sched_op shutdown: ends the run. */
  shutdown(reason: number): never;
  /** Marks an event channel pending (evtchn_set_pending). */
  sendEvent(port: number): void;
  /** Counts host work in guest steps (COST); ends the run at the step limit. */
  charge(steps: number): void;
  /** Extra text for the hypercall record (mmu_update requests). */
  note(s: string): void;
  /** I/O privilege granted by physdev_op SET_IOPL. */
  iopl: number;
  debugRegs: number[];
}

export const hex = (n: number): string => '0x' + (n >>> 0).toString(16);
export const s32 = (n: number): number => n | 0;

/** Logs a refusal in xen.mm.log and returns its (negative errno) result. */
export function fail(h: HypercallHost, rc: number, msg: string): number {
  h.xen.mm.fail(msg);
  return rc;
}
