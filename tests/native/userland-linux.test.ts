/*
 * The suite's programs print the same lines on the build host's Linux as on the
 * sample kernel: the same sources, built by gcc against the same library with its
 * Linux system call layer (sample-kernel/userland/lib/libc/sys-linux) instead of the
 * FreeBSD stubs, run as i386 Linux programs, and each line compared with the one the
 * golden QEMU console shows for that program. The bad programs print nothing, and
 * init needs to be process 1; they are not compared.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { describeI386Runner, i386Runner, runI386, type I386Runner } from '../../src/native/i386-exec.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernelDir = path.join(root, 'sample-kernel');
const obj = path.join(kernelDir, 'build/i386/userland');
const rootTree = path.join(kernelDir, 'build/i386/root');
const golden = readFileSync(path.join(kernelDir, 'expected/native-console.txt'), 'latin1').split('\n');

/** Programs that exec an i386 program themselves: user-mode QEMU runs them only where the host could too. */
const EXECS = new Set(['pipes', 'execchain']);
const PROGRAMS: { name: string; args: () => string[] }[] = [
  { name: 'forkstorm', args: () => [] },
  { name: 'cow', args: () => [] },
  { name: 'memory', args: () => [] },
  { name: 'pfstorm', args: () => [] },
  { name: 'pipes', args: () => [] },
  { name: 'execchain', args: () => [] },
  { name: 'files', args: () => [rootTree] },
  { name: 'cpu', args: () => [] },
  { name: 'efault', args: () => [] },
];

let runner: I386Runner;
beforeAll(async () => {
  await execa('make', ['-s', '-C', kernelDir, 'native', 'root'], { all: true });
  await execa('make', ['-s', '-C', path.join(kernelDir, 'userland'), 'linux', `OBJ=${obj}`], { all: true });
  runner = await i386Runner();
  if (runner.kind === 'none') console.warn(describeI386Runner(runner));
  // execchain checks that the environment init gives it survives every exec.
  process.env.SUITE = 'validation';
}, 180_000);

describe('the suite\'s programs on Linux print what they print on the sample kernel', () => {
  it.each(PROGRAMS)('$name', async ({ name, args }) => {
    if (runner.kind === 'none') {
      expect(process.env.CI, describeI386Runner(runner)).toBeUndefined();
      return;
    }
    if (runner.kind === 'qemu-user' && EXECS.has(name)) {
      console.warn(`${name}: not run: it execs an i386 program, which ${describeI386Runner(runner)} cannot`);
      return;
    }
    // What the program printed: the line just before init's verdict on it.
    const pass = golden.indexOf(`PASS ${name}`);
    expect(pass, `no PASS ${name} in the golden console`).toBeGreaterThan(0);
    const expected = [golden[pass - 1]];
    expect(expected[0]).toMatch(new RegExp(`^${name}: `));
    const r = await runI386(path.join(obj, 'linux/bin', name), args(), { runner, timeoutMs: 60_000 });
    expect(r.timedOut).toBe(false);
    expect(r.stdout.split('\n').filter((l) => l !== ''), r.stderr).toEqual(expected);
    expect(r.exitCode).toBe(0);
  }, 90_000);
});
