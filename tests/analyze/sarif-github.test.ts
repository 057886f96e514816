// SARIF as GitHub code scanning reads it (nothing is uploaded): valid against the
// official 2.1.0 schema, with the fields GitHub documents as used (rule help text and
// markdown, helpUri, tags, precision, problem.severity; partialFingerprints,
// automationDetails.id, %SRCROOT% in originalUriBaseIds, UTF-16 columns, suppressions,
// parse errors and unanalysed files as toolExecutionNotifications); and the one-line
// formats: GitHub Actions annotations and gcc's file:line:col.
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatGcc, formatGithub, formatSarif, loadRules, scan, TOOL_VERSION } from '../../src/analyze/index.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => Ajv;

const top = mkdtempSync(path.join(os.tmpdir(), 'xenoport-sarif-'));
let input: Parameters<typeof formatSarif>[0];

beforeAll(async () => {
  mkdirSync(path.join(top, 'sys'));
  // "é" is two bytes in UTF-8 and one UTF-16 unit: the site's byte column 17 is UTF-16 column 16.
  writeFileSync(path.join(top, 'sys', 'a.c'), 'void\nf(void)\n{\n\t/* é */ __asm __volatile("cli");\n\t__asm __volatile("hlt");\t/* xenoport-ignore: hlt the idle loop stays native */\n}\n');
  writeFileSync(path.join(top, 'sys', 'broken.c'), 'void\ng(void)\n{\n\t__asm __volatile("cli");\n\tint = ;\n}\n');
  writeFileSync(path.join(top, 'sys', 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 1]));
  const r = await scan({ paths: [path.join(top, 'sys')], relativeTo: top, rules: loadRules(), cache: false, workers: 0 });
  input = { ...r, root: top, automationId: 'xenoport/kernel/', source: (f) => readFileSync(path.join(top, f), 'latin1'), toolVersion: TOOL_VERSION };
});

describe('SARIF for GitHub code scanning', () => {
  it('is valid against the official 2.1.0 schema', () => {
    const schema = JSON.parse(readFileSync(path.join(import.meta.dirname, 'sarif-schema-2.1.0.json'), 'utf8'));
    schema.$schema = 'http://json-schema.org/draft-07/schema#';
    schema.$id = schema.id;
    delete schema.id;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const validate = ajv.compile(schema);
    expect(validate(JSON.parse(formatSarif(input))) ? [] : validate.errors?.slice(0, 5)).toEqual([]);
  });

  it('has the fields GitHub uses', () => {
    const run = JSON.parse(formatSarif(input)).runs[0];
    const driver = run.tool.driver;
    expect(new URL(driver.informationUri).protocol).toMatch(/^(https|file):$/);
    expect(driver.semanticVersion).toBe(TOOL_VERSION);
    const cli = driver.rules.find((r: { id: string }) => r.id === 'cli');
    expect(cli.help.text).toContain('xen_cli');
    expect(cli.help.markdown).toContain('xenoport-ignore: cli');
    expect(new URL(cli.helpUri).hash).toMatch(/^#L\d+$/);
    expect(cli.properties.tags).toContain('privileged-instruction');
    expect(cli.properties.precision).toBe('very-high');
    expect(cli.properties['problem.severity']).toBe('error');
    expect(run.automationDetails.id).toBe('xenoport/kernel/');
    expect(run.columnKind).toBe('utf16CodeUnits');
    expect(run.originalUriBaseIds['%SRCROOT%'].uri).toBe(`file://${top}/`);
    const a = run.results.find((r: { ruleId: string; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.ruleId === 'cli' && r.locations[0].physicalLocation.artifactLocation.uri === 'sys/a.c');
    expect(a.locations[0].physicalLocation.artifactLocation.uriBaseId).toBe('%SRCROOT%');
    expect(a.locations[0].physicalLocation.region).toMatchObject({ startLine: 4, startColumn: 10, byteOffset: 25 });
    expect(a.partialFingerprints['xenoportFingerprint/v1']).toMatch(/^[0-9a-f]{32}:1$/);
    const hlt = run.results.find((r: { ruleId: string }) => r.ruleId === 'hlt');
    expect(hlt.suppressions).toEqual([{ kind: 'inSource', status: 'accepted', justification: 'the idle loop stays native' }]);
    const notes = run.invocations[0].toolExecutionNotifications.map((n: { message: { text: string }; locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => `${n.locations[0].physicalLocation.artifactLocation.uri}: ${n.message.text}`);
    expect(notes.some((n: string) => n.startsWith('sys/blob.c: not analysed: binary'))).toBe(true);
    expect(notes.some((n: string) => n.startsWith('sys/broken.c: ') && n.includes('parse error'))).toBe(true);
  });
});

describe('one-line formats', () => {
  it('GitHub Actions annotations, escaped, with UTF-16 columns', () => {
    const lines = formatGithub(input).trimEnd().split('\n');
    expect(lines).toContain("::error file=sys/a.c,line=4,endLine=4,col=10,endColumn=33,title=xenoport cli::CLI faults with IOPL 0; mask event delivery with xen_cli() (the upcall mask in shared_info). [cli]");
    expect(lines.some((l) => l.startsWith('::warning file=sys/blob.c,title=xenoport%3A not analysed::binary'))).toBe(true);
    expect(lines.some((l) => l.includes('hlt'))).toBe(false);
  });

  it('gcc form: file:line:col: severity: message [rule]', () => {
    const lines = formatGcc(input).trimEnd().split('\n');
    expect(lines[0]).toMatch(/^sys\/a\.c:4:11: error: .*xen_cli\(\).* \[cli\]$/);
    expect(lines.some((l) => l.startsWith('sys/blob.c:1:1: warning: not analysed: binary'))).toBe(true);
  });
});
