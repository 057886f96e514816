/*
 * The stages of `npm start` after the port (start.ts): the suite under Xen from the
 * XIR root image (seed step 13), the suite from the NFS root (step 12), step 14's
 * newfs-copy-boot sequence, and both page-table update modes (step 15). Each depends
 * on the port's generated tree and not on the others (step 14 copies the suite's
 * root tree, so it follows the suite), so start.ts runs them two at a time, each on a
 * worker thread (stage-worker.ts), and prints their output in this order.
 *
 * A stage's input and result are plain data (they cross to and from a worker): the
 * input names the directories, the result carries the text the stage printed, its
 * wall time and what the summary and the HTML report need. Nothing here prints.
 */
import path from 'node:path';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../project-root.js';
import { XenoportError } from '../errors.js';
import { dom0Unavailable } from '../dom0/index.js';
import type { StepStatus } from '../report/index.js';
import { formatCounts } from './xen-kernel.js';
import { portLoop, type PhaseTimes, type PortResult } from './port-loop.js';
import { realPortStages } from './port-stages.js';
import { bootBatchingMode, formatSideBySide } from './batching.js';
import { runSuiteXenCached, suiteImageDir, suiteModule, type SuiteReport } from './suite.js';
import { checkStep14Disk, formatStep14, runStep14 } from './step14.js';
import { hasCommand } from './disk-check.js';
import { bootXenNfsRootCached, runStep14Cached } from './stage-cache.js';

export type LaterStageName = 'suite' | 'nfs' | 'step14' | 'batching';

export interface PortStageInput {
  stage: 'port';
  output: string;
  cacheDir: string;
  pteUpdates?: 'flush-each' | 'batched';
}

export interface PortStageResult {
  /** The stage's output, heading first, its time line last. */
  text: string;
  ms: number;
  port: PortResult;
}

export interface LaterStageInput {
  stage: LaterStageName;
  /** The generated i386-xeno tree (already xenified in hypercall mode). */
  output: string;
  cacheDir: string;
  /** The suite's XIR root image, built once for the suite and the NFS stage (its tree beside it), or why it could not be. */
  root?: { image: string; programs: number } | { error: string };
}

export interface LaterStageResult {
  stage: LaterStageName;
  /** Everything the stage printed, heading first, its time line last. */
  text: string;
  ms: number;
  suite?: SuiteReport;
  /** Why the suite gave no report. */
  noSuite?: string;
  nfs?: { summary?: string; why?: string };
  /** The HTML report's row for steps 14 and 15. */
  step?: { did: string; status: StepStatus };
}

const HEADINGS: Record<LaterStageName, string> = {
  suite: "Xen: the ported kernel mounts the XIR root image and runs /sbin/init's validation suite (seed step 13)",
  nfs: 'Xen: the ported kernel with its root on NFS from domain 0 (nfs-ganesha in a namespace), the suite again (seed step 12)',
  step14: 'Xen: newfs on xbd0, the root copied onto it, then the boot from it (seed step 14)',
  batching: 'Xen: page-table updates flushed one by one, then batched (seed step 15), under the race detector',
};

const PIPELINE = path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml');

/** Seconds with one decimal, for the duration lines. */
export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** Runs one stage; throws what the stage throws when it is not a user-facing XenoportError. */
export async function runLaterStage(input: LaterStageInput): Promise<LaterStageResult> {
  const t0 = performance.now();
  let text = `\n== ${HEADINGS[input.stage]}\n`;
  const print = (s: string): void => {
    text += s;
  };
  const say = (line: string): void => print(`${line}\n`);
  const r: LaterStageResult = { stage: input.stage, text: '', ms: 0 };
  if (input.stage === 'suite') Object.assign(r, await suiteStage(input, print));
  else if (input.stage === 'nfs') {
    r.nfs = await nfsStage(input, print);
    if (r.nfs.why) say(`-- no validation line from the NFS root: ${r.nfs.why}`);
  } else if (input.stage === 'step14') r.step = await step14Stage(input, say);
  else r.step = await batchingStage(input, say);
  r.ms = performance.now() - t0;
  say(`-- ${input.stage}: ${formatSeconds(r.ms)}`);
  r.text = text;
  return r;
}

async function suiteStage(input: LaterStageInput, print: (s: string) => void): Promise<{ suite?: SuiteReport; noSuite?: string }> {
  const say = (line: string): void => print(`${line}\n`);
  try {
    if (input.root && 'error' in input.root) return { noSuite: input.root.error };
    let root: { image: string; programs: number };
    if (input.root && 'image' in input.root) root = input.root;
    else {
      const built = (await suiteModule(SAMPLE_KERNEL_DIR, suiteImageDir(input.cacheDir))).root;
      root = { image: built.image, programs: built.programs.length };
    }
    const bytes = readFileSync(root.image);
    say(`root image ${path.relative(PROJECT_ROOT, root.image)}: ${bytes.length} bytes, ${root.programs} XIR programs, the domain builder's module`);
    const r = await runSuiteXenCached({ pipelineFile: PIPELINE, configFrom: SAMPLE_KERNEL_DIR, output: input.output, cacheDir: input.cacheDir, memoryMB: 32, maxSteps: 4e9, module: bytes });
    if (r.errors.length) return { noSuite: `the i386-xeno kernel does not build (${r.errors.length} errors): ${r.errors[0]}` };
    print(r.console.endsWith('\n') || !r.console ? r.console : `${r.console}\n`);
    if (r.reportText) say(r.reportText);
    say(`-- ${r.outcome} after ${r.steps} IR instructions${r.cached ? ' (from the boot cache: nothing it depends on changed)' : ''}`);
    say(`== hypercalls by kind (${r.hypercalls} in all)`);
    say(formatCounts(r.counts));
    return r.suite?.summary ? { suite: r.suite } : { suite: r.suite, noSuite: `the suite did not finish under the hypervisor (${r.outcome})` };
  } catch (e) {
    // makefs missing, a program that does not compile: said, and the run goes on to its summary.
    if (!(e instanceof XenoportError)) throw e;
    return { noSuite: e.message };
  }
}

/**
 * The NFS step: the ported kernel boots with `ip=... nfsroot=...` against nfs-ganesha
 * in domain 0's namespace and runs /sbin/init's suite from the export (or replays
 * that boot from the stage cache). A machine without domain 0's network says why.
 */
async function nfsStage(input: LaterStageInput, print: (s: string) => void): Promise<{ summary?: string; why?: string }> {
  const unavailable = dom0Unavailable();
  if (unavailable) return { why: unavailable };
  const workDir = path.join(input.cacheDir, 'nfsroot');
  mkdirSync(workDir, { recursive: true });
  let exportDir: string | undefined;
  try {
    // The suite's root tree, when it was built before the stages; else the stage builds its own.
    const tree = input.root && 'image' in input.root ? path.join(path.dirname(input.root.image), 'root') : undefined;
    const r = await bootXenNfsRootCached({ pipelineFile: PIPELINE, configFrom: SAMPLE_KERNEL_DIR, output: input.output, memoryMB: 32, maxSteps: 6e9, workDir, print, tree }, input.cacheDir);
    exportDir = r.exportDir;
    if (r.cached) print("-- the NFS boot above is replayed from the stage cache: the kernel, the export's files, domain 0's code and the server's configuration are unchanged\n");
    const summary = /^validation: \d+\/\d+ passed.*$/m.exec(r.console)?.[0];
    return summary ? { summary } : { why: `the suite did not finish from the NFS root (${r.outcome ?? 'the kernel did not build'})` };
  } catch (e) {
    if (!(e instanceof XenoportError)) throw e;
    return { why: e.message };
  } finally {
    if (exportDir) rmSync(path.dirname(exportDir), { recursive: true, force: true });
  }
}

async function step14Stage(input: LaterStageInput, say: (l: string) => void): Promise<{ did: string; status: StepStatus }> {
  try {
    const { r, check, sleuthkit, cached } = await runStep14Cached({
      pipelineFile: PIPELINE,
      configFrom: SAMPLE_KERNEL_DIR,
      output: input.output,
      memoryMB: 32,
      workDir: path.join(input.cacheDir, 'step14'),
      root: 'nfs',
      // The suite's tree, built by the suite stage (which runs before this one).
      sourceTree: path.join(suiteImageDir(input.cacheDir), 'root'),
    }, input.cacheDir, { runStep14, checkStep14Disk, hasCommand });
    if (cached) say("-- the step-14 run below is replayed from the stage cache: the kernel, the copied tree, domain 0's code and the disk's inputs are unchanged");
    for (const l of formatStep14(r, check)) say(l);
    const second = /^validation: (\d+)\/(\d+) passed/m.exec(r.second?.run?.console ?? '');
    const whole = !!second && second[1] === second[2] && (!check || (check.totalsAgree && check.diffs.length === 0));
    const from = r.root === 'nfs' ? 'on NFS' : 'from the boot module';
    const verdict = check ? `; sleuthkit ${check.diffs.length ? 'finds differences' : 'agrees'}` : '';
    if (!sleuthkit) say('sleuthkit is not installed (Debian: sleuthkit): the host does not check the disk');
    return second
      ? { did: `newfs, mount, cp -Rx and umount on xbd0 with the root ${from}; the boot from xbd0: ${second[0]}${verdict}`, status: whole ? 'done' : 'failed' }
      : { did: 'the step-14 sequence did not pass: no boot from xbd0', status: 'failed' };
  } catch (e) {
    // makefs missing, domain 0's server failing: said, and the run goes on.
    if (!(e instanceof XenoportError)) throw e;
    say(`the step-14 sequence did not run: ${e.message}`);
    return { did: `the step-14 sequence did not run: ${e.message}`, status: 'failed' };
  }
}

async function batchingStage(input: LaterStageInput, say: (l: string) => void): Promise<{ did: string; status: StepStatus }> {
  const o = { pipelineFile: PIPELINE, configFrom: SAMPLE_KERNEL_DIR, workDir: path.join(input.cacheDir, 'batching') };
  const runs = [await bootBatchingMode(o, 'flush-each', 'flush-each'), await bootBatchingMode(o, 'batched', 'batched')];
  for (const l of formatSideBySide(runs)) say(l);
  const [f, b] = runs as [(typeof runs)[0], (typeof runs)[0]];
  const races = f.races.length + b.races.length;
  const fewer = `mmu_update ${f.mmuCalls} -> ${b.mmuCalls} calls (${(f.mmuCalls / Math.max(1, b.mmuCalls)).toFixed(1)}x fewer)`;
  say(`-- ${fewer}; races ${races}; consoles ${f.console === b.console ? 'identical' : 'DIFFER'}`);
  return { did: `the boot, flush-each then batched: ${fewer}, ${races} races under the detector`, status: races === 0 && f.console === b.console ? 'done' : 'failed' };
}

/**
 * The port stage (seed steps 5-11): the port loop from breakpoint mode, one line per
 * iteration, then the final Xen boot's console and the hypercall counts per kind.
 * It needs none of the stages before it, so start.ts runs it beside them.
 */
export async function runPortStage(input: PortStageInput): Promise<PortStageResult> {
  const t0 = performance.now();
  let text = '\n== Xen: port loop from breakpoint mode, then the boot of the ported kernel (seed steps 5-11)\n';
  const print = (s: string): void => {
    text += s;
  };
  const say = (l: string): void => print(`${l}\n`);
  say(`== port loop under the hypervisor (seed steps 9-11)${input.pteUpdates ? `, page-table updates ${input.pteUpdates}` : ''}`);
  const r = await portLoop(realPortStages(PIPELINE, SAMPLE_KERNEL_DIR, input.output, input.cacheDir, false, true, input.pteUpdates), { onLine: say });
  const sum = (k: keyof PhaseTimes): number => r.iterations.reduce((n, it) => n + it.ms[k], 0);
  say(`-- port loop: ${r.iterations.length} iterations; xenify ${formatSeconds(sum('xenify'))}, compile ${formatSeconds(sum('build'))}, boot ${formatSeconds(sum('boot'))}`);
  if (r.last) {
    say('== Xen boot of the ported kernel (console)');
    print(r.last.console.endsWith('\n') || !r.last.console ? r.last.console : `${r.last.console}\n`);
    if (r.outcome !== 'root-mount' && r.last.reportText) say(r.last.reportText);
    say(`== hypercalls by kind (${r.last.hypercalls} in all)`);
    say(formatCounts(r.last.counts));
  }
  if (r.outcome !== 'root-mount') say(`port: stopped (${r.outcome}): ${r.message}`);
  const ms = performance.now() - t0;
  say(`-- port: ${formatSeconds(ms)}`);
  return { text, ms, port: r };
}
