/*
 * The rewrite stage: findings → edits (plan), edits → bytes (apply), unified
 * diffs, the i386-xeno generator as a declarative pipeline with a content-hash
 * cache, and the atomic, manifest-carrying output tree.
 */
export type { Edit, EditKind, FileRewrite, RewriteMode, XenAction } from './types.js';
export { applyEdits, planEdits } from './apply.js';
export { unifiedDiff, unifiedDiffs, type DiffInput } from './diff.js';
export { planRewrite, expandTemplate, includeInsertion, type Plan, type PlanNote, type PlanOptions, type RuleMode } from './plan.js';
export { loadPipeline, parsePipeline, PIPELINE_SCHEMA, PTE_UPDATES, STAGE_KINDS, type PteUpdates, type PipelineConfig, type StageConfig, type StageKind } from './config.js';
export { runPipeline, type RunOptions, type RunReport, type StageReport } from './pipeline.js';
export { readManifest, checkTree, MANIFEST_NAME, type Manifest } from './materialize.js';
export { rewriteTree, type RewriteTreeOptions, type RewriteTreeResult } from './rewrite.js';
export { defaultScan } from './default-scan.js';
export { clearScanMemo, type ScanFn, type ScanResult as StageScanResult } from './stages.js';
export { TOOL_VERSION } from './version.js';
export { manifestSourceMap, makeLineMap } from './source-map.js';
