// End to end (seed steps 9-11 on the sample kernel): `xenoport port` from breakpoint
// mode to the root mount under the hypervisor (the root file system image is the domain
// builder's module), and the Xen boot in hypercall mode, which mounts it and halts
// cleanly with the native banner lines.
import { execa } from 'execa';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootXen, eventRecorder, portLoop, realPortStages } from '../../src/port/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const pipelineFile = path.join(root, 'xenoport.pipeline.yaml');
const kernel = path.join(root, 'sample-kernel');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-e2e-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
/** The root file system image, the domain builder's module (start_info mod_start/mod_len). */
let module: Uint8Array;
beforeAll(async () => {
  await execa('make', ['-s', '-C', kernel, 'root']);
  module = readFileSync(path.join(kernel, 'build/i386/root.img'));
});

describe('the sample kernel under the hypervisor', () => {
  it('xenoport port reaches the root mount from breakpoint mode on its own', async () => {
    const lines: string[] = [];
    const r = await portLoop(realPortStages(pipelineFile, kernel, path.join(work, 'port/sys'), path.join(work, 'cache')), {
      memoryMB: 32,
      maxSteps: 2e9,
      module,
      onLine: (l) => lines.push(l),
    });
    expect(r.outcome, `${lines.join('\n')}\n${r.last?.reportText ?? ''}`).toBe('root-mount');
    expect(r.last!.console).toMatch(/^\/dev\/md0 on \/ \(ufs, local, read-only\)$/m);
    // One numbered line per iteration; the first boot stops at a breakpoint stub.
    expect(lines[0]).toMatch(/^1: stopped at the breakpoint stub of rule \S+ \(sys\/i386\/\S+:\d+\)/);
    expect(r.switched.length).toBeGreaterThan(5);
    // Again with the same caches: every boot is a cache hit, and the port says the same.
    const again: string[] = [];
    const r2 = await portLoop(realPortStages(pipelineFile, kernel, path.join(work, 'port/sys'), path.join(work, 'cache')), {
      memoryMB: 32,
      maxSteps: 2e9,
      module,
      onLine: (l) => again.push(l),
    });
    expect(again).toEqual(lines);
    expect(r2.iterations.every((it) => it.run?.cached)).toBe(true);
    expect(r2.last!.console).toBe(r.last!.console);
    expect(r2.last!.events).toEqual(r.last!.events);
  }, 1_800_000);

  it('xenoport boot --mode hypercall prints the banner, mounts the root from the module, with hypercall counts', async () => {
    const rec = eventRecorder();
    const r = await bootXen({ mode: 'hypercall', pipelineFile, configFrom: kernel, output: path.join(work, 'boot/sys'), memoryMB: 32, maxSteps: 2e9, module, onEvent: rec.onEvent });
    // Every hypercall of the boot is an event (what --trace-json writes), at rising guest steps.
    expect(rec.log.kinds.filter((k) => k === 'hypercall').length).toBe(r.run!.hypercalls);
    expect(rec.log.steps.every((s, i) => i === 0 || s >= rec.log.steps[i - 1]!)).toBe(true);
    expect(r.ok, r.summary).toBe(true);
    expect(r.summary).toMatch(/hypercalls by kind|by kind:/);
    // The kernel halts for good (cli; hlt, as natively): a clean end, no crash report.
    expect(r.run!.outcome).toBe('halted');
    expect(r.run!.report).toBeUndefined();
    // The banner lines that must be the same as the native boot's are the same.
    const native = readFileSync(path.join(kernel, 'expected/native-console.txt'), 'latin1').split('\n');
    const xen = r.run!.console.split(/\r?\n/);
    for (const line of native.filter((l) => /^(Copyright|FreeBSD 4|CPU: |  Origin|clock: |proc: kernel thread|Mounting root|vfs_mountroot|panic: |The operating system)/.test(l))) {
      expect(xen, line).toContain(line);
    }
    expect(xen).toContain('real memory  = 33554432 (32768K bytes)');
    // Batched page-table updates (the pipeline's default, seed step 15): a few dozen calls at
    // most where flush-each makes about 15,000, several requests each.
    expect(r.run!.counts.mmu_update).toBeGreaterThan(0);
    expect(r.run!.counts.mmu_update).toBeLessThan(200);
    expect(r.run!.platform.mmuStats.requests).toBeGreaterThan(2 * r.run!.platform.mmuStats.calls);
  }, 1_800_000);
});
