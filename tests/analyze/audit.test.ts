/*
 * The audit file's reader and writer (src/analyze/audit.ts) on their own: every
 * malformed entry is an error at its file:line:col, an update keeps comments and
 * decisions and orders entries by path and line, and a view marks findings and finds
 * stale entries only where the caller says the scan looked.
 */
import { describe, expect, it } from 'vitest';
import { auditView, parseAudit, setAuditStatus, updateAudit, type Finding } from '../../src/analyze/index.js';
import { ScanError } from '../../src/errors.js';

const A = 'a'.repeat(32);
const B = 'b'.repeat(32);
const C = 'c'.repeat(32);

const finding = (fp: string, file: string, line: number, ruleId = 'cli'): Finding =>
  ({ ruleId, category: 'privileged-instruction', severity: 'error', message: 'm', file, line, col: 2, endLine: line, endCol: 3, startByte: 0, endByte: 1, captures: {}, recovered: false, language: 'c', fingerprint: fp }) as Finding;

function errorOf(text: string): string {
  try {
    parseAudit('audit.yaml', text);
  } catch (e) {
    expect(e).toBeInstanceOf(ScanError);
    return (e as ScanError).where();
  }
  return 'no error';
}

describe('the audit file', () => {
  it('reports each malformed entry at file:line:col', () => {
    expect(errorOf(`version: 1\nfindings:\n  ${A}:1:\n    status: accepted\n`)).toBe(`audit.yaml:4:13: ${A}:1: an accepted finding needs a reason`);
    expect(errorOf(`version: 1\nfindings:\n  nothex:1:\n    status: open\n`)).toMatch(/^audit\.yaml:3:3: 'nothex:1' is not a finding's fingerprint/);
    expect(errorOf(`version: 2\n`)).toBe('audit.yaml:1:10: version: must be 1');
    expect(errorOf(`version: 1\nfindings:\n  ${A}:1:\n    status: open\n    colour: red\n`)).toMatch(/^audit\.yaml:5:5: .*unknown key 'colour'/);
    expect(errorOf(`version: 1\nfindings: [1, 2\n`)).toMatch(/^audit\.yaml:\d+:\d+: invalid YAML/);
    expect(errorOf('')).toBe('no error');
  });

  it('an update adds open entries in path and line order and keeps comments and decisions', () => {
    const audit = parseAudit('audit.yaml', `# kept\nversion: 1\nfindings:\n  ${B}:1:\n    rule: cli\n    path: z.c\n    line: 9\n    status: accepted\n    reason: stays # also kept\n`);
    const { added, pruned } = updateAudit(audit, [finding(`${A}:1`, 'a.c', 4), finding(`${B}:1`, 'z.c', 12)], [], false);
    expect([added, pruned]).toEqual([1, 0]);
    setAuditStatus(audit, `${C}:1`, 'ported', undefined, finding(`${C}:1`, 'm.c', 1, 'hlt'));
    const text = audit.doc.toString();
    expect(text).toContain('# kept');
    expect(text).toContain('# also kept');
    const again = parseAudit('audit.yaml', text);
    expect([...again.entries.values()].map((e) => [e.fingerprint, e.path, e.line, e.status, e.reason])).toEqual([
      [`${A}:1`, 'a.c', 4, 'open', undefined],
      [`${C}:1`, 'm.c', 1, 'ported', undefined],
      [`${B}:1`, 'z.c', 12, 'accepted', 'stays'],
    ]);
  });

  it('a view marks findings (open when unnamed) and finds stale entries only where the scan looked', () => {
    const audit = parseAudit('audit.yaml', `version: 1\nfindings:\n  ${A}:1:\n    rule: cli\n    path: a.c\n    status: ported\n  ${B}:1:\n    rule: cli\n    path: gone.c\n    status: open\n  ${C}:1:\n    rule: hlt\n    path: other.c\n    status: open\n`);
    const view = auditView(audit, [finding(`${A}:1`, 'a.c', 4), finding('d'.repeat(32) + ':1', 'a.c', 8)], (e) => e.path !== 'other.c', 'audit.yaml');
    expect(view.counts).toEqual({ open: 1, ported: 1, accepted: 0 });
    expect(view.stale.map((e) => [e.path, e.at])).toEqual([['gone.c', 7]]);
  });
});
