/*
 * A porter's daily use of the built CLI, run from a project of their own (a git work
 * tree in a temporary directory, never the install directory): paths relative to the
 * work tree's top (or --root) in every format and in diffs, one value per repeated
 * option, the summary naming what was scanned.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const install = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(install, 'dist/src/cli/main.js');
const project = mkdtempSync(path.join(tmpdir(), 'xeno-workflow-'));
const cacheHome = mkdtempSync(path.join(tmpdir(), 'xeno-workflow-cache-'));

const CLI_SITE = 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n';
const HLT_SITE = 'void\ng(void)\n{\n\t__asm __volatile("hlt");\n}\n';

/** Runs the CLI in `cwd` (default the project's top) with colour off. */
const xenoport = (args: string[], cwd = project, env: Record<string, string> = {}) =>
  execa('node', [cli, ...args], { cwd, reject: false, stripFinalNewline: false, env: { NO_COLOR: '1', XENOPORT_CACHE_DIR: cacheHome, ...env }, timeout: 120_000 });

beforeAll(async () => {
  mkdirSync(path.join(project, 'mykernel', 'dev'), { recursive: true });
  writeFileSync(path.join(project, 'mykernel', 'a.c'), CLI_SITE);
  writeFileSync(path.join(project, 'mykernel', 'dev', 'b.c'), HLT_SITE);
  writeFileSync(path.join(project, 'mykernel', 's.c'), CLI_SITE.replace('");', '");\t/* xenoport-ignore: cli the probe runs before Xen */'));
  // What the walk must leave out: ignored, hidden, a symlink loop, a link out of the tree.
  writeFileSync(path.join(project, '.gitignore'), 'gen/\n');
  mkdirSync(path.join(project, 'mykernel', 'gen'));
  writeFileSync(path.join(project, 'mykernel', 'gen', 'g.c'), CLI_SITE);
  mkdirSync(path.join(project, '.cache'));
  writeFileSync(path.join(project, '.cache', 'c.c'), CLI_SITE);
  symlinkSync(path.join(project, 'mykernel'), path.join(project, 'mykernel', 'loop'));
  symlinkSync(cacheHome, path.join(project, 'mykernel', 'elsewhere'));
  await execa('git', ['init', '-q', project]);
});

describe.skipIf(!existsSync(cli))('a porter\'s workflow (built CLI, run from the porter\'s project)', () => {
  it('scan with no path scans the current directory; paths are relative to the work tree\'s top and the summary names what was scanned', async () => {
    const r = await xenoport(['scan', '--no-cache']);
    expect(r.exitCode).toBe(1);
    expect(r.stdout).toContain('error[cli] mykernel/a.c:4:2');
    expect(r.stdout).toContain('mykernel/dev/b.c:4:2');
    expect(r.stdout).not.toContain('sample-kernel');
    expect(r.stdout).toMatch(/in 2 of 3 files under \.; 0 with parse errors; 1 suppressed\./);
    expect(r.stdout).not.toContain('mykernel/s.c:4');
    const j = JSON.parse((await xenoport(['scan', '--no-cache', '--format', 'json'])).stdout);
    const state = Object.fromEntries(j.files.map((f: { file: string; state: string; detail?: string }) => [f.file, `${f.state} ${f.detail ?? ''}`]));
    expect(state['mykernel/gen']).toBe('excluded ignored by .gitignore: gen/');
    expect(state['.cache']).toMatch(/^excluded hidden directory/);
    expect(state['.git']).toMatch(/^excluded git's own directory/);
    expect(state['mykernel/loop']).toMatch(/^symlink-loop/);
    expect(state['mykernel/elsewhere']).toMatch(/^excluded symlink out of the scanned tree/);
    // From a subdirectory the paths stay relative to the top of the work tree.
    const sub = await xenoport(['scan', '--no-cache', '.'], path.join(project, 'mykernel'));
    expect(sub.stdout).toContain('error[cli] mykernel/a.c:4:2');
    expect(sub.stdout).toMatch(/under mykernel;/);
  });

  it('--root names the directory paths are relative to, in text, JSON and SARIF', async () => {
    const text = await xenoport(['scan', '--no-cache', '--root', 'mykernel', 'mykernel']);
    expect(text.stdout).toContain('error[cli] a.c:4:2');
    const json = JSON.parse((await xenoport(['scan', '--no-cache', '--format', 'json', '--root', 'mykernel', 'mykernel'])).stdout);
    expect(json.root).toBe(path.join(project, 'mykernel'));
    expect(json.findings.map((f: { file: string }) => f.file)).toEqual(['a.c', 'dev/b.c']);
    expect(json.suppressed.map((f: { file: string; suppression: { reason: string } }) => `${f.file}: ${f.suppression.reason}`)).toEqual(['s.c: the probe runs before Xen']);
    const sarif = JSON.parse((await xenoport(['scan', '--no-cache', '--format', 'sarif', 'mykernel'])).stdout);
    expect(sarif.runs[0].results.filter((r: { suppressions?: unknown }) => !r.suppressions).map((r: { locations: Array<{ physicalLocation: { artifactLocation: { uri: string } } }> }) => r.locations[0].physicalLocation.artifactLocation.uri)).toEqual(['mykernel/a.c', 'mykernel/dev/b.c']);
  });

  it('every list option takes one value per flag: `--exclude GLOB path` scans the path', async () => {
    const r = await xenoport(['scan', '--no-cache', '--format', 'json', '--exclude', 'dev/**', 'mykernel']);
    const j = JSON.parse(r.stdout);
    expect(j.scanned).toEqual(['mykernel']);
    expect(j.findings.map((f: { file: string }) => f.file)).toEqual(['mykernel/a.c']);
    const two = JSON.parse((await xenoport(['scan', '--no-cache', '--format', 'json', '--rule', 'cli', '--rule', 'hlt', 'mykernel'])).stdout);
    expect(two.findings.map((f: { ruleId: string }) => f.ruleId).sort()).toEqual(['cli', 'hlt']);
  });

  it('rewrite --diff names files from the work tree\'s top: git apply takes it there as it is', async () => {
    const r = await xenoport(['rewrite', 'mykernel', '--mode', 'hypercall', '--diff']);
    expect(r.exitCode, r.stderr).toBe(0);
    expect(r.stdout).toContain('--- a/mykernel/a.c');
    writeFileSync(path.join(project, 'step10.patch'), r.stdout);
    const check = await execa('git', ['apply', '--check', 'step10.patch'], { cwd: project, reject: false });
    expect(check.exitCode, check.stderr).toBe(0);
  });

  it('rewrite needs an output; --in-place rewrites the tree itself, and a second run changes nothing', async () => {
    const none = await xenoport(['rewrite', 'mykernel/dev']);
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain('choose an output: --diff');
    const work = path.join(cacheHome, 'inplace');
    mkdirSync(work);
    writeFileSync(path.join(work, 'a.c'), CLI_SITE);
    const first = await xenoport(['rewrite', '--in-place', '--mode', 'hypercall', work]);
    expect(first.exitCode, first.stderr).toBe(0);
    const after = readFileSync(path.join(work, 'a.c'), 'latin1');
    expect(after).toContain('xen_cli();');
    const second = await xenoport(['rewrite', '--in-place', '--mode', 'hypercall', work]);
    expect(second.stderr).toMatch(/0 edits in 0 files/);
    expect(readFileSync(path.join(work, 'a.c'), 'latin1')).toBe(after);
  });

  it('baselines: only findings that are new since a commit or an earlier JSON result, fingerprints stable across line moves', async () => {
    const git = (...a: string[]) => execa('git', ['-c', 'user.name=t', '-c', 'user.email=t@example.org', ...a], { cwd: project });
    await git('add', '-A');
    await git('commit', '-qm', 'base');
    const before = JSON.parse((await xenoport(['scan', '--no-cache', '--format', 'json', 'mykernel'])).stdout);
    writeFileSync(path.join(project, 'base.json'), JSON.stringify(before));
    // Lines move (a comment above the old site) and one new site comes in.
    writeFileSync(path.join(project, 'mykernel', 'a.c'), `/*\n * Moved.\n */\n${CLI_SITE}\n${HLT_SITE}`);
    const now = JSON.parse((await xenoport(['scan', '--no-cache', '--format', 'json', 'mykernel'])).stdout);
    const moved = now.findings.find((f: { file: string; line: number }) => f.file === 'mykernel/a.c' && f.line === 7);
    expect(moved.fingerprint).toBe(before.findings.find((f: { file: string }) => f.file === 'mykernel/a.c').fingerprint);
    for (const args of [['--baseline-commit', 'HEAD'], ['--baseline', 'base.json']]) {
      const r = await xenoport(['scan', '--no-cache', '--format', 'json', ...args, 'mykernel']);
      const j = JSON.parse(r.stdout);
      expect(j.findings.map((f: { file: string; line: number; ruleId: string }) => `${f.file}:${f.line} ${f.ruleId}`), args.join(' ')).toEqual(['mykernel/a.c:13 hlt']);
      expect(j.summary.baseline).toBe(2);
      expect(r.exitCode).toBe(1);
    }
    const none = await xenoport(['scan', '--no-cache', '--baseline-commit', 'HEAD', 'mykernel/dev']);
    expect(none.exitCode).toBe(0);
    expect(none.stdout).toMatch(/0 findings in 0 of 1 files under mykernel\/dev; 0 with parse errors; 1 left out as in the baseline\./);
    expect((await xenoport(['scan', '--baseline-commit', 'no-such-rev', 'mykernel'])).stderr).toMatch(/no-such-rev is not a commit/);
    writeFileSync(path.join(project, 'mykernel', 'a.c'), readFileSync(path.join(project, 'mykernel', 'a.c'), 'latin1').split('\n/*')[0]!);
    await git('checkout', '--', 'mykernel/a.c');
  });

  it('--min-severity leaves findings out, --error-on chooses what fails the run', async () => {
    const dir = path.join(cacheHome, 'sev');
    mkdirSync(dir);
    writeFileSync(path.join(dir, 'c.c'), 'void\nh(void)\n{\n\t__asm __volatile("cpuid");\n}\n');
    const all = JSON.parse((await xenoport(['scan', '--no-cache', '--format', 'json', dir])).stdout);
    expect(all.findings.map((f: { ruleId: string; severity: string }) => `${f.ruleId} ${f.severity}`)).toEqual(['cpuid note']);
    expect((await xenoport(['scan', '--no-cache', dir])).exitCode).toBe(1);
    expect((await xenoport(['scan', '--no-cache', '--error-on', 'warning', dir])).exitCode).toBe(0);
    expect((await xenoport(['scan', '--no-cache', '--error-on', 'none', 'mykernel'])).exitCode).toBe(0);
    expect((await xenoport(['scan', '--no-cache', '--error-on', 'error', 'mykernel'])).exitCode).toBe(1);
    const left = await xenoport(['scan', '--no-cache', '--format', 'json', '--min-severity', 'warning', dir]);
    expect(JSON.parse(left.stdout).findings).toEqual([]);
    expect(left.exitCode).toBe(0);
    expect((await xenoport(['scan', '--error-on', 'sometimes', 'mykernel'])).exitCode).toBe(2);
  });
});
