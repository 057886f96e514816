/*
 * `rewrite --in-place`: the rewritten files replace the originals in the scanned
 * tree, each atomically. Every file is first checked to hold still the bytes the
 * edits were planned on; if any changed since it was read (an editor saved it, a
 * checkout ran), nothing is written. Each new text is written to a temporary file
 * beside the original, with the original's mode, flushed to disk and renamed over
 * it, so at every instant the path holds either the whole old text or the whole
 * new one, as with xenify's output tree; a symlink is followed, so the file it
 * names is replaced and the link stays. A file the rewrite creates (the guest API
 * header) is never written over an existing one.
 */
import { closeSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, realpathSync, renameSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';
import { RewriteError } from '../errors.js';

export interface InPlaceFile {
  /** Path relative to the tree's root. */
  rel: string;
  /** What the edits were planned on; null: the file is created. */
  before: Buffer | null;
  after: Buffer;
}

function target(root: string, rel: string): string {
  const abs = path.join(root, rel);
  return existsSync(abs) && lstatSync(abs).isSymbolicLink() ? realpathSync(abs) : abs;
}

function writeAtomic(file: string, data: Buffer, mode: number): void {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.xenoport-${process.pid}-${Date.now().toString(36)}`);
  try {
    mkdirSync(path.dirname(file), { recursive: true });
    const fd = openSync(tmp, 'wx', mode);
    try {
      writeSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
  } catch (err) {
    rmSync(tmp, { force: true });
    throw new RewriteError(`cannot write ${file}: ${(err as Error).message}`, { cause: err });
  }
}

/** Writes `files` into the tree at `root`, each atomically, after checking that none changed. */
export function writeInPlace(root: string, files: InPlaceFile[]): void {
  const changed: string[] = [];
  for (const f of files) {
    const abs = target(root, f.rel);
    if (f.before === null) {
      if (existsSync(abs)) changed.push(`${f.rel} (now exists)`);
      continue;
    }
    let now: Buffer | undefined;
    try {
      now = readFileSync(abs);
    } catch {
      now = undefined;
    }
    if (!now || !now.equals(f.before)) changed.push(f.rel);
  }
  if (changed.length > 0)
    throw new RewriteError(`nothing was written: ${changed.length} file(s) changed since the scan read them: ${changed.slice(0, 5).join(', ')}${changed.length > 5 ? ', ...' : ''}; run the rewrite again`);
  for (const f of files) {
    const abs = target(root, f.rel);
    writeAtomic(abs, f.after, f.before === null ? 0o644 : statSync(abs).mode & 0o7777);
  }
}
