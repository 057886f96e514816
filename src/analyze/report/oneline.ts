/*
 * One line per finding, for tools that read lines: the gcc form editors and
 * compilation buffers jump from (`file:line:col: error: message [rule]`), and GitHub
 * Actions workflow commands (`::error file=...,line=...::message`), which annotate
 * the changed lines of a pull request. Warnings about suppressions and files not
 * analysed follow in the same form, so nothing is silent.
 */
import { notAnalysed } from './text.js';
import { columnMaps } from './columns.js';
import type { ReportInput } from './input.js';
import type { Finding } from '../types.js';

/** Findings the audit file marks ported or accepted are not work left: the line formats leave them out. */
const open = (input: ReportInput): Finding[] => (input.audit ? input.findings.filter((f) => (input.audit!.status.get(f.fingerprint!)?.status ?? 'open') === 'open') : input.findings);

const what = (f: Finding): string => (f.instruction ? `${f.message} [${f.instruction}${f.via ? ` via ${f.via.join(' -> ')}` : ''}]` : f.message);

/** `file:line:col: severity: message [rule]`, one finding a line. */
export function formatGcc(input: ReportInput): string {
  const out = open(input).map((f) => `${f.file}:${f.line}:${f.col}: ${f.severity}: ${what(f)} [${f.ruleId}]`);
  for (const w of input.warnings ?? []) out.push(`${w.file}:${w.line}:1: warning: ${w.message} [${w.file === input.audit?.file ? 'xenoport-audit' : 'xenoport-ignore'}]`);
  for (const f of notAnalysed(input.files)) out.push(`${f.file}:1:1: warning: not analysed: ${f.state}${f.detail ? ` (${f.detail})` : ''}`);
  return out.length > 0 ? out.join('\n') + '\n' : '';
}

// Workflow command escaping, as @actions/core does it: the message escapes %, CR and
// LF; property values also escape ':' and ','.
const data = (s: string): string => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const prop = (s: string): string => data(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

const COMMAND = { error: 'error', warning: 'warning', note: 'notice' } as const;

/** GitHub Actions workflow commands: an annotation per finding and per warning. */
export function formatGithub(input: ReportInput): string {
  const columns = columnMaps(input.source);
  const out = open(input).map((f) => {
    const col = columns(f.file);
    const props = [`file=${prop(f.file)}`, `line=${f.line}`, `endLine=${f.endLine}`, `col=${col(f.startByte, f.col)}`];
    if (f.endLine === f.line) props.push(`endColumn=${col(f.endByte, f.endCol)}`);
    props.push(`title=${prop(`xenoport ${f.ruleId}`)}`);
    return `::${COMMAND[f.severity]} ${props.join(',')}::${data(what(f))}`;
  });
  for (const w of input.warnings ?? []) out.push(`::warning file=${prop(w.file)},line=${w.line},title=${prop(w.file === input.audit?.file ? 'xenoport audit' : 'xenoport suppression')}::${data(w.message)}`);
  for (const f of notAnalysed(input.files)) out.push(`::warning file=${prop(f.file)},title=${prop('xenoport: not analysed')}::${data(`${f.state}${f.detail ? ` (${f.detail})` : ''}`)}`);
  return out.length > 0 ? out.join('\n') + '\n' : '';
}
