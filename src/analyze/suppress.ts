/*
 * Inline suppressions, the way ast-grep-ignore, nosemgrep and NOLINT work: a comment
 *
 *     xenoport-ignore: RULE[,RULE...] reason      the finding on this line or the next
 *     xenoport-ignore-file: RULE[,RULE...] reason every finding of RULE in this file
 *
 * RULE is a rule id or a category. The comments are read when a file is extracted
 * (so they are cached with its summary) and applied after the tree-wide resolution:
 * a suppressed finding leaves the findings (and so the exit code, the rewrite and
 * xenify) but is kept, with its reason, for the reports. A suppression that
 * suppresses nothing, or names no rule, is a warning: it is stale or misspelt.
 */
import type { Finding, Rule } from './types.js';

export interface Suppression {
  /** 1-based line of the comment. */
  line: number;
  /** Rule ids or categories. */
  rules: string[];
  reason: string;
  scope: 'line' | 'file';
}

export interface SuppressedFinding extends Finding {
  suppression: { reason: string; line: number; scope: 'line' | 'file' };
}

export interface SuppressionWarning {
  file: string;
  line: number;
  message: string;
}

export const SUPPRESS_MARKER = 'xenoport-ignore';
const PATTERN = /(?:\/\*|\/\/|#|^\s*\*)[^\n]*?\bxenoport-ignore(-file)?:[ \t]*([A-Za-z0-9_*,.-]+)[ \t]*([^\n]*)/;

/** The suppression comments of a file's text (Latin-1), in line order. */
export function parseSuppressions(text: string): Suppression[] | undefined {
  let at = text.indexOf(SUPPRESS_MARKER);
  if (at < 0) return undefined;
  const out: Suppression[] = [];
  let line = 1;
  let counted = 0;
  while (at >= 0) {
    const start = text.lastIndexOf('\n', at) + 1;
    let end = text.indexOf('\n', at);
    if (end < 0) end = text.length;
    for (let i = text.indexOf('\n', counted); i >= 0 && i < start; i = text.indexOf('\n', i + 1)) line++;
    counted = start;
    const m = PATTERN.exec(text.slice(start, end));
    if (m) {
      const reason = m[3]!.replace(/\s*\*\/.*$/, '').trim();
      out.push({ line, rules: m[2]!.split(',').filter(Boolean), reason, scope: m[1] ? 'file' : 'line' });
    }
    at = text.indexOf(SUPPRESS_MARKER, end);
  }
  return out.length > 0 ? out : undefined;
}

/**
 * Splits `findings` into those that stand and those a suppression covers, and
 * warns of suppressions that named no rule or covered nothing.
 */
export function applySuppressions(
  findings: Finding[],
  byFile: Record<string, { suppressions?: Suppression[] }>,
  rules: Rule[],
): { findings: Finding[]; suppressed: SuppressedFinding[]; warnings: SuppressionWarning[] } {
  const known = new Set<string>([...rules.map((r) => r.id), ...rules.map((r) => r.category)]);
  const used = new Set<Suppression>();
  const kept: Finding[] = [];
  const suppressed: SuppressedFinding[] = [];
  for (const f of findings) {
    const list = byFile[f.file]?.suppressions;
    const s = list?.find((x) => (x.scope === 'file' || x.line === f.line || x.line === f.line - 1) && x.rules.some((r) => r === f.ruleId || r === f.category));
    if (!s) {
      kept.push(f);
      continue;
    }
    used.add(s);
    suppressed.push({ ...f, suppression: { reason: s.reason, line: s.line, scope: s.scope } });
  }
  const warnings: SuppressionWarning[] = [];
  for (const [file, info] of Object.entries(byFile)) {
    for (const s of info.suppressions ?? []) {
      const unknown = s.rules.filter((r) => !known.has(r));
      if (unknown.length > 0) warnings.push({ file, line: s.line, message: `suppression names no rule or category: ${unknown.join(', ')}` });
      else if (!used.has(s)) warnings.push({ file, line: s.line, message: `unused suppression of ${s.rules.join(', ')}: nothing to suppress here` });
    }
  }
  warnings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line));
  return { findings: kept, suppressed, warnings };
}
