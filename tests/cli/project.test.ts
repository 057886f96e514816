/*
 * The built CLI run from projects of a porter's own, in temporary directories:
 * the pipeline file is found by searching up from the current directory (xenify,
 * pipeline, boot and port), the bundled one only for the bundled sample; the cache
 * goes under the project (.xenoport/cache) or into the user's cache directory, never
 * into the install directory; temporary directories are gone when a command ends,
 * whether it succeeds, fails or is interrupted.
 */
import { execa } from 'execa';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const install = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(install, 'dist/src/cli/main.js');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-project-'));
/** The user's cache directory of these runs ($XDG_CACHE_HOME). */
const xdg = path.join(work, 'xdg');
/** The runs' own temporary directory ($TMPDIR), so other tests' directories do not count. */
const tmp = path.join(work, 'tmp');

const env = (extra: Record<string, string> = {}) => ({ NO_COLOR: '1', XDG_CACHE_HOME: xdg, TMPDIR: tmp, XENOPORT_CACHE_DIR: '', ...extra });
const xenoport = (args: string[], cwd: string, extra: Record<string, string> = {}) =>
  execa('node', [cli, ...args], { cwd, reject: false, all: true, stdin: 'ignore', env: env(extra), timeout: 120_000 });

/** Every path under `dir` (recursively), or [] when it does not exist. */
function listing(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort();
}

/** A kernel directory: config.sh (a config(8) stand-in) listing sys/kern/*.c, and sys/i386/include. */
function kernel(dir: string, files: Record<string, string>): void {
  mkdirSync(path.join(dir, 'sys', 'kern'), { recursive: true });
  mkdirSync(path.join(dir, 'sys', 'i386', 'include'), { recursive: true });
  mkdirSync(path.join(dir, 'sys', 'i386', 'i386'), { recursive: true });
  writeFileSync(path.join(dir, 'sys', 'i386', 'include', 'param.h'), '#define XVAL 3\n');
  writeFileSync(path.join(dir, 'sys', 'i386', 'i386', 'machdep.c'), 'void\ncpu_halt(void)\n{\n\t__asm __volatile("hlt");\n}\n');
  const names = Object.keys(files);
  for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, 'sys', 'kern', name), text);
  writeFileSync(path.join(dir, 'config.sh'), `#!/bin/sh\necho "COPTS=-DTINY"\necho "SRCS= \\\\"\n${names.map((n, i) => `echo "\tkern/${n}${i < names.length - 1 ? ' \\\\' : ''}"`).join('\n')}\n`);
}

const PIPELINE = 'version: 1\nsource: mykernel/sys\noutput: build/xeno/sys\nstages:\n  - name: copy-arch\n    kind: copy-arch\n';

beforeAll(() => {
  mkdirSync(tmp);
  // A project: the pipeline file at its top, the kernel beside it, a subdirectory to run from.
  kernel(path.join(work, 'proj', 'mykernel'), { 'a.c': '#include <machine/param.h>\nint\nf(void)\n{\n\treturn (XVAL);\n}\n' });
  writeFileSync(path.join(work, 'proj', 'xenoport.pipeline.yaml'), PIPELINE);
  mkdirSync(path.join(work, 'proj', 'mykernel', 'sys', 'kern', 'deep'), { recursive: true });
  // A project whose pipeline file is wrong: the error shows which file was found.
  kernel(path.join(work, 'broken', 'mykernel'), { 'a.c': 'int x;\n' });
  writeFileSync(path.join(work, 'broken', 'xenoport.pipeline.yaml'), 'version: 1\nsource: mykernel/sys\noutput: out\nstages: []\n');
  mkdirSync(path.join(work, 'broken', 'sub'));
  mkdirSync(path.join(work, 'empty'));
});

describe.skipIf(!existsSync(cli) || existsSync(path.join(tmpdir(), 'xenoport.pipeline.yaml')))('projects of a porter\'s own (built CLI)', () => {
  it('xenify finds the project\'s pipeline file from a subdirectory and caches under the project', async () => {
    const r = await xenoport(['xenify'], path.join(work, 'proj', 'mykernel', 'sys', 'kern', 'deep'));
    expect(r.exitCode, r.all).toBe(0);
    expect(existsSync(path.join(work, 'proj', 'build', 'xeno', 'sys', 'i386-xeno', 'i386', 'machdep.c'))).toBe(true);
    expect(listing(path.join(work, 'proj', '.xenoport', 'cache')).some((f) => f.startsWith('pipeline-'))).toBe(true);
    expect(r.all).not.toContain('bundled');
  });

  it('boot, port and pipeline use the pipeline file found above the current directory', async () => {
    const file = path.join(work, 'broken', 'xenoport.pipeline.yaml');
    for (const args of [['boot'], ['port'], ['pipeline'], ['boot', '--mode', 'breakpoint']]) {
      const r = await xenoport(args, path.join(work, 'broken', 'sub'));
      expect(r.exitCode, `${args.join(' ')}: ${r.all}`).toBe(2);
      expect(r.all).toContain(`${file}:4:9: /stages: must NOT have fewer than 1 items`);
    }
  });

  it('the bundled pipeline file only for the bundled sample kernel, and said so', async () => {
    const dir = path.join(work, 'empty');
    const r = await xenoport(['xenify', '--dry-run'], dir);
    expect(r.exitCode, r.all).toBe(0);
    expect(r.stderr).toContain(`no xenoport.pipeline.yaml in ${dir} or above it: using the bundled sample kernel's (${path.join(install, 'xenoport.pipeline.yaml')})`);
    const other = await xenoport(['xenify', '--source', path.join(work, 'proj', 'mykernel', 'sys')], dir);
    expect(other.exitCode).toBe(2);
    expect(other.stderr).toMatch(/no xenoport\.pipeline\.yaml in .* or any directory above it: write one .* or name one with --config/);
    const boot = await xenoport(['boot', '--kernel', path.join(work, 'proj', 'mykernel')], dir);
    expect(boot.exitCode).toBe(2);
    expect(boot.stderr).toContain('no xenoport.pipeline.yaml in');
  });

  it('caches go to the user\'s cache directory outside a project, never to the install directory', async () => {
    const before = [...listing(path.join(install, '.xenoport')), ...listing(path.join(install, '.xenoport-cache'))];
    mkdirSync(path.join(work, 'plain', 'k'), { recursive: true });
    writeFileSync(path.join(work, 'plain', 'k', 'a.c'), 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n');
    expect((await xenoport(['scan', 'k'], path.join(work, 'plain'))).exitCode).toBe(1);
    expect(listing(path.join(xdg, 'xenoport', 'scan')).length).toBeGreaterThan(0);
    // In the install directory the bundled pipeline file is found, but the cache still goes to the user's.
    const inInstall = await xenoport(['scan', 'kern/subr_prf.c'], path.join(install, 'sample-kernel', 'sys'), { XDG_CACHE_HOME: path.join(work, 'xdg2') });
    expect(inInstall.exitCode, inInstall.all).toBeLessThan(2);
    expect(listing(path.join(work, 'xdg2', 'xenoport', 'scan')).length).toBeGreaterThan(0);
    expect([...listing(path.join(install, '.xenoport')), ...listing(path.join(install, '.xenoport-cache'))]).toEqual(before);
    // XENOPORT_CACHE_DIR still wins.
    const own = path.join(work, 'own-cache');
    await xenoport(['scan', 'k'], path.join(work, 'plain'), { XENOPORT_CACHE_DIR: own });
    expect(listing(path.join(own, 'scan')).length).toBeGreaterThan(0);
  });

  it('no temporary directory outlives a compile, a run, a failed compile, or one stopped by Ctrl-C', async () => {
    const k = path.join(work, 'proj', 'mykernel');
    const ok = await xenoport(['compile', '--kernel', k, '--no-link'], work);
    expect(ok.exitCode, ok.all).toBe(0);
    expect(ok.stdout).toContain('compiled 1 files');
    expect(readdirSync(tmp)).toEqual([]);
    writeFileSync(path.join(work, 'prog.c'), '#include <stdio.h>\nint\nmain(void)\n{\n\tprintf("hi\\n");\n\treturn (0);\n}\n');
    const run = await xenoport(['run', 'prog.c'], work);
    expect(run.exitCode, run.all).toBe(0);
    expect(run.stdout).toContain('hi');
    expect(readdirSync(tmp)).toEqual([]);
    const bad = path.join(work, 'badkernel');
    kernel(bad, { 'a.c': 'int\nf(void)\n{\n\treturn (;\n}\n' });
    const failed = await xenoport(['compile', '--kernel', bad, '--no-link'], work);
    expect(failed.exitCode).toBe(2);
    expect(readdirSync(tmp)).toEqual([]);
    // A file big enough that the compile is still running when the signal comes.
    const slow = path.join(work, 'slowkernel');
    kernel(slow, { 'big.c': Array.from({ length: 6000 }, (_, i) => `int\ng${i}(int x)\n{\n\treturn (x * ${i} + 1);\n}\n`).join('') });
    const child = execa('node', [cli, 'compile', '--kernel', slow, '--no-link'], { cwd: work, reject: false, env: env() });
    const t0 = Date.now();
    while (!readdirSync(tmp).some((d) => d.startsWith('xeno-machine-')) && Date.now() - t0 < 60_000) await new Promise((r) => setTimeout(r, 10));
    expect(readdirSync(tmp).some((d) => d.startsWith('xeno-machine-'))).toBe(true);
    child.kill('SIGINT');
    const r = await child;
    expect(r.exitCode).toBe(130);
    expect(readdirSync(tmp)).toEqual([]);
  }, 300_000);
});
