/*
 * The whole pipeline on a kernel (what `xenoport start` and `npm start` run), one
 * stage after another, each under a heading, printed through `print`:
 *   1. scan summary of sys/ (steps 3, 4, 8)
 *   2. the native kernel: gcc build and QEMU boot (step 1), when qemu is present
 *   3. xenoport's own compile of the native kernel (C and .s) to one IR image
 *   4. that image booted on the emulated PC, compared with the QEMU console
 *   5. the port loop from breakpoint mode (steps 9-11), then the Xen boot of the
 *      ported i386-xeno kernel, its console and the hypercall counts
 *   6. once the port reaches the root mount: the ported kernel again, with the XIR
 *      root image as its module, mounting it and running /sbin/init's validation
 *      suite (step 13); the output ends with the hypercalls per program and the
 *      guest's `validation: N/N passed` line
 *   7. with domain 0's network available (root, namespaces, nfs-ganesha): the same
 *      kernel with its root on NFS from nfs-ganesha in domain 0's namespace, the
 *      suite again from the export (step 12), ending in its own `validation:` line
 *   8. seed step 14: with the root on NFS (the boot module where domain 0's network
 *      cannot be made), the guest runs /etc/rc.step14 (newfs, mount, cp -Rx,
 *      umount) against xbd0, then boots from xbd0 and runs the suite; sleuthkit
 *      checks the disk on the host
 * A stage that cannot run says why; an error in a stage stops the run with it.
 */
import path from 'node:path';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { DEFAULT_SCAN_PATH, formatSummary, scan, TOOL_VERSION } from '../analyze/index.js';
import { compileKernelImage } from '../compile/index.js';
import { pc } from '../emulate/index.js';
import { bootInQemu, buildNativeKernel, findQemu } from '../native/index.js';
import { HALT_LINE, PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../project-root.js';
import { defaultCacheDir } from '../project-dirs.js';
import { portLoop, type PhaseTimes, type PortResult } from './port-loop.js';
import { realPortStages } from './port-stages.js';
import { reportData } from './report.js';
import { writeHtmlReport, type StepStatus } from '../report/index.js';
import { XenoportError } from '../errors.js';
import { formatCounts, unitCacheAt } from './xen-kernel.js';
import { bootBatchingMode, formatSideBySide } from './batching.js';
import { formatSuiteReport, runSuiteXenCached, suiteImageDir, suiteModule, type SuiteReport } from './suite.js';
import { dom0Unavailable } from '../dom0/index.js';
import { bootXenNfsRoot } from './nfs-root.js';
import { checkStep14Disk, formatStep14, runStep14 } from './step14.js';
import { hasCommand } from './disk-check.js';

export interface StartOptions {
  /** Where the generated i386-xeno tree goes. */
  output: string;
  /** Receives the output text as it happens. */
  print: (text: string) => void;
  /** Where the caches go (scan, compile, pipeline, port); default XENOPORT_CACHE_DIR, else the project's or the user's (project-dirs.ts). */
  cacheDir?: string;
  /** Writes the HTML report into this directory at the end. */
  html?: string;
}

export interface StartResult {
  /** The emulated PC's console equals QEMU's (undefined without qemu). */
  consolesAgree?: boolean;
  /** The port reached the root mount under the hypervisor. */
  ported: boolean;
  /** Each stage's wall time, in the order they ran. */
  timings: StageTiming[];
  /** The HTML report's index.html, when one was asked for. */
  report?: string;
  /** The validation suite under the hypervisor, when it ran. */
  suite?: SuiteReport;
  /** The guest's `validation: N/M passed` line with its root on NFS, when that ran. */
  nfsSummary?: string;
}

export interface StageTiming {
  /** The stage's short name (scan, native, compile, pc-boot, port). */
  stage: string;
  ms: number;
}

/** Seconds with one decimal, for the duration lines. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** The console's lines up to and including the halt line. */
export function upToHalt(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const k = lines.findIndex((l) => HALT_LINE.test(l));
  return (k < 0 ? lines : lines.slice(0, k + 1)).join('\n');
}

/** Runs every stage; throws what a stage throws. */
export async function runStart(opts: StartOptions): Promise<StartResult> {
  const say = (line: string): void => opts.print(`${line}\n`);
  const heading = (title: string): void => say(`\n== ${title}`);
  const timings: StageTiming[] = [];
  let t = performance.now();
  /** Ends the running stage: its duration on a line of its own, kept for the summary. */
  const done = (stage: string): void => {
    const now = performance.now();
    timings.push({ stage, ms: now - t });
    say(`-- ${stage}: ${formatSeconds(now - t)}`);
    t = now;
  };

  heading('scan: privileged instructions, page-table writes, CPU features, VA hole, console');
  const cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir());
  const result = await scan({ paths: [DEFAULT_SCAN_PATH], cache: cacheDir });
  const source = (file: string): string | undefined => {
    try {
      return readFileSync(path.resolve(path.dirname(DEFAULT_SCAN_PATH), file), 'latin1');
    } catch {
      return undefined;
    }
  };
  opts.print(formatSummary({ ...result, source, color: false, toolVersion: TOOL_VERSION }));
  done('scan');

  heading('native kernel: gcc -m32 build and QEMU boot (seed step 1)');
  const native = await buildNativeKernel({ kernelDir: SAMPLE_KERNEL_DIR });
  say(`built ${path.relative(PROJECT_ROOT, native.kernelPath)}`);
  let qemuConsole: string | undefined;
  if (!findQemu()) {
    say('QEMU boot skipped: qemu-system-i386 is not installed (Debian package qemu-system-x86)');
  } else {
    const boot = await bootInQemu({ kernelPath: native.kernelPath, until: HALT_LINE });
    qemuConsole = upToHalt(boot.console);
    say(`QEMU console (${qemuConsole.split('\n').length} lines), last: ${qemuConsole.split('\n').filter(Boolean).slice(-3, -1).join(' / ')}`);
  }
  done('native');

  heading('xenoport compile of the native kernel (C and assembly to one IR image)');
  const build = await compileKernelImage(SAMPLE_KERNEL_DIR, { cache: unitCacheAt(path.join(cacheDir, 'compile')) });
  const instructions = build.image.functions.reduce((n, f) => n + f.size, 0);
  say(`${build.modules.length} files, ${build.image.functions.length} functions, ${instructions} IR instructions, entry ${build.image.entryName}`);
  done('compile');

  heading('native boot on the emulated PC (BarePC: 32 MiB, qemu32 CPU)');
  const r = pc.bootNative(build.image, { memoryMB: 32 });
  const console = upToHalt(r.console);
  opts.print(`${console}\n`);
  say(`-- ${r.outcome}${r.message ? ` (${r.message})` : ''} after ${r.steps} IR instructions, ${r.wallMs.toFixed(0)} ms`);
  if (r.report) say(r.report);
  let consolesAgree: boolean | undefined;
  if (qemuConsole !== undefined) {
    consolesAgree = console === qemuConsole;
    say(consolesAgree ? 'console: identical to the QEMU boot, byte for byte' : 'console: DIFFERS from the QEMU boot');
  }
  done('pc-boot');

  heading('Xen: port loop from breakpoint mode, then the boot of the ported kernel (seed steps 5-11)');
  const port = await xenStage({
    pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'),
    configFrom: SAMPLE_KERNEL_DIR,
    output: opts.output,
    cacheDir,
    print: opts.print,
  });
  const ported = port.outcome === 'root-mount';
  done('port');

  heading('Xen: the ported kernel mounts the XIR root image and runs /sbin/init\'s validation suite (seed step 13)');
  let suite: SuiteReport | undefined;
  let noSuite: string | undefined;
  if (!ported) noSuite = 'the port did not reach the root mount';
  else {
    try {
      const { root, bytes } = await suiteModule(SAMPLE_KERNEL_DIR, suiteImageDir(cacheDir));
      say(`root image ${path.relative(PROJECT_ROOT, root.image)}: ${bytes.length} bytes, ${root.programs.length} XIR programs, the domain builder's module`);
      const r = await runSuiteXenCached({
        pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'),
        configFrom: SAMPLE_KERNEL_DIR,
        output: opts.output,
        cacheDir,
        memoryMB: 32,
        maxSteps: 4e9,
        module: bytes,
      });
      if (r.errors.length) noSuite = `the i386-xeno kernel does not build (${r.errors.length} errors): ${r.errors[0]}`;
      else {
        opts.print(r.console.endsWith('\n') || !r.console ? r.console : `${r.console}\n`);
        if (r.reportText) say(r.reportText);
        say(`-- ${r.outcome} after ${r.steps} IR instructions${r.cached ? ' (from the boot cache: nothing it depends on changed)' : ''}`);
        say(`== hypercalls by kind (${r.hypercalls} in all)`);
        say(formatCounts(r.counts));
        suite = r.suite;
        if (!suite?.summary) noSuite = `the suite did not finish under the hypervisor (${r.outcome})`;
      }
    } catch (e) {
      // makefs missing, a program that does not compile: said, and the run goes on to its summary.
      if (!(e instanceof XenoportError)) throw e;
      noSuite = e.message;
    }
  }
  done('suite');

  heading('Xen: the ported kernel with its root on NFS from domain 0 (nfs-ganesha in a namespace), the suite again (seed step 12)');
  const nfs = ported ? await nfsStage(opts, cacheDir) : { why: 'the port did not reach the root mount' };
  if (nfs.why) say(`-- no validation line from the NFS root: ${nfs.why}`);
  done('nfs');

  let step14: { did: string; status: StepStatus } | undefined;
  if (ported && suite?.summary) {
    heading('Xen: newfs on xbd0, the root copied onto it, then the boot from it (seed step 14)');
    try {
      const r = await runStep14({
        pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'),
        configFrom: SAMPLE_KERNEL_DIR,
        output: opts.output,
        memoryMB: 32,
        workDir: path.join(cacheDir, 'step14'),
        root: 'nfs',
        // The suite's tree, built by the stage before.
        sourceTree: path.join(suiteImageDir(cacheDir), 'root'),
      });
      const sleuthkit = await hasCommand('fsstat');
      const check = sleuthkit && r.second ? await checkStep14Disk(r) : undefined;
      for (const l of formatStep14(r, check)) say(l);
      const second = /^validation: (\d+)\/(\d+) passed/m.exec(r.second?.run?.console ?? '');
      const whole = !!second && second[1] === second[2] && (!check || (check.totalsAgree && check.diffs.length === 0));
      const from = r.root === 'nfs' ? 'on NFS' : 'from the boot module';
      const verdict = check ? `; sleuthkit ${check.diffs.length ? 'finds differences' : 'agrees'}` : '';
      step14 = second
        ? { did: `newfs, mount, cp -Rx and umount on xbd0 with the root ${from}; the boot from xbd0: ${second[0]}${verdict}`, status: whole ? 'done' : 'failed' }
        : { did: 'the step-14 sequence did not pass: no boot from xbd0', status: 'failed' };
      if (!sleuthkit) say('sleuthkit is not installed (Debian: sleuthkit): the host does not check the disk');
    } catch (e) {
      // makefs missing, domain 0's server failing: said, and the run goes on.
      if (!(e instanceof XenoportError)) throw e;
      say(`the step-14 sequence did not run: ${e.message}`);
      step14 = { did: `the step-14 sequence did not run: ${e.message}`, status: 'failed' };
    }
    done('step14');
  }

  // Steps 12-15 as this run did them, for the HTML report's table of the sixteen steps.
  const stepMs = (stage: string): number | undefined => timings.find((x) => x.stage === stage)?.ms;
  const later: Record<number, { did: string; status: StepStatus; ms?: number }> = {
    12: nfs.summary
      ? { did: `${nfs.summary}: the root on NFS (read-write) from nfs-ganesha in domain 0's namespace over xn0, the suite with its write step`, status: /^validation: (\d+)\/\1 passed/.test(nfs.summary) ? 'done' : 'failed', ms: stepMs('nfs') }
      : { did: `the suite did not run from the NFS root: ${nfs.why}`, status: ported && !dom0Unavailable() ? 'failed' : 'not run' },
    13: suite?.summary
      ? { did: `${suite.summary}: /sbin/init runs the suite from the XIR root image (the domain builder's module)`, status: /^validation: (\d+)\/\1 passed/.test(suite.summary) ? 'done' : 'failed', ms: stepMs('suite') }
      : { did: `the suite did not run: ${noSuite}`, status: ported ? 'failed' : 'not run' },
  };
  if (step14) later[14] = { ...step14, ms: stepMs('step14') };
  if (ported) {
    heading('Xen: page-table updates flushed one by one, then batched (seed step 15), under the race detector');
    const o = { pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'), configFrom: SAMPLE_KERNEL_DIR, workDir: path.join(cacheDir, 'batching') };
    const runs = [await bootBatchingMode(o, 'flush-each', 'flush-each'), await bootBatchingMode(o, 'batched', 'batched')];
    for (const l of formatSideBySide(runs)) say(l);
    const [f, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
    const races = f.races.length + b.races.length;
    const fewer = `mmu_update ${f.mmuCalls} -> ${b.mmuCalls} calls (${(f.mmuCalls / Math.max(1, b.mmuCalls)).toFixed(1)}x fewer)`;
    say(`-- ${fewer}; races ${races}; consoles ${f.console === b.console ? 'identical' : 'DIFFER'}`);
    done('batching');
    later[15] = { did: `the boot, flush-each then batched: ${fewer}, ${races} races under the detector`, status: races === 0 && f.console === b.console ? 'done' : 'failed', ms: stepMs('batching') };
  }
  let report: string | undefined;
  let noReport: string | undefined;
  if (opts.html) {
    const data = reportData({
      title: 'xenoport start: the sample kernel, from scan to the Xen boot',
      tool: TOOL_VERSION,
      kernelDir: SAMPLE_KERNEL_DIR,
      scan: result,
      port,
      timings,
      later,
      suite: suite && { report: suite, root: "the XIR root image, the domain builder's module" },
      nativeConsole: qemuConsole !== undefined
        ? { label: `native boot under QEMU (the emulated PC's console ${consolesAgree ? 'is identical' : 'differs'})`, text: qemuConsole }
        : { label: 'native boot on the emulated PC', text: console },
    });
    // The run is done: a report that cannot be written (its libraries missing) is said, not fatal.
    try {
      report = writeHtmlReport(opts.html, data);
    } catch (e) {
      if (!(e instanceof XenoportError)) throw e;
      noReport = e.message;
    }
  }
  const total = timings.reduce((n, x) => n + x.ms, 0);
  say(`\n== time: ${timings.map((x) => `${x.stage} ${formatSeconds(x.ms)}`).join(', ')}; total ${formatSeconds(total)}`);
  if (report) say(`\nthe HTML report: ${report}`);
  if (noReport) say(`\nthe HTML report was not written: ${noReport}`);
  say(ported
    ? '\nxenoport: the port loop brings the i386-xeno kernel to the root mount under the hypervisor'
    : '\nxenoport: the port stops short of the root mount (the report above names the site)');
  // Before the per-program table: the run's last line stays the md root's summary.
  say(nfs.summary ? `\nwith the root on NFS from domain 0: ${nfs.summary}` : `\nthe validation suite did not run from the NFS root: ${nfs.why}`);
  if (suite?.summary) {
    say('\n== the validation suite under the hypervisor, per program (split at init\'s PASS/FAIL lines; hypercalls by kind)');
    say(formatSuiteReport(suite, true));
    say(suite.summary);
  } else say(`\nthe validation suite did not run under the hypervisor: ${noSuite}`);
  return { consolesAgree, ported, timings, report, suite, nfsSummary: nfs.summary };
}

/**
 * The NFS step: the ported kernel boots with `ip=... nfsroot=...` against nfs-ganesha
 * in domain 0's namespace and runs /sbin/init's suite from the export. Its console
 * streams through print; the export (a per-run copy of the root tree) is removed
 * afterwards. A machine without domain 0's network says why and the run goes on.
 */
async function nfsStage(opts: StartOptions, cacheDir: string): Promise<{ summary?: string; why?: string }> {
  const unavailable = dom0Unavailable();
  if (unavailable) return { why: unavailable };
  const workDir = path.join(cacheDir, 'nfsroot');
  mkdirSync(workDir, { recursive: true });
  let exportDir: string | undefined;
  try {
    const r = await bootXenNfsRoot({
      pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'),
      configFrom: SAMPLE_KERNEL_DIR,
      output: opts.output,
      memoryMB: 32,
      maxSteps: 6e9,
      workDir,
      print: opts.print,
    });
    exportDir = r.exportDir;
    const summary = /^validation: \d+\/\d+ passed.*$/m.exec(r.run?.console ?? '')?.[0];
    return summary ? { summary } : { why: `the suite did not finish from the NFS root (${r.run?.outcome ?? 'the kernel did not build'})` };
  } catch (e) {
    if (!(e instanceof XenoportError)) throw e;
    return { why: e.message };
  } finally {
    if (exportDir) rmSync(path.dirname(exportDir), { recursive: true, force: true });
  }
}

/**
 * The Xen part of `npm start`: the port loop from
 * breakpoint mode, one line per iteration, then the final Xen boot's console and
 * the hypercall counts per kind. Returns the port loop's result.
 */
async function xenStage(opts: { pipelineFile: string; configFrom: string; output?: string; cacheDir?: string; memoryMB?: number; maxSteps?: number; print: (text: string) => void }): Promise<PortResult> {
  const say = (l: string): void => opts.print(`${l}\n`);
  say('== port loop under the hypervisor (seed steps 9-11)');
  const r = await portLoop(realPortStages(opts.pipelineFile, opts.configFrom, opts.output, opts.cacheDir), {
    memoryMB: opts.memoryMB,
    maxSteps: opts.maxSteps,
    onLine: say,
  });
  const sum = (k: keyof PhaseTimes): number => r.iterations.reduce((n, it) => n + it.ms[k], 0);
  say(`-- port loop: ${r.iterations.length} iterations; xenify ${formatSeconds(sum('xenify'))}, compile ${formatSeconds(sum('build'))}, boot ${formatSeconds(sum('boot'))}`);
  if (r.last) {
    say('== Xen boot of the ported kernel (console)');
    opts.print(r.last.console.endsWith('\n') || !r.last.console ? r.last.console : `${r.last.console}\n`);
    if (r.outcome !== 'root-mount' && r.last.reportText) say(r.last.reportText);
    say(`== hypercalls by kind (${r.last.hypercalls} in all)`);
    say(formatCounts(r.last.counts));
  }
  if (r.outcome !== 'root-mount') say(`port: stopped (${r.outcome}): ${r.message}`);
  return r;
}
