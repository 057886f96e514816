// The sample kernel's findings, reviewed by hand, in golden/sample-kernel.findings.txt
// (one line per finding: file:line:col rule-id). Any missing or extra finding fails,
// in each of the three output formats. SARIF is validated against the official
// 2.1.0 schema, JSON against docs/findings-schema.json.
// To regenerate after reviewing a change: UPDATE_GOLDEN=1 npx vitest run tests/analyze/golden.test.ts
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatJson, formatSarif, formatText, loadRules, scan, TOOL_VERSION, type ScanResult } from '../../src/analyze/index.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => Ajv;
const GOLDEN = path.join(import.meta.dirname, 'golden', 'sample-kernel.findings.txt');
const SYS = path.join(SAMPLE_KERNEL_DIR, 'sys');

let result: ScanResult;
let input: Parameters<typeof formatJson>[0];
let golden: string[];

beforeAll(async () => {
  result = await scan({ paths: [SYS], rules: loadRules(), cache: false, workers: 0 });
  input = {
    findings: result.findings,
    rules: result.rules,
    summary: result.summary,
    files: result.files,
    source: (f: string) => readFileSync(path.join(SAMPLE_KERNEL_DIR, f)).toString('latin1'),
    color: false,
    toolVersion: TOOL_VERSION,
  };
  const lines = result.findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.ruleId}`);
  if (process.env.UPDATE_GOLDEN) writeFileSync(GOLDEN, lines.join('\n') + '\n');
  golden = readFileSync(GOLDEN, 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
}, 120_000);

function diff(got: string[]): { missing: string[]; extra: string[] } {
  const g = new Set(golden);
  const s = new Set(got);
  return { missing: golden.filter((l) => !s.has(l)), extra: got.filter((l) => !g.has(l)) };
}

describe('sample kernel golden findings', () => {
  it('has no parse errors', () => {
    expect(result.files.filter((f) => (f.parseErrors ?? 0) > 0).map((f) => f.file)).toEqual([]);
  });

  it('JSON: exactly the golden findings, and valid against docs/findings-schema.json', () => {
    const json = JSON.parse(formatJson(input));
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(JSON.parse(readFileSync(path.resolve('docs/findings-schema.json'), 'utf8')));
    expect(validate(json) ? [] : validate.errors).toEqual([]);
    const got = json.findings.map((f: { file: string; line: number; col: number; ruleId: string }) => `${f.file}:${f.line}:${f.col} ${f.ruleId}`);
    expect(diff(got)).toEqual({ missing: [], extra: [] });
    expect(got).toHaveLength(golden.length);
  });

  it('text: exactly the golden findings', () => {
    const text = formatText(input);
    const got = [...text.matchAll(/^(?:error|warning|note)\[([a-z0-9-]+)\] (\S+:\d+:\d+) /gm)].map((m) => `${m[2]} ${m[1]}`);
    expect(diff(got)).toEqual({ missing: [], extra: [] });
    expect(got).toHaveLength(golden.length);
  });

  it('SARIF: exactly the golden findings, valid against the official 2.1.0 schema', () => {
    const sarif = JSON.parse(formatSarif(input));
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
    // The official schema is draft-04; its keywords mean the same in draft-07.
    schema.$schema = 'http://json-schema.org/draft-07/schema#';
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(sarif) ? [] : validate.errors?.slice(0, 5)).toEqual([]);
    const run = sarif.runs[0];
    const got = run.results.map(
      (r: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string }; region: { startLine: number; startColumn: number } } }> }) =>
        `${r.locations[0].physicalLocation.artifactLocation.uri}:${r.locations[0].physicalLocation.region.startLine}:${r.locations[0].physicalLocation.region.startColumn} ${r.ruleId}`,
    );
    expect(diff(got)).toEqual({ missing: [], extra: [] });
    expect(run.tool.driver.rules.length).toBe(result.rules.length);
    expect(run.results.some((r: { fixes?: unknown[] }) => (r.fixes?.length ?? 0) > 0)).toBe(true);
  });

  it('every category is represented', () => {
    for (const c of ['privileged-instruction', 'sensitive-instruction', 'privileged-wrapper', 'pte-write', 'pte-read', 'cpu-feature', 'va-hole', 'console'])
      expect(result.summary.byCategory[c as keyof typeof result.summary.byCategory] ?? 0).toBeGreaterThan(0);
  });
});
