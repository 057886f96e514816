/*
 * Names as V8 stores property keys: internalized, one object per spelling. The
 * extractor's names are slices of each file's text; resolution then uses them
 * as keys (function table, callee rules, locals, macro table) across the whole
 * tree, and every first use of a slice as a key went through V8's slow path.
 * Summaries read back from the cache (JSON.parse) were internalized already.
 * Measured on the bench tree: resolution over freshly extracted summaries took
 * twice as long as over the same summaries read from JSON.
 *
 * The table is our own open-addressing hash over the characters, looked up by
 * a range of a text (internRange): a name met before costs no slice at all. A
 * whole sys/ interns about 6 million names, 9 in 10 seen before; through a Map
 * keyed by fresh slices (hashed, compared, and the table dropped at 65 k names)
 * that was 3-6 s of the main thread.
 */
const BITS = 21;
const MASK = (1 << BITS) - 1;
/** Slots hold interned names; '' marks an empty one (the empty name is never stored). */
let slots: string[] = new Array<string>(1 << BITS).fill('');
let used = 0;
/** A dictionary-mode object with no properties: a lookup in it only internalizes the key. */
const PROBE: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

/** The internalized string equal to text.slice(start, end). */
export function internRange(text: string, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '';
  let h = 0x811c9dc5;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193);
  let i = h & MASK;
  for (let k = slots[i]; k.length > 0; k = slots[i]) {
    if (k.length === n && text.startsWith(k, start)) return k;
    i = (i + 1) & MASK;
  }
  // A property lookup internalizes its key: V8 turns the slice into a thin string to the string table's
  // copy (and the collector then replaces it by that copy). A fresh object literal keyed by the slice, read
  // back with Object.keys, did the same at three times the cost (2.7 µs a name: a new hidden class each).
  const v = text.slice(start, end);
  void (v in PROBE);
  if (++used > (1 << BITS) >> 1) {
    // Half full: start again rather than let probes grow (names already handed out stay interned).
    slots = new Array<string>(1 << BITS).fill('');
    used = 1;
    i = h & MASK;
  }
  slots[i] = v;
  return v;
}

/** The internalized string equal to `s` (names only: short, and many times the same). */
export function intern(s: string): string {
  return internRange(s, 0, s.length);
}
