/*
 * The texts resolution cuts its captures from (resolve-common.ts SourceTexts).
 * A scan keeps byte ranges, not texts, for call arguments and store operands:
 * on a whole real sys/ those texts were a fifth of what it kept until
 * resolution, and all but a few thousand are never reported. A file resolution
 * needs is read again and must hash as it did when it was extracted: a file
 * edited during the scan is an error, never a capture cut from other text.
 */
import { ScanError } from '../errors.js';
import { readSource } from './read-source.js';
import type { SourceTexts } from './resolve-common.js';
import type { FileSummary } from './summary.js';

/** Where a summary's file is and the content hash it was extracted from. */
export interface SourceOrigin {
  abs: string;
  hash: string;
}

/** Texts read back from disk; the last file read is kept (resolution goes file by file). */
export function diskTexts(origins: Map<FileSummary, SourceOrigin>): SourceTexts {
  let last: FileSummary | undefined;
  let lastText = '';
  return (s) => {
    if (s === last) return lastText;
    const o = origins.get(s);
    if (!o) throw new Error(`no source recorded for ${s.file}`);
    const r = readSource(o.abs);
    if ('skip' in r || r.hash !== o.hash) throw new ScanError(`${s.file}: the file changed while it was being scanned; scan again`);
    last = s;
    lastText = r.text;
    return lastText;
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
