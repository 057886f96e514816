/*
 * Worker thread entry: extracts files sent by scan.ts's pool. Runs only from the
 * compiled dist/ tree (vitest does not compile TS for workers); scan.ts falls
 * back to extracting in its own thread when this file is not built.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractFile } from './extract.js';
import { writeEntry } from './cache.js';
import type { Rule } from './types.js';

interface Job {
  id: number;
  file: string;
  text: string;
  lang: 'c' | 'asm';
  /** Cache entry to write, off the main thread. */
  cacheFile?: string;
}

const rules = (workerData as { rules: Rule[] }).rules;

parentPort?.on('message', (job: Job) => {
  try {
    const summary = extractFile(job.file, job.text, job.lang, rules);
    if (job.cacheFile) writeEntry(job.cacheFile, summary);
    parentPort!.postMessage({ id: job.id, summary });
  } catch (err) {
    parentPort!.postMessage({ id: job.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
  }
});
