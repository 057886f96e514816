/*
 * The port loop (seed steps 9-11): boot the i386-xeno kernel with every rule in
 * breakpoint mode; when the domain stops at a breakpoint stub, switch that stub's
 * rule to hypercall mode, regenerate, rebuild, boot again; one line per iteration.
 * It ends at the root mount, mounted or "unable to mount root file system" (success), or at a stop no rule
 * can fix: a termination that is not a stub, a stub whose rule is already in
 * hypercall mode (its fix keeps a breakpoint), a kernel that does not build.
 *
 * The three stages are injected (PortStages), so the loop is tested with a
 * generated kernel and runs for real with xenify (src/rewrite), the compile
 * pipeline and the hypervisor (realPortStages).
 */
import path from 'node:path';
import type { LinkedImage } from '../ir/index.js';
import { runXenImage, type SourceMap, type XenRunOptions, type XenRunResult } from '../hypervisor/index.js';
import { defaultScan, loadPipeline, manifestSourceMap, runPipeline, type PipelineConfig, type RuleMode } from '../rewrite/index.js';
import { buildXenoKernel, unitCacheAt } from './xen-kernel.js';

export const ROOT_MOUNT_FAILURE = /unable to mount root file ?system/i;
/** The root mounted: the kernel prints the mount as mount(8) does ("/dev/md0 on / (ufs, ..."). */
export const ROOT_MOUNTED = /^\S+ on \/ \(\w+, /m;

export interface PortStages {
  /** Regenerates the tree with all rules in breakpoint mode except `hypercall`. */
  xenify(hypercall: Set<string>): Promise<void>;
  /** Builds the kernel; errors are a stop. */
  build(): Promise<{ image?: LinkedImage; errors: string[]; sourceMap?: SourceMap }>;
}

export interface PortIteration {
  n: number;
  /** What happened, as the one printed line says. */
  line: string;
  rule?: string;
  where?: string;
  run?: XenRunResult;
  /** Wall time of each phase of this iteration, in milliseconds. */
  ms: PhaseTimes;
}

/** Where an iteration's time went. */
export interface PhaseTimes {
  xenify: number;
  build: number;
  boot: number;
}

export interface PortResult {
  outcome: 'root-mount' | 'unfixable' | 'build-failed' | 'iteration-limit';
  /** Rules switched to hypercall mode, in order. */
  switched: string[];
  iterations: PortIteration[];
  /** The final boot (the root mount failure, or the stop). */
  last?: XenRunResult;
  message: string;
}

export interface PortOptions extends XenRunOptions {
  maxIterations?: number;
  /** Called with each iteration's line as it happens. */
  onLine?: (line: string) => void;
}

export async function portLoop(stages: PortStages, opts: PortOptions = {}): Promise<PortResult> {
  const hypercall = new Set<string>();
  const switched: string[] = [];
  const iterations: PortIteration[] = [];
  const say = (it: PortIteration): void => {
    iterations.push(it);
    opts.onLine?.(it.line);
  };
  const max = opts.maxIterations ?? 200;
  for (let n = 1; n <= max; n++) {
    const t0 = performance.now();
    await stages.xenify(hypercall);
    const t1 = performance.now();
    const b = await stages.build();
    const t2 = performance.now();
    const ms: PhaseTimes = { xenify: t1 - t0, build: t2 - t1, boot: 0 };
    if (!b.image) {
      const msg = `the kernel does not build: ${b.errors[0] ?? 'no image'}${b.errors.length > 1 ? ` (+${b.errors.length - 1} more)` : ''}`;
      say({ n, line: `${n}: ${msg}`, ms });
      return { outcome: 'build-failed', switched, iterations, message: msg };
    }
    const run = runXenImage(b.image, { ...opts, sourceMap: b.sourceMap ?? opts.sourceMap });
    ms.boot = performance.now() - t2;
    if (ROOT_MOUNT_FAILURE.test(run.console) || ROOT_MOUNTED.test(run.console)) {
      const what = ROOT_MOUNTED.test(run.console) ? 'the root mount' : '"unable to mount root file system"';
      const line = `${n}: reached ${what} after ${run.hypercalls} hypercalls (${switched.length} rules switched to hypercall mode)`;
      say({ n, line, run, ms });
      return { outcome: 'root-mount', switched, iterations, last: run, message: line };
    }
    const r = run.report;
    if (r?.kind === 'breakpoint-stub' && r.rule && !hypercall.has(r.rule)) {
      hypercall.add(r.rule);
      switched.push(r.rule);
      say({ n, line: `${n}: stopped at the breakpoint stub of rule ${r.rule} (${r.original ?? '?'}); switching ${r.rule} to hypercall mode`, rule: r.rule, where: r.original, run, ms });
      continue;
    }
    const why = r
      ? r.kind === 'breakpoint-stub'
        ? `rule ${r.rule} is in hypercall mode but its stub at ${r.original} is still hit: its fix keeps a breakpoint, no rule can fix this site`
        : `${r.reason} at ${r.original ?? r.generated ?? '?'}: no rule covers this site`
      : `the domain ended (${run.outcome}${run.shutdownReason ? ` ${run.shutdownReason}` : ''}) before the root mount`;
    const line = `${n}: stopped: ${why}`;
    say({ n, line, rule: r?.rule, where: r?.original, run, ms });
    return { outcome: 'unfixable', switched, iterations, last: run, message: why };
  }
  return { outcome: 'iteration-limit', switched, iterations, message: `no root mount after ${max} iterations` };
}

/**
 * The real stages: xenify with `pipelineFile` into `output` (a separate tree, so the
 * user's build/xeno is not replaced), rule modes from the loop; build with the
 * kernel configuration of `configFrom`.
 */
export function realPortStages(pipelineFile: string, configFrom: string, output?: string, cacheDir?: string, force = false): PortStages {
  let config: PipelineConfig | undefined;
  const load = (): PipelineConfig => {
    if (!config) {
      config = loadPipeline(pipelineFile);
      if (output) config.output = path.resolve(output);
      if (cacheDir) config.cache = path.resolve(cacheDir);
    }
    return config;
  };
  return {
    async xenify(hypercall) {
      const c = load();
      const ruleModes: Record<string, RuleMode> = {};
      for (const r of hypercall) ruleModes[r] = 'hypercall';
      for (const s of c.stages) if (s.kind === 'rewrite') s.ruleModes = { ...s.ruleModes, ...ruleModes };
      await runPipeline(c, { mode: 'breakpoint', force, scan: defaultScan });
    },
    async build() {
      const c = load();
      const b = await buildXenoKernel(c.output, configFrom, undefined, undefined, unitCacheAt(path.join(c.cache, 'compile')));
      return { image: b.image, errors: b.errors, sourceMap: manifestSourceMap(c.output) };
    },
  };
}
