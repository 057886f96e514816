/*
 * The pipeline's cache cannot lie: a cached stage result with one flipped digit, a
 * state file of another shape or a truncated one is a miss. The stage runs again
 * and the generated tree is what a cold run makes, byte for byte.
 */
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../src/rewrite/index.js';
import { fakeScan, hashTree, workspace } from './helpers.js';

function stageFiles(cache: string, stage: string): string[] {
  const dir = path.join(cache, 'stages');
  return readdirSync(dir).filter((f) => f.startsWith(`${stage}-`)).map((f) => path.join(dir, f));
}

describe('pipeline cache integrity', () => {
  it('a flipped digit in a cached stage result is rerun, not copied into the tree', async () => {
    const { config } = workspace();
    await runPipeline(config, { scan: fakeScan });
    const good = hashTree(config.output);
    const [file] = stageFiles(config.cache, 'minimal-os');
    const text = readFileSync(file!, 'utf8');
    // The guest header's 64-bit wrappers shift by 32: damage one such digit.
    expect(text).toMatch(/>> 32/);
    writeFileSync(file!, text.replace('>> 32', '>> 62'));
    rmSync(config.output);
    const r = await runPipeline(config, { scan: fakeScan });
    expect(r.changed).toBe(true);
    expect(hashTree(config.output)).toBe(good);
    expect(readFileSync(path.join(config.output, 'i386-xeno/include/xen/hypervisor.h'), 'utf8')).not.toMatch(/>> 62/);
  });

  it('a state file of the wrong shape, or cut short, is a cold start, not a crash', async () => {
    const { config } = workspace();
    await runPipeline(config, { scan: fakeScan });
    const good = hashTree(config.output);
    const state = readdirSync(config.cache).find((f) => f.startsWith('pipeline-'))!;
    for (const damage of [(t: string) => t.replace(/"stages":\{/, '"stages":[').replace(/\}\}$/, ']}'), (t: string) => t.slice(0, t.length / 2), () => '{"stat": 7}']) {
      const full = path.join(config.cache, state);
      writeFileSync(full, damage(readFileSync(full, 'utf8')));
      const r = await runPipeline(config, { scan: fakeScan });
      expect(r.stages.every((s) => s.ran), 'every stage ran again').toBe(true);
      expect(hashTree(config.output)).toBe(good);
    }
  });
});
