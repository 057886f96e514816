/*
 * The text report: findings grouped by file, each with the rule id, what to
 * use under Xen instead, and a code frame whose caret underlines the exact
 * bytes (tabs expanded to 8 columns for the display only).
 */
import pc from 'picocolors';
import { displayText } from '../source.js';
import { findingToEdit } from '../fix.js';
import type { ReportInput } from './input.js';
import type { Finding } from '../types.js';

function expand(line: string, byteCol: number): { text: string; col: number } {
  let out = '';
  let col = 0;
  let at = -1;
  for (let i = 0; i < line.length; i++) {
    if (i === byteCol) at = col;
    if (line[i] === '\t') {
      const n = 8 - (col % 8);
      out += ' '.repeat(n);
      col += n;
    } else {
      out += line[i];
      col++;
    }
  }
  if (at === -1) at = col + Math.max(0, byteCol - line.length);
  return { text: out, col: at };
}

function lineOf(text: string, line: number): string {
  let start = 0;
  for (let i = 1; i < line; i++) {
    const nl = text.indexOf('\n', start);
    if (nl === -1) return '';
    start = nl + 1;
  }
  let end = text.indexOf('\n', start);
  if (end === -1) end = text.length;
  if (text[end - 1] === '\r') end--;
  return text.slice(start, end);
}

export function formatText(input: ReportInput): string {
  const c = pc.createColors(input.color ?? false);
  const rules = new Map(input.rules.map((r) => [r.id, r]));
  const sev = (f: Finding): string => (f.severity === 'error' ? c.red(c.bold('error')) : f.severity === 'warning' ? c.yellow(c.bold('warning')) : c.cyan(c.bold('note')));
  const byFile = new Map<string, Finding[]>();
  for (const f of input.findings) {
    const l = byFile.get(f.file) ?? [];
    l.push(f);
    byFile.set(f.file, l);
  }
  const out: string[] = [];
  for (const [file, list] of byFile) {
    out.push(c.bold(c.underline(`${file}`)) + c.dim(` (${list.length} finding${list.length === 1 ? '' : 's'})`));
    const text = input.source(file);
    for (const f of list) {
      const rule = rules.get(f.ruleId);
      out.push(`${sev(f)}${c.dim('[')}${c.bold(f.ruleId)}${c.dim(']')} ${c.dim(`${file}:${f.line}:${f.col}`)} ${c.dim(f.category)}${f.recovered ? c.magenta(' (recovered from a parse error)') : ''}`);
      // An audited finding that is done or accepted is one line and its status: the frames are the work left.
      const audit = input.audit?.status.get(f.fingerprint!);
      if (audit && audit.status !== 'open') {
        out.push(`  ${c.dim('=')} ${c.green(`audit: ${audit.status}`)}${audit.reason ? `: ${audit.reason}` : ''} ${c.dim(`(${f.fingerprint})`)}`, '');
        continue;
      }
      if (text !== undefined) {
        const raw = lineOf(text, f.line);
        const { text: shown, col } = expand(raw, f.col - 1);
        const endCol = f.endLine === f.line ? expand(raw, f.endCol - 1).col : shown.length;
        const width = Math.max(1, endCol - col);
        const num = String(f.line);
        const pad = ' '.repeat(num.length);
        out.push(`  ${pad} ${c.dim('|')}`);
        out.push(`  ${c.dim(num)} ${c.dim('|')} ${displayText(shown)}`);
        out.push(`  ${pad} ${c.dim('|')} ${' '.repeat(col)}${c.red('^' + (width > 1 ? '~'.repeat(width - 1) : ''))}${f.endLine > f.line ? c.dim(` (to line ${f.endLine})`) : ''}`);
      }
      const extra: string[] = [];
      if (f.instruction) extra.push(`instruction: ${f.instruction}`);
      if (f.via && f.via.length > 0) extra.push(`via: ${f.via.join(' -> ')}`);
      if (extra.length > 0) out.push(`  ${c.dim('=')} ${extra.join('   ')}`);
      out.push(`  ${c.dim('=')} ${c.green('under Xen:')} ${f.message}`);
      if (input.audit) out.push(`  ${c.dim('=')} ${c.green('audit:')} open ${c.dim(`(${f.fingerprint})`)}`);
      if (rule) {
        let fix = `${rule.fix.xen}`;
        try {
          const e = findingToEdit(f, rule, 'hypercall', text);
          if (e) fix += `: ${displayText(e.replacement)}`;
        } catch {
          /* a template this finding cannot fill: show the action only */
        }
        out.push(`  ${c.dim('=')} ${c.green('fix:')} ${fix}`);
      }
      out.push('');
    }
  }
  const s = input.summary;
  const parts = Object.entries(s.byCategory).map(([k, v]) => `${v} ${k}`);
  out.push(
    `${c.bold(String(s.findings))} finding${s.findings === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''} in ${Object.keys(s.byFile).length} of ${s.scanned + s.cached} files${scannedText(input)}; ${s.filesWithParseErrors} with parse errors${s.suppressed ? `; ${s.suppressed} suppressed` : ''}${s.baseline !== undefined ? `; ${s.baseline} left out as in the baseline` : ''}.`,
  );
  if (input.audit) out.push(auditLine(input.audit));
  for (const w of input.warnings ?? []) out.push(`${c.yellow(c.bold('warning'))}: ${w.file}:${w.line}: ${w.message}`);
  // Source files that could not be analysed are never left out of the summary.
  const unanalysed = notAnalysed(input.files);
  if (unanalysed.length > 0) {
    out.push(c.yellow(`${unanalysed.length} source file${unanalysed.length === 1 ? ' was' : 's were'} not analysed:`));
    for (const f of unanalysed) out.push(`  ${f.file}: ${f.state}${f.detail ? ` (${f.detail})` : ''}`);
  }
  return out.join('\n') + '\n';
}

/** --summary: counts per category, per rule and per file, and what happened to every file. */
export function formatSummary(input: ReportInput): string {
  const c = pc.createColors(input.color ?? false);
  const s = input.summary;
  const out: string[] = [];
  const table = (title: string, rec: Record<string, number>): void => {
    const entries = Object.entries(rec).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    out.push(c.bold(title));
    if (entries.length === 0) out.push('  (none)');
    const w = Math.max(0, ...entries.map(([k]) => k.length));
    for (const [k, v] of entries) out.push(`  ${k.padEnd(w)}  ${String(v).padStart(6)}`);
    out.push('');
  };
  if (input.scanned) out.push(`Scanned: ${input.scanned.map((p) => p || '.').join(', ')}`, '');
  table('Findings by category', s.byCategory as Record<string, number>);
  table('Findings by rule', s.byRule);
  table('Findings by file', s.byFile);
  const files: Record<string, number> = { scanned: s.scanned, cached: s.cached };
  for (const [k, v] of Object.entries(s.skipped)) files[`skipped: ${k}`] = v;
  table('Files', files);
  out.push(
    `${s.files} files (${s.lines} lines of source), ${s.filesWithParseErrors} with parse errors, ${s.findings} findings (${s.recovered} recovered, ${s.suppressed ?? 0} suppressed), ${s.workers} extraction thread(s), ${s.millis} ms`,
  );
  if (input.audit) out.push(auditLine(input.audit));
  for (const w of input.warnings ?? []) out.push(`${c.yellow(c.bold('warning'))}: ${w.file}:${w.line}: ${w.message}`);
  if (s.unchanged) out.push(`The tree is as last scanned (recognised by ${s.unchanged === 'stat' ? "every file's stat; nothing was read" : 'content hashes'}).`);
  const errs = input.files.filter((f) => (f.parseErrors ?? 0) > 0);
  if (errs.length > 0) {
    out.push(c.bold('Files with parse errors (matching looked inside the ERROR nodes):'));
    for (const f of errs) out.push(`  ${f.file}: ${f.parseErrors} error node(s)`);
  }
  const skipped = notAnalysed(input.files);
  if (skipped.length > 0) {
    out.push(c.bold('Skipped:'));
    for (const f of skipped) out.push(`  ${f.file}: ${f.state}${f.detail ? ` (${f.detail})` : ''}`);
  }
  return out.join('\n') + '\n';
}

function auditLine(a: NonNullable<ReportInput['audit']>): string {
  return `Audit (${a.file}): ${a.counts.open} open, ${a.counts.ported} ported, ${a.counts.accepted} accepted${a.stale.length ? `; ${a.stale.length} stale entr${a.stale.length === 1 ? 'y' : 'ies'}` : ''}.`;
}

function scannedText(input: ReportInput): string {
  return input.scanned && input.scanned.length > 0 ? ` under ${input.scanned.map((p) => p || '.').join(', ')}` : '';
}

/** Source files a scan met but did not analyse (binary, unreadable, failed, ...). */
export function notAnalysed(files: ReportInput['files']): ReportInput['files'] {
  return files.filter((f) => f.state !== 'scanned' && f.state !== 'cached' && f.state !== 'not-source' && f.state !== 'excluded');
}
