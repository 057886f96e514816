/*
 * Runs xenoport.pipeline.yaml like a build system.
 *
 * Each stage is a pure function of (its configuration, the files its `inputs`
 * globs select in the source tree, the rule set or ABI it uses, the tool
 * version): it returns copies, new files and edits against ORIGINAL source bytes.
 * A stage's key hashes exactly those things; a stage whose key has a cached result
 * is not run, and --explain says which component changed when one is.
 * The output tree is the source tree, plus the stages' copies and new files,
 * with every stage's edits applied together (overlaps are errors naming both
 * rules). Its key hashes all stage keys and all source hashes; when it equals the
 * key in the current tree's manifest and the tree is untouched, nothing is written.
 * The source tree is only ever read.
 */
import { existsSync, realpathSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { PipelineError, RewriteError } from '../errors.js';
import { applyEdits } from './apply.js';
import type { PipelineConfig, PteUpdates, StageConfig } from './config.js';
import { unifiedDiffs, type DiffInput } from './diff.js';
import { checkTree, collectLeftovers, readManifest, writeTreeAtomically, type Manifest, type ManifestEdit, type OutputFile } from './materialize.js';
import { runStage, type ScanFn, type StageResult } from './stages.js';
import { hashDir, listFiles, sha256, SourceTree, type StatCache } from './tree.js';
import type { Edit, RewriteMode } from './types.js';
import { TOOL_VERSION } from './version.js';
import { guestFilesHash } from '../xen-abi/index.js';
import { xenDriversHash } from './xen-drivers.js';
import { readCacheJson, writeCacheJson } from '../cache-file.js';

export interface RunOptions {
  dryRun?: boolean;
  force?: boolean;
  /** Overrides every rewrite stage's mode (xenify --mode). */
  mode?: RewriteMode;
  /** Overrides the pipeline file's pte-updates (xenify --pte-updates). */
  pteUpdates?: PteUpdates;
  scan?: ScanFn;
  /** Produce the unified diff of source → output (for --diff). */
  diff?: boolean;
  /** Test hook passed to the atomic writer. */
  onStep?: (step: string) => void;
}

export interface StageReport {
  name: string;
  kind: string;
  step?: number;
  ran: boolean;
  /** Why it ran (or would run), or why it was skipped. */
  reasons: string[];
  summary: string;
  notes: string[];
  edits: number;
  ms: number;
}

export interface RunReport {
  output: string;
  stages: StageReport[];
  /** True when the output tree was (or, with dryRun, would be) replaced. */
  changed: boolean;
  reasons: string[];
  files: number;
  edits: number;
  diff?: string;
  manifest?: Manifest;
  /** The key of the tree this run generates (what its manifest records), once every stage's key is known. */
  treeKey?: string;
}

interface Components {
  version: string;
  config: string;
  inputs: Record<string, string>;
  extra: Record<string, string>;
}

interface CacheState {
  stat: StatCache;
  stages: Record<string, { key: string; components: Components; summary?: { text: string; notes: string[]; edits: number } }>;
}

function cacheFile(config: PipelineConfig): string {
  return path.join(config.cache, `pipeline-${sha256(config.file).slice(0, 12)}.json`);
}

/** Version of the cached state's and stage results' shapes (bump on any change). */
const CACHE_FORMAT = 2;

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isState = (x: unknown): boolean => isObject(x) && isObject(x.stat) && isObject(x.stages);
const isStageResult = (x: unknown): boolean =>
  isObject(x) && Array.isArray(x.copies) && isObject(x.files) && Array.isArray(x.edits) && Array.isArray(x.notes) && typeof x.summary === 'string';

/** The cached state, or an empty one when it is missing or fails its check. */
function readCache(config: PipelineConfig): CacheState {
  return readCacheJson<CacheState>(cacheFile(config), 'pipeline-state', CACHE_FORMAT, isState) ?? { stat: {}, stages: {} };
}

function readStageResult(file: string): StageResult | undefined {
  return readCacheJson<StageResult>(file, 'stage-result', CACHE_FORMAT, isStageResult);
}

/** Hash of every file under a directory (rule sets). */
function stageConfigHash(stage: StageConfig, mode: RewriteMode | undefined): string {
  const { line: _line, ...rest } = stage;
  return sha256(JSON.stringify({ ...rest, mode: stage.kind === 'rewrite' ? (mode ?? stage.mode) : stage.mode }));
}

function explain(prev: Components | undefined, now: Components): string[] {
  if (!prev) return ['no previous run recorded'];
  const why: string[] = [];
  if (prev.version !== now.version) why.push(`tool version changed (${prev.version} -> ${now.version})`);
  if (prev.config !== now.config) why.push('stage definition changed in the pipeline file');
  for (const [k, v] of Object.entries(now.extra)) if (prev.extra[k] !== v) why.push(`${k} changed`);
  const changed: string[] = [];
  for (const [f, h] of Object.entries(now.inputs)) {
    if (!(f in prev.inputs)) changed.push(`added ${f}`);
    else if (prev.inputs[f] !== h) changed.push(`changed ${f}`);
  }
  for (const f of Object.keys(prev.inputs)) if (!(f in now.inputs)) changed.push(`removed ${f}`);
  if (changed.length) why.push(`inputs: ${changed.slice(0, 6).join(', ')}${changed.length > 6 ? ` (+${changed.length - 6} more)` : ''}`);
  return why.length ? why : ['cached result missing'];
}

/** Runs (or with dryRun, plans) the pipeline. Throws PipelineError / RewriteError. */
export async function runPipeline(config: PipelineConfig, options: RunOptions = {}): Promise<RunReport> {
  if (options.pteUpdates) config = { ...config, pteUpdates: options.pteUpdates };
  if (!existsSync(config.source)) throw new PipelineError(`source tree ${config.source} does not exist`, { span: { file: config.file, line: 1, col: 1 } });
  const state = readCache(config);
  const tree = new SourceTree(config.source, state.stat);
  const newState: CacheState = { stat: {}, stages: {} };
  const reports: StageReport[] = [];
  const results: Array<{ stage: StageConfig; result?: StageResult; file?: string }> = [];
  const abiHash = guestFilesHash();
  const driversHash = xenDriversHash();

  for (const stage of config.stages) {
    const t0 = performance.now();
    const match = picomatch(stage.inputs, { dot: true });
    const inputs: Record<string, string> = {};
    for (const f of tree.files) if (match(f)) inputs[f] = tree.hash(f);
    const extra: Record<string, string> = {};
    if (stage.kind === 'rewrite') extra['rule set'] = hashDir(stage.rules ?? config.rules);
    if (config.scan || config.defines.length) extra['scan scope'] = sha256(JSON.stringify([config.scan, config.defines]));
    if (stage.kind === 'minimal-os' || stage.kind === 'rewrite') extra['Xen ABI guest files (src/xen-abi/generated)'] = abiHash;
    if (stage.kind === 'minimal-os' || stage.kind === 'makefiles') extra['Xen split-driver front ends (src/rewrite/guest)'] = driversHash;
    if (stage.kind === 'makefiles' || stage.kind === 'rewrite') extra['pte-updates'] = config.pteUpdates;
    const components: Components = { version: TOOL_VERSION, config: stageConfigHash(stage, options.mode), inputs, extra };
    const key = sha256(JSON.stringify([stage.kind, components]));
    newState.stages[stage.name] = { key, components };
    const resultFile = path.join(config.cache, 'stages', `${stage.name}-${key.slice(0, 24)}.json`);
    let reasons: string[];
    const prevSummary = state.stages[stage.name]?.key === key ? state.stages[stage.name]?.summary : undefined;
    const cached = existsSync(resultFile) && prevSummary !== undefined;
    if (cached) reasons = ['up to date (inputs, rules and tool version unchanged)'];
    else reasons = explain(state.stages[stage.name]?.components, components);
    if (cached) {
      // Parsed only if the tree must be composed (not on a no-op run).
      results.push({ stage, file: resultFile });
      newState.stages[stage.name].summary = prevSummary;
      reports.push({ name: stage.name, kind: stage.kind, step: stage.step, ran: false, reasons, summary: prevSummary.text, notes: prevSummary.notes, edits: prevSummary.edits, ms: Math.round(performance.now() - t0) });
      continue;
    }
    if (options.dryRun) {
      reports.push({ name: stage.name, kind: stage.kind, step: stage.step, ran: true, reasons, summary: 'would run', notes: [], edits: 0, ms: 0 });
      continue;
    }
    const result = await runStage({ config, stage, tree, scan: options.scan, mode: options.mode });
    writeCacheJson(resultFile, 'stage-result', CACHE_FORMAT, result);
    newState.stages[stage.name].summary = { text: result.summary, notes: result.notes, edits: result.edits.length };
    results.push({ stage, result });
    reports.push({
      name: stage.name,
      kind: stage.kind,
      step: stage.step,
      ran: true,
      reasons,
      summary: result.summary,
      notes: result.notes,
      edits: result.edits.length,
      ms: Math.round(performance.now() - t0),
    });
  }

  // The whole tree's key: every stage key and every source file's hash.
  const allHashes = tree.files.map((f) => `${f}\0${tree.hash(f)}`).join('\n');
  const treeKey = sha256(JSON.stringify([TOOL_VERSION, config.target, Object.values(newState.stages).map((s) => s.key), sha256(allHashes), ...(config.guard ? [config.guard] : [])]));
  newState.stat = tree.stats;

  // The tree the output link names now (another run may swap the link meanwhile).
  const liveDir = existsSync(config.output) ? realpathSync(config.output) : null;
  const current = liveDir ? readManifest(liveDir) : null;
  const outReasons: string[] = [];
  if (!current || !liveDir) outReasons.push('no generated tree at the output path');
  else {
    if (current.treeKey !== treeKey) outReasons.push('the generated tree is out of date');
    const check = checkTree(liveDir, current);
    if (check.modified.length || check.added.length) outReasons.push(`hand edits in the generated tree (${[...check.modified, ...check.added].slice(0, 3).join(', ')})`);
    if (check.missing.length) outReasons.push(`files missing from the generated tree (${check.missing.slice(0, 3).join(', ')})`);
  }
  const changed = outReasons.length > 0;

  if (options.dryRun && reports.some((r) => r.ran)) {
    return { output: config.output, stages: reports, changed: true, reasons: outReasons.length ? outReasons : ['stages would run'], files: 0, edits: 0, treeKey };
  }

  if (!changed && !options.diff) {
    // Nothing to write: no need to compose the tree.
    if (!options.dryRun) {
      writeCacheJson(cacheFile(config), 'pipeline-state', CACHE_FORMAT, newState);
      collectLeftovers(config.output);
    }
    const edits = Object.values(current?.files ?? {}).reduce((n, f) => n + f.edits.length, 0);
    return { output: config.output, stages: reports, changed, reasons: outReasons, files: Object.keys(current?.files ?? {}).length, edits, manifest: current ?? undefined, treeKey };
  }
  // A cached result that fails its check is run again (and rewritten), never trusted.
  const loaded: Array<{ stage: StageConfig; result: StageResult }> = [];
  for (const { stage, result, file } of results) {
    let r = result ?? readStageResult(file as string);
    if (!r) {
      r = await runStage({ config, stage, tree, scan: options.scan, mode: options.mode });
      if (!options.dryRun) writeCacheJson(file as string, 'stage-result', CACHE_FORMAT, r);
    }
    loaded.push({ stage, result: r });
  }
  const skipped: string[] = [];
  const files = composeTree(config, tree, loaded, skipped);
  if (skipped.length) reports.push({ name: 'compose', kind: 'compose', ran: true, reasons: ['edits of every stage applied together'], summary: `${skipped.length} edit(s) left out: they overlap another edit`, notes: skipped, edits: 0, ms: 0 });
  const edits = [...files.values()].reduce((n, f) => n + f.edits.length, 0);
  let diff: string | undefined;
  if (options.diff) diff = diffOf(config, tree, files);
  let manifest = current ?? undefined;
  if (changed && !options.dryRun) {
    manifest = writeTreeAtomically({
      output: config.output,
      treeKey,
      tool: TOOL_VERSION,
      source: config.source,
      pipeline: config.file,
      files,
      force: options.force,
      onStep: options.onStep,
    });
  }
  if (!options.dryRun) {
    writeCacheJson(cacheFile(config), 'pipeline-state', CACHE_FORMAT, newState);
    if (!changed) collectLeftovers(config.output);
  }
  return { output: config.output, stages: reports, changed, reasons: outReasons, files: files.size, edits, diff, manifest, treeKey };
}

/** Source tree + copies + new files, with all edits applied against original bytes. */
export function composeTree(config: PipelineConfig, tree: SourceTree, results: Array<{ stage: StageConfig; result: StageResult }>, skipped: string[] = []): Map<string, OutputFile> {
  const origin = new Map<string, { from?: string; generated?: string; text?: string }>();
  for (const f of tree.files) origin.set(f, { from: f });
  for (const { stage, result } of results) {
    for (const c of result.copies) {
      if (!tree.has(c.from)) throw new PipelineError(`stage ${stage.name} copies ${c.from}, which is not in the source tree`, { span: { file: config.file, line: stage.line, col: 1 } });
      origin.set(c.to, { from: c.from });
    }
    for (const [rel, text] of Object.entries(result.files)) {
      const prev = origin.get(rel);
      if (prev?.generated) throw new PipelineError(`stages ${prev.generated} and ${stage.name} both generate ${rel}`, { span: { file: config.file, line: stage.line, col: 1 } });
      origin.set(rel, { generated: stage.name, text });
    }
  }
  const byFile = new Map<string, Edit[]>();
  for (const { result } of results) {
    for (const e of result.edits) {
      const list = byFile.get(e.file) ?? [];
      list.push(e);
      byFile.set(e.file, list);
    }
  }
  const out = new Map<string, OutputFile>();
  for (const [rel, o] of origin) {
    const edits = byFile.get(rel) ?? [];
    byFile.delete(rel);
    if (o.generated !== undefined) {
      if (edits.length) throw new RewriteError(`edits target ${rel}, which stage ${o.generated} generates: ${edits.map((e) => e.ruleId).join(', ')}`);
      out.set(rel, { content: Buffer.from(o.text as string, 'latin1'), generatedBy: o.generated, edits: [] });
      continue;
    }
    const before = tree.read(o.from as string);
    const applied = edits.length ? applyEdits(rel, before, edits, config.guard) : null;
    for (const n of applied?.skipped ?? []) skipped.push(n);
    const medits: ManifestEdit[] = (applied?.applied ?? []).map((e) => ({
      ruleId: e.ruleId,
      kind: e.kind,
      where: e.where,
      startByte: e.startByte,
      endByte: e.endByte,
      replacement: e.replacement,
    }));
    out.set(rel, { content: applied ? applied.after : before, regions: applied?.regions, source: o.from, sourceSha256: tree.hash(o.from as string), edits: medits });
  }
  for (const [rel, edits] of byFile) {
    throw new RewriteError(`edits target ${rel}, which is not in the output tree: ${edits.map((e) => `${e.ruleId} at ${e.where}`).slice(0, 3).join(', ')}`);
  }
  return out;
}

/** The unified diff turning the source tree into the output tree, paths prefixed with the root's name. */
export function diffOf(config: PipelineConfig, tree: SourceTree, files: Map<string, OutputFile>): string {
  const prefix = path.basename(config.source);
  const inputs: DiffInput[] = [];
  for (const [rel, f] of files) {
    const before = tree.has(rel) ? tree.read(rel) : null;
    if (before && before.equals(f.content)) continue;
    // A renamed copy (i386 -> i386-xeno) is diffed against its source: its regions apply to that.
    inputs.push({ path: `${prefix}/${rel}`, before, after: f.content, regions: before ? f.regions : undefined });
  }
  return unifiedDiffs(inputs);
}
