/*
 * How `npm start` spreads its work over the machine's two cores. The stages on this
 * thread (scan, native build and QEMU boot, compile, BarePC boot) need nothing of the
 * port; the port loop needs none of them; and the stages after the port (the suite
 * from the XIR root image, the suite from the NFS root, step 14, both page-table
 * update modes) boot the i386-xeno kernel xenified in hypercall mode, which the
 * pipeline file defines and the loop's outcome does not change. So the port loop and
 * those four stages run on worker threads (stage-worker.js, from the build; on this
 * thread when the code runs from its TypeScript sources), at most two at a time
 * (XENOPORT_START_JOBS sets another number), this thread's stages counting as one:
 * the loop, the longest, starts at once and keeps a core; the later stages start as
 * this thread's stages end and as the loop ends. Their
 * output is printed in the usual order; the later stages' results are shown only
 * when the port reaches the root mount (else they are stopped).
 *
 * Trees: the loop writes its iterations' trees at the output path; the later stages
 * read one tree xenified in hypercall mode once, here, before any starts, in a
 * directory of their own (so that none writes a tree another reads). Step 14 copies
 * the suite's root tree, so it follows the suite, and runs only when the suite passed.
 * The suite's XIR root image is built here once too, for the suite and the NFS stage.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../project-root.js';
import { suiteImageDir, suiteModule } from './suite.js';
import { PipelineError, XenoportError } from '../errors.js';
import { defaultScan, loadPipeline, runPipeline } from '../rewrite/index.js';
import { runLaterStage, runPortStage, type LaterStageInput, type LaterStageName, type LaterStageResult, type PortStageInput, type PortStageResult } from './start-stages.js';

const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'stage-worker.js');

/** How many of the stages run at once. */
export function laterJobs(): number {
  const n = Number(process.env.XENOPORT_START_JOBS);
  return Number.isInteger(n) && n >= 1 ? n : 2;
}

type Input = LaterStageInput | PortStageInput;

/** At most `laterJobs()` stages at once, in the order asked; `stop` ends every worker still running. */
export class StagePool {
  private free = laterJobs();
  private readonly queue: (() => void)[] = [];
  private readonly workers = new Set<Worker>();
  private stopped = false;

  private async take(): Promise<void> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.queue.push(resolve));
  }

  private give(): void {
    const next = this.queue.shift();
    if (next) next();
    else this.free++;
  }

  /**
   * Takes a slot for work on this thread (the stages before the port) when one is
   * free now, so that the later stages wait for it rather than share its core; the
   * function gives the slot back (once).
   */
  hold(): () => void {
    if (this.free === 0) return () => undefined;
    this.free--;
    let held = true;
    return () => {
      if (held) this.give();
      held = false;
    };
  }

  /** Runs a stage when a slot is free; the promise is marked handled (the caller awaits it later, or never). */
  run<T>(input: Input): Promise<T> {
    const p = (async () => {
      await this.take();
      try {
        if (this.stopped) throw new PipelineError(`the ${input.stage} stage was not run: the run stopped`);
        if (!existsSync(WORKER)) return (await (input.stage === 'port' ? runPortStage(input) : runLaterStage(input))) as T;
        return await this.onWorker<T>(input);
      } finally {
        this.give();
      }
    })();
    p.catch(() => undefined);
    return p;
  }

  private onWorker<T>(input: Input): Promise<T> {
    const w = new Worker(WORKER, { workerData: input, execArgv: [] });
    this.workers.add(w);
    return new Promise<T>((resolve, reject) => {
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
        this.workers.delete(w);
        if (!settled) reject(new Error(`the ${input.stage} stage's worker ended (exit code ${code}) without a result`));
      });
    });
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.workers) void w.terminate();
  }
}

/** The later stages' results, each settling when its stage ends (step 14: undefined when the suite did not pass). */
export type LaterStages = Map<LaterStageName, Promise<LaterStageResult | undefined>>;

/**
 * Starts the later stages on `pool` (the batching stage first: it makes its own
 * trees), after xenifying their tree in hypercall mode at `output` and building the
 * suite's root image on this thread once `gate` opens (after the QEMU boot, whose
 * console is read as it comes and must not wait behind this thread's work).
 */
export function startLaterStages(pool: StagePool, output: string, cacheDir: string, gate: Promise<void>): LaterStages {
  const ready = (async (): Promise<LaterStageInput['root']> => {
    await gate;
    const config = loadPipeline(path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'));
    config.output = path.resolve(output);
    config.cache = path.resolve(cacheDir);
    await runPipeline(config, { mode: 'hypercall', scan: defaultScan });
    try {
      const { root } = await suiteModule(SAMPLE_KERNEL_DIR, suiteImageDir(cacheDir));
      return { image: root.image, programs: root.programs.length };
    } catch (e) {
      // makefs missing, a program that does not compile: the suite says so.
      if (!(e instanceof XenoportError)) throw e;
      return { error: e.message };
    }
  })();
  const run = (stage: LaterStageName, after: Promise<unknown> = ready): Promise<LaterStageResult> => {
    const p = Promise.all([after, ready]).then(([, root]) => pool.run<LaterStageResult>({ stage, output, cacheDir, root }));
    p.catch(() => undefined);
    return p;
  };
  const batching = pool.run<LaterStageResult>({ stage: 'batching', output, cacheDir });
  const suite = run('suite');
  const nfs = run('nfs');
  const step14 = suite.then((s) => (s.suite?.summary ? run('step14') : undefined));
  step14.catch(() => undefined);
  return new Map<LaterStageName, Promise<LaterStageResult | undefined>>([['suite', suite], ['nfs', nfs], ['step14', step14], ['batching', batching]]);
}
