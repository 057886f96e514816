/*
 * The i386-xeno kernel under the hypervisor (seed step 9): compile the generated
 * tree through xenoport's own pipeline (the compile module's buildKernelImage: config.sh's
 * source list, the C and GAS front ends, the linker-script symbols) and run it as a
 * Xen guest, with the xenify manifest mapping generated file:lines back to the
 * original sys/i386 ones in the report.
 */
import { existsSync, statSync, symlinkSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../temp-dir.js';
import path from 'node:path';
import { HypervisorError } from '../errors.js';
import { buildKernelImage, UnitCache, type KernelBuild } from '../compile/index.js';
import { runXenImage, type XenRunOptions, type XenRunResult } from '../hypervisor/index.js';
import { Dom0Error, DomainController, parseDiskSpec, type ControllerOptions, type DiskSpec } from '../dom0/index.js';
import { defaultScan, loadPipeline, manifestSourceMap, runPipeline } from '../rewrite/index.js';

export interface XenKernelOptions extends XenRunOptions {
  /** The generated tree's `sys` directory (holding i386-xeno), e.g. build/xeno/sys. */
  sysDir: string;
  /** A kernel directory with config.sh (default: the sample kernel's). */
  configFrom: string;
  machine?: string;
  conf?: string;
  /** The compile cache (unitCacheAt). */
  cache?: UnitCache;
}

export interface XenKernelBoot {
  build: KernelBuild;
  run?: XenRunResult;
}

const unitCaches = new Map<string, UnitCache>();
/** The compile cache kept in `dir`, one object per directory per process (it holds parsed modules). */
export function unitCacheAt(dir: string): UnitCache {
  const d = path.resolve(dir);
  let c = unitCaches.get(d);
  if (!c) unitCaches.set(d, (c = new UnitCache(d)));
  return c;
}

/**
 * Compiles the kernel in `sysDir` for `machine` (default i386-xeno), through the
 * compile cache `cache` when given. Never throws for compile errors.
 */
export async function buildXenoKernel(sysDir: string, configFrom: string, machine = 'i386-xeno', conf = 'GENERIC', cache?: UnitCache): Promise<KernelBuild> {
  if (!existsSync(path.join(sysDir, machine))) throw new HypervisorError(`${path.join(sysDir, machine)} does not exist (run xenoport xenify first)`);
  const dir = makeTempDir('xeno-kernel-');
  try {
    symlinkSync(path.resolve(configFrom, 'config.sh'), path.join(dir, 'config.sh'));
    symlinkSync(path.resolve(sysDir), path.join(dir, 'sys'));
    return await buildKernelImage(dir, machine, conf, cache);
  } finally {
    removeTempDir(dir);
  }
}

/** Builds the i386-xeno kernel and, when it links, runs it under the hypervisor. */
export async function bootXenKernel(opts: XenKernelOptions): Promise<XenKernelBoot> {
  const machine = opts.machine ?? 'i386-xeno';
  const build = await buildXenoKernel(opts.sysDir, opts.configFrom, machine, opts.conf, opts.cache);
  if (!build.image) return { build };
  const sourceMap = opts.sourceMap ?? manifestSourceMap(path.resolve(opts.sysDir, '..')) ?? manifestSourceMap(opts.sysDir);
  const run = runXenImage(build.image, { ...opts, sourceMap });
  return { build, run };
}

export interface BootXenOptions extends XenRunOptions {
  /** Rewrite mode for xenify (default hypercall). */
  mode?: 'breakpoint' | 'hypercall';
  /** Seed step 15: how page-table updates reach the hypervisor (default: the pipeline file's). */
  pteUpdates?: 'flush-each' | 'batched';
  /** The pipeline file (xenoport.pipeline.yaml). */
  pipelineFile: string;
  /** Kernel directory with config.sh (the sample kernel). */
  configFrom: string;
  /** Output root for the generated tree (default: the pipeline file's). */
  output?: string;
  /** Replace the generated tree even if it was edited by hand (never assumed). */
  force?: boolean;
  /** The source `sys` directory (default: the pipeline file's). */
  source?: string;
  /** Where lines go as they happen (console text, then the summary). */
  print?: (text: string) => void;
  /** Virtual block devices for the guest, as `--disk` spells them (`file:PATH,xbdN,w|r`), served by blkback. */
  disks?: string[];
  /** The guest's network interface, served by netback on this link (the NFS root's tap); beside the disks, one controller. */
  net?: ControllerOptions['net'];
}

export interface BootXenResult {
  /** True when the boot went where the mode says it should (a stub in breakpoint mode, the root mount in hypercall mode). */
  ok: boolean;
  build: KernelBuild;
  run?: XenRunResult;
  /** The summary printed after the console (report, counts). */
  summary: string;
}

/** A `--disk` spec whose image file exists (checked before anything is built). */
function diskOf(spec: string): DiskSpec {
  const d = parseDiskSpec(spec);
  if (!existsSync(d.path) || !statSync(d.path).isFile()) throw new Dom0Error(`--disk ${spec}: ${d.path} is not a file`);
  return d;
}

/** Hypercall counts per kind, largest first, one per line. */
export function formatCounts(counts: Record<string, number>): string {
  const rows = Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const total = rows.reduce((n, [, c]) => n + c, 0);
  const w = Math.max(5, ...rows.map(([k]) => k.length));
  return [...rows.map(([k, c]) => `  ${k.padEnd(w)} ${String(c).padStart(8)}`), `  ${'total'.padEnd(w)} ${String(total).padStart(8)}`].join('\n');
}

/**
 * `xenoport boot` in Xen mode: xenify in `mode`, build the i386-xeno kernel, run it
 * under the hypervisor. Breakpoint mode stops at the first unported site and names
 * it; hypercall mode should reach the root mount failure; both print the hypercall
 * counts per kind at exit. --debug (opts.debug) adds the hypercall and trap trace.
 */
export async function bootXen(opts: BootXenOptions): Promise<BootXenResult> {
  const print = opts.print ?? (() => {});
  const disks = (opts.disks ?? []).map(diskOf);
  for (const [k, d] of disks.entries())
    if (disks.findIndex((e) => e.name === d.name) !== k) throw new Dom0Error(`--disk ${opts.disks![k]}: ${d.name} is given twice`);
  const config = loadPipeline(opts.pipelineFile);
  if (opts.output) config.output = path.resolve(opts.output);
  if (opts.source) config.source = path.resolve(opts.source);
  await runPipeline(config, { mode: opts.mode ?? 'hypercall', scan: defaultScan, force: opts.force, pteUpdates: opts.pteUpdates });
  // Domain 0's controller and back ends attach once the domain is built (Xen 2.0's xend).
  let ctl: DomainController | undefined;
  const onBuilt: XenRunOptions['onBuilt'] = disks.length || opts.net
    ? (g) => {
        ctl = new DomainController(g.xen, g.dom, { disks, net: opts.net });
        opts.onBuilt?.(g);
      }
    : opts.onBuilt;
  const { build, run } = await bootXenKernel({ ...opts, onBuilt, sysDir: config.output, configFrom: opts.configFrom, cache: unitCacheAt(path.join(config.cache, 'compile')) });
  const blk = ctl?.blkif?.blkback;
  ctl?.close();
  const out: string[] = [];
  let ok = !!run;
  if (!run) {
    out.push(`xen: the i386-xeno kernel does not build (${build.errors.length} errors):`);
    for (const e of build.errors.slice(0, 20)) out.push(`  ${e}`);
  } else {
    print(run.console);
    if (run.console && !run.console.endsWith('\n')) print('\n');
    if (opts.debug && run.trace) out.push('xen: trace:', ...run.trace.map((l) => `  ${l}`));
    const rootMount = /unable to mount root file ?system/i.test(run.console) || /^\S+ on \/ \(\w+, /m.test(run.console);
    if (run.report?.kind === 'breakpoint-stub') out.push(`xen: stopped at the first unported site: rule ${run.report.rule} at ${run.report.original}`);
    if (run.reportText && !(rootMount && run.report?.kind === 'guest-crash')) out.push(run.reportText);
    if (run.outcome === 'shutdown') out.push(`xen: domain shut down (${run.shutdownReason})`);
    if (blk) {
      const st = blk.stats;
      out.push(`xen: blkback: ${st.reads} reads (${st.sectorsRead} sectors), ${st.writes} writes (${st.sectorsWritten} sectors), ${st.probes} probes, ${st.errors} refused`);
      for (const e of blk.errors.slice(0, 5)) out.push(`  ${e}`);
    }
    out.push(`xen: ${run.hypercalls} hypercalls, ${run.steps} steps; by kind:`, formatCounts(run.counts));
    if (run.platform.injector) out.push(`xen: ${run.platform.upcalls} upcalls (${run.platform.injector.injected} at seeded instruction counts)`);
    const mmu = run.platform.mmuStats;
    if (mmu.calls) out.push(`xen: mmu_update: ${mmu.calls} calls, ${mmu.requests} requests (${(mmu.requests / mmu.calls).toFixed(1)} per call); requests per call: ${mmu.format()}`);
    const race = run.platform.race;
    if (race) {
      if (race.disabled) out.push(`xen: race detector: ${race.disabled}`);
      else if (race.reports.length === 0) out.push(`xen: race detector: no races (${race.entriesSeen} queued requests watched)`);
      else out.push(`xen: race detector: ${race.reports.length} races`, ...race.format().map((l) => `  ${l}`));
      if (race.reports.length) ok = false;
    }
    ok = ok && ((opts.mode ?? 'hypercall') === 'breakpoint' ? run.report?.kind === 'breakpoint-stub' : rootMount);
  }
  const summary = out.join('\n');
  print(summary + '\n');
  return { ok, build, run, summary };
}
