/*
 * Long guest runs in a worker thread, so that the test worker's own event loop stays
 * free while they run.
 *
 * Why: vitest's test worker answers the runner's RPCs (task updates) on its event
 * loop, and a call that waits more than 60 s fails the whole run with "Timeout calling
 * onTaskUpdate", though every test passed. A guest run cannot yield: the guest kernel
 * runs as nested host calls (src/emulate/machine.ts), so a boot is one synchronous
 * stretch. The validation suite under Xen is about 20 s of it on a quiet machine and
 * more than 60 s on a loaded one. A test that runs a guest for more than a few seconds
 * runs it here instead.
 *
 * The jobs run from the build (dist/tests/support/off-thread-jobs.js), which
 * `npm test` makes before vitest starts; a stale build is refused, not used.
 */
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Jobs } from './off-thread-jobs.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const built = path.join(root, 'dist/tests/support/off-thread-jobs.js');

/** Sources whose change makes the build stale for a job: what off-thread-jobs.ts imports. */
const SOURCES = ['src', 'tests/support', 'tests/dom0/nfs-boot-job.ts'];

function newestSource(at: string): number {
  const st = statSync(at);
  if (!st.isDirectory()) return at.endsWith('.ts') ? st.mtimeMs : 0;
  let newest = 0;
  for (const e of readdirSync(at)) newest = Math.max(newest, newestSource(path.join(at, e)));
  return newest;
}

/** Throws when the build the jobs run from is older than a TypeScript source it is built from. */
function checkBuild(): void {
  let at: number;
  try {
    at = statSync(built).mtimeMs;
  } catch {
    throw new Error(`${path.relative(root, built)} is missing: run \`npm run build\` first (npm test does)`);
  }
  for (const s of SOURCES) {
    const newest = newestSource(path.join(root, s));
    if (newest > at) throw new Error(`the build in dist/ is older than ${s}${s.endsWith(".ts") ? "" : "/"}: run \`npm run build\` first (npm test does)`);
  }
}

/** Runs `job` with `args` in a fresh worker thread; resolves with what it returns (structured clone). */
export function offThread<K extends keyof Jobs>(job: K, ...args: Parameters<Jobs[K]>): Promise<Awaited<ReturnType<Jobs[K]>>> {
  checkBuild();
  return new Promise((resolve, reject) => {
    const w = new Worker(built, { workerData: { job, args } });
    let settled = false;
    w.once('message', (m: { ok: true; value: Awaited<ReturnType<Jobs[K]>> } | { ok: false; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.value);
      else reject(new Error(`off-thread job ${job}: ${m.error}`));
    });
    w.once('error', (e) => {
      settled = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`off-thread job ${job}: the worker exited with code ${code} before answering`));
    });
  });
}
