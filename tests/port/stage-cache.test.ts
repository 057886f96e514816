// The stage cache of npm start's NFS-root and step-14 stages (src/port/stage-cache.ts):
// a second run with the same inputs replays the first one's text and result without
// running anything; a changed input (the tree the guest sees, the run options) runs
// the real stage again. The boots are cut short by a small step limit: what is
// cached is the stage's result, whatever it is.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { dom0Unavailable } from '../../src/dom0/index.js';
import { bootXenNfsRootCached, runStep14Cached } from '../../src/port/stage-cache.js';
import { checkStep14Disk, runStep14 } from '../../src/port/index.js';
import { hasCommand } from '../../src/port/disk-check.js';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../../src/project-root.js';

const work = mkdtempSync(path.join(tmpdir(), 'xeno-stage-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const cacheDir = path.join(work, 'cache');
const pipelineFile = path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml');
const output = path.join(work, 'xeno', 'sys');

describe('the step-14 stage cache', () => {
  const source = path.join(work, 'root');
  mkdirSync(path.join(source, 'etc'), { recursive: true });
  writeFileSync(path.join(source, 'etc', 'motd'), 'one\n');
  const opts = (maxSteps: number) => ({ pipelineFile, configFrom: SAMPLE_KERNEL_DIR, output, memoryMB: 32, maxSteps, workDir: path.join(work, 'step14'), root: 'module' as const, sourceTree: source });
  let runs = 0;
  const counted = { runStep14: (o: Parameters<typeof runStep14>[0]) => (runs++, runStep14(o)), checkStep14Disk, hasCommand };

  it('replays a run whose inputs are unchanged, and runs again when one changes', async () => {
    const first = await runStep14Cached(opts(2e6), cacheDir, counted);
    expect(runs).toBe(1);
    expect(first.cached).toBe(false);
    expect(first.r.first.run?.console).toMatch(/\S/);
    const again = await runStep14Cached(opts(2e6), cacheDir, counted);
    expect(runs).toBe(1);
    expect(again.cached).toBe(true);
    expect(again.r).toEqual(first.r);
    expect(again.check).toEqual(first.check);
    // Another step limit, then another file in the tree: each is a run.
    await runStep14Cached(opts(3e6), cacheDir, counted);
    expect(runs).toBe(2);
    writeFileSync(path.join(source, 'etc', 'motd'), 'two\n');
    const changed = await runStep14Cached(opts(2e6), cacheDir, counted);
    expect(runs).toBe(3);
    expect(changed.cached).toBe(false);
  }, 180_000);
});

describe.skipIf(!!dom0Unavailable())('the NFS-root stage cache', () => {
  it('replays the boot against nfs-ganesha, text and console, and boots again for other run options', async () => {
    const workDir = path.join(work, 'nfs');
    mkdirSync(workDir, { recursive: true });
    let printed = '';
    const o = (maxSteps: number) => ({ pipelineFile, configFrom: SAMPLE_KERNEL_DIR, output, memoryMB: 32, maxSteps, workDir, print: (s: string) => void (printed += s) });
    const first = await bootXenNfsRootCached(o(3e6), cacheDir);
    expect(first.cached).toBeUndefined();
    expect(first.exportDir).toBeDefined();
    expect(printed).toContain('root on NFS from domain 0');
    const text = printed;
    printed = '';
    const again = await bootXenNfsRootCached(o(3e6), cacheDir);
    expect(again.cached).toBe(true);
    expect(again.exportDir).toBeUndefined();
    expect(again.console).toBe(first.console);
    expect(printed).toBe(text);
    const other = await bootXenNfsRootCached(o(4e6), cacheDir);
    expect(other.cached).toBeUndefined();
  }, 180_000);
});
