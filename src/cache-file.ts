/*
 * Cache files that cannot lie. Every cache xenoport keeps on disk (the scanner's
 * entries, the pipeline's stage results and state) is written through here: a
 * header line names the kind of entry, the version of its shape and the sha256 of
 * its body. Reading checks all three, so a flipped byte, a truncated write, an entry
 * of another shape or another tool's file is a miss (the caller recomputes), never a
 * wrong answer and never a crash. Writes are atomic (a temporary file renamed over).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const MAGIC = 'xenoport-cache';

function digest(body: string): string {
  return createHash('sha256').update(body).digest('hex');
}

/** The text of a checked entry: header line, then the body. */
export function sealText(kind: string, version: number, body: string): string {
  return `${MAGIC} ${kind} ${version} ${digest(body)}\n${body}`;
}

/** The body of a sealed text, or undefined when the header or the checksum does not match. */
export function openText(text: string, kind: string, version: number): string | undefined {
  const nl = text.indexOf('\n');
  if (nl < 0) return undefined;
  const [magic, k, v, sum] = text.slice(0, nl).split(' ');
  if (magic !== MAGIC || k !== kind || v !== String(version) || sum === undefined) return undefined;
  const body = text.slice(nl + 1);
  return digest(body) === sum ? body : undefined;
}

/** Writes `data` as a checked JSON entry, atomically. */
export function writeCacheJson(file: string, kind: string, version: number, data: unknown): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
  writeFileSync(tmp, sealText(kind, version, JSON.stringify(data)));
  renameSync(tmp, file);
}

/**
 * Reads a checked JSON entry; undefined (a miss) when it is missing, unreadable, of
 * another kind or version, damaged, or rejected by `valid` (a shape check for
 * entries a caller cannot afford to trust blindly).
 */
export function readCacheJson<T>(file: string, kind: string, version: number, valid?: (x: unknown) => boolean): T | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const body = openText(text, kind, version);
  if (body === undefined) return undefined;
  try {
    const data = JSON.parse(body) as unknown;
    return valid && !valid(data) ? undefined : (data as T);
  } catch {
    return undefined;
  }
}
