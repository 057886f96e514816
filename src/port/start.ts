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
 *   9. both page-table update modes, flushed one by one and batched (seed step 15)
 * Stages 5-9 run on worker threads, two at a time, beside stages 1-4 (stage-pool.ts
 * says why they can), their output printed in this order; the NFS and
 * step-14 stages replay a run from the stage cache when nothing they depend on
 * changed (stage-cache.ts). The closing time line gives each stage's own time and
 * the whole run's wall time.
 * A stage that cannot run says why; an error in a stage stops the run with it.
 */
import path from 'node:path';
import { readFileSync } from 'node:fs';
import { DEFAULT_SCAN_PATH, formatSummary, scan, TOOL_VERSION } from '../analyze/index.js';
import { compileKernelImage } from '../compile/index.js';
import { pc } from '../emulate/index.js';
import { bootInQemu, buildNativeKernel, findQemu } from '../native/index.js';
import { HALT_LINE, PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../project-root.js';
import { defaultCacheDir } from '../project-dirs.js';
import { reportData } from './report.js';
import { writeHtmlReport, type StepStatus } from '../report/index.js';
import { XenoportError } from '../errors.js';
import { unitCacheAt } from './xen-kernel.js';
import { formatSuiteReport, type SuiteReport } from './suite.js';
import { dom0Unavailable } from '../dom0/index.js';
import { formatSeconds, type LaterStageName, type LaterStageResult, type PortStageResult } from './start-stages.js';
import { laterJobs, StagePool, startLaterStages, type LaterStages } from './stage-pool.js';

export { formatSeconds };

export interface StartOptions {
  /** Where the generated i386-xeno tree goes. */
  output: string;
  /** Receives the output text as it happens. */
  print: (text: string) => void;
  /** Where the caches go (scan, compile, pipeline, port); default XENOPORT_CACHE_DIR, else the project's or the user's (project-dirs.ts). */
  cacheDir?: string;
  /** Writes the HTML report into this directory at the end. */
  html?: string;
  /** The port's page-table updates (seed step 10 flush-each, step 15 batched); default the pipeline file's. */
  pteUpdates?: 'flush-each' | 'batched';
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

/** The console's lines up to and including the halt line. */
export function upToHalt(text: string): string {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const k = lines.findIndex((l) => HALT_LINE.test(l));
  return (k < 0 ? lines : lines.slice(0, k + 1)).join('\n');
}

/** Runs every stage; throws what a stage throws. */
export async function runStart(opts: StartOptions): Promise<StartResult> {
  const cacheDir = path.resolve(opts.cacheDir ?? defaultCacheDir());
  const pool = new StagePool();
  const portRun0 = pool.run<PortStageResult>({ stage: 'port', output: opts.output, cacheDir, pteUpdates: opts.pteUpdates });
  const mine = pool.hold();
  let opened = (): void => undefined;
  const gate = new Promise<void>((resolve) => (opened = resolve));
  const later = startLaterStages(pool, path.join(cacheDir, 'start-hypercall', 'sys'), cacheDir, gate);
  // A stage that fails, or a port that stops short, leaves no worker running behind it.
  try {
    return await stages(opts, cacheDir, portRun0, later, mine, opened);
  } finally {
    pool.stop();
  }
}

async function stages(opts: StartOptions, cacheDir: string, portRun0: Promise<PortStageResult>, laterRuns: LaterStages, release: () => void, afterQemu: () => void): Promise<StartResult> {
  const say = (line: string): void => opts.print(`${line}\n`);
  const heading = (title: string): void => say(`\n== ${title}`);
  const timings: StageTiming[] = [];
  const t00 = performance.now();
  let t = t00;
  /** Ends the running stage: its duration on a line of its own, kept for the summary. */
  const done = (stage: string): void => {
    const now = performance.now();
    timings.push({ stage, ms: now - t });
    say(`-- ${stage}: ${formatSeconds(now - t)}`);
    t = now;
  };

  heading('scan: privileged instructions, page-table writes, CPU features, VA hole, console');
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
  afterQemu();

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
  release();

  // The port loop ran beside the stages above (it needs none of them): its output now.
  const portRun = await portRun0;
  opts.print(portRun.text);
  const port = portRun.port;
  const ported = port.outcome === 'root-mount';
  timings.push({ stage: 'port', ms: portRun.ms });
  t = performance.now();

  // The stages after the port (stage-pool.ts), each printed as soon as it and those before it are done.
  const later: Record<number, { did: string; status: StepStatus; ms?: number }> = {};
  const results = new Map<LaterStageName, LaterStageResult | undefined>();
  if (ported) {
    for (const [name, p] of laterRuns) {
      const r = await p;
      results.set(name, r);
      if (!r) continue;
      opts.print(r.text);
      timings.push({ stage: r.stage, ms: r.ms });
    }
  }
  const suiteR = results.get('suite');
  const nfsR = results.get('nfs');
  const suite = suiteR?.suite;
  const noSuite = ported ? suiteR?.noSuite : 'the port did not reach the root mount';
  const nfs = ported ? (nfsR?.nfs ?? {}) : { why: 'the port did not reach the root mount' };
  if (!ported) {
    heading("Xen: the ported kernel mounts the XIR root image and runs /sbin/init's validation suite (seed step 13)");
    done('suite');
    heading('Xen: the ported kernel with its root on NFS from domain 0 (nfs-ganesha in a namespace), the suite again (seed step 12)');
    say(`-- no validation line from the NFS root: ${nfs.why}`);
    done('nfs');
  }
  t = performance.now();
  const stepMs = (stage: string): number | undefined => timings.find((x) => x.stage === stage)?.ms;
  later[12] = nfs.summary
    ? { did: `${nfs.summary}: the root on NFS (read-write) from nfs-ganesha in domain 0's namespace over xn0, the suite with its write step`, status: /^validation: (\d+)\/\1 passed/.test(nfs.summary) ? 'done' : 'failed', ms: stepMs('nfs') }
    : { did: `the suite did not run from the NFS root: ${nfs.why}`, status: ported && !dom0Unavailable() ? 'failed' : 'not run' };
  later[13] = suite?.summary
    ? { did: `${suite.summary}: /sbin/init runs the suite from the XIR root image (the domain builder's module)`, status: /^validation: (\d+)\/\1 passed/.test(suite.summary) ? 'done' : 'failed', ms: stepMs('suite') }
    : { did: `the suite did not run: ${noSuite}`, status: ported ? 'failed' : 'not run' };
  const step14 = results.get('step14')?.step;
  if (step14) later[14] = { ...step14, ms: stepMs('step14') };
  const batching = results.get('batching')?.step;
  if (batching) later[15] = { ...batching, ms: stepMs('batching') };
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
  const total = performance.now() - t00;
  say(`\n== time: ${timings.map((x) => `${x.stage} ${formatSeconds(x.ms)}`).join(', ')} (the port and the stages after it on worker threads, ${laterJobs()} at a time, beside the first four); total ${formatSeconds(total)}`);
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
