/*
 * Reading one source file for a scan, on whichever thread does it (the main
 * thread, or a worker on a cold scan): its Latin-1 text and content hash, or
 * why it is skipped. Binary means a NUL byte in the first 8 KiB.
 */
import { readFileSync } from 'node:fs';
import { contentHash } from './cache.js';

export type SourceRead = { text: string; hash: string } | { skip: 'binary' | 'unreadable'; detail?: string };

function isBinary(buf: Buffer): boolean {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return true;
  return false;
}

export function readSource(abs: string): SourceRead {
  let buf: Buffer;
  try {
    buf = readFileSync(abs);
  } catch (err) {
    return { skip: 'unreadable', detail: (err as NodeJS.ErrnoException).code };
  }
  if (isBinary(buf)) return { skip: 'binary' };
  return { text: buf.toString('latin1'), hash: contentHash(buf) };
}
