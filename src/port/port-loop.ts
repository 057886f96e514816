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
import { readFileSync } from 'node:fs';
import type { LinkedImage } from '../ir/index.js';
import type { SourceMap, XenRunOptions } from '../hypervisor/index.js';
import { recordBoot, type BootRecord } from './boot-cache.js';

export const ROOT_MOUNT_FAILURE = /unable to mount root file ?system/i;
/** The root mounted: the kernel prints the mount as mount(8) does ("/dev/md0 on / (ufs, ..."). */
export const ROOT_MOUNTED = /^\S+ on \/ \(\w+, /m;

export interface PortStages {
  /** Regenerates the tree with all rules in breakpoint mode except `hypercall`. */
  xenify(hypercall: Set<string>): Promise<void>;
  /** Builds the kernel; errors are a stop. */
  build(): Promise<PortBuild>;
  /** Boots a build (default: its image under the hypervisor, recordBoot). */
  boot?(b: PortBuild, opts: XenRunOptions): Promise<BootRecord>;
  /** The edits the current tree has for `rule`'s sites (from its manifest). */
  ruleEdits?(rule: string): SiteEdit[];
  /**
   * The boot this iteration would make, when a cache knows it without generating the
   * tree (the loop then skips xenify, build and boot for a boot that only switches a
   * rule; ruleEdits answers for that tree).
   */
  recall?(hypercall: Set<string>, opts: XenRunOptions): Promise<BootRecord | undefined>;
}

/** A built kernel: its image, or a key a cache knows it by (a cached build is not linked again), or errors. */
export interface PortBuild {
  image?: LinkedImage;
  /** The image's content key, when the stage keeps a boot cache. */
  key?: string;
  errors: string[];
  sourceMap?: SourceMap;
}

/** What a rule made of one site: the file, the line, the text that replaced the site. */
export interface SiteEdit {
  file: string;
  where: string;
  replacement: string;
}

export interface PortIteration {
  n: number;
  /** What happened, as the one printed line says. */
  line: string;
  rule?: string;
  where?: string;
  /** The stub's line in the generated tree (sys/i386-xeno), as it was when the boot stopped. */
  generatedLine?: string;
  run?: BootRecord;
  /** For a switch: the rule's sites before (breakpoint stubs) and after (hypercall mode). */
  switchEdits?: { before: SiteEdit[]; after: SiteEdit[] };
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
  last?: BootRecord;
  message: string;
}

export interface PortOptions extends XenRunOptions {
  maxIterations?: number;
  /** Called with each iteration's line as it happens. */
  onLine?: (line: string) => void;
}

/** The text of line `file:line` (read from the working directory), if there is one. */
export function lineAt(where: string | undefined): string | undefined {
  const m = where && /^(.*):(\d+)$/.exec(where);
  if (!m) return undefined;
  try {
    return readFileSync(m[1]!, 'latin1').split('\n')[Number(m[2]) - 1];
  } catch {
    return undefined;
  }
}

export async function portLoop(stages: PortStages, opts: PortOptions = {}): Promise<PortResult> {
  const hypercall = new Set<string>();
  const switched: string[] = [];
  const iterations: PortIteration[] = [];
  const say = (it: PortIteration): void => {
    iterations.push(it);
    opts.onLine?.(it.line);
  };
  const boot = stages.boot?.bind(stages) ?? (async (b: PortBuild, o: XenRunOptions) => recordBoot(b.image!, o));
  const max = opts.maxIterations ?? 200;
  const { onLine: _, maxIterations: __, ...runOpts } = opts;
  for (let n = 1; n <= max; n++) {
    const t0 = performance.now();
    const known = await stages.recall?.(hypercall, runOpts);
    const r0 = known?.report;
    if (known && !ROOT_MOUNT_FAILURE.test(known.console) && !ROOT_MOUNTED.test(known.console) && r0?.kind === 'breakpoint-stub' && r0.rule && !hypercall.has(r0.rule)) {
      // A switch the cache already knows: the tree of this iteration is not generated.
      const prev = iterations.at(-1);
      if (prev?.switchEdits && prev.rule) prev.switchEdits.after = stages.ruleEdits?.(prev.rule) ?? [];
      hypercall.add(r0.rule);
      switched.push(r0.rule);
      const switchEdits = { before: stages.ruleEdits?.(r0.rule) ?? [], after: [] };
      const ms: PhaseTimes = { xenify: performance.now() - t0, build: 0, boot: 0 };
      say({ n, line: `${n}: stopped at the breakpoint stub of rule ${r0.rule} (${r0.original ?? '?'}); switching ${r0.rule} to hypercall mode`, rule: r0.rule, where: r0.original, generatedLine: known.generatedLine, run: known, switchEdits, ms });
      continue;
    }
    await stages.xenify(hypercall);
    const prev = iterations.at(-1);
    if (prev?.switchEdits && prev.rule) prev.switchEdits.after = stages.ruleEdits?.(prev.rule) ?? [];
    const t1 = performance.now();
    const b = await stages.build();
    const t2 = performance.now();
    const ms: PhaseTimes = { xenify: t1 - t0, build: t2 - t1, boot: 0 };
    if (!b.image && !b.key) {
      const msg = `the kernel does not build: ${b.errors[0] ?? 'no image'}${b.errors.length > 1 ? ` (+${b.errors.length - 1} more)` : ''}`;
      say({ n, line: `${n}: ${msg}`, ms });
      return { outcome: 'build-failed', switched, iterations, message: msg };
    }
    const run = await boot(b, { ...runOpts, sourceMap: b.sourceMap ?? opts.sourceMap });
    ms.boot = performance.now() - t2;
    if (ROOT_MOUNT_FAILURE.test(run.console) || ROOT_MOUNTED.test(run.console)) {
      const what = ROOT_MOUNTED.test(run.console) ? 'the root mount' : '"unable to mount root file system"';
      const line = `${n}: reached ${what} after ${run.hypercalls} hypercalls (${switched.length} rules switched to hypercall mode)`;
      say({ n, line, run, ms });
      return { outcome: 'root-mount', switched, iterations, last: run, message: line };
    }
    const r = run.report;
    const generatedLine = run.generatedLine ?? lineAt(r?.generated);
    run.generatedLine = generatedLine;
    if (r?.kind === 'breakpoint-stub' && r.rule && !hypercall.has(r.rule)) {
      hypercall.add(r.rule);
      switched.push(r.rule);
      const switchEdits = { before: stages.ruleEdits?.(r.rule) ?? [], after: [] };
      say({ n, line: `${n}: stopped at the breakpoint stub of rule ${r.rule} (${r.original ?? '?'}); switching ${r.rule} to hypercall mode`, rule: r.rule, where: r.original, generatedLine, run, switchEdits, ms });
      continue;
    }
    const why = r
      ? r.kind === 'breakpoint-stub'
        ? `rule ${r.rule} is in hypercall mode but its stub at ${r.original} is still hit: its fix keeps a breakpoint, no rule can fix this site`
        : `${r.reason} at ${r.original ?? r.generated ?? '?'}: no rule covers this site`
      : `the domain ended (${run.outcome}${run.shutdownReason ? ` ${run.shutdownReason}` : ''}) before the root mount`;
    const line = `${n}: stopped: ${why}`;
    say({ n, line, rule: r?.rule, where: r?.original, generatedLine, run, ms });
    return { outcome: 'unfixable', switched, iterations, last: run, message: why };
  }
  return { outcome: 'iteration-limit', switched, iterations, message: `no root mount after ${max} iterations` };
}
