/*
 * Where the stages' findings come from: the scanner's run over the source tree,
 * memoized in-process by source-tree, rule and tool hashes (on disk the scanner
 * caches its own results, in the pipeline's cache directory), and the step that
 * turns a category's findings into a planned StageResult.
 */
import path from 'node:path';
import { planRewrite, type Plan, type PlanOptions } from './plan.js';
import { includeLineFor, emptyResult, mapper, sourceRel, type ScanResult, type StageInput, type StageResult } from './stage-common.js';
import { hashDir, sha256 } from './tree.js';
import type { RewriteMode } from './types.js';
import { TOOL_VERSION } from './version.js';

const memo = new Map<string, Promise<ScanResult>>();

/** Forgets in-process scan results (benchmarks measure cold runs with it). */
export function clearScanMemo(): void {
  memo.clear();
}

/** The scan of the arch tree, memoized in-process and cached on disk. */
export async function findingsFor(input: StageInput): Promise<ScanResult | null> {
  const { config, tree, scan, stage } = input;
  if (!scan) return null;
  const rulesDir = stage.rules ?? config.rules;
  // The scan covers the whole source tree, so every file keys it.
  const scope = { paths: config.scan, defines: config.defines, arch: config.arch };
  const inScope = (f: string): boolean => !config.scan || config.scan.some((p) => f === p || f.startsWith(`${p.replace(/\/$/, '')}/`));
  const key = sha256(JSON.stringify([TOOL_VERSION, config.source, hashDir(rulesDir), scope, tree.files.filter(inScope).map((f) => [f, tree.hash(f)])]));
  let p = memo.get(key);
  if (!p) {
    p = scan(config.source, rulesDir, path.join(config.cache, 'scanner'), scope);
    memo.set(key, p);
  }
  return p;
}

export function fromPlan(plan: Plan, what: string): StageResult {
  const r = emptyResult();
  r.edits = plan.edits;
  r.notes = plan.notes.map((n) => `${n.where}: ${n.ruleId}: ${n.text}`);
  const kinds = new Map<string, number>();
  for (const e of plan.edits) if (e.kind !== 'xenify') kinds.set(e.kind, (kinds.get(e.kind) ?? 0) + 1);
  const sites = [...kinds.values()].reduce((a, b) => a + b, 0);
  const detail = kinds.size > 1 ? ` (${[...kinds].map(([k, n]) => `${n} ${k}`).join(', ')})` : '';
  r.summary = `${sites} ${what}${detail}${plan.left.length ? `, ${plan.left.length} left native` : ''}`;
  return r;
}

export async function categoryStage(input: StageInput, categories: string[], mode: RewriteMode, what: string, include = true): Promise<StageResult | null> {
  const scanned = await findingsFor(input);
  if (!scanned) return null;
  const fix = new Map(scanned.rules.map((r) => [r.id, r.fix]));
  const findings = scanned.findings.filter((f) => categories.includes(f.category));
  const opts: PlanOptions = { mode, ruleModes: input.stage.ruleModes, mapPath: mapper(input.config), includeLine: includeLineFor(input.config, input.tree) };
  const plan = planRewrite(findings, (id) => fix.get(id), (file) => input.tree.read(sourceRel(input.config, file)), opts);
  if (!include) plan.edits = plan.edits.filter((e) => e.ruleId !== 'xenify/include-hypervisor-h');
  return fromPlan(plan, what);
}
