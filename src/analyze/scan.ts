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
import { isMainThread, type Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { ScanError } from '../errors.js';
import { extractFile, type PreparedC } from './extract.js';
import { resolve } from './resolve.js';
import { loadRules } from './rules.js';
import { ScanCache, relabel } from './cache.js';
import { readSource, type SourceRead } from './read-source.js';
import { leanJit } from './v8-inlining.js';
import { packTree, unpackTree, type FileInfo, type TreeEntry } from './tree-entry.js';
import { walk, type SkipReason, type WalkEntry } from './walk.js';
import { WorkersUnavailable, runPool, startWorker, summaryParseMillis, type Failure, type Job } from './scan-pool.js';
import { CACHE_DIR, PROJECT_ROOT } from './paths.js';
import type { FileSummary } from './summary.js';
import { packKept } from './compact.js';
import { nativeCore } from './flat-tree.js';
import { fullGc } from './full-gc.js';
import { scanOnThread } from './scan-thread.js';
import { diskTexts, memoryTexts, type SourceOrigin } from './source-texts.js';
import { cppConfig, cppKey, getCppConfig, rangeAt, setCppConfig, PORTED, type BranchRange } from './cpp-branches.js';
import type { Category, Finding, Rule, RuleSet, Severity } from './types.js';
import { addFingerprints } from './baseline.js';
import { applySuppressions, type SuppressedFinding, type SuppressionWarning } from './suppress.js';

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
  /**
   * Files are named relative to this directory (absolute when outside it), in
   * findings, reports and exclusion globs; default: each scanned path's parent.
   */
  relativeTo?: string;
  /** Honour .gitignore files (default true). */
  gitignore?: boolean;
  /** Walk hidden directories (default: no; `.git` never). */
  hidden?: boolean;
  /** Follow symlinks out of the scanned tree (default: no). */
  followSymlinks?: boolean;
  /** Threads that extract: 0 = this thread alone; N >= 2 = this thread and N - 1 workers; default: one per core. */
  workers?: number;
  /** Cache directory, or false for none; default: XENOPORT_CACHE_DIR, the project's .xenoport/cache or the user's cache directory (paths.ts). */
  cache?: string | false;
  /** Files larger than this are skipped as too-large (default 64 MiB). */
  maxFileBytes?: number;
  onProgress?: (done: number, total: number) => void;
  /** The worker script (default: the compiled worker.js); for tests and embedders. */
  workerEntry?: string;
  /**
   * The preprocessor configuration: `DNAME[=v]` / `UNAME`. Code in branches it
   * rules out, and in conditionals naming XEN (an existing port), is not scanned.
   */
  defines?: string[];
  /**
   * The architecture scanned for: its macros are defined and other
   * architectures' undefined, and directories named after another architecture
   * (amd64/, arm/, ...) and existing Xen ports (xen/) are not scanned.
   */
  arch?: string;
  /** Scan dead and ported branches too; their findings carry `branch`. No cache. */
  allBranches?: boolean;
  /** Leave out findings below this severity. */
  minSeverity?: Severity;
  /** Fingerprints of known findings (baseline.ts): only new findings are reported. */
  baseline?: Set<string>;
}

const SEVERITY_RANK: Record<Severity, number> = { note: 0, warning: 1, error: 2 };

/** Directory names of other architectures, left out of a scan for `arch`. */
const ARCH_DIRS = ['alpha', 'amd64', 'arm', 'arm64', 'ia64', 'mips', 'powerpc', 'sparc64', 'sun4v', 'pc98', 'riscv', 'aarch64', 'i386', 'x86_64'];

/** The exclusion globs of a scan for `arch`: other architectures' directories and existing Xen ports. */
export function archExcludes(arch: string): string[] {
  const others = ARCH_DIRS.filter((a) => a !== arch);
  return [`**/{${others.join(',')}}`, '**/xen'];
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
  /** Findings an xenoport-ignore comment suppressed (not in `findings`). */
  suppressed: number;
  /** With a baseline: findings left out because the baseline has them. */
  baseline?: number;
  /** Threads that extracted files (0: this thread alone, everything cached or too few files). */
  workers: number;
  millis: number;
  /** The whole tree was as last scanned, recognised by its files' stats or by their contents. */
  unchanged?: 'stat' | 'content';
}

export interface ScanResult {
  findings: Finding[];
  /** Findings xenoport-ignore comments suppressed, each with its reason. */
  suppressed: SuppressedFinding[];
  /** Suppressions that suppress nothing or name no rule. */
  warnings: SuppressionWarning[];
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

function compare(a: Finding, b: Finding): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.startByte - b.startByte || a.endByte - b.endByte || (a.ruleId < b.ruleId ? -1 : a.ruleId > b.ruleId ? 1 : 0);
}

/** Extracts and resolves in-memory files (rule tests, library users). */
export function scanSources(sources: Array<{ file: string; text: string; lang: 'c' | 'asm' }>, rules: Rule[]): Finding[] {
  const summaries = sources.map((s) => extractFile(s.file, s.text, s.lang, rules));
  const texts = memoryTexts(new Map(summaries.map((s, i) => [s, sources[i].text])));
  return [...summaries.flatMap((s) => s.findings), ...resolve(summaries, rules, texts)].sort(compare);
}

const TIMING = process.env.XENOPORT_SCAN_TIMING === '1';
/** With XENOPORT_SCAN_TIMING=1: a phase's time, and the process's memory at its end (the peak is set by what is kept). */
function phase(name: string, t: number): number {
  const now = performance.now();
  if (TIMING) {
    const m = process.memoryUsage();
    const mb = (n: number): number => Math.round(n / (1 << 20));
    process.stderr.write(`[scan] ${name}: ${Math.round(now - t)} ms (rss ${mb(m.rss)} MB, this thread's heap ${mb(m.heapUsed)}/${mb(m.heapTotal)} MB)\n`);
  }
  return now;
}

/** The compiled entry of a scan's own thread (scan-thread.ts), or undefined when running from the sources (tests). */
function threadEntry(): string | undefined {
  const here = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(here), 'scan-thread-entry.js');
  return here.endsWith('.js') && existsSync(entry) ? entry : undefined;
}

/**
 * Files from which a scan runs on its own thread (scan-thread.ts): a whole
 * sys/ has 7,000 and gains a sixth of its time; the thread's start-up (about
 * 0.2 s, its modules loaded again) would be most of a small or warm scan.
 */
const THREAD_MIN_FILES = 2000;

/** The scan's walk: every entry under the paths, the architecture's exclusions applied (see scan). */
function walkFor(opts: ScanOptions): WalkEntry[] {
  return walk(opts.paths, { exclude: opts.exclude, maxBytes: opts.maxFileBytes, relativeTo: opts.relativeTo, gitignore: opts.gitignore, hidden: opts.hidden, followSymlinks: opts.followSymlinks });
}

export async function scan(opts: ScanOptions): Promise<ScanResult> {
  const scoped: ScanOptions = {
    ...opts,
    exclude: [...(opts.exclude ?? []), ...(opts.arch ? archExcludes(opts.arch) : [])],
    cache: opts.allBranches ? false : opts.cache,
  };
  // A big scan with two threads or more: the extracting and resolving thread is a worker with a larger
  // young generation. The walk that counts the files is the scan's own when it stays here (a missing
  // path is left to the scan to report).
  const entry = isMainThread && (opts.workers ?? os.availableParallelism()) >= 2 ? threadEntry() : undefined;
  const walked = entry && opts.paths.every((p) => existsSync(p)) ? walkFor(scoped) : undefined;
  if (entry && walked && walked.filter((e) => !e.skip).length >= THREAD_MIN_FILES) return scanOnThread(entry, opts);
  const restoreJit = leanJit();
  const cpp = opts.defines || opts.arch || opts.allBranches ? cppConfig(opts.defines, { arch: opts.arch, allBranches: opts.allBranches }) : undefined;
  const before = getCppConfig();
  setCppConfig(cpp);
  try {
    return await scanWithJitSet(scoped, walked);
  } finally {
    setCppConfig(before);
    restoreJit();
  }
}

async function scanWithJitSet(opts: ScanOptions, walked?: WalkEntry[]): Promise<ScanResult> {
  const t0 = performance.now();
  const started = Date.now();
  const ruleSet = opts.rules ?? loadRules();
  const rules = ruleSet.rules;
  for (const id of opts.ruleIds ?? []) if (!rules.some((r) => r.id === id)) throw new ScanError(`no rule named '${id}' (see \`xenoport rules list\`)`);
  for (const p of opts.paths) if (!existsSync(p)) throw new ScanError(`no such file or directory: ${p}`);
  const entries = walked ?? walkFor(opts);
  const cpp = getCppConfig();
  const cache = opts.cache === false ? undefined : new ScanCache(opts.cache ?? CACHE_DIR, TOOL_VERSION, cpp ? createHash('sha256').update(ruleSet.hash + cppKey(cpp)).digest('hex') : ruleSet.hash);
  // On a cold scan, workers start (load their modules, parser and rules) while
  // this thread reads and hashes the files. With a cache, most files are likely
  // cached and workers start only if some are not.
  const wanted = opts.workers ?? Math.max(1, os.availableParallelism());
  const entry = wanted > 0 && entries.length > 1 ? (opts.workerEntry ?? workerPath()) : undefined;
  const cold = !cache || cache.isEmpty();
  const prestarted = entry && cold ? Array.from({ length: Math.min(wanted >= 2 ? wanted - 1 : wanted, entries.length) }, () => startWorker(entry, rules, wanted >= 2)) : [];
  try {
    return await scanEntries(opts, t0, started, ruleSet, entries, cache, prestarted, wanted, entry);
  } finally {
    await Promise.all(prestarted.map((w) => w.terminate()));
  }
}

async function scanEntries(
  opts: ScanOptions,
  t0: number,
  started: number,
  ruleSet: RuleSet,
  entries: WalkEntry[],
  cache: ScanCache | undefined,
  prestarted: Worker[],
  wanted: number,
  entry: string | undefined,
): Promise<ScanResult> {
  let tp = phase(`walk ${entries.length} entries`, t0);
  const rules = ruleSet.rules;
  const reports: FileReport[] = [];
  const summaries: FileSummary[] = [];
  /** Each summary's file and the hash it was extracted from: resolution reads the texts it reports from there. */
  const origins = new Map<FileSummary, SourceOrigin>();
  const sources = entries.filter((e) => !e.skip);
  for (const e of entries) if (e.skip) reports.push({ file: e.rel, state: e.skip, language: e.lang, detail: e.detail });
  let done = 0;
  const tick = (): void => {
    done++;
    opts.onProgress?.(done, sources.length);
  };
  /** Content hash of sources[i] once read (undefined: unreadable or binary). */
  const hashes: Array<string | undefined> = new Array(sources.length);
  /** Takes in a source read here or on a worker: its hash and text, or a report of why it is skipped. */
  const took = (i: number, r: SourceRead): string | undefined => {
    const e = sources[i];
    if ('skip' in r) {
      reports.push({ file: e.rel, state: r.skip, language: e.lang, detail: r.detail });
      return undefined;
    }
    hashes[i] = r.hash;
    return r.text;
  };
  const read = (i: number): string | undefined => took(i, readSource(sources[i].abs));
  // Jobs index `sources`; a job without text is read by the thread that takes it.
  const jobOf = (i: number, text?: string): Job => ({ index: i, file: sources[i].rel, abs: sources[i].abs, lang: sources[i].lang!, size: sources[i].size, text });
  let jobs: Job[] = [];
  const cold = !cache || cache.isEmpty();
  const statKey = statKeyOf(sources);
  /** Remembers that this tree, as stat sees it, has whole-tree entry `tree` (see rememberStat). */
  const rememberStat = (tree: string): void => {
    if (cache && statTrusted(sources, started)) cache.putStat(statKey, { tree, skipped: reports.filter((r) => r.state === 'binary' || r.state === 'unreadable') } satisfies StatEntry);
  };
  const known = cold ? undefined : cache.getStat<StatEntry>(statKey);
  const seen = known && cache!.getTree<TreeEntry>(known.tree);
  const seenFindings = seen ? unpackTree(seen, rules) : undefined;
  /** The answer of last time for a whole unchanged tree; `readable`: the sources it covers. */
  const fromWholeTree = (entry: TreeEntry, findings: Finding[], how: 'stat' | 'content', readable: (i: number) => boolean): ScanResult => {
    sources.forEach((e, i) => {
      if (!readable(i)) return;
      const info = entry.files[e.rel];
      reports.push({ file: e.rel, state: 'cached', language: e.lang, lines: info?.lines, parseErrors: info?.parseErrors });
      tick();
    });
    phase(`tree unchanged (by ${how})`, tp);
    return finish(opts, t0, findings, reports, rules, 0, entry.files, sources, how);
  };
  if (known && seen && seenFindings) {
    // Every source has the size, inode, mtime and ctime it had: nothing to read.
    reports.push(...known.skipped);
    return fromWholeTree(seen, seenFindings, 'stat', (i) => seen.files[sources[i].rel] !== undefined);
  }
  if (cold) {
    // Nothing can be cached: no need to read everything before the workers start.
    jobs = sources.map((_, i) => jobOf(i));
  } else {
    const texts = sources.map((_, i) => read(i));
    for (let i = 0; i < sources.length; i++) if (texts[i] === undefined) tick();
    tp = phase(`walk, read and hash ${sources.length} files`, tp);
    // An unchanged tree: every path and content hash as last time, so the resolved
    // findings of last time are still right.
    const treeKey = treeKeyOf(sources, hashes);
    const whole = cache.getTree<TreeEntry>(treeKey);
    const wholeFindings = whole ? unpackTree(whole, rules) : undefined;
    if (whole && wholeFindings) {
      rememberStat(treeKey);
      return fromWholeTree(whole, wholeFindings, 'content', (i) => texts[i] !== undefined);
    }
    sources.forEach((e, i) => {
      if (texts[i] === undefined) return;
      const hit = cache.get(hashes[i]!, e.rel);
      if (!hit) return void jobs.push(jobOf(i, texts[i]));
      summaries.push(packKept(hit));
      origins.set(hit, { abs: e.abs, hash: hashes[i]! });
      reports.push({ file: e.rel, state: 'cached', language: e.lang, lines: hit.lines, parseErrors: hit.parseErrors });
      tick();
    });
    tp = phase(`cache lookups (${summaries.length} hits)`, tp);
  }

  const unreadable = new Set<number>();
  const accept = (j: Job, r: SourceRead): boolean => {
    if (unreadable.has(j.index)) return false;
    j.text = took(j.index, r);
    if (j.text === undefined) unreadable.add(j.index);
    return j.text !== undefined;
  };
  const load = (j: Job): boolean => accept(j, readSource(j.abs));
  const extracted = new Map<number, FileSummary>();
  let workersUsed = 0;
  const failures: Failure[] = [];
  /** Summaries go to the cache's packs as they are made, not kept as JSON until the end. */
  const packs = cache?.packWriter();
  let inThread = !(entry && jobs.length > 1);
  if (!inThread) {
    // With two threads or more, this one extracts too, beside wanted - 1 workers.
    const withMain = wanted >= 2;
    const workerCount = Math.min(withMain ? wanted - 1 : wanted, jobs.length);
    workersUsed = workerCount + (withMain ? 1 : 0);
    // This thread's summaries get their cache text here, in the parallel part of the scan.
    const local = withMain
      ? (j: Job, prepared?: PreparedC): FileSummary => {
          const s = extractFile(j.file, j.text!, j.lang, rules, prepared);
          packs?.add(hashes[j.index]!, JSON.stringify(s));
          return packKept(s);
        }
      : undefined;
    try {
      const results = await runPool(jobs, rules, workerCount, entry!, { progress: tick, load, accept, local, summaryText: (j, json) => packs?.add(hashes[j.index]!, json) }, failures, prestarted.splice(0));
      for (const j of jobs) if (results[j.index]) extracted.set(j.index, packKept(results[j.index]!));
      // Emptied, not left to go out of scope: this async function's frame kept the list, and with it
      // every summary (300 MB on a whole sys/), alive until the scan returned.
      results.length = 0;
    } catch (err) {
      if (!(err instanceof WorkersUnavailable)) throw err;
      process.emitWarning(`scan workers cannot run (${err.message}); extracting in the main thread`);
      [workersUsed, inThread, done] = [0, true, 0];
      failures.length = 0;
    }
  }
  if (inThread) {
    for (const j of jobs) {
      try {
        if (j.text === undefined && !load(j)) continue;
        const s = extractFile(j.file, j.text!, j.lang, rules);
        packs?.add(hashes[j.index]!, JSON.stringify(s));
        extracted.set(j.index, packKept(s));
      } catch (err) {
        failures.push({ index: j.index, error: err instanceof Error ? err.message : String(err) });
      } finally {
        tick();
      }
    }
  }
  for (const f of failures) reports.push({ file: sources[f.index].rel, state: 'failed', language: sources[f.index].lang, detail: f.error });
  tp = phase(`${cold ? 'read, hash and ' : ''}extract ${jobs.length} files on ${workersUsed} workers (main thread: ${Math.round(summaryParseMillis())} ms parsing summaries)`, tp);
  for (const [i, s] of [...extracted].sort((a, b) => a[0] - b[0])) {
    relabel(s, sources[i].rel);
    summaries.push(s);
    origins.set(s, { abs: sources[i].abs, hash: hashes[i]! });
    reports.push({ file: s.file, state: 'scanned', language: s.language, lines: s.lines, parseErrors: s.parseErrors });
  }

  packs?.commit();
  // The parsers' freed memory, left in the C heap's arenas, goes back before resolution grows the JS heap.
  nativeCore()?.trim();
  // What extraction left behind goes before resolution allocates (full-gc.ts): only after a real extraction.
  if (extracted.size > 0) fullGc();
  tp = phase('cache writes and a collection', tp);
  const all = [...summaries.flatMap((s) => s.findings), ...resolve(summaries, rules, diskTexts(origins))].sort(compare);
  tagBranches(all, summaries);
  tp = phase('resolve', tp);
  const fileInfo: Record<string, FileInfo> = {};
  for (const s of summaries) fileInfo[s.file] = s.suppressions ? { lines: s.lines, parseErrors: s.parseErrors, suppressions: s.suppressions } : { lines: s.lines, parseErrors: s.parseErrors };
  // The summaries are done with: a caller that goes on (xenify composing its output tree) starts from a small heap.
  const wasExtracted = extracted.size > 0;
  summaries.length = 0;
  origins.clear();
  extracted.clear();
  if (wasExtracted) fullGc();
  // A tree with failed files is not remembered whole: they are retried next time.
  if (failures.length === 0) {
    const treeKey = treeKeyOf(sources, hashes);
    cache?.putTree(treeKey, packTree(all, fileInfo));
    rememberStat(treeKey);
  }
  tp = phase('whole-tree cache write', tp);
  return finish(opts, t0, all, reports, rules, workersUsed, fileInfo, sources);
}

/** With every branch kept: marks the findings that lie in dead or ported code. */
function tagBranches(findings: Finding[], summaries: FileSummary[]): void {
  const byFile = new Map<string, BranchRange[]>();
  for (const s of summaries) if (s.branches && s.branches.length > 0) byFile.set(s.file, s.branches);
  if (byFile.size === 0) return;
  for (const f of findings) {
    const r = byFile.get(f.file);
    const k = r ? rangeAt(r, f.startByte) : undefined;
    if (k !== undefined) f.branch = k === PORTED ? 'ported' : 'dead';
  }
}

interface StatEntry {
  /** The whole-tree key of the tree these stats were seen with. */
  tree: string;
  /** Sources that were binary or unreadable then. */
  skipped: FileReport[];
}

/** The tree as stat sees it: every source's path, size, inode, mtime and ctime. */
function statKeyOf(sources: WalkEntry[]): string {
  return createHash('sha256')
    .update(sources.map((e) => `${e.rel}\0${e.stat}`).join('\n'))
    .digest('hex');
}

/**
 * Stats are trusted only for files last changed well before the scan began: a
 * file written again within the clock's granularity of its first write could
 * keep its stats with new contents (the "racy" case version control knows).
 */
const RACY_MILLIS = 2000;
function statTrusted(sources: WalkEntry[], started: number): boolean {
  return sources.every((e) => e.changed !== undefined && e.changed < started - RACY_MILLIS);
}

/** The whole tree's key: every readable source's path and content hash, in walk order. */
function treeKeyOf(sources: WalkEntry[], hashes: Array<string | undefined>): string {
  return createHash('sha256')
    .update(
      sources
        .map((e, i) => (hashes[i] === undefined ? undefined : `${e.rel}\0${hashes[i]}`))
        .filter((x) => x !== undefined)
        .join('\n'),
    )
    .digest('hex');
}

function finish(
  opts: ScanOptions,
  t0: number,
  all: Finding[],
  reports: FileReport[],
  rules: Rule[],
  workersUsed: number,
  files: Record<string, FileInfo>,
  sources: WalkEntry[],
  unchanged?: ScanSummary['unchanged'],
): ScanResult {
  const applied = applySuppressions(all, files, rules);
  let findings = applied.findings;
  let suppressed = applied.suppressed;
  if (opts.ruleIds && opts.ruleIds.length > 0) suppressed = suppressed.filter((f) => opts.ruleIds!.includes(f.ruleId));
  if (opts.categories && opts.categories.length > 0) suppressed = suppressed.filter((f) => opts.categories!.includes(f.category));
  if (opts.ruleIds && opts.ruleIds.length > 0) findings = findings.filter((f) => opts.ruleIds!.includes(f.ruleId));
  if (opts.categories && opts.categories.length > 0) findings = findings.filter((f) => opts.categories!.includes(f.category));
  if (opts.minSeverity) {
    const least = SEVERITY_RANK[opts.minSeverity];
    findings = findings.filter((f) => SEVERITY_RANK[f.severity] >= least);
    suppressed = suppressed.filter((f) => SEVERITY_RANK[f.severity] >= least);
  }
  // Fingerprints need the matched text: only the files with findings are read.
  const absOf = new Map(sources.map((e) => [e.rel, e.abs]));
  const source = (file: string): string | undefined => {
    try {
      return readFileSync(absOf.get(file) ?? file).toString('latin1');
    } catch {
      return undefined;
    }
  };
  addFingerprints([...findings, ...suppressed].sort(compare), source);
  let inBaseline = 0;
  if (opts.baseline) {
    const known = opts.baseline;
    const before = findings.length;
    findings = findings.filter((f) => !known.has(f.fingerprint!));
    inBaseline = before - findings.length;
    suppressed = suppressed.filter((f) => !known.has(f.fingerprint!));
  }
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
    suppressed: suppressed.length,
    ...(opts.baseline ? { baseline: inBaseline } : {}),
    workers: workersUsed,
    millis: 0,
    unchanged,
  };
  for (const r of reports) if (r.state !== 'scanned' && r.state !== 'cached') summary.skipped[r.state] = (summary.skipped[r.state] ?? 0) + 1;
  for (const f of findings) {
    summary.byCategory[f.category] = (summary.byCategory[f.category] ?? 0) + 1;
    summary.byRule[f.ruleId] = (summary.byRule[f.ruleId] ?? 0) + 1;
    summary.byFile[f.file] = (summary.byFile[f.file] ?? 0) + 1;
  }
  summary.millis = Math.round(performance.now() - t0);
  return { findings, suppressed, warnings: applied.warnings, files: reports, summary, rules };
}
