/*
 * The body of a scan's own thread (scan-thread.ts): runs the scan it is given
 * and answers with its progress, then its result or its error.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { XenoportError } from '../errors.js';
import { scan } from './scan.js';
import type { Answer, ThreadOptions } from './scan-thread.js';

const port = parentPort!;
const { progress, ...opts } = workerData as ThreadOptions;
try {
  const result = await scan({ ...opts, onProgress: progress ? (done, total) => port.postMessage({ progress: [done, total] } satisfies Answer) : undefined });
  port.postMessage({ result } satisfies Answer);
} catch (err) {
  const e = err instanceof Error ? err : new Error(String(err));
  const x = e instanceof XenoportError ? e : undefined;
  port.postMessage({ error: { name: e.name, message: e.message, stack: e.stack, span: x?.span, sourceLine: x?.sourceLine } } satisfies Answer);
}
