// xenoport-ignore comments: on the finding's line, on the line before, file-wide; by
// rule id or category; reported as suppressed (JSON valid against the schema, SARIF
// `suppressions`), counted in the summary, never rewritten; a suppression that
// suppresses nothing or names no rule is a warning.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { formatJson, formatSarif, formatText, loadRules, parseSuppressions, scan, TOOL_VERSION } from '../../src/analyze/index.js';
import { rewriteTree } from '../../src/rewrite/index.js';
import { RULES_DIR } from '../../src/analyze/paths.js';

const rules = loadRules();

function tree(): string {
  const top = mkdtempSync(path.join(os.tmpdir(), 'xenoport-suppress-'));
  mkdirSync(path.join(top, 'sys'));
  writeFileSync(
    path.join(top, 'sys', 'a.c'),
    [
      'void',
      'f(void)',
      '{',
      '\t__asm __volatile("cli");\t/* xenoport-ignore: cli interrupts stay off in this probe */',
      '\t/* xenoport-ignore: privileged-instruction the BIOS call needs a real hlt */',
      '\t__asm __volatile("hlt");',
      '\t__asm __volatile("cli");',
      '\t/* xenoport-ignore: lgdt nothing here loads a GDT */',
      '\t/* xenoport-ignore: no-such-rule a typo */',
      '}',
      '',
    ].join('\n'),
  );
  writeFileSync(path.join(top, 'sys', 'b.c'), '/* xenoport-ignore-file: cli this file runs before the hypervisor is up */\nvoid\ng(void)\n{\n\t__asm __volatile("cli");\n}\n');
  return top;
}

describe('suppressions', () => {
  const top = tree();

  it('reads the comment forms', () => {
    expect(parseSuppressions('int x; // xenoport-ignore: cli,hlt why not\n/*\n * xenoport-ignore-file: pte-write generated\n */\n')).toEqual([
      { line: 1, rules: ['cli', 'hlt'], reason: 'why not', scope: 'line' },
      { line: 3, rules: ['pte-write'], reason: 'generated', scope: 'file' },
    ]);
    expect(parseSuppressions('const char *s = "xenoport-ignore: cli";\n')).toBeUndefined();
  });

  it('suppresses on the line, the line before and file-wide; warns of unused and misspelt ones', async () => {
    const r = await scan({ paths: [path.join(top, 'sys')], relativeTo: top, rules, cache: false, workers: 0 });
    expect(r.findings.map((f) => `${f.file}:${f.line} ${f.ruleId}`)).toEqual(['sys/a.c:7 cli']);
    expect(r.suppressed.map((f) => `${f.file}:${f.line} ${f.ruleId} ${f.suppression.scope}: ${f.suppression.reason}`)).toEqual([
      'sys/a.c:4 cli line: interrupts stay off in this probe',
      'sys/a.c:6 hlt line: the BIOS call needs a real hlt',
      'sys/b.c:5 cli file: this file runs before the hypervisor is up',
    ]);
    expect(r.summary.suppressed).toBe(3);
    expect(r.warnings).toEqual([
      { file: 'sys/a.c', line: 8, message: 'unused suppression of lgdt: nothing to suppress here' },
      { file: 'sys/a.c', line: 9, message: 'suppression names no rule or category: no-such-rule' },
    ]);
    const input = { ...r, source: (f: string) => readFileSync(path.join(top, f), 'latin1'), toolVersion: TOOL_VERSION };
    const json = JSON.parse(formatJson(input));
    const validate = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(path.resolve('docs/findings-schema.json'), 'utf8')));
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    expect(json.suppressed).toHaveLength(3);
    const sarif = JSON.parse(formatSarif(input));
    const suppressed = sarif.runs[0].results.filter((x: { suppressions?: unknown[] }) => x.suppressions);
    expect(suppressed.map((x: { suppressions: Array<{ kind: string; justification: string }> }) => x.suppressions[0].kind)).toEqual(['inSource', 'inSource', 'inSource']);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text)).toContain('unused suppression of lgdt: nothing to suppress here');
    const text = formatText(input);
    expect(text).toMatch(/1 finding .*; 3 suppressed\./);
    expect(text).toContain('warning: sys/a.c:8: unused suppression of lgdt');
  });

  it('rewrite leaves a suppressed site as it is', async () => {
    const r = await rewriteTree({ root: path.join(top, 'sys'), rules: RULES_DIR, mode: 'hypercall', guard: undefined });
    expect(r.suppressed).toBe(3);
    // The one site left, and the #include its Xen call needs.
    expect(r.edits.map((e) => `${e.where} ${e.ruleId}`)).toEqual(['sys/a.c:7 cli', 'sys/a.c:1 xenify/include-hypervisor-h']);
    expect(r.diff).not.toContain('+++ b/sys/b.c');
  });
});
