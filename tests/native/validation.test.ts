/*
 * Issue 14's validation suite on the reference machine: the gcc-built sample kernel
 * boots in QEMU with the root image (its /sbin/init and the suite's programs built
 * by gcc against the project's own libc), and init runs /etc/rc to "validation:
 * N/N passed". The bad programs each end by the signal their parent (init) expects,
 * and the kernel's own line names the same signal; when init has exited every page
 * the processes used is free again and every kernel allocation made since is
 * returned.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { bootInQemu, findQemu } from '../../src/native/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernelDir = path.join(root, 'sample-kernel');
const rcPath = path.join(kernelDir, 'userland/root/etc/rc');
const HALT_LINE = /^The operating system has halted\.$/;

/** The programs /etc/rc lists: name and expectation. */
function rcEntries(): { name: string; expect: string }[] {
  return readFileSync(rcPath, 'utf8').split('\n')
    .map((l) => l.replace(/#.*/, '').trim())
    .filter((l) => l !== '')
    .map((l) => { const f = l.split(/\s+/); return { name: f[0], expect: f[1] }; });
}

const qemu = findQemu();
let consoleText = '';
let finished = false;

describe.skipIf(!qemu)('validation suite, gcc kernel and programs in QEMU', () => {
  beforeAll(async () => {
    await execa('make', ['-s', '-C', kernelDir, 'native', 'root'], { all: true });
    const boot = await bootInQemu({
      kernelPath: path.join(kernelDir, 'build/i386/kernel'),
      initrd: path.join(kernelDir, 'build/i386/root.img'),
      until: HALT_LINE,
      timeoutMs: 90_000,
    });
    consoleText = boot.console;
    finished = boot.finished;
  }, 150_000);

  it('runs every program of /etc/rc to "validation: N/N passed", N >= 8', () => {
    expect(finished, `no halt line\n${consoleText}`).toBe(true);
    const entries = rcEntries();
    expect(entries.length).toBeGreaterThanOrEqual(8);
    for (const e of entries) {
      expect(consoleText, `no PASS line for ${e.name}`).toMatch(new RegExp(`^PASS ${e.name}(:|$)`, 'm'));
    }
    expect(consoleText).not.toMatch(/^FAIL /m);
    expect(consoleText).toMatch(new RegExp(`^validation: ${entries.length}/${entries.length} passed$`, 'm'));
    expect(consoleText).toMatch(/^init: exited with status 0$/m);
  });

  // The kernel's line (sigexit or killproc) and init's judgement of the wait4 status.
  it.each([
    ['nullderef', 'SIGSEGV', 11, /exited on signal 11$/],
    ['privinsn', 'SIGBUS', 10, /exited on signal 10$/],
    ['divzero', 'SIGFPE', 8, /exited on signal 8$/],
    ['spin', 'SIGKILL', 9, /was killed: exceeded maximum CPU limit$/],
  ])('%s is stopped by %s and its parent sees that status', (name, sig, _num, kernelLine) => {
    const lines = consoleText.split('\n');
    const pass = lines.findIndex((l) => l === `PASS ${name}: killed by ${sig}, as expected`);
    expect(pass, `init did not see ${name} die of ${sig}`).toBeGreaterThan(0);
    const kernel = lines[pass - 1];
    expect(kernel).toMatch(new RegExp(`^pid \\d+ \\(${name}\\), uid 0`));
    expect(kernel).toMatch(kernelLine);
  });

  it('frees every page and every kernel allocation the processes used', () => {
    const m = /^memory: (\d+) pages free before init, (\d+) after$/m.exec(consoleText);
    expect(m, 'no memory line').not.toBeNull();
    expect(Number(m![2])).toBe(Number(m![1]));
    expect(Number(m![1])).toBeGreaterThan(1000);
    expect(consoleText).toMatch(/^malloc: every allocation since init started is freed$/m);
  });
});
