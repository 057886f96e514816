/*
 * Worker thread entry: extracts batches of files sent by scan.ts's pool and
 * answers each batch with one message. A summary travels as its JSON text
 * (which the main thread also stores in the cache). Runs only from the compiled
 * dist/ tree (vitest does not compile TS for workers); scan.ts falls back to
 * extracting in its own thread when this file is not built.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractFile } from './extract.js';
import type { Rule } from './types.js';

interface Job {
  id: number;
  file: string;
  text: string;
  lang: 'c' | 'asm';
}

const rules = (workerData as { rules: Rule[] }).rules;

parentPort?.on('message', (batch: Job[]) => {
  const out: Array<{ id: number; json?: string; error?: string }> = [];
  for (const job of batch) {
    try {
      out.push({ id: job.id, json: JSON.stringify(extractFile(job.file, job.text, job.lang, rules)) });
    } catch (err) {
      out.push({ id: job.id, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  parentPort!.postMessage(out);
});
