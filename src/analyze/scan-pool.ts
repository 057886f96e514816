/*
 * The scan's worker pool: extracts files on worker threads (worker.ts) and
 * hands back their summaries in job order. Jobs go out in batches, biggest
 * files first, so that the workers end together; each worker has IN_FLIGHT
 * batches queued so it never waits for this thread. A job may come without its
 * text: the pool reads it (through `load`) when the job is sent out, so that a
 * cold scan reads files while the workers already extract.
 * A worker that dies (a crash in the native parser) loses the batches it held:
 * their files are retried one per batch on a fresh worker, and a file that
 * kills a worker on its own is reported as failed.
 */
import { Worker } from 'node:worker_threads';
import { ScanError } from '../errors.js';
import type { FileSummary } from './summary.js';
import type { PreparedC } from './c-prepare.js';
import type { WorkerAnswer } from './worker.js';
import type { SourceRead } from './read-source.js';
import { getCppConfig } from './cpp-branches.js';
import type { Rule } from './types.js';

export interface Job {
  index: number;
  file: string;
  lang: 'c' | 'asm';
  /** Bytes on disk, to order and batch jobs before their text is read. */
  size: number;
  /** Where to read it: a worker given a job without text reads the file itself. */
  abs: string;
  /** The Latin-1 text; read by `load` when absent. */
  text?: string;
  /** Set when the file is run again, alone, after its worker died. */
  retried?: boolean;
}

/** Workers die before any of them returned a result: the caller extracts in its own thread. */
export class WorkersUnavailable extends Error {}

/** A file the analyzer failed on: reported, never fatal. */
export interface Failure {
  index: number;
  error: string;
}

export interface PoolHooks {
  /** One job finished (extracted, failed or skipped at read). */
  progress: () => void;
  /** Reads a job's text here; false when the file is skipped (the callee reports why). */
  load: (job: Job) => boolean;
  /** Takes a job's text as a worker read it; false when the file is skipped. */
  accept: (job: Job, read: SourceRead) => boolean;
  /** A summary's JSON text as a worker sent it (for the cache). */
  summaryText?: (job: Job, json: string) => void;
  /**
   * Extracts a job in this thread (`prepared`: a C file a worker has normalized,
   * parsed and queried). When given, this thread finishes the workers' prepared
   * files and, when none is waiting, takes whole jobs from the queue: one thread
   * fewer competing for the cores, no JSON round trip, and the extractor's code
   * compiled by one JIT.
   */
  local?: (job: Job, prepared?: PreparedC) => FileSummary;
}

/** Bytes of source this thread extracts before it looks at the workers' messages again. */
const LOCAL_BATCH_BYTES = 24 * 1024;

/** Files per message: up to this many bytes of text (a batch of small files is one round trip). */
const BATCH_BYTES = 192 * 1024;
/** Batches queued at each worker, so that it never waits for the main thread between files. */
const IN_FLIGHT = 2;

/** Workers that have exited (a pre-started worker may die before the pool uses it). */
const exited = new WeakSet<Worker>();

/** Starts a worker; it loads its modules, parser and rules while the caller goes on. */
export function startWorker(entry: string, rules: Rule[], prepare: boolean): Worker {
  // No inherited node options: some (--input-type, --eval) make a worker fail at once.
  const w = new Worker(entry, { workerData: { rules, prepare, cpp: getCppConfig() }, execArgv: [] });
  // Until the pool listens, an error must not go unhandled; the pool learns of it from 'exit'.
  w.on('error', () => undefined);
  w.once('exit', () => exited.add(w));
  return w;
}

let jsonMillis = 0;
/** Time this thread spent parsing summaries from workers in the last pool run (XENOPORT_SCAN_TIMING). */
export function summaryParseMillis(): number {
  return jsonMillis;
}

/**
 * Runs jobs on `count` workers (using `prestarted` ones first); resolves to
 * summaries in job order (undefined: failed or skipped). A summary comes back as
 * JSON text (cheaper than a structured clone), handed to `summaryText` for the cache.
 */
export async function runPool(
  jobs: Job[],
  rules: Rule[],
  count: number,
  entry: string,
  hooks: PoolHooks,
  failures: Failure[],
  prestarted: Worker[],
): Promise<Array<FileSummary | undefined>> {
  jsonMillis = 0;
  const results: Array<FileSummary | undefined> = new Array(jobs.length);
  const bySize = [...jobs].sort((a, b) => b.size - a.size);
  /*
   * When this thread extracts too, assembly files are its own: the workers then
   * run only the C preparation, and the assembly scanner's code is compiled by
   * one thread's JIT. A worker takes them only when no C file is left.
   */
  const queue = hooks.local ? bySize.filter((j) => j.lang === 'c') : bySize;
  const asmHere = hooks.local ? bySize.filter((j) => j.lang !== 'c') : [];
  const retry: Job[] = [];
  const workers: Worker[] = [...prestarted];
  /** Set when the pool has settled: this thread's pending step must not take more jobs. */
  let stopped = false;
  try {
    await new Promise<void>((resolvePool, rejectPool) => {
      let pending = jobs.length;
      if (pending === 0) {
        resolvePool();
        return;
      }
      const inFlight = new Map<Worker, Job[][]>();
      const byIndex = new Map(jobs.map((j) => [j.index, j]));
      /** C files prepared by a worker, waiting for this thread to extract them. */
      const ready: Array<{ job: Job; prepared: PreparedC }> = [];
      let delivered = 0;
      let lostBeforeAny = 0;
      const done = (): void => {
        hooks.progress();
        if (--pending === 0) resolvePool();
      };
      const nextBatch = (): Job[] | undefined => {
        const single = retry.shift();
        if (single) return [single];
        const batch: Job[] = [];
        let bytes = 0;
        const from = queue.length > 0 ? queue : asmHere;
        while (from.length > 0 && (batch.length === 0 || bytes + from[0].size <= BATCH_BYTES)) {
          const j = from.shift()!;
          bytes += j.text?.length ?? j.size;
          batch.push(j);
        }
        return batch.length > 0 ? batch : undefined;
      };
      const feed = (w: Worker): void => {
        const held = inFlight.get(w)!;
        while (held.length < IN_FLIGHT) {
          const batch = nextBatch();
          if (!batch) return;
          held.push(batch);
          w.postMessage(batch.map((j) => ({ id: j.index, file: j.file, abs: j.abs, text: j.text, lang: j.lang })));
        }
      };
      const lost = (w: Worker, why: string): void => {
        const held = inFlight.get(w) ?? [];
        inFlight.delete(w);
        if (delivered === 0 && ++lostBeforeAny > count) {
          // Not one batch came back: workers cannot run here (not a file's fault).
          rejectPool(new WorkersUnavailable(why));
          return;
        }
        // The worker died in the first batch it held; the others never started.
        const [current, ...unstarted] = held;
        for (const batch of unstarted.reverse()) queue.unshift(...batch);
        if (current?.length === 1 && current[0].retried) {
          failures.push({ index: current[0].index, error: why });
          done();
        } else if (current) for (const j of current) retry.push({ ...j, retried: true });
        if (pending > 0) start();
      };
      const start = (): void => {
        let w = prestarted.shift();
        while (w && exited.has(w)) w = prestarted.shift();
        w ??= startWorker(entry, rules, hooks.local !== undefined);
        if (!workers.includes(w)) workers.push(w);
        inFlight.set(w, []);
        w.on('message', (msgs: WorkerAnswer[]) => {
          inFlight.get(w)?.shift();
          delivered++;
          for (const msg of msgs) {
            if (msg.read && !hooks.accept(byIndex.get(msg.id)!, msg.read)) {
              done(); // skipped: binary or unreadable
              continue;
            }
            if (msg.prepared) {
              ready.push({ job: byIndex.get(msg.id)!, prepared: msg.prepared });
              continue; // done when this thread has extracted it
            }
            if (msg.error !== undefined) failures.push({ index: msg.id, error: msg.error.split('\n')[0] });
            else {
              const tj = performance.now();
              results[msg.id] = JSON.parse(msg.json!) as FileSummary;
              jsonMillis += performance.now() - tj;
              const job = byIndex.get(msg.id)!;
              hooks.summaryText?.(job, msg.json!);
              job.text = undefined; // extracted: the text is garbage now
            }
            done();
          }
          if (pending > 0) feed(w);
          if (ready.length > 0) wake();
        });
        w.on('error', (err) => {
          if (!inFlight.has(w)) {
            rejectPool(new ScanError('scan worker crashed', { cause: err }));
            return;
          }
          lost(w, `worker crashed: ${err.message}`);
        });
        w.on('exit', (code) => {
          if (code !== 0 && (inFlight.get(w)?.length ?? 0) > 0) lost(w, `worker exited with code ${code}`);
          else inFlight.delete(w);
        });
        feed(w);
      };
      for (let i = 0; i < Math.min(count, jobs.length); i++) start();
      const local = hooks.local;
      let awake = false;
      const extractHere = (j: Job, prepared?: PreparedC): void => {
        try {
          results[j.index] = local!(j, prepared);
        } catch (err) {
          failures.push({ index: j.index, error: err instanceof Error ? err.message : String(err) });
        }
        j.text = undefined; // extracted: the text is garbage now
        done();
      };
      // Prepared files first; then assembly files; otherwise a whole job from the queue (never a retried
      // one: those are suspected of killing a worker). Then back to the event loop,
      // so the workers' messages are read and their queues kept full.
      const step = (): void => {
        awake = false;
        if (stopped) return;
        for (let bytes = 0; bytes < LOCAL_BATCH_BYTES && pending > 0; ) {
          const r = ready.shift();
          if (r) {
            bytes += r.prepared.norm.length >> 1;
            extractHere(r.job, r.prepared);
            continue;
          }
          const j = asmHere.shift() ?? queue.shift();
          if (!j) break;
          if (j.text === undefined && !hooks.load(j)) {
            done();
            continue;
          }
          bytes += j.text!.length;
          extractHere(j);
        }
        if (pending > 0 && (ready.length > 0 || asmHere.length > 0 || queue.length > 0)) wake();
      };
      const wake = (): void => {
        if (!local || awake) return;
        awake = true;
        setImmediate(step);
      };
      wake();
    });
  } finally {
    stopped = true;
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}
