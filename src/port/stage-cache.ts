/*
 * The stage cache of `npm start`'s NFS-root and step-14 stages, as runSuiteXenCached
 * keeps the suite's run: a stage whose inputs are all unchanged is replayed (its
 * printed text and its result read back) instead of run against a real server and a
 * real disk image. On a miss the real thing runs (nfs-ganesha in domain 0's namespace,
 * blkback on a fresh image, sleuthkit on the host) and its result is kept.
 *
 * The key is everything the result depends on: the kernel image (its content key,
 * through the port's build cache, else a build), the generated tree's manifest (the
 * source map), the run options, the tree the guest sees (every file's name and
 * bytes: the export for NFS, the copied root for step 14), domain 0's code and the
 * server's configuration (src/dom0, which writes ganesha.conf), the hypervisor's,
 * engine's and IR's code (the boot key), this directory's stage code, the identity
 * (path, size, time) of the host programs the stage runs (ganesha.nfsd, rpcbind,
 * makefs, sleuthkit's tools) and whether domain 0's network can be made here.
 * The export's path (a fresh temporary directory per run) is left out of the key: a
 * replay's text names the export of the run it replays.
 */
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCacheJson, writeCacheJson } from '../cache-file.js';
import { dom0Unavailable } from '../dom0/index.js';
import { defaultScan, loadPipeline, runPipeline } from '../rewrite/index.js';
import type { XenRunOptions } from '../hypervisor/index.js';
import { imageKey, manifestKey, PortCache, rootSpelling, treeHash } from './boot-cache.js';
import { addWriteStep, bootXenNfsRoot, type NfsRootOptions } from './nfs-root.js';
import { buildXirRootImage } from './root-image.js';
import type { checkStep14Disk, runStep14, Step14Check, Step14Options } from './step14.js';
import { buildXenoKernel, unitCacheAt } from './xen-kernel.js';

const FORMAT = 1;
const NFS_KIND = 'stage-nfs';
const STEP14_KIND = 'stage-step14';
const HERE = path.dirname(fileURLToPath(import.meta.url));

const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');

/** The code of `paths` (files, or directories walked in name order), as one hash. */
function codeHash(paths: string[]): string {
  const h = createHash('sha256');
  const add = (p: string): void => {
    if (!existsSync(p)) return;
    if (statSync(p).isDirectory()) for (const n of readdirSync(p).sort()) add(path.join(p, n));
    else if (/\.(js|ts)$/.test(p) && !p.endsWith('.d.ts')) h.update(path.basename(p)).update(readFileSync(p));
  };
  for (const p of paths) add(p);
  return h.digest('hex');
}

/** Where a host program is and which build it is (size and time of the file), or that it is missing. */
function programIdentity(name: string): string {
  for (const d of (process.env.PATH ?? '').split(':').concat(['/usr/sbin', '/sbin'])) {
    const p = d && path.join(d, name);
    if (p && existsSync(p)) {
      const st = statSync(p);
      return `${p}:${st.size}:${st.mtimeMs}`;
    }
  }
  return `${name}:missing`;
}

/** The stages' own code, domain 0's and the port's build of the kernel (this directory). */
function stageCode(): string {
  return codeHash([HERE, path.join(HERE, '..', 'dom0'), path.join(HERE, '..', 'cache-file.js'), path.join(HERE, '..', 'cache-file.ts')]);
}

/**
 * The i386-xeno kernel's part of a key (image, manifest, run options, the runner's
 * code), after xenifying `output` in hypercall mode; undefined when it does not build.
 */
async function kernelKey(opts: { pipelineFile: string; configFrom: string; output?: string }, cacheDir: string, run: XenRunOptions): Promise<string | undefined> {
  const config = loadPipeline(opts.pipelineFile);
  if (opts.output) config.output = path.resolve(opts.output);
  config.cache = path.resolve(cacheDir);
  await runPipeline(config, { mode: 'hypercall', scan: defaultScan });
  const root = rootSpelling(config.output);
  const pc = new PortCache(path.join(config.cache, 'port'));
  const bkey = pc.buildKey(config.output, opts.configFrom, 'i386-xeno', 'GENERIC');
  let image = pc.readBuild(bkey, root)?.image;
  if (!image) {
    const b = await buildXenoKernel(config.output, opts.configFrom, undefined, undefined, unitCacheAt(path.join(config.cache, 'compile')));
    if (!b.image) return undefined;
    image = imageKey(b.image, root);
    pc.writeBuild(bkey, { image, errors: [] }, root);
  }
  return pc.bootKey(image, run, manifestKey(config.output, root));
}

/** What the NFS stage needs of a boot: the text it printed, the console, the outcome. */
export interface NfsStageRun {
  printed: string;
  console: string;
  outcome?: string;
  /** The export the guest mounted (removed by the caller); absent on a replay. */
  exportDir?: string;
  cached?: boolean;
}

interface NfsEntry {
  printed: string;
  console: string;
  outcome?: string;
  exportDir: string;
}

/**
 * bootXenNfsRoot on the suite's root tree (opts.tree, else built here) with its write
 * step, through the stage cache. Prints what the boot prints (or printed, on a replay) through opts.print.
 */
export async function bootXenNfsRootCached(opts: NfsRootOptions & { workDir: string }, cacheDir: string): Promise<NfsStageRun> {
  const print = opts.print ?? (() => {});
  const prep = mkdtempSync(path.join(opts.workDir, 'xenoport-nfsprep-'));
  try {
    // The export's tree, made here (as bootXenNfsRoot makes it) so that its bytes are part of the key.
    const tree = path.join(prep, 'tree');
    const source = opts.tree ?? path.join(path.dirname((await buildXirRootImage(opts.configFrom, path.join(prep, 'xir'))).image), 'root');
    cpSync(source, tree, { recursive: true, verbatimSymlinks: true });
    for (const d of ['dev', 'mnt']) mkdirSync(path.join(tree, d), { recursive: true, mode: 0o755 });
    addWriteStep(tree);
    const kernel = await kernelKey(opts, cacheDir, { memoryMB: opts.memoryMB, maxSteps: opts.maxSteps, cmdLine: opts.extraCmdLine ?? '' });
    const key = kernel && sha(JSON.stringify([FORMAT, kernel, treeHash(tree), stageCode(), ['ganesha.nfsd', 'rpcbind', 'unshare', 'ip'].map(programIdentity), dom0Unavailable() ?? '']));
    const file = key && path.join(cacheDir, 'port', NFS_KIND, `${key}.json`);
    const hit = file ? readCacheJson<NfsEntry>(file, NFS_KIND, FORMAT, (x) => typeof (x as NfsEntry)?.printed === 'string' && typeof (x as NfsEntry).exportDir === 'string') : undefined;
    if (hit) {
      // The text names the export of the run it replays (removed since).
      print(hit.printed);
      return { printed: hit.printed, console: hit.console, outcome: hit.outcome, cached: true };
    }
    let printed = '';
    const r = await bootXenNfsRoot({ ...opts, tree, print: (s) => { printed += s; print(s); } });
    const out: NfsStageRun = { printed, console: r.run?.console ?? '', outcome: r.run?.outcome, exportDir: r.exportDir };
    if (file && r.run) writeCacheJson(file, NFS_KIND, FORMAT, { printed, console: out.console, outcome: out.outcome, exportDir: r.exportDir } satisfies NfsEntry);
    return out;
  } finally {
    rmSync(prep, { recursive: true, force: true });
  }
}

/** A boot of the step-14 sequence as the output and the report need it. */
export interface Step14Boot {
  ok: boolean;
  summary: string;
  run?: { console: string; outcome: string };
}

/** runStep14's result as data (what formatStep14 and the stage read). */
export interface Step14Replay {
  disk: string;
  tree: string;
  root: 'nfs' | 'module';
  fallback?: string;
  first: Step14Boot;
  second?: Step14Boot;
  ms: { tree: number; first: number; second: number };
}

interface Step14Entry {
  r: Step14Replay;
  check?: Step14Check;
  printed: string;
}

const slim = (b: { ok: boolean; summary: string; run?: { console: string; outcome: string } } | undefined): Step14Boot | undefined =>
  b && { ok: b.ok, summary: b.summary, run: b.run && { console: b.run.console, outcome: b.run.outcome } };

/**
 * runStep14 and the host's check of the disk, through the stage cache: a replay
 * gives the same result and the same check, and prints what the run printed.
 */
export async function runStep14Cached(
  opts: Step14Options,
  cacheDir: string,
  real: { runStep14: typeof runStep14; checkStep14Disk: typeof checkStep14Disk; hasCommand: (cmd: string) => Promise<boolean> },
): Promise<{ r: Step14Replay; check?: Step14Check; sleuthkit: boolean; cached: boolean }> {
  const print = opts.print ?? (() => {});
  const sleuthkit = await real.hasCommand('fsstat');
  const kernel = await kernelKey(opts, cacheDir, { memoryMB: opts.memoryMB, maxSteps: opts.maxSteps ?? 4e9 });
  const source = opts.sourceTree && existsSync(opts.sourceTree) ? treeHash(opts.sourceTree) : undefined;
  const tools = ['ganesha.nfsd', 'rpcbind', 'unshare', 'ip', 'makefs', 'fsstat', 'fls', 'istat', 'tsk_recover'].map(programIdentity);
  const key = kernel && source && sha(JSON.stringify([FORMAT, kernel, source, opts.root, opts.diskMB ?? 8, path.resolve(opts.workDir), stageCode(), tools, dom0Unavailable() ?? '', sleuthkit]));
  const file = key && path.join(cacheDir, 'port', STEP14_KIND, `${key}.json`);
  const hit = file ? readCacheJson<Step14Entry>(file, STEP14_KIND, FORMAT, (x) => typeof (x as Step14Entry)?.printed === 'string' && typeof (x as Step14Entry).r?.disk === 'string') : undefined;
  if (hit) {
    print(hit.printed);
    return { r: hit.r, check: hit.check, sleuthkit, cached: true };
  }
  let printed = '';
  const full = await real.runStep14({ ...opts, print: (s) => { printed += s; print(s); } });
  const check = sleuthkit && full.second ? await real.checkStep14Disk(full) : undefined;
  const r: Step14Replay = { disk: full.disk, tree: full.tree, root: full.root, fallback: full.fallback, first: slim(full.first)!, second: slim(full.second), ms: full.ms };
  if (file && full.first.run) writeCacheJson(file, STEP14_KIND, FORMAT, { r, check, printed } satisfies Step14Entry);
  return { r, check, sleuthkit, cached: false };
}
