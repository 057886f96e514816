/*
 * A boot's events in the Chrome trace-event format (the JSON Object Format of the
 * "Trace Event Format" document that chrome://tracing and Perfetto read): one process
 * per boot, a thread per kind of event (hypercalls, traps, upcalls, the end), each
 * event an instant ("ph": "i", thread scope) at the guest's system time, and the boot
 * itself as one complete event ("ph": "X") on the guest thread. Time is the
 * hypervisor's system time, nsPerStep nanoseconds per guest instruction (the
 * platform's default, 10), in the format's microseconds.
 */
import { writeFileSync } from 'node:fs';

/** A boot's events, columnar (the port's EventLog shape). */
export interface TraceBoot {
  name: string;
  names: string[];
  kinds: string[];
  nameIds: number[];
  steps: number[];
  details: Record<number, string>;
  /** Guest instructions of the whole boot. */
  total: number;
}

export interface TraceEvent {
  name: string;
  cat?: string;
  ph: 'X' | 'i' | 'M';
  ts?: number;
  dur?: number;
  s?: 'g' | 'p' | 't';
  pid: number;
  tid: number;
  args?: Record<string, unknown>;
}

export interface TraceFile {
  traceEvents: TraceEvent[];
  displayTimeUnit: 'ns' | 'ms';
  otherData: Record<string, string>;
}

const THREADS: readonly [string, number, string][] = [
  ['guest', 0, 'the guest (the whole boot)'],
  ['hypercall', 1, 'hypercalls'],
  ['trap', 2, 'traps delivered to the guest'],
  ['upcall', 3, 'event upcalls'],
  ['exit', 4, 'the end of the domain'],
];

/** The trace of `boots`, one process each (pid 1, 2, ...). */
export function traceOf(boots: TraceBoot[], nsPerStep = 10): TraceFile {
  const us = (step: number): number => (step * nsPerStep) / 1000;
  const tid = new Map(THREADS.map(([k, t]) => [k, t]));
  const events: TraceEvent[] = [];
  boots.forEach((b, k) => {
    const pid = k + 1;
    events.push({ name: 'process_name', ph: 'M', pid, tid: 0, args: { name: b.name } });
    events.push({ name: 'process_sort_index', ph: 'M', pid, tid: 0, args: { sort_index: pid } });
    for (const [, t, label] of THREADS) events.push({ name: 'thread_name', ph: 'M', pid, tid: t, args: { name: label } });
    events.push({ name: b.name, cat: 'boot', ph: 'X', ts: 0, dur: us(b.total), pid, tid: 0, args: { instructions: b.total } });
    b.steps.forEach((step, i) => {
      const kind = b.kinds[i]!;
      const args: Record<string, unknown> = { step };
      if (b.details[i] !== undefined) args.detail = b.details[i];
      events.push({ name: b.names[b.nameIds[i]!]!, cat: kind, ph: 'i', s: 't', ts: us(step), pid, tid: tid.get(kind) ?? 5, args });
    });
  });
  return { traceEvents: events, displayTimeUnit: 'ns', otherData: { tool: 'xenoport', clock: `guest system time, ${nsPerStep} ns per guest IR instruction` } };
}

/** Writes the trace of `boots` to `file` as JSON. */
export function writeTrace(file: string, boots: TraceBoot[], nsPerStep?: number): void {
  writeFileSync(file, JSON.stringify(traceOf(boots, nsPerStep)));
}
