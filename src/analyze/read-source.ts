/*
 * Reading one source file for a scan, on whichever thread does it (the main
 * thread, or a worker on a cold scan): its Latin-1 text and content hash, or
 * why it is skipped. Binary means a NUL byte in the first 8 KiB.
 */
import { FileBytes } from '../file-bytes.js';
import { contentHash } from './cache.js';

export type SourceRead = { text: string; hash: string } | { skip: 'binary' | 'unreadable'; detail?: string };

/** The offset of the first NUL byte in the first 8 KiB, or -1. */
function firstNul(buf: Buffer): number {
  const n = Math.min(buf.length, 8192);
  for (let i = 0; i < n; i++) if (buf[i] === 0) return i;
  return -1;
}

/** This thread's read buffer (each worker has its own module instance): no Buffer left behind per file. */
const reader = new FileBytes();

export function readSource(abs: string): SourceRead {
  let buf: Buffer;
  try {
    buf = reader.read(abs);
  } catch (err) {
    return { skip: 'unreadable', detail: (err as NodeJS.ErrnoException).code };
  }
  const nul = firstNul(buf);
  // Named as source but not text: skipped, and every report says so and why.
  if (nul >= 0) return { skip: 'binary', detail: `a NUL byte at offset ${nul}: not C or assembly text, so not analysed` };
  return { text: buf.toString('latin1'), hash: contentHash(buf) };
}
