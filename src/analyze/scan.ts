/*
 * A scan: walk the paths, extract every source file (from the cache, on worker
 * threads, or in this thread), resolve tree-wide facts, filter, and account for
 * every file met. Order of work: headers first is not needed because facts are
 * merged before anything is resolved.
 * Contract: scan() throws only for bad options or rules (typed errors); problems
 * with individual files are reported in ScanResult.files.
 */
import { readFileSync, existsSync } from 'node:fs';
import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { ScanError } from '../errors.js';
import { extractFile } from './extract.js';
import { resolve } from './resolve.js';
import { loadRules } from './rules.js';
import { ScanCache, contentHash, relabel } from './cache.js';
import { walk, type SkipReason } from './walk.js';
import { CACHE_DIR, PROJECT_ROOT } from './paths.js';
import type { FileSummary } from './summary.js';
import type { Category, Finding, Rule, RuleSet } from './types.js';

export const TOOL_VERSION = ((): string => {
  try {
    return (JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0';
  }
})();

export interface ScanOptions {
  paths: string[];
  rules?: RuleSet;
  /** Keep only findings of these rule ids / categories. */
  ruleIds?: string[];
  categories?: Category[];
  exclude?: string[];
  /** Worker threads: 0 = extract in this thread; default: one per core. */
  workers?: number;
  /** Cache directory, or false for none; default .xenoport-cache/. */
  cache?: string | false;
  /** Files larger than this are skipped as too-large (default 64 MiB). */
  maxFileBytes?: number;
  onProgress?: (done: number, total: number) => void;
}

export type FileState = 'scanned' | 'cached' | SkipReason;

export interface FileReport {
  file: string;
  state: FileState;
  language?: 'c' | 'asm';
  lines?: number;
  parseErrors?: number;
  detail?: string;
}

export interface ScanSummary {
  files: number;
  scanned: number;
  cached: number;
  skipped: Partial<Record<SkipReason, number>>;
  lines: number;
  filesWithParseErrors: number;
  findings: number;
  byCategory: Partial<Record<Category, number>>;
  byRule: Record<string, number>;
  byFile: Record<string, number>;
  recovered: number;
  workers: number;
  millis: number;
}

export interface ScanResult {
  findings: Finding[];
  files: FileReport[];
  summary: ScanSummary;
  rules: Rule[];
}

/** The compiled worker, if this code runs from dist/ or dist/ was built. */
export function workerPath(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const candidates = [
    path.join(path.dirname(here), 'worker.js'),
    path.join(PROJECT_ROOT, 'dist', 'src', 'analyze', 'worker.js'),
  ];
  return candidates.find((c) => c.endsWith('.js') && existsSync(c));
}

interface Job {
  index: number;
  file: string;
  text: string;
  lang: 'c' | 'asm';
  /** Set when the file is run again, alone, after its worker died. */
  retried?: boolean;
}

/** A file the analyzer failed on: reported, never fatal. */
interface Failure {
  index: number;
  error: string;
}

/** Workers that have exited (a pre-started worker may die before the pool uses it). */
const exited = new WeakSet<Worker>();

function startWorker(entry: string, rules: Rule[]): Worker {
  const w = new Worker(entry, { workerData: { rules } });
  // Until the pool listens, an error must not go unhandled; the pool learns of it from 'exit'.
  w.on('error', () => undefined);
  w.once('exit', () => exited.add(w));
  return w;
}

/** Files per message: up to this many bytes of text (a batch of small files is one round trip). */
const BATCH_BYTES = 192 * 1024;
/** Batches queued at each worker, so that it never waits for the main thread between files. */
const IN_FLIGHT = 2;

/**
 * Runs jobs on a pool of workers; resolves to summaries in job order (undefined:
 * failed). Jobs go out in batches, biggest files first, so that the workers end
 * together; each worker has IN_FLIGHT batches queued. A summary comes back as
 * JSON text (cheaper than a structured clone), kept in `texts` for the cache.
 * A worker that dies (a crash in the native parser) loses the batches it held:
 * their files are retried one per batch on a fresh worker, and a file that kills
 * a worker on its own is reported as failed.
 */
async function runPool(jobs: Job[], rules: Rule[], count: number, entry: string, progress: () => void, failures: Failure[], texts: string[], prestarted: Worker[]): Promise<Array<FileSummary | undefined>> {
  const results: Array<FileSummary | undefined> = new Array(jobs.length);
  const queue = [...jobs].sort((a, b) => b.text.length - a.text.length);
  const retry: Job[] = [];
  const workers: Worker[] = [...prestarted];
  try {
    await new Promise<void>((resolvePool, rejectPool) => {
      let pending = jobs.length;
      if (pending === 0) {
        resolvePool();
        return;
      }
      const inFlight = new Map<Worker, Job[][]>();
      const nextBatch = (): Job[] | undefined => {
        const single = retry.shift();
        if (single) return [single];
        if (queue.length === 0) return undefined;
        const batch: Job[] = [];
        let bytes = 0;
        while (queue.length > 0 && (batch.length === 0 || bytes + queue[0].text.length <= BATCH_BYTES)) {
          const j = queue.shift()!;
          bytes += j.text.length;
          batch.push(j);
        }
        return batch;
      };
      const feed = (w: Worker): void => {
        const held = inFlight.get(w)!;
        while (held.length < IN_FLIGHT) {
          const batch = nextBatch();
          if (!batch) return;
          held.push(batch);
          w.postMessage(batch.map((j) => ({ id: j.index, file: j.file, text: j.text, lang: j.lang })));
        }
      };
      const done = (): void => {
        progress();
        if (--pending === 0) resolvePool();
      };
      const lost = (w: Worker, why: string): void => {
        const held = inFlight.get(w) ?? [];
        inFlight.delete(w);
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
        w ??= startWorker(entry, rules);
        if (!workers.includes(w)) workers.push(w);
        inFlight.set(w, []);
        w.on('message', (msgs: Array<{ id: number; json?: string; error?: string }>) => {
          inFlight.get(w)?.shift();
          for (const msg of msgs) {
            if (msg.error !== undefined) failures.push({ index: msg.id, error: msg.error.split('\n')[0] });
            else {
              const tj = performance.now();
              results[msg.id] = JSON.parse(msg.json!) as FileSummary;
              jsonMillis += performance.now() - tj;
              texts[msg.id] = msg.json!;
            }
            done();
          }
          if (pending > 0) feed(w);
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
    });
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
  return results;
}

function isBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

function compare(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.startByte - b.startByte || a.endByte - b.endByte || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** Extracts and resolves in-memory files (rule tests, library users). */
export function scanSources(sources: Array<{ file: string; text: string; lang: 'c' | 'asm' }>, rules: Rule[]): Finding[] {
  const summaries = sources.map((s) => extractFile(s.file, s.text, s.lang, rules));
  return [...summaries.flatMap((s) => s.findings), ...resolve(summaries, rules)].sort(compare);
}

const TIMING = process.env.XENOPORT_SCAN_TIMING === '1';
let jsonMillis = 0;
function phase(name: string, t: number): number {
  const now = performance.now();
  if (TIMING) process.stderr.write(`[scan] ${name}: ${Math.round(now - t)} ms\n`);
  return now;
}

export async function scan(opts: ScanOptions): Promise<ScanResult> {
  const t0 = performance.now();
  const ruleSet = opts.rules ?? loadRules();
  const rules = ruleSet.rules;
  for (const id of opts.ruleIds ?? []) if (!rules.some((r) => r.id === id)) throw new ScanError(`no rule named '${id}' (see \`xenoport rules list\`)`);
  for (const p of opts.paths) if (!existsSync(p)) throw new ScanError(`no such file or directory: ${p}`);
  const entries = walk(opts.paths, opts.exclude ?? [], opts.maxFileBytes);
  const cache = opts.cache === false ? undefined : new ScanCache(opts.cache ?? CACHE_DIR, TOOL_VERSION, ruleSet.hash);
  // On a cold scan, workers start (load their modules, parser and rules) while
  // this thread reads and hashes the files. With a cache, most files are likely
  // cached and workers start only if some are not.
  const wanted = opts.workers ?? Math.max(1, os.availableParallelism());
  const entry = wanted > 0 && entries.length > 1 ? workerPath() : undefined;
  const cold = !cache || cache.isEmpty();
  const prestarted = entry && cold ? Array.from({ length: Math.min(wanted, entries.length) }, () => startWorker(entry, rules)) : [];
  try {
    return await scanEntries(opts, t0, ruleSet, entries, cache, prestarted, wanted, entry);
  } finally {
    await Promise.all(prestarted.map((w) => w.terminate()));
  }
}

async function scanEntries(
  opts: ScanOptions,
  t0: number,
  ruleSet: RuleSet,
  entries: ReturnType<typeof walk>,
  cache: ScanCache | undefined,
  prestarted: Worker[],
  wanted: number,
  entry: string | undefined,
): Promise<ScanResult> {
  let tp = t0;
  const rules = ruleSet.rules;
  const reports: FileReport[] = [];
  const summaries: FileSummary[] = [];
  const jobs: Job[] = [];
  const hashes: string[] = [];
  const sources = entries.filter((e) => !e.skip);
  let done = 0;
  const total = sources.length;
  const tick = (): void => {
    done++;
    opts.onProgress?.(done, total);
  };
  const pending: Array<{ e: (typeof entries)[number]; hash: string; buf: Buffer }> = [];
  for (const e of entries) {
    if (e.skip) {
      reports.push({ file: e.rel, state: e.skip, language: e.lang, detail: e.detail });
      continue;
    }
    let buf: Buffer;
    try {
      buf = readFileSync(e.abs);
    } catch (err) {
      reports.push({ file: e.rel, state: 'unreadable', language: e.lang, detail: (err as NodeJS.ErrnoException).code });
      tick();
      continue;
    }
    if (isBinary(buf)) {
      reports.push({ file: e.rel, state: 'binary', language: e.lang });
      tick();
      continue;
    }
    pending.push({ e, hash: contentHash(buf), buf });
  }

  tp = phase(`walk, read and hash ${pending.length} files`, tp);
  // An unchanged tree: every path and content hash as last time, so the resolved
  // findings of last time are still right.
  const treeKey = createHash('sha256')
    .update(pending.map((p) => `${p.e.rel}\0${p.hash}`).join('\n'))
    .digest('hex');
  const whole = cache?.getTree<TreeEntry>(treeKey);
  if (whole) {
    for (const p of pending) {
      const info = whole.files[p.e.rel];
      reports.push({ file: p.e.rel, state: 'cached', language: p.e.lang, lines: info?.lines, parseErrors: info?.parseErrors });
      tick();
    }
    return finish(opts, t0, whole.findings, reports, rules, 0, whole.files);
  }

  for (const { e, hash, buf } of pending) {
    const hit = cache?.get(hash, e.rel);
    if (hit) {
      summaries.push(hit);
      reports.push({ file: e.rel, state: 'cached', language: e.lang, lines: hit.lines, parseErrors: hit.parseErrors });
      tick();
      continue;
    }
    hashes[jobs.length] = hash;
    jobs.push({ index: jobs.length, file: e.rel, text: buf.toString('latin1'), lang: e.lang! });
  }

  tp = phase(`cache lookups (${summaries.length} hits)`, tp);
  let extracted: Array<FileSummary | undefined>;
  let workersUsed = 0;
  const failures: Failure[] = [];
  const texts: string[] = [];
  if (entry && jobs.length > 1) {
    workersUsed = Math.min(wanted, jobs.length);
    extracted = await runPool(jobs, rules, workersUsed, entry, tick, failures, texts, prestarted.splice(0));
  } else {
    extracted = jobs.map((j) => {
      try {
        return extractFile(j.file, j.text, j.lang, rules);
      } catch (err) {
        failures.push({ index: j.index, error: err instanceof Error ? err.message : String(err) });
        return undefined;
      } finally {
        tick();
      }
    });
  }
  for (const f of failures) reports.push({ file: jobs[f.index].file, state: 'failed', language: jobs[f.index].lang, detail: f.error });
  tp = phase(`extract ${jobs.length} files on ${workersUsed} workers (main thread: ${Math.round(jsonMillis)} ms parsing summaries)`, tp);
  const packed = new Map<string, string>();
  extracted.forEach((s, i) => {
    if (!s) return;
    if (cache) packed.set(hashes[i], texts[i] ?? JSON.stringify(s));
    relabel(s, jobs[i].file);
    summaries.push(s);
    reports.push({ file: s.file, state: 'scanned', language: s.language, lines: s.lines, parseErrors: s.parseErrors });
  });

  cache?.putAll([...packed]);
  tp = phase('cache writes', tp);
  const all = [...summaries.flatMap((s) => s.findings), ...resolve(summaries, rules)].sort(compare);
  tp = phase('resolve', tp);
  const fileInfo: TreeEntry['files'] = {};
  for (const s of summaries) fileInfo[s.file] = { lines: s.lines, parseErrors: s.parseErrors };
  // A tree with failed files is not remembered whole: they are retried next time.
  if (failures.length === 0) cache?.putTree(treeKey, { findings: all, files: fileInfo } satisfies TreeEntry);
  tp = phase('whole-tree cache write', tp);
  return finish(opts, t0, all, reports, rules, workersUsed, fileInfo);
}

interface TreeEntry {
  findings: Finding[];
  files: Record<string, { lines: number; parseErrors: number }>;
}

function finish(opts: ScanOptions, t0: number, all: Finding[], reports: FileReport[], rules: Rule[], workersUsed: number, files: TreeEntry['files']): ScanResult {
  let findings = all;
  if (opts.ruleIds && opts.ruleIds.length > 0) findings = findings.filter((f) => opts.ruleIds!.includes(f.ruleId));
  if (opts.categories && opts.categories.length > 0) findings = findings.filter((f) => opts.categories!.includes(f.category));
  reports.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));

  const summary: ScanSummary = {
    files: reports.length,
    scanned: reports.filter((r) => r.state === 'scanned').length,
    cached: reports.filter((r) => r.state === 'cached').length,
    skipped: {},
    lines: Object.values(files).reduce((n, f) => n + f.lines, 0),
    filesWithParseErrors: Object.values(files).filter((f) => f.parseErrors > 0).length,
    findings: findings.length,
    byCategory: Object.create(null),
    byRule: Object.create(null),
    byFile: Object.create(null),
    recovered: findings.filter((f) => f.recovered).length,
    workers: workersUsed,
    millis: 0,
  };
  for (const r of reports) if (r.state !== 'scanned' && r.state !== 'cached') summary.skipped[r.state] = (summary.skipped[r.state] ?? 0) + 1;
  for (const f of findings) {
    summary.byCategory[f.category] = (summary.byCategory[f.category] ?? 0) + 1;
    summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1;
    summary.byFile[f.file] = (summary.byFile[f.file] ?? 0) + 1;
  }
  summary.millis = Math.round(performance.now() - t0);
  return { findings, files: reports, summary, rules };
}
