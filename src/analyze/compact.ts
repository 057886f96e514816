/*
 * A finished FileSummary made as small as it can be kept: a scan holds every
 * file's summary until tree-wide resolution, so on a whole real sys/ (7,000
 * files) the summaries are most of the scan's memory. Three things cost memory
 * without carrying anything:
 * - lists that stayed empty, each an object and a backing store: they point at
 *   the one shared empty array (arrays.ts NONE);
 * - lists grown by push, whose backing store has up to half of it (and at least
 *   16 slots) unused: copied to their exact length;
 * - texts cut from the file (captures, macro bodies): V8 keeps a slice of 13
 *   characters or more as a view of the whole file's text, so one capture kept
 *   the file alive; they are copied out.
 * Invariant: the summary's values are unchanged (same elements in the same
 * order, equal strings); only their storage changes.
 */
import { NONE } from './arrays.js';
import type { FileSummary } from './summary.js';
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

export function compactSummary(s: FileSummary): FileSummary {
  for (const f of s.funcs) {
    f.params = exact(f.params);
    f.insns = exact(f.insns);
    f.calls = exact(f.calls);
    f.refs = exact(f.refs);
    for (const name in f.locals) {
      const v = f.locals[name];
      v.from = exact(v.from);
      if (v.at) v.at = exact(v.at);
    }
  }
  for (const c of s.calls) {
    for (const a of c.args) ownCapture(a);
    c.args = exact(c.args);
    c.argSites = exact(c.argSites);
    c.argTypes = exact(c.argTypes);
  }
  for (const w of s.writes) {
    ownCapture(w.lhsText);
    ownCapture(w.ptrText);
    ownCapture(w.rhs);
  }
  for (const m of s.masks) ownCapture(m.entryText);
  for (const m of s.macros) {
    m.body = own(m.body);
    if (m.params) m.params = exact(m.params);
  }
  for (const n of s.numbers) n.text = own(n.text);
  for (const f of s.findings) for (const k in f.captures) ownCapture(f.captures[k]);
  s.lineLengths = exact(s.lineLengths);
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
