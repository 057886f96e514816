/*
 * Unified diffs in the form `git apply` and `patch -p1` accept: a `diff --git`
 * header, a/ and b/ prefixes, /dev/null for created files, 3 lines of context,
 * and "\ No newline at end of file" markers. Lines are compared as raw bytes
 * (decoded as latin1, which maps each byte to one char and back), so Latin-1
 * sources and CRLF line ends come through unchanged.
 * A diff of a file made by edits is built from the edits' changed regions, in
 * time linear in the file (each region widened to whole lines). A file changed some
 * other way is diffed by `git diff --no-index` (its hunks, under our header): on a
 * 40,000-line file with 4,000 changes it takes a fraction of a second where an
 * O(ND) Myers that keeps every frontier took a minute and gigabytes. Myers remains
 * for small files (below SMALL lines, cheaper than starting git) and where git
 * cannot run.
 */
import { writeFileSync } from 'node:fs';
import { makeTempDir, removeTempDir } from '../temp-dir.js';
import path from 'node:path';
import { execaSync } from 'execa';
import type { ChangedRegion } from '../analyze/index.js';

/** Files with fewer lines than this (before and after together) are diffed here. */
const SMALL = 2000;

export interface DiffInput {
  /** Path relative to the tree root, '/' separators. */
  path: string;
  /** null when the file is created. */
  before: Buffer | null;
  /** null when the file is deleted. */
  after: Buffer | null;
  /** When `after` is `before` with these regions replaced: the diff comes from them. */
  regions?: ChangedRegion[];
}

/** Splits into lines that keep their terminator ('\n' or none for the last). */
function splitLines(text: string): string[] {
  const lines: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      lines.push(text.slice(start, i + 1));
      start = i + 1;
    }
  }
  if (start < text.length) lines.push(text.slice(start));
  return lines;
}

type Op = { kind: ' ' | '-' | '+'; line: string };

/** Myers' shortest edit script between two line arrays. */
function myers(a: string[], b: string[]): Op[] {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  const v = new Int32Array(2 * max + 2);
  const trace: Int32Array[] = [];
  const off = max;
  let done = false;
  for (let d = 0; d <= max && !done; d++) {
    trace.push(v.slice());
    for (let k = -d; k <= d; k += 2) {
      let x: number;
      if (k === -d || (k !== d && v[off + k - 1] < v[off + k + 1])) x = v[off + k + 1];
      else x = v[off + k - 1] + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[off + k] = x;
      if (x >= n && y >= m) {
        done = true;
        break;
      }
    }
  }
  // Backtrack from (n, m) through the saved frontiers.
  const ops: Op[] = [];
  let x = n;
  let y = m;
  for (let d = trace.length - 1; d >= 0; d--) {
    const vd = trace[d];
    const k = x - y;
    let prevK: number;
    if (k === -d || (k !== d && vd[off + k - 1] < vd[off + k + 1])) prevK = k + 1;
    else prevK = k - 1;
    const prevX = d === 0 ? 0 : vd[off + prevK];
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push({ kind: ' ', line: a[x - 1] });
      x--;
      y--;
    }
    if (d > 0) {
      if (x === prevX) ops.push({ kind: '+', line: b[y - 1] });
      else ops.push({ kind: '-', line: a[x - 1] });
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    ops.push({ kind: ' ', line: a[x - 1] });
    x--;
    y--;
  }
  return ops.reverse();
}

/**
 * The edit script from changed regions: each run of regions sharing lines becomes
 * the old whole lines removed and the new whole lines added, everything else kept.
 * Undefined when the regions do not rebuild `after` (the caller then diffs).
 */
function opsFromRegions(before: string, after: string, regions: readonly ChangedRegion[]): Op[] | undefined {
  const lineStart = (at: number): number => before.lastIndexOf('\n', at - 1) + 1;
  const lineEnd = (at: number): number => {
    const nl = before.indexOf('\n', at);
    return nl < 0 ? before.length : nl + 1;
  };
  const ops: Op[] = [];
  let pos = 0;
  let rebuilt = '';
  let k = 0;
  while (k < regions.length) {
    const from = lineStart(regions[k]!.start);
    let to = from;
    let at = from;
    let now = '';
    let first = true;
    for (;;) {
      while (k < regions.length && (first || regions[k]!.start < to)) {
        const r = regions[k++]!;
        first = false;
        now += before.slice(at, r.start) + r.text;
        at = r.end;
        // The last original line the region touches: an insertion of whole lines at
        // a line start touches none.
        const last = r.end > r.start ? lineEnd(r.end - 1) : r.start === lineStart(r.start) && r.text.endsWith('\n') ? r.start : lineEnd(r.start);
        to = Math.max(to, last, at);
      }
      now += before.slice(at, to);
      at = to;
      // New text that does not end its line runs into the next one: it changes too.
      if (now.length === 0 || now.endsWith('\n') || to >= before.length) break;
      to = lineEnd(to);
    }
    for (const l of splitLines(before.slice(pos, from))) ops.push({ kind: ' ', line: l });
    for (const l of splitLines(before.slice(from, to))) ops.push({ kind: '-', line: l });
    for (const l of splitLines(now)) ops.push({ kind: '+', line: l });
    rebuilt += before.slice(pos, from) + now;
    pos = to;
  }
  for (const l of splitLines(before.slice(pos))) ops.push({ kind: ' ', line: l });
  rebuilt += before.slice(pos);
  return rebuilt === after ? ops : undefined;
}

/**
 * The hunks (from the first `@@`) of `git diff --no-index` between two texts, or
 * undefined when git cannot run. --text: a Latin-1 byte is text, not binary.
 */
function gitHunks(before: Buffer, after: Buffer, context: number): string | undefined {
  const dir = makeTempDir('xenoport-diff-');
  try {
    writeFileSync(path.join(dir, 'a'), before);
    writeFileSync(path.join(dir, 'b'), after);
    const r = execaSync('git', ['diff', '--no-index', '--no-color', '--no-ext-diff', '--text', `-U${context}`, 'a', 'b'], {
      cwd: dir,
      reject: false,
      encoding: 'latin1',
      stripFinalNewline: false,
      maxBuffer: 1 << 30,
      env: { GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' },
    });
    // Exit 1: the files differ (0: they do not; anything else: git failed).
    if (r.exitCode !== 1) return undefined;
    const out = String(r.stdout);
    if (out.startsWith('@@')) return out;
    const at = out.indexOf('\n@@');
    return at < 0 ? undefined : out.slice(at + 1);
  } catch {
    return undefined;
  } finally {
    removeTempDir(dir);
  }
}

function emitLine(kind: string, line: string): string {
  if (line.endsWith('\n')) return `${kind}${line}`;
  return `${kind}${line}\n\\ No newline at end of file\n`;
}

/** The unified diff of one file ('' when unchanged), as a latin1 string. */
export function unifiedDiff(input: DiffInput, context = 3): string {
  const a = input.before === null ? [] : splitLines(input.before.toString('latin1'));
  const b = input.after === null ? [] : splitLines(input.after.toString('latin1'));
  if (input.before !== null && input.after !== null && input.before.equals(input.after)) return '';
  const fromRegions = input.regions && input.before !== null && input.after !== null ? opsFromRegions(input.before.toString('latin1'), input.after.toString('latin1'), input.regions) : undefined;
  let header = `diff --git a/${input.path} b/${input.path}\n`;
  if (input.before === null) header += 'new file mode 100644\n';
  if (input.after === null) header += 'deleted file mode 100644\n';
  header += `--- ${input.before === null ? '/dev/null' : `a/${input.path}`}\n`;
  header += `+++ ${input.after === null ? '/dev/null' : `b/${input.path}`}\n`;
  if (!fromRegions && input.before !== null && input.after !== null && a.length + b.length >= SMALL) {
    const hunks = gitHunks(input.before, input.after, context);
    if (hunks !== undefined) return header + hunks;
  }
  const ops = fromRegions ?? myers(a, b);

  // Group changes into hunks with `context` lines around them.
  const changeIdx: number[] = [];
  ops.forEach((op, i) => {
    if (op.kind !== ' ') changeIdx.push(i);
  });
  if (changeIdx.length === 0) return '';
  const hunks: Array<[number, number]> = [];
  let hs = Math.max(0, changeIdx[0] - context);
  let he = Math.min(ops.length, changeIdx[0] + context + 1);
  for (const i of changeIdx.slice(1)) {
    if (i - context <= he) he = Math.min(ops.length, i + context + 1);
    else {
      hunks.push([hs, he]);
      hs = Math.max(0, i - context);
      he = Math.min(ops.length, i + context + 1);
    }
  }
  hunks.push([hs, he]);

  // Line numbers at each op index.
  const aLine: number[] = [];
  const bLine: number[] = [];
  let ai = 1;
  let bi = 1;
  for (const op of ops) {
    aLine.push(ai);
    bLine.push(bi);
    if (op.kind !== '+') ai++;
    if (op.kind !== '-') bi++;
  }
  let body = '';
  for (const [s, e] of hunks) {
    const slice = ops.slice(s, e);
    const aCount = slice.filter((o) => o.kind !== '+').length;
    const bCount = slice.filter((o) => o.kind !== '-').length;
    const aStart = aCount === 0 ? aLine[s] - 1 : aLine[s];
    const bStart = bCount === 0 ? bLine[s] - 1 : bLine[s];
    body += `@@ -${aStart},${aCount} +${bStart},${bCount} @@\n`;
    for (const op of slice) body += emitLine(op.kind, op.line);
  }
  return header + body;
}

/** Concatenated diffs of many files, in path order. */
export function unifiedDiffs(inputs: readonly DiffInput[]): string {
  return [...inputs]
    .sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0))
    .map((i) => unifiedDiff(i))
    .join('');
}
