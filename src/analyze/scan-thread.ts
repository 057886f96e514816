/*
 * A scan run on its own thread. The thread that extracts and resolves holds
 * every summary and allocates gigabytes of short-lived nodes and names on a
 * whole real sys/; with V8's default young generation (16 MB semi-spaces) the
 * collector took a sixth of its time and the heap's slack set the peak. V8
 * sizes the young generation when an isolate starts, so the main thread cannot
 * get a larger one (a flag set at run time does nothing); a worker can, through
 * resourceLimits. Measured on FreeBSD 9.3's sys/: 32 MB semi-spaces took a scan
 * from 32.7-38.9 s and 54-65 CPU-s to 27.8-28.6 s and 45-47.5 CPU-s.
 *
 * `scanOnThread` is the caller's side; scan-thread-entry.ts the thread's.
 * Progress comes back as messages, the result as one structured clone, errors
 * as their class name, message and span (the CLI prints file:line:col from them).
 */
import { Worker } from 'node:worker_threads';
import { XenoportError, RuleError, ScanError, UsageError, type SourceSpan } from '../errors.js';
import type { ScanOptions, ScanResult } from './scan.js';

/** Young generation of the scan's thread: three semi-spaces of 32 MB. */
const YOUNG_GENERATION_MB = 96;

export type ThreadOptions = Omit<ScanOptions, 'onProgress'> & { progress: boolean };

export interface ErrorShape {
  name: string;
  message: string;
  stack?: string;
  span?: SourceSpan;
  sourceLine?: string;
}

export type Answer = { progress: [number, number] } | { result: ScanResult } | { error: ErrorShape };

const CLASSES: Record<string, new (message: string, options?: { span?: SourceSpan; sourceLine?: string }) => XenoportError> = {
  ScanError,
  RuleError,
  UsageError,
  XenoportError,
};

function revive(e: ErrorShape): Error {
  const C = CLASSES[e.name];
  if (C) return new C(e.message, { span: e.span, sourceLine: e.sourceLine });
  const err = new Error(e.message);
  err.stack = e.stack ?? err.stack;
  return err;
}

/** Runs `opts` as a scan on a new thread (entry: this module, compiled). */
export function scanOnThread(entry: string, opts: ScanOptions): Promise<ScanResult> {
  const { onProgress, ...rest } = opts;
  const data: ThreadOptions = { ...rest, progress: onProgress !== undefined };
  return new Promise((resolve, reject) => {
    const w = new Worker(entry, { workerData: data, execArgv: [], resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB } });
    let settled = false;
    w.on('message', (m: Answer) => {
      if ('progress' in m) onProgress?.(m.progress[0], m.progress[1]);
      else if ('result' in m) {
        settled = true;
        resolve(m.result);
      } else {
        settled = true;
        reject(revive(m.error));
      }
    });
    w.on('error', (err) => {
      settled = true;
      reject(err);
    });
    w.on('exit', (code) => {
      if (!settled) reject(new ScanError(`the scan's thread exited with code ${code} before it answered`));
    });
  });
}
