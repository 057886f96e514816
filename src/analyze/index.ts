/*
 * The analyze stage's public face: scanning a kernel tree for what a Xen port
 * must change, the rules that say what to look for, and the fix templates the
 * rewrite stage turns into edits.
 */
export type { Capture, Category, Edit, EditKind, Finding, FixMode, FixSpec, Rule, RuleSet, Severity, XenAction } from './types.js';
export { CATEGORIES } from './types.js';
export { loadRules, parseRuleFile, ruleSetOf } from './rules.js';
export { scan, scanSources, workerPath, TOOL_VERSION } from './scan.js';
export type { ScanOptions, ScanResult, ScanSummary, FileReport, FileState } from './scan.js';
export { expandTemplate, findingToEdit, applyEdits, templateFor } from './fix.js';
export { planEdits, includeAt, DEFAULT_INCLUDE, ASM_MARKER, type Plan, type PlanNote, type PlanOptions, type PlannedEdit, type RuleMode } from './edit-plan.js';
export { applyEditsToText, composeNested, orderEdits, type ApplyOptions, type ApplyResult, type ChangedRegion } from './edit-apply.js';
export { runRuleTests } from './ruletest.js';
export type { RuleTestResult, Outcome } from './ruletest.js';
export { normalizeC } from './normalize.js';
export { scanAsm } from './asm.js';
export { SourceText } from './source.js';
export { formatText, formatJson, formatSarif, formatSummary, formatGcc, formatGithub, notAnalysed } from './report/index.js';
export { RULES_DIR, DEFAULT_SCAN_PATH } from './paths.js';
export { displayPath } from './walk.js';
export { addFingerprints, readBaseline, exportRevision, FINGERPRINT_KEY } from './baseline.js';
export { parseSuppressions, applySuppressions, type Suppression, type SuppressedFinding, type SuppressionWarning } from './suppress.js';
export {
  AUDIT_FILE,
  AUDIT_STATUSES,
  auditView,
  emptyAudit,
  isOpen,
  matchFingerprint,
  parseAudit,
  readAudit,
  setAuditStatus,
  staleWarnings,
  updateAudit,
  writeAudit,
  type Audit,
  type AuditEntry,
  type AuditStatus,
  type AuditView,
  type FindingAudit,
} from './audit.js';
