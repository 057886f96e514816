/*
 * Read-only access to a source tree, with content hashes remembered by
 * (size, mtime) so that a no-op pipeline run stats files instead of reading them.
 * Paths are relative to the tree root with '/' separators, sorted.
 * Invariant: nothing here writes under the root.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

export const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');

export interface StatEntry { size: number; mtimeMs: number; sha256: string }
export type StatCache = Record<string, StatEntry>;

/** Every regular file under root (relative paths, sorted); skips .git and dotfiles named .xenoport*. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    const abs = rel ? path.join(root, rel) : root;
    for (const ent of readdirSync(abs, { withFileTypes: true })) {
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
  private readonly bytes = new Map<string, Buffer>();
  /** Entries refreshed during this run; written back to the cache by the caller. */
  readonly stats: StatCache = {};

  constructor(readonly root: string, private readonly previous: StatCache = {}) {
    this.files = listFiles(root);
  }

  has(rel: string): boolean {
    return this.files.includes(rel);
  }

  read(rel: string): Buffer {
    let b = this.bytes.get(rel);
    if (!b) {
      b = readFileSync(path.join(this.root, rel));
      this.bytes.set(rel, b);
    }
    return b;
  }

  /** Content hash; reads the file only when its size or mtime changed since the cache. */
  hash(rel: string): string {
    const known = this.stats[rel];
    if (known) return known.sha256;
    const st = statSync(path.join(this.root, rel));
    const prev = this.previous[rel];
    const entry =
      prev && prev.size === st.size && prev.mtimeMs === st.mtimeMs
        ? prev
        : { size: st.size, mtimeMs: st.mtimeMs, sha256: sha256(this.read(rel)) };
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
