/*
 * A file named as C or assembly that is not text (a NUL byte early on) is never
 * silently missed: the scan reports it as not analysed, with the reason, in text,
 * JSON and SARIF (still valid against the official schema), and xenify warns that
 * it copied the file without rewriting it.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { formatJson, formatSarif, formatText, loadRules, scan, TOOL_VERSION } from '../../src/analyze/index.js';
import { defaultScan, parsePipeline, runPipeline } from '../../src/rewrite/index.js';
import { FIXTURE, PIPELINE_YAML } from '../rewrite/helpers.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => Ajv;
const RULES = path.resolve(import.meta.dirname, '..', '..', 'rules');
const BAD = 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n\0stray\n';

function tree(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'xeno-nul-'));
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, 'src', 'sys', rel)), { recursive: true });
    writeFileSync(path.join(dir, 'src', 'sys', rel), Buffer.from(text, 'latin1'));
  }
  return dir;
}

describe('source files that are not text', () => {
  it('are reported as not analysed, with the reason, in every format', async () => {
    const dir = tree({ 'i386/i386/bad.c': BAD, 'i386/i386/good.c': 'void\ng(void)\n{\n\t__asm __volatile("hlt");\n}\n' });
    const sys = path.join(dir, 'src', 'sys');
    const r = await scan({ paths: [sys], rules: loadRules(RULES), cache: false, workers: 0 });
    const input = { findings: r.findings, rules: r.rules, summary: r.summary, files: r.files, source: () => undefined, color: false, toolVersion: TOOL_VERSION };
    const text = formatText(input);
    expect(text).toMatch(/1 source file was not analysed:\n  sys\/i386\/i386\/bad\.c: binary \(a NUL byte at offset 43/);
    const json = JSON.parse(formatJson(input)) as { files: Array<{ file: string; state: string; detail?: string }> };
    expect(json.files.find((f) => f.file === 'sys/i386/i386/bad.c')).toMatchObject({ state: 'binary', detail: expect.stringMatching(/NUL byte/) });
    const sarif = JSON.parse(formatSarif(input));
    const notes = sarif.runs[0].invocations[0].toolExecutionNotifications;
    expect(notes).toHaveLength(1);
    expect(notes[0]).toMatchObject({ level: 'warning', locations: [{ physicalLocation: { artifactLocation: { uri: 'sys/i386/i386/bad.c' } } }] });
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
    // The official schema is draft-04; its keywords mean the same in draft-07.
    schema.$schema = 'http://json-schema.org/draft-07/schema#';
    schema.$id = schema.id;
    delete schema.id;
    const validate = addFormats(new Ajv({ allErrors: true, strict: false })).compile(schema);
    expect(validate(sarif) ? [] : validate.errors?.slice(0, 5)).toEqual([]);
  });

  it('xenify copies such a file but warns that it was not rewritten', async () => {
    const dir = tree({ ...FIXTURE, 'i386/i386/bad.c': BAD });
    const yaml = PIPELINE_YAML.replace('rules: rules', `rules: ${RULES}`);
    const file = path.join(dir, 'xenoport.pipeline.yaml');
    writeFileSync(file, yaml);
    const r = await runPipeline(parsePipeline(file, yaml), { scan: defaultScan });
    const rewrite = r.stages.find((s) => s.kind === 'rewrite')!;
    expect(rewrite.summary).toMatch(/WARNING: 1 source file\(s\) not analysed/);
    expect(rewrite.notes.join('\n')).toMatch(/sys\/i386\/i386\/bad\.c: warning: copied without analysis \(binary: a NUL byte/);
  });
});
