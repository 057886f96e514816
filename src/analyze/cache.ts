/*
 * The scan cache: one JSON file per source content, under
 * .xenoport-cache/scan/<key>/ where the key covers the tool version and the
 * rules' hash, so a rule edit or an upgrade never reuses stale results. A
 * summary is stored without its path and relabelled on load, so identical
 * contents at different paths share an entry. Cache failures never fail a scan.
 */
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import type { FileSummary } from './summary.js';

export function contentHash(buf: Buffer): string {
  return createHash('sha256').update(buf).digest('hex');
}

export class ScanCache {
  private readonly dir: string;

  constructor(root: string, version: string, rulesHash: string) {
    this.dir = path.join(root, 'scan', `${version}-${rulesHash}`);
  }

  /** Where the entry for `hash` lives (workers write entries themselves). */
  file(hash: string): string {
    return path.join(this.dir, hash.slice(0, 2), `${hash}.json`);
  }

  get(hash: string, rel: string): FileSummary | undefined {
    try {
      const s = JSON.parse(readFileSync(this.file(hash), 'utf8')) as FileSummary;
      return relabel(s, rel);
    } catch {
      return undefined;
    }
  }

  /** Whole-tree results, keyed by every file's path and content hash. */
  getTree<T>(key: string): T | undefined {
    try {
      return JSON.parse(readFileSync(path.join(this.dir, `tree-${key}.json`), 'utf8')) as T;
    } catch {
      return undefined;
    }
  }

  putTree(key: string, value: unknown): void {
    try {
      mkdirSync(this.dir, { recursive: true });
      const f = path.join(this.dir, `tree-${key}.json`);
      const tmp = `${f}.${process.pid}.tmp`;
      writeFileSync(tmp, JSON.stringify(value));
      renameSync(tmp, f);
    } catch {
      /* only costs speed */
    }
  }

  put(hash: string, s: FileSummary): void {
    writeEntry(this.file(hash), s);
  }
}

/** Gives a summary (from the cache) the path it has in this scan. */
export function relabel(s: FileSummary, rel: string): FileSummary {
  if (s.file === rel) return s;
  s.file = rel;
  for (const f of s.findings) f.file = rel;
  for (const f of s.funcs) f.file = rel;
  return s;
}

/** Writes one cache entry atomically; failures (read-only, full disk) only cost speed. */
export function writeEntry(file: string, s: FileSummary): void {
  writeEntryText(file, JSON.stringify(s));
}

const madeDirs = new Set<string>();

/** Writes one cache entry's JSON text atomically (the worker already has it). */
export function writeEntryText(file: string, json: string): void {
  try {
    const dir = path.dirname(file);
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    const tmp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
    writeFileSync(tmp, json);
    renameSync(tmp, file);
  } catch {
    /* only costs speed */
  }
}
