/*
 * The jobs off-thread.ts runs in a worker thread: each takes and returns plain data
 * (structured clone crosses the thread boundary, functions and class instances do not).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runSuiteXenCached } from '../../src/port/index.js';

export const jobs = {
  /** The validation suite under Xen through the port's caches (src/port/suite.ts). */
  suiteXenCached: runSuiteXenCached,
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
