/*
 * The audit file: what a team decided about each finding, kept in the tree being
 * ported (xenoport-audit.yaml at the root paths are relative to) so that it is
 * reviewed and versioned with the code. One entry per finding, keyed by the
 * finding's fingerprint (baseline.ts: stable across line moves), with its rule and
 * path for a reader and a status:
 *
 *     open      still to port (what `xenoport audit init` writes)
 *     ported    done (in the generated tree, by hand, or upstream)
 *     accepted  stays as it is, with the reason why (a reason is required)
 *
 * A scan reads the file and marks each finding with its status; only open findings
 * (and findings the file does not name) make the exit status 1. An entry whose
 * fingerprint the scan no longer finds, in a file and rule the scan covered, is
 * stale: a warning at the entry's line. Writing keeps the file's comments and order
 * (yaml's Document), atomically (a temporary file renamed over).
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, LineCounter, parseDocument, type Document, type Pair, type YAMLMap } from 'yaml';
import { ScanError } from '../errors.js';
import type { Finding } from './types.js';

export const AUDIT_FILE = 'xenoport-audit.yaml';
export const AUDIT_STATUSES = ['open', 'ported', 'accepted'] as const;
export type AuditStatus = (typeof AUDIT_STATUSES)[number];

export interface AuditEntry {
  fingerprint: string;
  status: AuditStatus;
  reason?: string;
  rule: string;
  path: string;
  /** The finding's line when the entry was last written (for a reader; not matched). */
  line?: number;
  /** The entry's line in the audit file. */
  at: number;
}

export interface Audit {
  /** Absolute path of the audit file. */
  file: string;
  entries: Map<string, AuditEntry>;
  doc: Document;
}

/** The status of one finding as a report shows it. */
export interface FindingAudit {
  status: AuditStatus;
  reason?: string;
}

/** What a scan's findings look like against the audit file. */
export interface AuditView {
  /** The audit file as a report names it (relative to the root). */
  file: string;
  /** Absolute path of the audit file. */
  abs: string;
  /** By fingerprint: the finding's status (open when the file does not name it). */
  status: Map<string, FindingAudit & { at?: number }>;
  counts: Record<AuditStatus, number>;
  stale: AuditEntry[];
}

const HEADER = `xenoport audit: one entry per scan finding, keyed by its fingerprint (see docs/scan.md).
status: open (to port), ported (done), or accepted (stays; give the reason).
\`xenoport audit init\` adds every open finding; \`xenoport audit set FINGERPRINT STATUS\` changes one.
Edit freely: comments and order are kept.`;

const FINGERPRINT = /^[0-9a-f]{32}:[0-9]+$/;

function fail(file: string, text: string, lc: LineCounter, offset: number, message: string): never {
  const pos = lc.linePos(offset);
  throw new ScanError(message, { span: { file, line: pos.line, col: pos.col }, sourceLine: text.split(/\r?\n/)[pos.line - 1] ?? '' });
}

/** Parses an audit file's text; throws ScanError at file:line:col for anything malformed. */
export function parseAudit(file: string, text: string): Audit {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) fail(file, text, lc, doc.errors[0]!.pos[0], `invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`);
  const entries = new Map<string, AuditEntry>();
  if (doc.contents === null) return { file, entries, doc };
  if (!isMap(doc.contents)) fail(file, text, lc, doc.contents.range?.[0] ?? 0, 'the audit file must be a mapping with `version: 1` and `findings:`');
  const top = doc.contents;
  for (const pair of top.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : '';
    if (key !== 'version' && key !== 'findings') fail(file, text, lc, (pair.key as { range?: number[] })?.range?.[0] ?? 0, `unknown key '${key}' (expected version, findings)`);
  }
  const version = top.get('version', true) as unknown as { range?: number[] } | undefined;
  if (version !== undefined && !(isScalar(version) && Number(version.value) === 1)) fail(file, text, lc, version.range?.[0] ?? 0, 'version: must be 1');
  const findings = top.get('findings', true) as unknown;
  if (findings === undefined || findings === null || (isScalar(findings) && findings.value === null)) return { file, entries, doc };
  if (!isMap(findings)) fail(file, text, lc, (findings as { range?: number[] }).range?.[0] ?? 0, 'findings: must be a mapping from fingerprint to entry');
  for (const pair of (findings as YAMLMap).items as Pair[]) {
    const keyNode = pair.key as { value?: unknown; range?: number[] };
    const fp = String(keyNode?.value ?? '');
    const at = keyNode?.range?.[0] ?? 0;
    if (!FINGERPRINT.test(fp)) fail(file, text, lc, at, `'${fp}' is not a finding's fingerprint (32 hex digits, ':', a rank; see scan --format json)`);
    const v = pair.value;
    if (!isMap(v)) fail(file, text, lc, at, `${fp}: the entry must be a mapping with status, rule and path`);
    const field = (name: string): string | undefined => {
      const n = v.get(name, true);
      if (n === undefined) return undefined;
      if (!isScalar(n) || n.value === null || typeof n.value === 'object') fail(file, text, lc, (n as { range?: number[] }).range?.[0] ?? at, `${fp}: ${name} must be a single value`);
      return String(n.value);
    };
    for (const p of v.items) {
      const k = isScalar(p.key) ? String(p.key.value) : '';
      if (!['status', 'reason', 'rule', 'path', 'line', 'message'].includes(k)) fail(file, text, lc, (p.key as { range?: number[] })?.range?.[0] ?? at, `${fp}: unknown key '${k}' (expected status, reason, rule, path, line, message)`);
    }
    const status = field('status');
    if (!(AUDIT_STATUSES as readonly string[]).includes(status ?? '')) {
      const n = v.get('status', true) as { range?: number[] } | undefined;
      fail(file, text, lc, n?.range?.[0] ?? at, `${fp}: status must be one of ${AUDIT_STATUSES.join(', ')}${status === undefined ? '' : `, not '${status}'`}`);
    }
    const reason = field('reason')?.trim() || undefined;
    if (status === 'accepted' && !reason) fail(file, text, lc, (v.get('status', true) as { range?: number[] }).range?.[0] ?? at, `${fp}: an accepted finding needs a reason`);
    const line = field('line');
    const at1 = lc.linePos(at).line;
    entries.set(fp, { fingerprint: fp, status: status as AuditStatus, reason, rule: field('rule') ?? '', path: field('path') ?? '', line: line === undefined ? undefined : Number(line), at: at1 });
  }
  return { file, entries, doc };
}

/** Reads the audit file; undefined when there is none. */
export function readAudit(file: string): Audit | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ScanError(`cannot read the audit file ${file}: ${(err as Error).message}`);
  }
  return parseAudit(file, text);
}

/**
 * The findings' statuses, and the stale entries: those whose fingerprint no finding
 * has although `covered` says the scan looked at their path and rule.
 */
export function auditView(audit: Audit, findings: Finding[], covered: (entry: AuditEntry) => boolean, displayFile: string): AuditView {
  const status = new Map<string, FindingAudit & { at?: number }>();
  const counts: Record<AuditStatus, number> = { open: 0, ported: 0, accepted: 0 };
  for (const f of findings) {
    const e = audit.entries.get(f.fingerprint!);
    const s = e ? { status: e.status, ...(e.reason ? { reason: e.reason } : {}), at: e.at } : { status: 'open' as const };
    status.set(f.fingerprint!, s);
    counts[s.status]++;
  }
  const stale = [...audit.entries.values()].filter((e) => !status.has(e.fingerprint) && covered(e));
  return { file: displayFile, abs: audit.file, status, counts, stale };
}

/** The warnings a report shows for stale entries (at their line in the audit file). */
export function staleWarnings(view: AuditView): Array<{ file: string; line: number; message: string }> {
  return view.stale.map((e) => ({
    file: view.file,
    line: e.at,
    message: `stale audit entry ${e.fingerprint} (${e.status}, ${e.rule || '?'} in ${e.path || '?'}): the scan no longer finds it; \`xenoport audit init --prune\` removes it`,
  }));
}

/** Whether a finding counts as work left (open, or not in the audit file). */
export function isOpen(view: AuditView | undefined, f: Finding): boolean {
  return !view || (view.status.get(f.fingerprint!)?.status ?? 'open') === 'open';
}

function findingsMap(audit: Audit): YAMLMap {
  const doc = audit.doc;
  if (!isMap(doc.contents)) {
    doc.contents = doc.createNode({ version: 1, findings: {} }) as unknown as typeof doc.contents;
    doc.commentBefore = HEADER.split('\n').map((l) => ` ${l}`).join('\n');
  }
  const top = doc.contents as unknown as YAMLMap;
  if (!top.has('version')) top.items.unshift(doc.createPair('version', 1));
  let m = top.get('findings', true) as unknown;
  if (!isMap(m)) {
    m = doc.createNode({});
    top.set('findings', m);
  }
  return m as YAMLMap;
}

function setEntry(audit: Audit, fp: string, fields: Record<string, string | number | undefined>): void {
  const m = findingsMap(audit);
  let e = m.get(fp, true) as unknown;
  if (!isMap(e)) {
    e = audit.doc.createNode({});
    m.set(fp, e);
  }
  for (const [k, v] of Object.entries(fields)) {
    if (v === undefined) (e as YAMLMap).delete(k);
    else (e as YAMLMap).set(k, v);
  }
}

/** A new, empty audit (for a file that does not exist yet). */
export function emptyAudit(file: string): Audit {
  return { file, entries: new Map(), doc: parseDocument('') };
}

/**
 * Adds an open entry for every finding the audit does not name, refreshes the
 * rule, path and line of those it does, and with `prune` removes stale entries.
 * Returns the counts; `writeAudit` saves.
 */
export function updateAudit(audit: Audit, findings: Finding[], stale: AuditEntry[], prune: boolean): { added: number; pruned: number } {
  let added = 0;
  findingsMap(audit);
  for (const f of findings) {
    const known = audit.entries.has(f.fingerprint!);
    setEntry(audit, f.fingerprint!, { rule: f.ruleId, path: f.file, line: f.line, ...(known ? {} : { status: 'open', message: f.message }) });
    if (!known) added++;
  }
  if (prune) for (const e of stale) findingsMap(audit).delete(e.fingerprint);
  sortEntries(audit);
  return { added, pruned: prune ? stale.length : 0 };
}

/** Entries in path and line order, so that a diff of the file reads like the tree. */
function sortEntries(audit: Audit): void {
  const m = findingsMap(audit);
  const key = (p: Pair): [string, number] => {
    const v = p.value as YAMLMap;
    return [String(v?.get?.('path') ?? ''), Number(v?.get?.('line') ?? 0)];
  };
  m.items.sort((a, b) => {
    const [pa, la] = key(a as Pair);
    const [pb, lb] = key(b as Pair);
    return pa < pb ? -1 : pa > pb ? 1 : la - lb;
  });
}

/** Sets the status (and reason) of one entry, creating it from `finding` if the file lacks it. */
export function setAuditStatus(audit: Audit, fp: string, status: AuditStatus, reason: string | undefined, finding?: Finding): void {
  if (status === 'accepted' && !reason?.trim()) throw new ScanError('an accepted finding needs a reason (--reason)');
  const added = !audit.entries.has(fp) && finding !== undefined;
  if (added) setEntry(audit, fp, { rule: finding.ruleId, path: finding.file, line: finding.line, message: finding.message });
  setEntry(audit, fp, { status, reason: reason?.trim() || undefined });
  if (added) sortEntries(audit);
}

/** The entries whose fingerprint starts with `prefix` (a fingerprint may be shortened, as git's hashes). */
export function matchFingerprint(fps: Iterable<string>, prefix: string): string[] {
  return [...new Set(fps)].filter((fp) => fp === prefix || fp.startsWith(prefix));
}

/** Writes the audit file atomically. */
export function writeAudit(audit: Audit): void {
  const text = audit.doc.toString({ lineWidth: 0 });
  const tmp = path.join(path.dirname(audit.file), `.${path.basename(audit.file)}.tmp-${process.pid}`);
  writeFileSync(tmp, text);
  renameSync(tmp, audit.file);
}
