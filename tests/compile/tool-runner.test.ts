// The helper process that runs cpp for the compiler (src/compile/tool-runner.ts): the
// same exit code, output and errors as execa run from this process, in the directory
// asked for; a missing program is a failure, not a crash; and an idle helper never
// keeps its process alive.
import { execa } from 'execa';
import path from 'node:path';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { runTool } from '../../src/compile/tool-runner.js';
import { PROJECT_ROOT } from '../../src/project-root.js';

describe('runTool', () => {
  it('gives what execa gives: exit code, stdout and stderr with their final newlines', async () => {
    const script = 'printf "out\\n"; printf "err\\n" >&2; exit 3';
    const r = await runTool('sh', ['-c', script]);
    const e = await execa('sh', ['-c', script], { reject: false, stripFinalNewline: false });
    expect(r).toMatchObject({ exitCode: 3, failed: true, stdout: 'out\n', stderr: 'err\n' });
    expect([r.exitCode, r.stdout, r.stderr]).toEqual([e.exitCode, e.stdout, e.stderr]);
    const ok = await runTool('cpp', ['--version']);
    expect(ok.failed).toBe(false);
    expect(ok.stdout).toBe(String((await execa('cpp', ['--version'], { stripFinalNewline: false })).stdout));
  });

  it('runs in the directory asked for', async () => {
    expect((await runTool('sh', ['-c', 'pwd'], tmpdir())).stdout.trim()).toBe(tmpdir());
  });

  it('says that a program is missing', async () => {
    const r = await runTool('xenoport-no-such-program', []);
    expect(r.failed).toBe(true);
    expect(r.exitCode).toBeUndefined();
    expect(r.shortMessage).toMatch(/xenoport-no-such-program/);
  });

  it('lets its process end once the work is done', async () => {
    const mod = path.join(PROJECT_ROOT, 'dist', 'src', 'compile', 'tool-runner.js');
    const t0 = performance.now();
    const r = await execa(process.execPath, ['--input-type=module', '-e', `const { runTool } = await import(${JSON.stringify(mod)}); console.log((await runTool('sh', ['-c', 'echo hi'])).stdout.trim());`], { timeout: 20_000 });
    expect(r.stdout).toBe('hi');
    expect(performance.now() - t0).toBeLessThan(15_000);
  });
});
