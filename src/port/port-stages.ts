/*
 * The port loop's real stages: xenify with the pipeline file into a tree of its own
 * (the user's build/xeno is not replaced), rule modes from the loop; build with the
 * kernel configuration of `configFrom` through the compile cache; boot through the
 * build and boot caches (src/port/boot-cache.ts) unless `cache` is false.
 *
 * recall() answers an iteration from the caches without generating its tree: the
 * pipeline plans the run (a dry run: every stage's key and the tree's key, nothing
 * written), and an iteration entry keyed by that tree key, the kernel configuration,
 * the compiler and the run options names the image and the manifest the boot was
 * keyed by, and the edits of the rules the loop asked about. Anything missing is a
 * miss, and the loop then runs the stages.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PipelineError } from '../errors.js';
import { compilerFingerprint, type KernelBuild } from '../compile/index.js';
import type { XenRunOptions } from '../hypervisor/index.js';
import { defaultScan, loadPipeline, manifestSourceMap, readManifest, runPipeline, type PipelineConfig, type RuleMode } from '../rewrite/index.js';
import { imageKey, manifestKey, PortCache, recordBoot, rootSpelling, type BootRecord } from './boot-cache.js';
import { lineAt, type PortBuild, type PortStages, type SiteEdit } from './port-loop.js';
import { buildXenoKernel, unitCacheAt } from './xen-kernel.js';

export function realPortStages(pipelineFile: string, configFrom: string, output?: string, cacheDir?: string, force = false, cache = true, pteUpdates?: 'flush-each' | 'batched'): PortStages {
  let config: PipelineConfig | undefined;
  const load = (): PipelineConfig => {
    if (!config) {
      config = loadPipeline(pipelineFile);
      if (output) config.output = path.resolve(output);
      if (cacheDir) config.cache = path.resolve(cacheDir);
      if (pteUpdates) config.pteUpdates = pteUpdates;
    }
    return config;
  };
  const pc = cache ? new PortCache(path.join(load().cache, 'port')) : undefined;
  /** The iteration at hand: its entry key, and the entry when it was recalled (its tree not generated). */
  let current: { key?: string; recalled?: { edits: Record<string, SiteEdit[]> } } = {};
  const setModes = (hypercall: Set<string>): PipelineConfig => {
    const c = load();
    const ruleModes: Record<string, RuleMode> = {};
    for (const r of hypercall) ruleModes[r] = 'hypercall';
    for (const s of c.stages) if (s.kind === 'rewrite') s.ruleModes = { ...s.ruleModes, ...ruleModes };
    return c;
  };
  const iterationKey = (treeKey: string, opts: XenRunOptions): string | undefined => {
    const c = load();
    const o = pc?.bootKey('', opts, '');
    return o && createHash('sha256').update(JSON.stringify([treeKey, c.source, c.output, readFileSync(path.join(configFrom, 'config.sh'), 'utf8'), compilerFingerprint(), o])).digest('hex');
  };
  const compile = async (): Promise<PortBuild & { build: KernelBuild }> => {
    const c = load();
    const b = await buildXenoKernel(c.output, configFrom, undefined, undefined, unitCacheAt(path.join(c.cache, 'compile')));
    return { build: b, image: b.image, errors: b.errors, sourceMap: manifestSourceMap(c.output) };
  };
  return {
    async recall(hypercall, opts) {
      current = {};
      if (!pc) return undefined;
      const c = setModes(hypercall);
      const plan = await runPipeline(c, { mode: 'breakpoint', dryRun: true, scan: defaultScan });
      const key = plan.treeKey && iterationKey(plan.treeKey, opts);
      if (!key) return undefined;
      current = { key };
      const entry = pc.readIteration(key);
      const bootKey = entry && pc.bootKey(entry.image, opts, entry.manifest);
      const record = bootKey ? pc.readBoot(bootKey, rootSpelling(c.output)) : undefined;
      if (record) current.recalled = entry;
      return record;
    },
    async xenify(hypercall) {
      const c = setModes(hypercall);
      current.recalled = undefined;
      await runPipeline(c, { mode: 'breakpoint', force, scan: defaultScan });
    },
    async build() {
      const c = load();
      if (!pc) return compile();
      const root = rootSpelling(c.output);
      const key = pc.buildKey(c.output, configFrom, 'i386-xeno', 'GENERIC');
      const hit = pc.readBuild(key, root);
      if (hit && (hit.image || hit.errors.length)) return { key: hit.image, errors: hit.errors, sourceMap: manifestSourceMap(c.output) };
      const b = await compile();
      const image = b.image && imageKey(b.image, root);
      pc.writeBuild(key, { image, errors: b.errors }, root);
      return { ...b, key: image };
    },
    async boot(b, opts) {
      const c = load();
      const root = rootSpelling(c.output);
      const manifest = manifestKey(c.output, root);
      const key = pc && b.key ? pc.bootKey(b.key, opts, manifest) : undefined;
      let run: BootRecord | undefined = key ? pc!.readBoot(key, root) : undefined;
      if (!run) {
        const image = b.image ?? (await compile()).image;
        if (!image) throw new PipelineError(`the kernel in ${c.output} built before but does not build now`);
        run = recordBoot(image, opts);
        run.generatedLine = lineAt(run.report?.generated);
        if (key) pc!.writeBoot(key, run, root);
      }
      if (pc && b.key && current.key) pc.writeIteration(current.key, b.key, manifest);
      return run;
    },
    ruleEdits(rule) {
      if (current.recalled) return current.recalled.edits[rule] ?? [];
      const m = readManifest(load().output);
      const out: SiteEdit[] = [];
      for (const [file, f] of Object.entries(m?.files ?? {})) for (const e of f.edits) if (e.ruleId === rule) out.push({ file, where: e.where, replacement: e.replacement });
      if (pc && current.key) pc.addIterationEdits(current.key, rule, out);
      return out;
    },
  };
}
