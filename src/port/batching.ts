/*
 * Seed step 15 measured: the i386-xeno kernel booted with its page-table updates
 * flushed one by one and batched, and the batched kernel again with a lazy TLB
 * and with upcalls at seeded instruction counts, each under the race detector.
 * Each pte-updates mode is xenified into its own output tree (so that runs never
 * share a generated tree); the runs' consoles are compared without the minimal
 * OS's first line, which holds load addresses that move with the kernel's size.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { bootXen, type BootXenResult } from './xen-kernel.js';
import type { RaceReport } from '../hypervisor/index.js';

export interface BatchingRun {
  label: string;
  pteUpdates: 'flush-each' | 'batched';
  lazyTlb: boolean;
  upcallSeed?: number;
  ok: boolean;
  /** The console without the minimal OS's address line. */
  console: string;
  counts: Record<string, number>;
  hypercalls: number;
  mmuCalls: number;
  mmuRequests: number;
  /** mmu_updates carried inside multicalls (not hypercalls of their own), and their requests. */
  mmuInMulticall: number;
  mmuInMulticallRequests: number;
  histogram: string;
  /** Steps: guest IR instructions plus the hypervisor's metered work. */
  steps: number;
  /** Guest IR instructions alone. */
  guestSteps: number;
  /** Real time of xenify, compile and boot together, and of the boot alone. */
  wallMs: number;
  bootMs: number;
  upcalls: number;
  races: RaceReport[];
}

export interface BatchingOptions {
  pipelineFile: string;
  configFrom: string;
  /** Where each mode's generated tree goes (`<dir>/<mode>/sys`). */
  workDir: string;
  raceDetect?: boolean;
  /** The domain builder's module (the root file system image). */
  module?: Uint8Array;
}

/** The console a run printed, without the minimal OS's line of load addresses. */
export function comparableConsole(text: string): string {
  return text
    .split('\n')
    .filter((l) => !l.startsWith('xenoport: minimal OS entry'))
    .join('\n');
}

/** One boot of the i386-xeno kernel in the given mode, measured. */
export async function bootBatchingMode(o: BatchingOptions, label: string, pteUpdates: 'flush-each' | 'batched', lazyTlb = false, upcallSeed?: number): Promise<BatchingRun> {
  const output = path.join(o.workDir, pteUpdates, 'sys');
  mkdirSync(path.dirname(output), { recursive: true });
  const t0 = performance.now();
  const r: BootXenResult = await bootXen({ pipelineFile: o.pipelineFile, configFrom: o.configFrom, output, force: true, pteUpdates, lazyTlb, upcallSeed, raceDetect: o.raceDetect ?? true, module: o.module, maxSteps: 8e9 });
  const wallMs = performance.now() - t0;
  const run = r.run;
  const mmu = run?.platform.mmuStats;
  return {
    label,
    pteUpdates,
    lazyTlb,
    upcallSeed,
    // The boot's own verdict, and a clean end (not the step limit after it).
    ok: r.ok && run?.outcome === 'halted',
    console: comparableConsole(run?.console ?? ''),
    counts: run?.counts ?? {},
    hypercalls: run?.hypercalls ?? 0,
    mmuCalls: mmu?.calls ?? 0,
    mmuRequests: mmu?.requests ?? 0,
    mmuInMulticall: mmu?.inMulticall ?? 0,
    mmuInMulticallRequests: mmu?.inMulticallRequests ?? 0,
    histogram: mmu?.format() ?? '',
    steps: run?.steps ?? 0,
    guestSteps: (run?.steps ?? 0) - (run?.platform.charged ?? 0),
    wallMs,
    bootMs: run?.wallMs ?? 0,
    upcalls: run?.platform.upcalls ?? 0,
    races: run?.platform.race?.reports ?? [],
  };
}

/** Hypercall counts of several runs side by side, one kind per line. */
export function formatSideBySide(runs: BatchingRun[]): string[] {
  const kinds = [...new Set(runs.flatMap((r) => Object.keys(r.counts)))].sort((a, b) => (runs[0]!.counts[b] ?? 0) - (runs[0]!.counts[a] ?? 0) || a.localeCompare(b));
  const w = Math.max(5, ...kinds.map((k) => k.length));
  const cols = runs.map((r) => Math.max(10, r.label.length));
  const row = (name: string, vals: (string | number)[]) => `  ${name.padEnd(w)} ${vals.map((v, i) => String(v).padStart(cols[i]!)).join(' ')}`;
  return [
    row('', runs.map((r) => r.label)),
    ...kinds.map((k) => row(k, runs.map((r) => r.counts[k] ?? 0))),
    row('total', runs.map((r) => r.hypercalls)),
    row('mmu requests', runs.map((r) => r.mmuRequests)),
    row('mmu_update in multicalls', runs.map((r) => r.mmuInMulticall)),
    row('steps (metered)', runs.map((r) => r.steps)),
    row('guest IR instrs', runs.map((r) => r.guestSteps)),
  ];
}
