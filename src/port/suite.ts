/*
 * The validation suite (/sbin/init running /etc/rc's programs) measured per program,
 * on the emulated PC (the native xenoport kernel) and under the hypervisor (the
 * xenified one), both with the XIR root image as their boot module.
 *
 * Attribution is by console markers: init prints `PASS name` or `FAIL name: why`
 * when a program is done, so everything between two such lines (init's fork and
 * wait4, the program's exec, run and exit, the kernel's work for it) is that
 * program's. What comes before `init: running N programs` is the boot; what comes
 * after the `validation:` line is the shutdown. Steps are the machine's IR
 * instruction count when the marker's line ends; hypercalls are counted as their
 * events arrive (the event of the console_io that writes a marker comes after the
 * write, so that hypercall is the program's).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCacheJson, writeCacheJson } from '../cache-file.js';
import { pc } from '../emulate/index.js';
import { runXenImage, type CrashReport, type Domain, type XenOutcome, type XenRunOptions, type XenRunResult } from '../hypervisor/index.js';
import type { LinkedImage } from '../ir/index.js';
import { defaultScan, loadPipeline, manifestSourceMap, runPipeline } from '../rewrite/index.js';
import { imageKey, manifestKey, PortCache, rootSpelling } from './boot-cache.js';
import { buildXirRootImage, type RootImage } from './root-image.js';
import { bootXen, buildXenoKernel, unitCacheAt, type BootXenOptions, type BootXenResult } from './xen-kernel.js';

/** One program's share of a suite run (or the boot's, or the shutdown's). */
export interface AppCost {
  name: string;
  /** PASS or FAIL (undefined for the boot and the shutdown). */
  passed?: boolean;
  steps: number;
  ms: number;
  /** Hypercalls by kind (empty on the emulated PC). */
  hypercalls: Record<string, number>;
}

export interface SuiteReport {
  /** The boot, each program in the order init ran them, the shutdown. */
  parts: AppCost[];
  /** The `validation: N/M passed` line, when init printed it. */
  summary?: string;
}

const RUNNING = /^init: running \d+ programs/;
const RESULT = /^(PASS|FAIL) ([^\s:]+)/;
const SUMMARY = /^validation: \d+\/\d+ passed/;

/** Splits a run's steps, wall time and hypercalls at init's console markers. */
export class SuiteMeter {
  private readonly parts: AppCost[] = [];
  private bucket: Record<string, number> = {};
  private line = '';
  private name = 'boot';
  private fromSteps = 0;
  private fromMs = performance.now();
  private summary?: string;

  /** Console text as the guest writes it, with the machine's step count at the write. */
  text(s: string, steps: number): void {
    for (const ch of s) {
      if (ch !== '\n') {
        if (ch !== '\r') this.line += ch;
        continue;
      }
      const l = this.line;
      this.line = '';
      if (RUNNING.test(l)) this.close('boot', undefined, steps);
      else if (SUMMARY.test(l)) {
        this.summary = l;
        this.name = 'shutdown';
      } else {
        const m = RESULT.exec(l);
        if (m && this.name !== 'boot' && this.name !== 'shutdown') this.close(m[2]!, m[1] === 'PASS', steps);
      }
    }
  }

  /** The machine starts now: the boot's wall time counts from here (not from the build). */
  start(): void {
    this.fromMs = performance.now();
  }

  hypercall(kind: string): void {
    this.bucket[kind] = (this.bucket[kind] ?? 0) + 1;
  }

  private close(name: string, passed: boolean | undefined, steps: number): void {
    const now = performance.now();
    this.parts.push({ name, passed, steps: steps - this.fromSteps, ms: now - this.fromMs, hypercalls: this.bucket });
    this.bucket = {};
    this.fromSteps = steps;
    this.fromMs = now;
    this.name = 'app';
  }

  /** The report once the run is over (`steps`: the run's total). */
  finish(steps: number): SuiteReport {
    if (this.line) this.text('\n', steps);
    const now = performance.now();
    const parts = [...this.parts, { name: this.name === 'shutdown' ? 'shutdown' : this.name === 'boot' ? 'boot' : 'unfinished', steps: steps - this.fromSteps, ms: now - this.fromMs, hypercalls: this.bucket }];
    return { parts, summary: this.summary };
  }
}

/** The total of a hypercall-count record. */
export const hypercallTotal = (c: Record<string, number>): number => Object.values(c).reduce((n, x) => n + x, 0);

/** The XIR root image of `kernelDir` (built under outDir) and its bytes. */
export async function suiteModule(kernelDir: string, outDir?: string): Promise<{ root: RootImage; bytes: Uint8Array }> {
  const root = await buildXirRootImage(kernelDir, outDir);
  return { root, bytes: readFileSync(root.image) };
}

/** The native xenoport kernel image on the emulated PC with the root image: the suite per program. */
export function runSuitePc(image: LinkedImage, module: Uint8Array, opts: { memoryMB?: number; maxSteps?: number } = {}): { result: ReturnType<pc.BarePC['boot']>; report: SuiteReport } {
  const meter = new SuiteMeter();
  let machine: pc.BarePC | undefined;
  machine = new pc.BarePC(image, {
    memoryMB: opts.memoryMB ?? 32,
    modules: [{ bytes: module, cmdline: 'root.img' }],
    onConsole: (b) => meter.text(String.fromCharCode(b), machine?.machine.steps ?? 0),
  });
  meter.start();
  const result = machine.boot(opts.maxSteps ?? 4e9);
  return { result, report: meter.finish(result.steps) };
}

/**
 * `bootXen` in hypercall mode with the root image as the domain's module (start_info
 * mod_start/mod_len), metered per program. The console is read at every console_io
 * hypercall (its new text), so the markers split the hypercalls exactly there.
 */
export async function runSuiteXen(opts: BootXenOptions): Promise<{ boot: BootXenResult; report?: SuiteReport }> {
  const meter = new SuiteMeter();
  let dom: Domain | undefined;
  let seen = 0;
  const boot = await bootXen({
    ...opts,
    mode: opts.mode ?? 'hypercall',
    onBuilt: (g) => {
      dom = g.dom;
      meter.start();
      opts.onBuilt?.(g);
    },
    onEvent: (e) => {
      opts.onEvent?.(e);
      if (e.kind !== 'hypercall') return;
      meter.hypercall(e.name);
      if (e.name === 'console_io' && dom && dom.console.length > seen) {
        const text = dom.console.toString();
        meter.text(text.slice(seen), e.step);
        seen = text.length;
      }
    },
  });
  const run: XenRunResult | undefined = boot.run;
  return { boot, report: run ? meter.finish(run.steps) : undefined };
}

/** A table of the parts: steps, wall time, hypercalls in all and the three commonest kinds. */
export function formatSuiteReport(r: SuiteReport, withHypercalls: boolean): string {
  const w = Math.max(8, ...r.parts.map((p) => p.name.length));
  const head = `  ${'program'.padEnd(w)} ${'IR steps'.padStart(13)} ${'wall'.padStart(9)}${withHypercalls ? `  ${'hypercalls'.padStart(10)}  by kind` : ''}`;
  const rows = r.parts.map((p) => {
    const kinds = Object.entries(p.hypercalls).sort((a, b) => b[1] - a[1]).map(([k, c]) => `${k} ${c}`).join(', ');
    return `  ${p.name.padEnd(w)} ${String(p.steps).padStart(13)} ${`${(p.ms / 1000).toFixed(2)} s`.padStart(9)}${withHypercalls ? `  ${String(hypercallTotal(p.hypercalls)).padStart(10)}  ${kinds}` : ''}`;
  });
  return [head, ...rows].join('\n');
}

/** Where the suite's root image goes for a run in `cacheDir`. */
export const suiteImageDir = (cacheDir: string): string => path.join(cacheDir, 'suite-root');

/** A suite run under Xen as plain data: what the cache keeps and `npm start` prints. */
export interface SuiteRun {
  /** The kernel's build errors (no run then). */
  errors: string[];
  outcome?: XenOutcome;
  console: string;
  report?: CrashReport;
  reportText?: string;
  counts: Record<string, number>;
  hypercalls: number;
  steps: number;
  suite?: SuiteReport;
  /** True when the run came from the cache. */
  cached?: boolean;
}

const SUITE_KIND = 'port-suite';
const SUITE_FORMAT = 1;
const HERE_FILE = fileURLToPath(import.meta.url);

/**
 * The suite under Xen through the port's caches: xenify in hypercall mode (the
 * pipeline's stage cache), the build (the compile cache), then the run, kept under
 * the boot cache's key (the image, the run options with the module's bytes, the
 * tree's manifest, the hypervisor's, engine's and IR's code) and this file's code.
 * A second `npm start` with nothing changed reads the run instead of repeating it.
 */
export async function runSuiteXenCached(opts: { pipelineFile: string; configFrom: string; output: string; cacheDir?: string; module: Uint8Array; memoryMB?: number; maxSteps?: number }): Promise<SuiteRun> {
  const config = loadPipeline(opts.pipelineFile);
  config.output = path.resolve(opts.output);
  if (opts.cacheDir) config.cache = path.resolve(opts.cacheDir);
  await runPipeline(config, { mode: 'hypercall', scan: defaultScan });
  const build = await buildXenoKernel(config.output, opts.configFrom, undefined, undefined, unitCacheAt(path.join(config.cache, 'compile')));
  if (!build.image) return { errors: build.errors, console: '', counts: {}, hypercalls: 0, steps: 0 };
  const root = rootSpelling(config.output);
  const runOpts: XenRunOptions = { memoryMB: opts.memoryMB ?? 32, maxSteps: opts.maxSteps ?? 4e9, module: opts.module };
  const boot = new PortCache(path.join(config.cache, 'port')).bootKey(imageKey(build.image, root), runOpts, manifestKey(config.output, root));
  const file = boot && path.join(config.cache, 'port', SUITE_KIND, `${createHash('sha256').update(boot).update(readFileSync(HERE_FILE)).digest('hex')}.json`);
  const hit = file ? readCacheJson<SuiteRun>(file, SUITE_KIND, SUITE_FORMAT, (x) => typeof (x as SuiteRun)?.console === 'string' && Array.isArray((x as SuiteRun).errors)) : undefined;
  if (hit) return { ...hit, cached: true };
  const meter = new SuiteMeter();
  let dom: Domain | undefined;
  let seen = 0;
  const run = runXenImage(build.image, {
    ...runOpts,
    sourceMap: manifestSourceMap(config.output),
    onBuilt: (g) => {
      dom = g.dom;
      meter.start();
    },
    onEvent: (e) => {
      if (e.kind !== 'hypercall') return;
      meter.hypercall(e.name);
      if (e.name === 'console_io' && dom && dom.console.length > seen) {
        const text = dom.console.toString();
        meter.text(text.slice(seen), e.step);
        seen = text.length;
      }
    },
  });
  const out: SuiteRun = { errors: [], outcome: run.outcome, console: run.console, report: run.report, reportText: run.reportText, counts: run.counts, hypercalls: run.hypercalls, steps: run.steps, suite: meter.finish(run.steps) };
  if (file) writeCacheJson(file, SUITE_KIND, SUITE_FORMAT, out);
  return out;
}
