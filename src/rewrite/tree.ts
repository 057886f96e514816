/*
 * Read-only access to a source tree, with content hashes remembered by
 * (size, mtime) so that a no-op pipeline run stats files instead of reading them.
 * Paths are relative to the tree root with '/' separators, sorted.
 * Invariant: nothing here writes under the root.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { FileBytes } from '../file-bytes.js';
import path from 'node:path';
import { PipelineError } from '../errors.js';

/** A file-system error on `file` as a user-facing error naming it (never a stack trace). */
function unreadable(file: string, err: unknown): PipelineError {
  const code = (err as NodeJS.ErrnoException).code ?? 'error';
  const why: Record<string, string> = { ENOENT: 'does not exist', ENOTDIR: 'is not a directory', EACCES: 'is not readable (permission denied)', EISDIR: 'is a directory', ELOOP: 'is a symbolic link loop' };
  return new PipelineError(`${file} ${why[code] ?? `cannot be read (${code})`}`, { span: { file, line: 1, col: 1 }, cause: err });
}

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface StatEntry { size: number; mtimeMs: number; sha256: string }
export type StatCache = Record<string, StatEntry>;

/** Every regular file under root (relative paths, sorted); skips .git and dotfiles named .xenoport*. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = rel ? path.join(root, rel) : root;
    let entries;
    try {
      entries = readdirSync(abs, { withFileTypes: true });
    } catch (err) {
      throw unreadable(abs, err);
    }
    for (const ent of entries) {
      if (ent.name === '.git' || ent.name.startsWith('.xenoport')) continue;
      const r = rel ? `${rel}/${ent.name}` : ent.name;
      if (ent.isDirectory()) walk(r);
      else if (ent.isFile()) out.push(r);
    }
  };
  walk('');
  return out.sort();
}

export class SourceTree {
  readonly files: string[];
  private readonly fileSet: Set<string>;
  private readonly bytes = new Map<string, Buffer>();
  /** Hashing reads through one reused buffer (file-bytes.ts): a cold run hashes every file of a real sys/. */
  private readonly reader = new FileBytes();
  /** Entries refreshed during this run; written back to the cache by the caller. */
  readonly stats: StatCache = {};

  /** Throws PipelineError when root is not a readable directory, naming it. */
  constructor(readonly root: string, private readonly previous: StatCache = {}) {
    let st;
    try {
      st = statSync(root);
    } catch (err) {
      throw unreadable(root, err);
    }
    if (!st.isDirectory()) throw new PipelineError(`the source ${root} is not a directory (give the kernel's sys directory)`);
    this.files = listFiles(root);
    this.fileSet = new Set(this.files);
  }

  has(rel: string): boolean {
    return this.fileSet.has(rel);
  }

  read(rel: string): Buffer {
    let b = this.bytes.get(rel);
    if (!b) this.bytes.set(rel, (b = this.load(rel)));
    return b;
  }

  private load(rel: string): Buffer {
    try {
      return readFileSync(path.join(this.root, rel));
    } catch (err) {
      throw unreadable(path.join(this.root, rel), err);
    }
  }

  /** A file's bytes read for hashing alone: into the reused buffer, valid until the next read. */
  private hashRead(rel: string): Buffer {
    try {
      return this.reader.read(path.join(this.root, rel));
    } catch (err) {
      throw unreadable(path.join(this.root, rel), err);
    }
  }

  /** Content hash; reads the file only when its size or mtime changed since the cache. */
  hash(rel: string): string {
    const known = this.stats[rel];
    if (known) return known.sha256;
    let st;
    try {
      st = statSync(path.join(this.root, rel));
    } catch (err) {
      throw unreadable(path.join(this.root, rel), err);
    }
    const prev = this.previous[rel];
    // Hashing keeps no bytes: a cold run hashes every file of a real sys/ (11,000 files, 200 MB), stages read a few hundred.
    const entry =
      prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs
        ? prev
        : { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(this.bytes.get(rel) ?? this.hashRead(rel)) };
    this.stats[rel] = entry;
    return entry.sha256;
  }
}

/** sha256 over every file's path and bytes under `dir`; 'missing' when it does not exist. */
export function hashDir(dir: string): string {
  if (!existsSync(dir)) return 'missing';
  const parts = listFiles(dir).map((f) => `${f}\0${sha256(readFileSync(path.join(dir, f)))}`);
  return sha256(parts.join('\n'));
}
