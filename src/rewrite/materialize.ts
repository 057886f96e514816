/*
 * Writes a generated tree atomically, with its manifest.
 *
 * Layout: the output path (e.g. build/xeno/sys) is a symlink to a version
 * directory beside it (.sys.<key>). A new version is written into a temporary
 * directory, renamed to its version name, and then the symlink is replaced by
 * rename(2) of a fresh symlink over it, which is atomic: at every instant the
 * output path names either the previous complete tree or the new complete tree,
 * so a crash or kill -9 at any point leaves the previous target whole.
 * Leftover temporary and superseded version directories are removed on the next
 * successful run.
 *
 * The manifest (.xenoport-manifest.json in the tree) records for each file its
 * hash, size and mtime, the source file and hash it came from, and the rules and
 * edits applied. A file whose bytes no longer match is a hand edit: the next run
 * refuses to replace the tree unless forced.
 */
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PipelineError } from '../errors.js';
import { listFiles, sha256 } from './tree.js';
import type { ChangedRegion } from '../analyze/index.js';

export const MANIFEST_NAME = '.xenoport-manifest.json';

export interface ManifestEdit {
  ruleId: string;
  kind: string;
  where: string;
  startByte: number;
  endByte: number;
  replacement: string;
}

export interface ManifestFile {
  sha256: string;
  size: number;
  mtimeMs: number;
  /** Source file (relative to the source root) this file was made from, if any. */
  source?: string;
  sourceSha256?: string;
  /** Stage that generated the file outright (no source). */
  generatedBy?: string;
  rules: string[];
  edits: ManifestEdit[];
}

export interface Manifest {
  tool: string;
  treeKey: string;
  pipeline?: string;
  source: string;
  files: Record<string, ManifestFile>;
}

export interface OutputFile {
  content: Buffer;
  /** For a file made from a source by edits: what changed (the diff is made from these). */
  regions?: ChangedRegion[];
  source?: string;
  sourceSha256?: string;
  generatedBy?: string;
  edits: ManifestEdit[];
}

/** Reads the manifest of the tree currently at `output`, or null. */
export function readManifest(output: string): Manifest | null {
  const file = path.join(output, MANIFEST_NAME);
  if (!existsSync(file)) return null;
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Manifest;
  } catch {
    return null;
  }
}

export interface TreeCheck {
  modified: string[];
  added: string[];
  missing: string[];
}

/** Compares the tree at `output` with its manifest (stat first, hash on mismatch). */
export function checkTree(output: string, manifest: Manifest): TreeCheck {
  const modified: string[] = [];
  const missing: string[] = [];
  // A tree that another run removes while we look at it reads as missing files.
  const gone = (err: unknown): boolean => (err as NodeJS.ErrnoException).code === 'ENOENT';
  let present: Set<string>;
  try {
    present = new Set(listFiles(output));
  } catch (err) {
    if (!gone(err)) throw err;
    present = new Set();
  }
  for (const [rel, m] of Object.entries(manifest.files)) {
    if (!present.has(rel)) {
      missing.push(rel);
      continue;
    }
    try {
      const st = statSync(path.join(output, rel));
      if (st.size === m.size && st.mtimeMs === m.mtimeMs) continue;
      if (st.size !== m.size || sha256(readFileSync(path.join(output, rel))) !== m.sha256) modified.push(rel);
    } catch (err) {
      if (!gone(err)) throw err;
      missing.push(rel);
    }
  }
  const added = [...present].filter((rel) => !(rel in manifest.files));
  return { modified, added, missing };
}

function versionDirName(output: string, key: string): string {
  return `.${path.basename(output)}.${key.slice(0, 16)}`;
}

/** Removes what interrupted runs left beside `output` (temporary trees, links, old versions). */
export function collectLeftovers(output: string): void {
  if (!isSymlink(output)) return;
  collectGarbage(output, readlinkSync(output));
}

function alive(pid: number): boolean {
  if (pid === process.pid) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes temporary and superseded version directories of `output` (not `keep`).
 * Another live run's temporary files, and version directories younger than a
 * minute (another run may be about to link one), are left alone.
 */
function collectGarbage(output: string, keep: string): void {
  const parent = path.dirname(output);
  const prefix = `.${path.basename(output)}.`;
  for (const name of readdirSync(parent)) {
    if (!name.startsWith(prefix) || name === keep) continue;
    const owner = /\.(?:tmp|link)-(\d+)/.exec(name);
    if (owner && alive(Number(owner[1]))) continue;
    const full = path.join(parent, name);
    if (!owner) {
      try {
        if (Date.now() - lstatSync(full).mtimeMs < 60_000) continue;
      } catch {
        continue;
      }
    }
    rmSync(full, { recursive: true, force: true });
  }
}

export interface WriteOptions {
  output: string;
  treeKey: string;
  tool: string;
  source: string;
  pipeline?: string;
  files: Map<string, OutputFile>;
  /** Replace a tree with hand edits. */
  force?: boolean;
  /** Test hook: called between the steps of the swap. */
  onStep?: (step: string) => void;
}

/**
 * Refuses an output that would put the generated tree into the source or the source
 * into the output: equal paths, an output inside the source (each run would copy the
 * previous output back in), or an output that contains the source.
 */
export function assertOutputApart(output: string, source: string): void {
  const real = (p: string): string => {
    // The output may not exist yet: resolve its deepest existing ancestor.
    let head = path.resolve(p);
    const tail: string[] = [];
    while (!existsSync(head) && path.dirname(head) !== head) {
      tail.unshift(path.basename(head));
      head = path.dirname(head);
    }
    return path.join(realpathSync(head), ...tail);
  };
  const out = real(output);
  const src = real(source);
  const inside = (a: string, b: string): boolean => a === b || a.startsWith(b.endsWith(path.sep) ? b : b + path.sep);
  if (inside(out, src)) {
    throw new PipelineError(
      out === src
        ? `the output ${output} is the source tree itself; choose an --output outside ${source}`
        : `the output ${output} is inside the source tree ${source}; choose an --output outside it`,
    );
  }
  if (inside(src, out)) throw new PipelineError(`the output ${output} contains the source tree ${source}; choose an --output that does not`);
}

/**
 * Writes the tree and swaps it into place. Only a tree xenoport generated (a link to a
 * version directory, or a directory, carrying its manifest) is ever replaced; anything
 * else at `output` is refused, with or without `force`. `force` replaces a generated
 * tree whose files were edited by hand. Throws PipelineError naming the files or the
 * reason; on a throw nothing at `output` has changed.
 */
export function writeTreeAtomically(opts: WriteOptions): Manifest {
  const { output } = opts;
  assertOutputApart(output, opts.source);
  const parent = path.dirname(output);
  mkdirSync(parent, { recursive: true });
  let current: string | null = null;
  let legacy = false;
  if (existsSync(output) || isSymlink(output)) {
    // Check the tree the link names now, even if another run swaps it meanwhile.
    const live = existsSync(output) ? realpathSync(output) : output;
    const manifest = existsSync(live) ? readManifest(live) : null;
    if (isSymlink(output)) {
      const target = readlinkSync(output);
      // Our links are a bare version name beside the output; a link elsewhere is the user's.
      if (target.includes('/') || !target.startsWith(`.${path.basename(output)}.`)) {
        throw new PipelineError(`${output} is a symbolic link to ${target}, which xenoport did not make; choose another output or remove the link`);
      }
      current = target;
    } else if (!manifest) {
      if (!lstatSync(output).isDirectory() || listFiles(output).length > 0) {
        throw new PipelineError(`${output} exists and was not generated by xenoport (it has no ${MANIFEST_NAME}); xenoport never replaces it, even with --force: choose another output or remove it yourself`);
      }
      legacy = true;
    } else legacy = true;
    if (manifest && !opts.force) assertUntouched(live, manifest);
  }
  if (legacy) {
    // An empty directory, or a generated tree of the older plain-directory layout: move
    // it aside once (the only non-atomic step); the collection below removes it.
    renameSync(output, path.join(parent, `.${path.basename(output)}.legacy-${process.pid}-${Date.now()}`));
  }
  const keyName = versionDirName(output, opts.treeKey);
  const manifest: Manifest = { tool: opts.tool, treeKey: opts.treeKey, pipeline: opts.pipeline, source: opts.source, files: {} };
  const tmp = path.join(parent, `${keyName}.tmp-${process.pid}-${Date.now()}`);
  mkdirSync(tmp, { recursive: true });
  opts.onStep?.('tmp-created');
  const dirs = new Set<string>();
  for (const [rel, f] of [...opts.files.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const abs = path.join(tmp, rel);
    const dir = path.dirname(abs);
    if (!dirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      dirs.add(dir);
    }
    writeFileSync(abs, f.content);
    const st = statSync(abs);
    manifest.files[rel] = {
      sha256: sha256(f.content),
      size: st.size,
      mtimeMs: st.mtimeMs,
      ...(f.source !== undefined ? { source: f.source, sourceSha256: f.sourceSha256 } : {}),
      ...(f.generatedBy !== undefined ? { generatedBy: f.generatedBy } : {}),
      rules: [...new Set(f.edits.map((e) => e.ruleId))].sort(),
      edits: f.edits,
    };
  }
  writeFileSync(path.join(tmp, MANIFEST_NAME), `${JSON.stringify(manifest, null, 1)}\n`);
  opts.onStep?.('tmp-written');
  const keyDir = path.join(parent, keyName);
  const reusable = (): boolean => {
    const m = existsSync(keyDir) ? readManifest(keyDir) : null;
    return m !== null && m.treeKey === opts.treeKey && isWhole(keyDir, m);
  };
  let versionName: string;
  if (current !== keyName && !opts.force && reusable()) {
    // Another run already built this very tree: link to it.
    rmSync(tmp, { recursive: true, force: true });
    versionName = keyName;
  } else {
    // A version directory is never deleted or renamed while a link may name it: a
    // replacement of the same key gets a fresh name, so the output link always names
    // a whole tree and the superseded one is collected after the swap.
    const fresh = `${keyName}.r${process.pid}-${Date.now()}`;
    versionName = existsSync(keyDir) || current === keyName ? fresh : keyName;
    try {
      renameSync(tmp, path.join(parent, versionName));
    } catch (err) {
      // Another run renamed the same tree into place first: use it, or ours under a fresh name.
      const code = (err as NodeJS.ErrnoException).code;
      if (code !== 'ENOTEMPTY' && code !== 'EEXIST') throw err;
      if (!opts.force && reusable()) rmSync(tmp, { recursive: true, force: true });
      else {
        versionName = fresh;
        renameSync(tmp, path.join(parent, versionName));
      }
    }
  }
  opts.onStep?.('version-renamed');
  swapLink(output, versionName);
  opts.onStep?.('link-swapped');
  collectGarbage(output, versionName);
  return manifest;
}

function isWhole(dir: string, m: Manifest): boolean {
  const c = checkTree(dir, m);
  return c.modified.length === 0 && c.added.length === 0 && c.missing.length === 0;
}

function isSymlink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function swapLink(output: string, target: string): void {
  const tmpLink = path.join(path.dirname(output), `.${path.basename(output)}.link-${process.pid}`);
  rmSync(tmpLink, { force: true });
  symlinkSync(target, tmpLink);
  renameSync(tmpLink, output);
}

/** Throws PipelineError naming hand-edited or hand-added files. */
export function assertUntouched(output: string, manifest: Manifest): void {
  const check = checkTree(output, manifest);
  const touched = [...check.modified.map((f) => `modified: ${f}`), ...check.added.map((f) => `added: ${f}`)];
  if (touched.length > 0) {
    const shown = touched.slice(0, 10).join('\n  ');
    throw new PipelineError(
      `the generated tree ${output} was edited by hand; rerun with --force to overwrite:\n  ${shown}${touched.length > 10 ? `\n  ... and ${touched.length - 10} more` : ''}`,
    );
  }
}
