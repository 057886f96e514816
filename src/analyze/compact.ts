/*
 * A finished FileSummary made as small as it can be kept: a scan holds every
 * file's summary until tree-wide resolution, so on a whole real sys/ (7,000
 * files) the summaries are most of the scan's memory. Three things cost memory
 * without carrying anything:
 * - lists that stayed empty, each an object and a backing store: they point at
 *   the one shared empty array (arrays.ts NONE);
 * - lists grown by push, whose backing store has up to half of it (and at least
 *   16 slots) unused: copied to their exact length;
 * - texts cut from the file (findings' captures, macro bodies): V8 keeps a slice of 13
 *   characters or more as a view of the whole file's text, so one capture kept
 *   the file alive; they are copied out.
 * And one thing is dropped: a function's locals that nothing kept refers to.
 * Resolution reads a local only through an expression of the same file (a
 * store's target, a mask's entry, a typed call's argument, a macro's body, or
 * another kept local's assigned values): four locals in five are never read
 * (a whole 9.3 sys/: 80 k of 394 k), and they were 18 % of what a file keeps.
 * Invariant: otherwise the summary's values are unchanged (same elements in the
 * same order, equal strings); only their storage changes.
 */
import { NONE } from './arrays.js';
import { packCalls } from './call-table.js';
import type { FileSummary, LocalVar, SExpr } from './summary.js';
import type { Capture } from './types.js';

/** V8's shortest sliced string (SlicedString::kMinLength): shorter slices are copies already. */
const MIN_SLICE = 13;

function exact<T>(a: T[]): T[] {
  return a.length === 0 ? (NONE as never[]) : a.slice();
}

/** A copy of `s` that does not point into another string (`s` itself if it is not Latin-1 text). */
function own(s: string): string {
  if (s.length < MIN_SLICE) return s;
  const copy = Buffer.from(s, 'latin1').toString('latin1');
  return copy === s ? copy : s;
}

function ownCapture(c: Capture | undefined): void {
  if (c) c.text = own(c.text);
}

/** The locals of a function none of whose locals is read (shared: nothing writes a summary's locals after extraction). */
const NO_LOCALS: Record<string, LocalVar> = Object.freeze({}) as Record<string, LocalVar>;

/** For each function (by index), the names of its locals that an expression of the file refers to. */
function readLocals(s: FileSummary): Map<number, Set<string>> {
  const read = new Map<number, Set<string>>();
  const pending: LocalVar[] = [];
  const visit = (e: SExpr | undefined): void => {
    if (!e) return;
    switch (e.k) {
      case 'local': {
        let names = read.get(e.f);
        if (!names) read.set(e.f, (names = new Set()));
        if (names.has(e.name)) return;
        names.add(e.name);
        const f = s.funcs[e.f];
        // Its assigned values are read when it is typed: what they name is read too.
        if (f && Object.hasOwn(f.locals, e.name)) pending.push(f.locals[e.name]);
        return;
      }
      case 'field':
        return visit(e.base);
      case 'deref':
      case 'index':
      case 'addr':
      case 'cast':
        return visit(e.e);
      case 'call':
        if (e.args) for (const a of e.args) visit(a);
        return;
      case 'arith':
      case 'cond':
        visit(e.a);
        return visit(e.b);
    }
  };
  for (const w of s.writes) visit(w.lhs);
  for (const m of s.masks) visit(m.entry);
  for (const c of s.calls) for (const a of c.argTypes) visit(a);
  for (const f of s.funcs) visit(f.bodyExpr);
  for (let v = pending.pop(); v; v = pending.pop()) for (const e of v.from) visit(e);
  return read;
}

export function compactSummary(s: FileSummary): FileSummary {
  const read = readLocals(s);
  s.funcs.forEach((f, fi) => {
    f.params = exact(f.params);
    f.insns = exact(f.insns);
    f.calls = exact(f.calls);
    f.refs = exact(f.refs);
    const names = read.get(fi);
    if (!names) {
      f.locals = NO_LOCALS;
      return;
    }
    const kept: Record<string, LocalVar> = {};
    for (const name in f.locals) {
      if (!names.has(name)) continue;
      const v = f.locals[name];
      v.from = exact(v.from);
      if (v.at) v.at = exact(v.at);
      kept[name] = v;
    }
    f.locals = kept;
  });
  for (const c of s.calls) {
    c.argBytes = exact(c.argBytes);
    c.argSites = exact(c.argSites);
    c.argTypes = exact(c.argTypes);
  }
  for (const m of s.macros) {
    m.body = own(m.body);
    if (m.params) m.params = exact(m.params);
  }
  for (const n of s.numbers) n.text = own(n.text);
  for (const f of s.findings) for (const k in f.captures) ownCapture(f.captures[k]);
  s.lineLengths = exact(s.lineLengths as number[]);
  s.findings = exact(s.findings);
  s.typedefs = exact(s.typedefs);
  s.globals = exact(s.globals);
  s.fields = exact(s.fields);
  s.funcs = exact(s.funcs);
  s.calls = exact(s.calls);
  s.writes = exact(s.writes);
  s.masks = exact(s.masks);
  s.macros = exact(s.macros);
  s.names = exact(s.names);
  s.numbers = exact(s.numbers);
  s.fieldInits = exact(s.fieldInits);
  return s;
}

/**
 * The summary with its line lengths in a typed array of 2 bytes a line (4 when a
 * line is 64 KB or longer) instead of 8: a whole 9.3 sys/ has 5.2 million lines.
 * Only for a summary whose JSON is made already (a typed array has none).
 */
export function packLines(s: FileSummary): FileSummary {
  const l = s.lineLengths;
  if (!Array.isArray(l)) return s;
  let max = 0;
  for (let i = 0; i < l.length; i++) if (l[i] > max) max = l[i];
  s.lineLengths = max < 1 << 16 ? Uint16Array.from(l) : Uint32Array.from(l);
  return s;
}

/** A summary as a scan keeps it until resolution: line lengths and calls packed (only once its JSON is made). */
export function packKept(s: FileSummary): FileSummary {
  return packCalls(packLines(s));
}
