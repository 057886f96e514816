// The CLI from dist/ (npm test builds it first): exit codes like grep (0 nothing
// found, 1 findings, 2 error), rule errors before any scan, the rules command.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const MAIN = path.resolve('dist/src/cli/main.js');
const run = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });

describe.skipIf(!existsSync(MAIN))('xenoport scan / rules (built CLI)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xenoport-cli-'));
  const clean = path.join(dir, 'clean');
  const dirty = path.join(dir, 'dirty');
  mkdirSync(clean);
  mkdirSync(dirty);
  writeFileSync(path.join(clean, 'a.c'), 'int\nadd(int a)\n{\n\treturn (a + 1);\n}\n');
  writeFileSync(path.join(dirty, 'a.c'), 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n');

  it('exits 0 when nothing is found', () => {
    const r = run('scan', '--no-cache', clean);
    expect(r.status).toBe(0);
  });

  it('exits 1 with findings, text grouped by file with a caret and the Xen replacement', () => {
    const r = run('scan', '--no-cache', dirty);
    expect(r.status).toBe(1);
    // A file outside the work tree the command runs in is named by its absolute path.
    expect(r.stdout).toContain(`error[cli] ${dirty}/a.c:4:2`);
    expect(r.stdout).toContain('^~~~~');
    expect(r.stdout).toContain('xen_cli()');
  });

  it('exits 2 on a missing path and on a bad rules directory, before scanning', () => {
    expect(run('scan', path.join(dir, 'nope')).status).toBe(2);
    const rules = path.join(dir, 'rules');
    mkdirSync(rules);
    writeFileSync(path.join(rules, 'x.yaml'), 'rules:\n  - id: x\n    category: nonsense\n');
    const r = run('scan', '--rules', rules, dirty);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/x\.yaml:\d+:\d+: invalid rule/);
    expect(r.stdout).toBe('');
  });

  it('prints JSON and SARIF', () => {
    const j = JSON.parse(run('scan', '--no-cache', '--format', 'json', dirty).stdout);
    expect(j.findings[0].ruleId).toBe('cli');
    const s = JSON.parse(run('scan', '--no-cache', '--format', 'sarif', dirty).stdout);
    expect(s.version).toBe('2.1.0');
    expect(s.runs[0].results[0].fixes[0].artifactChanges[0].replacements[0].insertedContent.text).toBe('xen_cli()');
  });

  it('finds the golden findings of the sample kernel in a fresh process, with its worker and without (cold and warm cache)', () => {
    const golden = readFileSync(path.resolve('tests/analyze/golden/sample-kernel.findings.txt'), 'utf8').split('\n').filter((l) => l && !l.startsWith('#'));
    const lines = (out: string): string[] => (JSON.parse(out) as { findings: Array<{ file: string; line: number; col: number; ruleId: string }> }).findings.map((f) => `${f.file}:${f.line}:${f.col} ${f.ruleId}`);
    const cacheHome = mkdtempSync(path.join(os.tmpdir(), 'xenoport-cli-cache-'));
    const inCache = (...args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', XENOPORT_CACHE_DIR: cacheHome } });
    // The golden paths are relative to sample-kernel/: --root names that directory.
    const sys = path.resolve('sample-kernel/sys');
    const root = path.resolve('sample-kernel');
    const cold = inCache('scan', '--format', 'json', '--root', root, sys);
    expect(cold.status).toBe(1);
    const warm = inCache('scan', '--format', 'json', '--root', root, sys);
    const noCache = run('scan', '--no-cache', '--format', 'json', '--root', root, sys);
    for (const r of [cold, warm, noCache]) expect(lines(r.stdout)).toEqual(golden);
    expect((JSON.parse(cold.stdout) as { summary: { skipped: Record<string, number>; workers: number } }).summary.skipped.failed ?? 0).toBe(0);
  });

  it('stops quietly when the reader of its output goes away (| head)', () => {
    const r = spawnSync('sh', ['-c', `"${process.execPath}" "${MAIN}" scan --no-cache "${path.resolve('sample-kernel/sys')}" | head -n 1`], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } });
    expect(r.stdout.split('\n').filter(Boolean)).toHaveLength(1);
    expect(r.stderr).not.toMatch(/EPIPE|Error|at /);
  });

  it('rules list, explain and test', () => {
    const list = run('rules', 'list');
    expect(list.status).toBe(0);
    expect(list.stdout).toMatch(/pte-write\s+pte-write\s+error\s+hypercall/);
    const explain = run('rules', 'explain', 'mov-to-cr3');
    expect(explain.stdout).toContain('xen_load_cr3($ARG0)');
    expect(run('rules', 'explain', 'nope').status).toBe(2);
    const test = run('rules', 'test');
    expect(test.status).toBe(0);
    expect(test.stdout).toMatch(/^ok: \d+\/\d+ inline tests passed/m);
  });

  it('every command shows an example in --help', () => {
    for (const c of ['scan', 'rules']) expect(run(c, '--help').stdout).toMatch(/Examples:/);
  });
});
