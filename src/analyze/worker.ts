/*
 * Worker thread entry: answers each batch of files sent by scan-pool.ts with one
 * message. In the default mode a file is extracted here and its summary travels
 * as JSON text (which the main thread also stores in the cache). In `prepare`
 * mode (used when the main thread extracts too) a C file is only normalized,
 * parsed and run through the query rules here, its #define bodies parsed too
 * (prepareC): its node tables are transferred, not copied, and the main thread
 * finishes it, so the extractor's code is compiled by one thread's JIT instead
 * of two. Runs only from the
 * compiled dist/ tree (vitest does not compile TS for workers); scan.ts falls
 * back to extracting in its own thread when this file is not built.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { extractFile, prepareC, type PreparedC } from './extract.js';
import { parserBackend } from './parser.js';
import { readSource, type SourceRead } from './read-source.js';
import type { Rule } from './types.js';
import { setCppConfig, type CppConfig } from './cpp-branches.js';

interface Job {
  id: number;
  file: string;
  abs: string;
  /** Absent on a cold scan: the file is read here (and its text sent back with the answer). */
  text?: string;
  lang: 'c' | 'asm';
}

export interface WorkerAnswer {
  id: number;
  /** The file as read here, when the job came without its text. */
  read?: SourceRead;
  json?: string;
  prepared?: PreparedC;
  error?: string;
}

const { rules, prepare: wanted, cpp } = workerData as { rules: Rule[]; prepare?: boolean; cpp?: CppConfig };
setCppConfig(cpp);
// Preparing needs the native core (its tables); without it, extract everything here.
const prepare = wanted === true && parserBackend() === 'native';

parentPort?.on('message', (batch: Job[]) => {
  const out: WorkerAnswer[] = [];
  const transfer: ArrayBuffer[] = [];
  for (const job of batch) {
    const read = job.text === undefined ? readSource(job.abs) : undefined;
    if (read && 'skip' in read) {
      out.push({ id: job.id, read });
      continue;
    }
    const text = read ? read.text : job.text!;
    try {
      if (prepare && job.lang === 'c') {
        const prepared = prepareC(text, rules);
        transfer.push(prepared.table.buffer as ArrayBuffer);
        // The bodies' tables share one buffer (c-prepare.ts packTables): listed once.
        for (const buffer of new Set(prepared.macros.map((m) => m[1].buffer as ArrayBuffer))) transfer.push(buffer);
        out.push({ id: job.id, read, prepared });
      } else out.push({ id: job.id, read, json: JSON.stringify(extractFile(job.file, text, job.lang, rules)) });
    } catch (err) {
      out.push({ id: job.id, read, error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    }
  }
  parentPort!.postMessage(out, transfer);
});
