/*
 * The texts resolution cuts its captures from (resolve-common.ts SourceTexts).
 * A scan keeps byte ranges, not texts, for call arguments and store operands:
 * on a whole real sys/ those texts were a fifth of what it kept until
 * resolution, and all but a few thousand are never reported. A file resolution
 * needs is read again and must hash as it did when it was extracted: a file
 * edited during the scan is an error, never a capture cut from other text.
 */
import { ScanError } from '../errors.js';
import { FileBytes } from '../file-bytes.js';
import { contentHash } from './cache.js';
import type { SourceBytes, SourceTexts } from './resolve-common.js';
import type { FileSummary } from './summary.js';

/** Where a summary's file is and the content hash it was extracted from. */
export interface SourceOrigin {
  abs: string;
  hash: string;
}

/**
 * Texts read back from disk into one reused buffer (file-bytes.ts): a whole
 * sys/ reads about 4,600 files back (va-hole evaluates macro invocations from
 * their argument texts), and each read as a string was 150 MB of garbage that
 * raised the scan's peak; only the cut texts are made. A file's bytes stay
 * valid until the next file is read (resolution goes file by file); cutting
 * from an older one throws.
 */
export function diskTexts(origins: Map<FileSummary, SourceOrigin>): SourceTexts {
  const reader = new FileBytes();
  let last: FileSummary | undefined;
  let current: SourceBytes = { slice: () => '' };
  let generation = 0;
  return (s) => {
    if (s === last) return current;
    const o = origins.get(s);
    if (!o) throw new Error(`no source recorded for ${s.file}`);
    let bytes: Buffer | undefined;
    try {
      bytes = reader.read(o.abs);
    } catch {
      bytes = undefined;
    }
    if (!bytes || contentHash(bytes) !== o.hash) throw new ScanError(`${s.file}: the file changed while it was being scanned; scan again`);
    const mine = ++generation;
    const view = bytes;
    last = s;
    current = {
      slice(start, end) {
        if (mine !== generation) throw new Error(`${s.file}: its bytes were replaced by another file's`);
        return view.toString('latin1', Math.min(start, view.length), Math.min(end, view.length));
      },
    };
    return current;
  };
}

/** Texts held in memory (in-memory sources: rule tests, library users). */
export function memoryTexts(texts: Map<FileSummary, string>): SourceTexts {
  return (s) => {
    const t = texts.get(s);
    if (t === undefined) throw new Error(`no source text for ${s.file}`);
    return t;
  };
}
