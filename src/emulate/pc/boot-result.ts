/*
 * What a BarePC run returns (BootResult) and how the engine's stop reason becomes
 * one: the outcome, console, step and clock counts, and for a fault or a triple
 * fault the register report. Kept apart from barepc.ts, which runs the machine.
 */
import type { Machine, StopReason } from '../machine.js';
import type { FaultReport } from '../fault.js';
import { VEC_GP, VEC_PF, VEC_UD, VECTOR_NAMES, type CpuEvent } from './cpu-events.js';
import { formatFaultReport, type ControlState } from './fault-report.js';

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

/** The parts of a BootResult every outcome has. */
export type BootTotals = Pick<BootResult, 'console' | 'steps' | 'virtualClocks' | 'wallMs' | 'events'>;

/**
 * The BootResult for a run that stopped for `reason`; `first` is the CPU's first
 * fault of a triple-fault chain, `control` its control registers at the stop.
 */
export function bootResult(m: Machine, reason: StopReason, base: BootTotals, control: ControlState, first: CpuEvent | undefined): BootResult {
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
