/*
 * `npm start`'s port stage, run beside the stages before it (scan, native build and
 * QEMU boot, compile, BarePC boot: none of which it needs), and the stages after the
 * port, run two at a time (the machine's two cores;
 * XENOPORT_START_JOBS sets another number, 1 runs them one after another). Each
 * stage runs on a worker thread of its own (stage-worker.js, from the build), or in
 * this thread when the code runs from its TypeScript sources (no build beside it).
 * Step 14 copies the suite's root tree, so it waits for the suite, and runs only when
 * the suite passed (as before the stages ran side by side). Before any of them, the
 * generated tree is xenified in hypercall mode here, once, so that the stages, which
 * all read it, find it up to date and none writes it while another reads it.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT } from '../project-root.js';
import { PipelineError, XenoportError } from '../errors.js';
import { defaultScan, loadPipeline, runPipeline } from '../rewrite/index.js';
import { runLaterStage, runPortStage, type LaterStageInput, type LaterStageName, type LaterStageResult, type PortStageInput, type PortStageResult } from './start-stages.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stage-worker.js');

/** How many of the stages run at once. */
export function laterJobs(): number {
  const n = Number(process.env.XENOPORT_START_JOBS);
  return Number.isInteger(n) && n >= 1 ? n : 2;
}

/** Runs a stage on a worker thread of its own; `stop` ends the worker (a no-op once it has answered). */
function onWorker<T>(input: LaterStageInput | PortStageInput): { result: Promise<T>; stop: () => void } {
  const w = new Worker(WORKER, { workerData: input, execArgv: [] });
  const result = new Promise<T>((resolve, reject) => {
    let settled = false;
    w.once('message', (m: { ok: true; value: T } | { ok: false; user: boolean; error: string }) => {
      settled = true;
      if (m.ok) resolve(m.value);
      else reject(m.user ? new PipelineError(m.error.split('\n')[0]!.replace(/^\w*Error: /, '')) : new Error(`the ${input.stage} stage failed: ${m.error}`));
    });
    w.once('error', (e) => {
      settled = true;
      reject(e);
    });
    w.once('exit', (code) => {
      if (!settled) reject(new Error(`the ${input.stage} stage's worker ended (exit code ${code}) without a result`));
    });
  });
  return { result, stop: () => void w.terminate() };
}

/**
 * The port stage, started now on a worker thread (in this thread when there is no
 * build) while the caller runs the stages before it in the output.
 */
export function portStage(input: Omit<PortStageInput, 'stage'>): { result: Promise<PortStageResult>; stop: () => void } {
  const i: PortStageInput = { stage: 'port', ...input };
  if (existsSync(WORKER)) return onWorker<PortStageResult>(i);
  const result = runPortStage(i);
  // Until the caller awaits it, a failure must not count as unhandled.
  result.catch(() => undefined);
  return { result, stop: () => undefined };
}

/** A counting semaphore: `take` resolves when one of `n` slots is free, in call order. */
function slots(n: number): { take: () => Promise<() => void> } {
  let free = n;
  const queue: (() => void)[] = [];
  const give = (): void => {
    const next = queue.shift();
    if (next) next();
    else free++;
  };
  return {
    take: () =>
      new Promise((resolve) => {
        if (free > 0) {
          free--;
          resolve(give);
        } else queue.push(() => resolve(give));
      }),
  };
}

/**
 * The suite, NFS, step-14 and batching stages on the generated tree `output`; the
 * results in that order (step 14 undefined when the suite did not pass).
 */
export async function laterStages(output: string, cacheDir: string): Promise<Map<LaterStageName, LaterStageResult | undefined>> {
  const config = loadPipeline(path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'));
  config.output = path.resolve(output);
  config.cache = path.resolve(cacheDir);
  await runPipeline(config, { mode: 'hypercall', scan: defaultScan });
  const pool = slots(laterJobs());
  const inThread = !existsSync(WORKER);
  const run = async (stage: LaterStageName): Promise<LaterStageResult> => {
    const give = await pool.take();
    try {
      const input: LaterStageInput = { stage, output, cacheDir };
      return inThread ? await runLaterStage(input) : await onWorker<LaterStageResult>(input).result;
    } finally {
      give();
    }
  };
  const suite = run('suite');
  const nfs = run('nfs');
  const batching = run('batching');
  const step14 = suite.then((s) => (s.suite?.summary ? run('step14') : undefined));
  // Every stage settles before one's error is thrown: no worker is left running.
  const all = await Promise.allSettled([suite, nfs, step14, batching]);
  const failed = all.find((x): x is PromiseRejectedResult => x.status === 'rejected');
  if (failed) throw failed.reason instanceof XenoportError || failed.reason instanceof Error ? failed.reason : new Error(String(failed.reason));
  const value = (i: number): LaterStageResult | undefined => (all[i] as PromiseFulfilledResult<LaterStageResult | undefined>).value;
  return new Map([['suite', value(0)], ['nfs', value(1)], ['step14', value(2)], ['batching', value(3)]]);
}
