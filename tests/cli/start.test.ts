/*
 * `xenoport start` (npm start) runs every stage of the pipeline on the sample kernel:
 * the scan summary, the native gcc build (and the QEMU boot when qemu is installed),
 * xenoport's own compile of the kernel, the boot on the emulated PC whose console
 * must equal QEMU's, the port loop under the hypervisor and the Xen boot to the root
 * mount failure, then the ported kernel with the XIR root image running the
 * validation suite, which ends the output; before that summary, the same kernel
 * with its root on NFS from domain 0 runs the suite again, with its write step. The
 * port and the stages after it run on worker threads beside the first stages; the
 * output keeps the pipeline's order.
 */
import { execa } from 'execa';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { findQemu } from '../../src/native/index.js';
import { dom0Unavailable } from '../../src/dom0/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cli = path.join(root, 'dist/src/cli/main.js');

describe('xenoport start', () => {
  let stdout = '';
  let exitCode: number | undefined;
  beforeAll(async () => {
    const r = await execa('node', [cli, 'start', '--output', path.join(root, 'build/test-start/sys'), '--html', path.join(root, 'build/test-start/report')], { reject: false, cwd: root });
    stdout = String(r.stdout);
    exitCode = r.exitCode;
  }, 900_000); // The whole pipeline; minutes on a busy machine.

  it('exits 0 after running every stage, in pipeline order', () => {
    expect(exitCode).toBe(0);
    const headings = stdout.split('\n').filter((l) => l.startsWith('== ')).map((l) => l.slice(3, 20));
    expect(headings.slice(0, 5)).toEqual([
      'scan: privileged ',
      'native kernel: gc',
      'xenoport compile ',
      'native boot on th',
      'Xen: port loop fr',
    ]);
    // The port and the stages after it run side by side on worker threads; their output keeps this order.
    const later = ['== Xen: port loop from', '== Xen: the ported kernel mounts the XIR root image', '== Xen: the ported kernel with its root on NFS', '== Xen: newfs on xbd0', '== Xen: page-table updates flushed one by one'];
    const at = later.map((h) => stdout.indexOf(h));
    expect(at.every((k) => k > 0)).toBe(true);
    expect([...at].sort((a, b) => a - b)).toEqual(at);
    expect(stdout).toMatch(/^== time: .*\(the port and the stages after it on worker threads, \d+ at a time, beside the first four\); total \d+\.\d s$/m);
  });

  it('summarises the scan of the sample kernel with findings in every category', () => {
    for (const category of ['privileged-instruction', 'sensitive-instruction', 'privileged-wrapper', 'pte-write', 'pte-read', 'cpu-feature', 'va-hole', 'console']) {
      expect(stdout).toMatch(new RegExp(`^\\s+${category}\\s+[1-9]\\d*$`, 'm'));
    }
  });

  it('boots the compiled kernel on the emulated PC to the root mount failure', () => {
    expect(stdout).toMatch(/^\d+ files, \d+ functions, \d+ IR instructions, entry btext$/m);
    expect(stdout).toContain('vfs_mountroot: unable to mount root file system');
    expect(stdout).toMatch(/^-- halt \(.*\) after \d+ IR instructions/m);
  });

  it.skipIf(!findQemu())('says the emulated PC console equals the QEMU console byte for byte', () => {
    expect(stdout).toContain('console: identical to the QEMU boot, byte for byte');
  });

  it('runs the port loop under the hypervisor, one numbered line per iteration, with hypercall counts', () => {
    expect(stdout).toMatch(/^1: stopped at the breakpoint stub of rule \S+ \(sys\/i386\/[^)]+:\d+\); switching \S+ to hypercall mode$/m);
    expect(stdout).toMatch(/^== hypercalls by kind \(\d+ in all\)$/m);
    expect(stdout).toMatch(/^ {2}console_io\s+[1-9]\d*$/m);
  });

  it('ends at "unable to mount root file system" under the hypervisor (seed step 11)', () => {
    expect(stdout).toMatch(/^\d+: reached "unable to mount root file system" after \d+ hypercalls \(\d+ rules switched to hypercall mode\)$/m);
    const xenConsole = stdout.slice(stdout.indexOf('== Xen boot of the ported kernel (console)'));
    expect(xenConsole).toContain('vfs_mountroot: unable to mount root file system');
    expect(xenConsole).toMatch(/^ {2}mmu_update\s+[1-9]\d*$/m);
    // Seed step 15: both pte-updates modes side by side, under the race detector.
    expect(stdout).toMatch(/^ {2}mmu_update\s+\d+\s+\d+$/m);
    expect(stdout).toMatch(/^-- mmu_update \d+ -> \d+ calls \([\d.]+x fewer\); races 0; consoles identical$/m);
    expect(stdout).toContain('\nxenoport: the port loop brings the i386-xeno kernel to the root mount under the hypervisor\n');
  });

  it('then runs the validation suite under the hypervisor from the XIR root image and ends with its hypercalls per program and the summary line', () => {
    const suite = stdout.slice(stdout.indexOf("== Xen: the ported kernel mounts the XIR root image"));
    expect(suite).toMatch(/^\/dev\/md0 on \/ \(ufs, local, read-only\)$/m);
    expect(suite).toMatch(/^PASS spin: killed by SIGKILL, as expected$/m);
    const tail = stdout.slice(stdout.lastIndexOf('== the validation suite under the hypervisor, per program')).trimEnd().split('\n');
    expect(tail.at(-1)).toBe('validation: 13/13 passed');
    for (const app of ['forkstorm', 'cow', 'memory', 'pfstorm', 'pipes', 'execchain', 'files', 'cpu', 'efault', 'nullderef', 'privinsn', 'divzero', 'spin']) {
      expect(tail.some((l) => new RegExp(`^  ${app} +\\d+ +\\d+\\.\\d+ s +[1-9]\\d* +\\w`).test(l)), app).toBe(true);
    }
  });

  it('runs the suite again with the root on NFS from domain 0, or says why it cannot here', () => {
    const nfs = stdout.slice(stdout.indexOf('== Xen: the ported kernel with its root on NFS from domain 0'));
    expect(nfs).toMatch(/^-- nfs: \d+\.\d s$/m);
    if (dom0Unavailable()) expect(stdout).toMatch(/^the validation suite did not run from the NFS root: .+$/m);
    else {
      expect(nfs).toMatch(/^Mounting root from nfs:169\.254\.1\.0:\S+$/m);
      expect(nfs).toMatch(/^PASS nfswrite$/m);
      expect(stdout).toMatch(/^with the root on NFS from domain 0: validation: (\d+)\/\1 passed$/m);
    }
  });

  it("prints each stage's time and where the HTML report is", () => {
    for (const stage of ['scan', 'native', 'compile', 'pc-boot', 'port', 'suite']) expect(stdout).toMatch(new RegExp(`^-- ${stage}: \\d+\\.\\d s$`, 'm'));
    expect(stdout).toMatch(/^-- port loop: \d+ iterations; xenify \d+\.\d s, compile \d+\.\d s, boot \d+\.\d s$/m);
    expect(stdout).toMatch(/^== time: scan .*; total \d+\.\d s$/m);
    const index = path.join(root, 'build/test-start/report/index.html');
    expect(stdout).toContain(`the HTML report: ${index}`);
    const data = readFileSync(path.join(root, 'build/test-start/report/data.js'), 'utf8');
    expect(data).toMatch(/^window\.XENOPORT_REPORT = \{/);
    // The report carries the suite this run printed, and steps 13 and 15 as done.
    const report = JSON.parse(data.replace(/^window\.XENOPORT_REPORT = /, '').replace(/;\s*$/, '')) as { suite?: { summary?: string; parts: unknown[] }; steps: { n: number; status: string }[] };
    const summary = /^validation: \d+\/\d+ passed$/m.exec(stdout)?.[0];
    expect(report.suite?.summary).toBe(summary);
    expect(report.suite?.parts.length).toBeGreaterThan(10);
    expect(report.steps.filter((s) => s.n === 13 || s.n === 15).map((s) => s.status)).toEqual(['done', 'done']);
  });
});
