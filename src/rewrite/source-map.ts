/*
 * Where a generated line came from: a map from "file:line" in an xenify output
 * tree (what the IR's locations say) to the ORIGINAL "file:line", built from the
 * tree's manifest (per file, its source and the edits applied with byte ranges into
 * the ORIGINAL file). The hypervisor's termination report prints both.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { readManifest } from './materialize.js';

/**
 * A SourceMap from the xenify output tree at `treeDir` (the directory holding
 * .xenoport-manifest.json). Generated paths are matched by suffix, so IR files named
 * "sys/i386-xeno/i386/machdep.c" or "i386/machdep.c" both resolve. Returns undefined
 * when the manifest is missing.
 */
export function manifestSourceMap(treeDir: string, sourceRoot?: string): ((where: string) => string | undefined) | undefined {
  const man = readManifest(treeDir);
  if (!man) return undefined;
  const srcRoot = sourceRoot ?? man.source;
  const cache = new Map<string, ((line: number) => string) | null>();
  const mapperFor = (rel: string): ((line: number) => string) | null => {
    if (cache.has(rel)) return cache.get(rel)!;
    const f = man.files[rel];
    let fn: ((line: number) => string) | null = null;
    if (f?.source) {
      const srcPath = path.isAbsolute(srcRoot) ? path.join(srcRoot, f.source) : path.resolve(treeDir, '..', srcRoot, f.source);
      const orig = existsSync(srcPath) ? readFileSync(srcPath) : undefined;
      fn = makeLineMap(`${path.basename(srcRoot)}/${f.source}`, orig, f.edits);
    }
    cache.set(rel, fn);
    return fn;
  };
  const rels = Object.keys(man.files);
  return (where: string) => {
    const m = /^(.*):(\d+)$/.exec(where);
    if (!m) return undefined;
    const file = m[1]!.replace(/\\/g, '/');
    const rel = rels.find((r) => file === r || file.endsWith('/' + r));
    if (!rel) return undefined;
    const fn = mapperFor(rel);
    return fn ? fn(Number(m[2])) : undefined;
  };
}

/**
 * Line map generated -> original for a file made by applying `edits` (byte ranges
 * of the original) to `orig`: a generated line inside a replacement maps to the
 * edit's `where`; any other line shifts by the newlines the edits before it added.
 */
export function makeLineMap(
  source: string,
  orig: Buffer | undefined,
  edits: { startByte: number; endByte: number; replacement: string; where: string }[],
): (line: number) => string {
  const sorted = [...edits].sort((a, b) => a.startByte - b.startByte);
  const nl = (b: Buffer | string, s = 0, e?: number): number => {
    const buf = typeof b === 'string' ? Buffer.from(b) : b;
    let c = 0;
    for (let i = s; i < (e ?? buf.length); i++) if (buf[i] === 10) c++;
    return c;
  };
  // For each edit: generated line range it occupies and the line delta after it.
  const spans: { genFrom: number; genTo: number; where: string; deltaAfter: number }[] = [];
  let delta = 0;
  for (const e of sorted) {
    const origLine = orig ? nl(orig, 0, e.startByte) + 1 : Number(/:(\d+)$/.exec(e.where)?.[1] ?? 0);
    const genFrom = origLine + delta;
    const added = nl(e.replacement);
    const removed = orig ? nl(orig, e.startByte, e.endByte) : 0;
    // A replacement ending in a newline ends its own last line; otherwise that line
    // continues with the original text after the edit (and still counts as the edit).
    const genTo = e.replacement.endsWith('\n') ? genFrom + added - 1 : genFrom + added;
    spans.push({ genFrom, genTo, where: e.where, deltaAfter: delta + added - removed });
    delta += added - removed;
  }
  return (line: number) => {
    let d = 0;
    for (const s of spans) {
      if (line < s.genFrom) break;
      if (line <= s.genTo) return s.where;
      d = s.deltaAfter;
    }
    return `${source}:${line - d}`;
  };
}
