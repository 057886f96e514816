/*
 * What a boot under the hypervisor produced, as plain data (BootRecord), and the
 * caches that let the port loop skip work whose inputs did not change:
 * - the build cache: the generated tree (every file's bytes), the kernel configuration,
 *   the compiler's code and the cpp in use -> the key of the kernel image it links to
 *   (or the build's errors);
 * - the boot cache: the image key, the run options (memory, step limit, the root file
 *   system module's bytes), the source map's data (the tree's manifest) and the code of
 *   the hypervisor, the engine and the IR -> the BootRecord.
 * A second port of the same kernel is then a sequence of lookups. Every path a record
 * holds that names the generated tree (which lives in a directory named by its content
 * key) is kept with the tree's root as a placeholder and given the current root back.
 * Entries are checked files (src/cache-file.ts): damage is a miss.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { readCacheJson, writeCacheJson } from '../cache-file.js';
import { compilerFingerprint } from '../compile/index.js';
import { runXenImage, type CrashReport, type GuestEvent, type XenOutcome, type XenRunOptions } from '../hypervisor/index.js';
import { printModule, type LinkedImage } from '../ir/index.js';

const FORMAT = 1;
const BUILD_KIND = 'port-build';
const BOOT_KIND = 'port-boot';
const ITERATION_KIND = 'port-iteration';
const ROOT = '@@xenoport-tree@@';
const HERE = path.dirname(fileURLToPath(import.meta.url));

const sha = (s: string | Uint8Array): string => createHash('sha256').update(s).digest('hex');

/** The events of a boot, columnar: event i is kinds[i] names[nameIds[i]] at steps[i]. */
export interface EventLog {
  names: string[];
  kinds: GuestEvent['kind'][];
  nameIds: number[];
  steps: number[];
  /** Details kept for traps and the end only (hypercall details are many and long). */
  details: Record<number, string>;
}

/** A boot's result as data: what runXenImage returns without the live hypervisor. */
export interface BootRecord {
  outcome: XenOutcome;
  shutdownReason?: string;
  console: string;
  serial: string;
  report?: CrashReport;
  reportText?: string;
  counts: Record<string, number>;
  hypercalls: number;
  steps: number;
  events: EventLog;
  /** The stub's line in the generated tree when the boot stopped at one (kept: the tree is replaced). */
  generatedLine?: string;
  /** True when this record came from the cache. */
  cached?: boolean;
}

/** Collects GuestEvents into an EventLog. */
export function eventRecorder(): { log: EventLog; onEvent: (e: GuestEvent) => void } {
  const log: EventLog = { names: [], kinds: [], nameIds: [], steps: [], details: {} };
  const ids = new Map<string, number>();
  return {
    log,
    onEvent(e) {
      let id = ids.get(e.name);
      if (id === undefined) ids.set(e.name, (id = log.names.push(e.name) - 1));
      if (e.kind !== 'hypercall' && e.detail) log.details[log.steps.length] = e.detail;
      log.kinds.push(e.kind);
      log.nameIds.push(id);
      log.steps.push(e.step);
    },
  };
}

/** Runs `image` under the hypervisor and keeps the result as data. */
export function recordBoot(image: LinkedImage, opts: XenRunOptions): BootRecord {
  const rec = eventRecorder();
  const outer = opts.onEvent;
  const r = runXenImage(image, { ...opts, onEvent: (e) => (rec.onEvent(e), outer?.(e)) });
  return {
    outcome: r.outcome,
    shutdownReason: r.shutdownReason,
    console: r.console,
    serial: r.serial,
    report: r.report,
    reportText: r.reportText,
    counts: r.counts,
    hypercalls: r.hypercalls,
    steps: r.steps,
    events: rec.log,
  };
}

/** A hash of the code in `paths` (files, or directories walked in name order). */
function codeHash(paths: string[]): string {
  const h = createHash('sha256');
  const add = (p: string): void => {
    let st;
    try {
      st = statSync(p);
    } catch {
      return;
    }
    if (st.isDirectory()) for (const name of readdirSync(p).sort()) add(path.join(p, name));
    else if (/\.(js|ts)$/.test(p) && !p.endsWith('.d.ts')) h.update(path.basename(p)).update(readFileSync(p));
  };
  for (const p of paths) add(p);
  return h.digest('hex');
}

let runnerId: string | undefined;
/** The code a boot's result depends on: the hypervisor, the engine, the IR, the Xen ABI and this file. */
function runnerFingerprint(): string {
  runnerId ??= codeHash([...['hypervisor', 'emulate', 'ir', 'xen-abi'].map((d) => path.join(HERE, '..', d)), fileURLToPath(import.meta.url)]);
  return runnerId;
}

/** The tree's root as the IR's locations spell it (real, relative to the working directory when inside it). */
export function rootSpelling(dir: string): string {
  const real = realpathSync(dir);
  const rel = path.relative(process.cwd(), real);
  return rel && !rel.startsWith('..') && !path.isAbsolute(rel) ? rel : real;
}

/** A key for every file under `dir` (names and bytes), leaving out the ones `skip` names. */
export function treeHash(dir: string, skip: (rel: string) => boolean = () => false): string {
  const h = createHash('sha256');
  const walk = (d: string, rel: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      const p = path.join(d, e.name);
      if (skip(r)) continue;
      if (statSync(p).isDirectory()) walk(p, r);
      else h.update(`${r}\u0000`).update(readFileSync(p)).update('\u0000');
    }
  };
  walk(realpathSync(dir), '');
  return h.digest('hex');
}

/** The image's content key: its modules' IR (root-free) and its layout. */
export function imageKey(image: LinkedImage, root: string): string {
  const h = createHash('sha256').update(String(FORMAT));
  for (const m of image.modules) h.update(printModule(m).split(root).join(ROOT));
  h.update(JSON.stringify([image.kind, image.entry, image.entryName, image.vbase, image.pbase, image.vend]));
  for (const s of image.sections) h.update(JSON.stringify([s.name, s.vaddr, s.paddr, s.size])).update(s.bytes);
  h.update(JSON.stringify(image.symbols.map((s) => [s.name, s.kind, s.addr, s.size, s.section, s.exported])));
  return h.digest('hex');
}

/** The run options a boot depends on, or undefined when one cannot be keyed (a trace is wanted). */
function optionsKey(opts: XenRunOptions): string | undefined {
  const { memoryMB, cmdLine, virtBase, ptmapVa, module, maxSteps, nsPerStep, tickNs, debug, ...rest } = opts;
  const known = new Set(['sourceMap', 'onEvent']);
  if (debug || Object.keys(rest).some((k) => !known.has(k) && (rest as Record<string, unknown>)[k] !== undefined)) return undefined;
  return JSON.stringify([memoryMB ?? 32, cmdLine, virtBase, ptmapVa, module ? sha(module) : null, maxSteps ?? 2e9, nsPerStep, tickNs]);
}

/** A port-loop iteration known by its tree's key: the keys its boot is cached under, and rule edits asked of its tree. */
export interface IterationEntry {
  image: string;
  manifest: string;
  edits: Record<string, { file: string; where: string; replacement: string }[]>;
}

export interface BuildEntry {
  image?: string;
  errors: string[];
}

/** The build and boot caches of the port loop, under `dir`. */
export class PortCache {
  constructor(readonly dir: string) {}

  private file(kind: string, key: string): string {
    return path.join(this.dir, kind, `${key}.json`);
  }

  /** The build key of a generated tree (its files, the manifest aside) with a kernel configuration. */
  buildKey(sysDir: string, configFrom: string, machine: string, conf: string, cpp = 'cpp'): string {
    const tree = treeHash(sysDir, (r) => r === '.xenoport-manifest.json');
    return sha(JSON.stringify([FORMAT, tree, sha(readFileSync(path.join(configFrom, 'config.sh'))), machine, conf, compilerFingerprint(), cpp]));
  }

  readBuild(key: string, root: string): BuildEntry | undefined {
    const e = readCacheJson<BuildEntry>(this.file(BUILD_KIND, key), BUILD_KIND, FORMAT, (x) => Array.isArray((x as BuildEntry)?.errors));
    return e && (JSON.parse(JSON.stringify(e).split(ROOT).join(root)) as BuildEntry);
  }

  writeBuild(key: string, e: BuildEntry, root: string): void {
    writeCacheJson(this.file(BUILD_KIND, key), BUILD_KIND, FORMAT, JSON.parse(JSON.stringify(e).split(root).join(ROOT)));
  }

  /** The boot key, or undefined when these options are not cacheable. */
  bootKey(image: string, opts: XenRunOptions, manifest: string): string | undefined {
    const o = optionsKey(opts);
    return o === undefined ? undefined : sha(JSON.stringify([FORMAT, image, o, manifest, runnerFingerprint()]));
  }

  readIteration(key: string): IterationEntry | undefined {
    const e = readCacheJson<IterationEntry>(this.file(ITERATION_KIND, key), ITERATION_KIND, FORMAT, (x) => typeof (x as IterationEntry)?.image === 'string' && typeof (x as IterationEntry).edits === 'object');
    return e?.image ? e : undefined;
  }

  /** Records the iteration's image and manifest keys, keeping the edits already recorded. */
  writeIteration(key: string, image: string, manifest: string): void {
    const old = readCacheJson<IterationEntry>(this.file(ITERATION_KIND, key), ITERATION_KIND, FORMAT);
    writeCacheJson(this.file(ITERATION_KIND, key), ITERATION_KIND, FORMAT, { image, manifest, edits: old?.edits ?? {} } satisfies IterationEntry);
  }

  addIterationEdits(key: string, rule: string, edits: IterationEntry['edits'][string]): void {
    const old = readCacheJson<IterationEntry>(this.file(ITERATION_KIND, key), ITERATION_KIND, FORMAT);
    const e: IterationEntry = { image: old?.image ?? '', manifest: old?.manifest ?? '', edits: { ...(old?.edits ?? {}), [rule]: edits } };
    writeCacheJson(this.file(ITERATION_KIND, key), ITERATION_KIND, FORMAT, e);
  }

  readBoot(key: string, root: string): BootRecord | undefined {
    const text = readCacheJson<string>(this.file(BOOT_KIND, key), BOOT_KIND, FORMAT, (x) => typeof x === 'string');
    if (text === undefined) return undefined;
    try {
      const r = JSON.parse(text.split(ROOT).join(root)) as BootRecord;
      return typeof r.console === 'string' && r.events && Array.isArray(r.events.steps) ? { ...r, cached: true } : undefined;
    } catch {
      return undefined;
    }
  }

  writeBoot(key: string, r: BootRecord, root: string): void {
    const { cached: _, ...rest } = r;
    writeCacheJson(this.file(BOOT_KIND, key), BOOT_KIND, FORMAT, JSON.stringify(rest).split(root).join(ROOT));
  }
}

/** The manifest's content without its times, for the source map's part of a boot key. */
export function manifestKey(sysDir: string, root: string): string {
  try {
    const text = readFileSync(path.join(sysDir, '.xenoport-manifest.json'), 'utf8');
    return sha(JSON.stringify(JSON.parse(text), (k, v: unknown) => (k === 'mtimeMs' ? undefined : v)).split(root).join(ROOT));
  } catch {
    return 'none';
  }
}
