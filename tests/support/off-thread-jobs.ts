/*
 * The jobs off-thread.ts runs in a worker thread: each takes and returns plain data
 * (structured clone crosses the thread boundary, functions and class instances do not).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { bootXen, runStep14, runSuiteXen, runSuiteXenCached, type BootXenOptions, type BootXenResult, type Step14Options } from '../../src/port/index.js';
import { nfsBoot } from '../dom0/nfs-boot-job.js';

/** A Xen boot as plain data: what the run printed, counted and reported, not its live objects. */
export interface PlainBoot {
  ok: boolean;
  summary: string;
  errors: string[];
  run?: Pick<NonNullable<BootXenResult['run']>, 'outcome' | 'shutdownReason' | 'console' | 'serial' | 'counts' | 'hypercalls' | 'steps' | 'report' | 'reportText' | 'wallMs'>;
}

function plainBoot(r: BootXenResult): PlainBoot {
  const run = r.run;
  return {
    ok: r.ok,
    summary: r.summary,
    errors: r.build.errors.map(String),
    run: run && { outcome: run.outcome, shutdownReason: run.shutdownReason, console: run.console, serial: run.serial, counts: run.counts, hypercalls: run.hypercalls, steps: run.steps, report: run.report, reportText: run.reportText, wallMs: run.wallMs },
  };
}

export const jobs = {
  /** `xenoport boot` in Xen mode (src/port/xen-kernel.ts), options without callbacks. */
  async bootXen(opts: Omit<BootXenOptions, 'print' | 'onEvent'>): Promise<PlainBoot> {
    return plainBoot(await bootXen(opts));
  },
  /** A boot whose init runs a suite, split per program (src/port/suite.ts). */
  async suiteXen(opts: Omit<BootXenOptions, 'print' | 'onEvent'>) {
    const r = await runSuiteXen(opts);
    return { boot: plainBoot(r.boot), report: r.report };
  },
  /** Seed step 14's two boots (src/port/step14.ts); the lines it printed come back with it. */
  async step14(opts: Omit<Step14Options, 'print' | 'onEvent'>) {
    const lines: string[] = [];
    const r = await runStep14({ ...opts, print: (t) => void lines.push(t) });
    return { disk: r.disk, tree: r.tree, root: r.root, fallback: r.fallback, ms: r.ms, first: plainBoot(r.first), second: r.second && plainBoot(r.second), lines };
  },
  /** The validation suite under Xen through the port's caches (src/port/suite.ts). */
  suiteXenCached: runSuiteXenCached,
  /** A boot with the root on NFS from a running domain 0 server (tests/dom0/nfs-boot-job.ts). */
  nfsBoot,
};
export type Jobs = typeof jobs;

if (parentPort && workerData && typeof workerData.job === 'string') {
  const { job, args } = workerData as { job: keyof Jobs; args: unknown[] };
  const port = parentPort;
  Promise.resolve()
    .then(() => (jobs[job] as (...a: unknown[]) => unknown)(...args))
    .then(
      (value) => port.postMessage({ ok: true, value }),
      (e: unknown) => port.postMessage({ ok: false, error: e instanceof Error ? (e.stack ?? e.message) : String(e) }),
    );
}
