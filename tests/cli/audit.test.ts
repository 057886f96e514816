/*
 * The audit file through the built CLI, in a porter's project (a git work tree in a
 * temporary directory): `audit init` writes every finding as open, `audit set`
 * gives one a status by a prefix of its fingerprint, and scan shows the statuses in
 * text, JSON (valid against docs/findings-schema.json), SARIF (valid against the
 * 2.1.0 schema; accepted and ported as external suppressions), gcc and the HTML
 * report; only open findings fail the run; a finding that is gone leaves a stale
 * entry, warned about at its line, that --prune removes; comments survive writes.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { beforeAll, describe, expect, it } from 'vitest';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => Ajv;

const install = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(install, 'dist/src/cli/main.js');
const project = mkdtempSync(path.join(tmpdir(), 'xeno-audit-'));
const cacheHome = mkdtempSync(path.join(tmpdir(), 'xeno-audit-cache-'));
const auditFile = path.join(project, 'xenoport-audit.yaml');

const xenoport = (args: string[], cwd = project) =>
  execa('node', [cli, ...args], { cwd, reject: false, env: { NO_COLOR: '1', XENOPORT_CACHE_DIR: cacheHome }, timeout: 120_000 });

interface JsonFinding { ruleId: string; file: string; fingerprint: string; audit?: { status: string; reason?: string } }

beforeAll(async () => {
  mkdirSync(path.join(project, 'sys'));
  writeFileSync(path.join(project, 'sys', 'a.c'), 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n');
  writeFileSync(path.join(project, 'sys', 'b.c'), 'void\ng(void)\n{\n\t__asm __volatile("hlt");\n}\n');
  writeFileSync(path.join(project, 'sys', 'c.c'), 'void\nh(void)\n{\n\t__asm __volatile("sti");\n}\n');
  await execa('git', ['init', '-q', project]);
});

describe.skipIf(!existsSync(cli))('the audit file (built CLI, a porter\'s project)', () => {
  let fp: Record<string, string> = {};

  it('audit init writes every finding as open, with its rule and path; scan shows them open and fails', async () => {
    const r = await xenoport(['audit', 'init', 'sys']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('xenoport-audit.yaml: 3 new open entries, 3 in all.');
    const j = JSON.parse((await xenoport(['scan', '--format', 'json', 'sys'])).stdout);
    fp = Object.fromEntries(j.findings.map((f: JsonFinding) => [f.ruleId, f.fingerprint]));
    const text = readFileSync(auditFile, 'utf8');
    for (const [rule, f] of Object.entries(fp)) expect(text).toMatch(new RegExp(`${f}:\\n    rule: ${rule}\\n    path: sys/\\w\\.c\\n    line: 4\\n    status: open`));
    expect(j.findings.map((f: JsonFinding) => f.audit)).toEqual([{ status: 'open' }, { status: 'open' }, { status: 'open' }]);
    expect(j.audit).toEqual({ file: 'xenoport-audit.yaml', open: 3, ported: 0, accepted: 0, stale: 0 });
    const scan = await xenoport(['scan', 'sys']);
    expect(scan.exitCode).toBe(1);
    expect(scan.stdout).toContain('Audit (xenoport-audit.yaml): 3 open, 0 ported, 0 accepted.');
  });

  it('audit set takes a prefix of the fingerprint; accepted needs a reason; comments stay', async () => {
    writeFileSync(auditFile, `# Reviewed by the port team.\n${readFileSync(auditFile, 'utf8')}`);
    const noReason = await xenoport(['audit', 'set', fp.cli!.slice(0, 8), 'accepted']);
    expect(noReason.exitCode).toBe(2);
    expect(noReason.stderr).toContain('needs a reason');
    expect((await xenoport(['audit', 'set', fp.cli!.slice(0, 8), 'accepted', '--reason', 'the probe runs before Xen is up'])).exitCode).toBe(0);
    const ported = await xenoport(['audit', 'set', fp.hlt!.slice(0, 10), 'ported']);
    expect(ported.stdout).toContain(`${fp.hlt} (hlt in sys/b.c) is ported`);
    expect((await xenoport(['audit', 'set', 'ffff0000', 'ported', 'sys'])).stderr).toContain('no finding has the fingerprint ffff0000');
    expect(readFileSync(auditFile, 'utf8')).toContain('# Reviewed by the port team.');
  });

  it('scan shows each status in text, JSON, SARIF, gcc and HTML; only open findings fail the run', async () => {
    const text = await xenoport(['scan', 'sys']);
    expect(text.stdout).toContain(`= audit: accepted: the probe runs before Xen is up (${fp.cli})`);
    expect(text.stdout).toContain(`= audit: ported (${fp.hlt})`);
    expect(text.stdout).toContain('Audit (xenoport-audit.yaml): 1 open, 1 ported, 1 accepted.');
    expect(text.exitCode).toBe(1);
    const json = JSON.parse((await xenoport(['scan', '--format', 'json', 'sys'])).stdout);
    const schema = new Ajv({ strict: false }).compile(JSON.parse(readFileSync(path.join(install, 'docs', 'findings-schema.json'), 'utf8')));
    expect(schema(json) ? [] : schema.errors).toEqual([]);
    expect(Object.fromEntries(json.findings.map((f: JsonFinding) => [f.ruleId, f.audit]))).toEqual({
      cli: { status: 'accepted', reason: 'the probe runs before Xen is up' },
      hlt: { status: 'ported' },
      sti: { status: 'open' },
    });
    const html = path.join(project, 'report');
    const sarif = JSON.parse((await xenoport(['scan', '--format', 'sarif', '--html', html, 'sys'])).stdout);
    const sarifSchema = JSON.parse(readFileSync(path.join(install, 'tests', 'analyze', 'sarif-schema-2.1.0.json'), 'utf8'));
    sarifSchema.$schema = 'http://json-schema.org/draft-07/schema#';
    sarifSchema.$id = sarifSchema.id;
    delete sarifSchema.id;
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    const valid = ajv.compile(sarifSchema);
    expect(valid(sarif) ? [] : valid.errors?.slice(0, 5)).toEqual([]);
    const byRule = Object.fromEntries(sarif.runs[0].results.map((r: { ruleId: string }) => [r.ruleId, r]));
    expect(byRule.cli.suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: 'the probe runs before Xen is up', location: { physicalLocation: { artifactLocation: { uri: 'xenoport-audit.yaml', uriBaseId: '%SRCROOT%' }, region: { startLine: expect.any(Number) } } } },
    ]);
    expect(byRule.hlt.suppressions[0]).toMatchObject({ kind: 'external', status: 'accepted', justification: 'ported' });
    expect(byRule.hlt.properties.audit).toEqual({ status: 'ported' });
    expect(byRule.sti.suppressions).toBeUndefined();
    const gcc = await xenoport(['scan', '--format', 'gcc', 'sys']);
    // The line formats list the work left: the open finding alone.
    expect(gcc.stdout).toMatch(/^sys\/c\.c:4:2: error: .*\[sti\]$/);
    const data = JSON.parse(readFileSync(path.join(html, 'data.js'), 'utf8').replace(/^window\.XENOPORT_REPORT = /, '').replace(/;\n$/, ''));
    expect(data.scan.audit).toEqual({ file: 'xenoport-audit.yaml', open: 1, ported: 1, accepted: 1, stale: 0 });
    expect(data.scan.findings.map((f: { rule: string; audit: unknown }) => [f.rule, f.audit])).toEqual([
      ['cli', { status: 'accepted', reason: 'the probe runs before Xen is up' }],
      ['hlt', { status: 'ported' }],
      ['sti', { status: 'open' }],
    ]);
    // With the last open finding accepted, the run passes.
    await xenoport(['audit', 'set', fp.sti!, 'accepted', '--reason', 'the boot path before the hypervisor']);
    expect((await xenoport(['scan', 'sys'])).exitCode).toBe(0);
    expect((await xenoport(['scan', '--no-audit', 'sys'])).exitCode).toBe(1);
  });

  it('a finding that is gone leaves a stale entry, warned about at its line; a scan of elsewhere does not; --prune removes it', async () => {
    rmSync(path.join(project, 'sys', 'b.c'));
    const line = readFileSync(auditFile, 'utf8').split('\n').findIndex((l) => l.startsWith(`  ${fp.hlt}:`)) + 1;
    const gcc = await xenoport(['scan', '--format', 'gcc', 'sys']);
    expect(gcc.stdout).toContain(`xenoport-audit.yaml:${line}:1: warning: stale audit entry ${fp.hlt} (ported, hlt in sys/b.c)`);
    const sarif = JSON.parse((await xenoport(['scan', '--format', 'sarif', 'sys'])).stdout);
    expect(sarif.runs[0].invocations[0].toolExecutionNotifications.map((n: { message: { text: string } }) => n.message.text).join('\n')).toContain(`stale audit entry ${fp.hlt}`);
    // A scan of one file, or of one rule, covers nothing else: no stale entries.
    expect((await xenoport(['scan', '--format', 'gcc', 'sys/a.c'])).stdout).not.toContain('stale');
    expect((await xenoport(['scan', '--format', 'gcc', '--rule', 'cli', 'sys'])).stdout).not.toContain('stale');
    const init = await xenoport(['audit', 'init', 'sys']);
    expect(init.stdout).toContain('1 stale entry (no longer found): --prune removes it.');
    const prune = await xenoport(['audit', 'init', '--prune', 'sys']);
    expect(prune.stdout).toContain('0 new open entries, 2 in all; 1 stale removed.');
    expect(readFileSync(auditFile, 'utf8')).not.toContain(fp.hlt!);
  });

  it('a malformed audit file is an error at its file:line:col', async () => {
    const bad = path.join(project, 'bad-audit.yaml');
    writeFileSync(bad, `version: 1\nfindings:\n  ${'a'.repeat(32)}:1:\n    rule: cli\n    path: sys/a.c\n    status: done\n`);
    const r = await xenoport(['scan', '--audit', bad, 'sys']);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${bad}:6:13: ${'a'.repeat(32)}:1: status must be one of open, ported, accepted, not 'done'`);
    expect(r.stderr).not.toMatch(/\n\s+at .*:\d+:\d+\)/);
  });
});
