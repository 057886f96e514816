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
 * whole sys/ interns about 6 million names, 9 in 10 seen before. The table is
 * dense on purpose: slots, hashes and the names' characters are typed arrays
 * (about 20 MB), and a lookup compares the text with the stored characters, not
 * with the name's string, which lies anywhere in a heap of hundreds of MB. With
 * a table of strings, each lookup read a string far from the last one, and
 * interning was 4-8 s of the extracting thread on a whole sys/.
 */
const BITS = 21;
const MASK = (1 << BITS) - 1;
/** Names held before the table starts again (half the slots: probes stay short). */
const MAX_NAMES = (1 << BITS) >> 1;
/** Characters held before the table starts again. */
const MAX_CHARS = 16 << 20;

/** Slot -> name number + 1 (0: empty). */
let slots = new Int32Array(1 << BITS);
/** Per name: its hash, where its characters start in `chars`, and its length. */
let hashes = new Int32Array(MAX_NAMES);
let starts = new Int32Array(MAX_NAMES);
let lengths = new Int32Array(MAX_NAMES);
/** Names' characters, Latin-1: names with a character above 255 are not kept here. */
let chars = new Uint8Array(MAX_CHARS);
let names: string[] = [];
let charsUsed = 0;

/** A dictionary-mode object with no properties: a lookup in it only internalizes the key. */
const PROBE: Record<string, unknown> = Object.create(null) as Record<string, unknown>;

/** The internalized string equal to text.slice(start, end). */
export function internRange(text: string, start: number, end: number): string {
  const n = end - start;
  if (n <= 0) return '';
  let h = 0x811c9dc5;
  let wide = 0;
  for (let i = start; i < end; i++) {
    const c = text.charCodeAt(i);
    wide |= c;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (wide > 0xff) return internalized(text.slice(start, end));
  let i = h & MASK;
  for (let s = slots[i]; s !== 0; s = slots[i]) {
    const k = s - 1;
    if (hashes[k] === h && lengths[k] === n && sameChars(text, start, starts[k], n)) return names[k];
    i = (i + 1) & MASK;
  }
  const v = internalized(text.slice(start, end));
  if (names.length >= MAX_NAMES || charsUsed + n > MAX_CHARS) {
    // Full: start again rather than let probes grow (names already handed out stay interned).
    slots = new Int32Array(1 << BITS);
    hashes = new Int32Array(MAX_NAMES);
    starts = new Int32Array(MAX_NAMES);
    lengths = new Int32Array(MAX_NAMES);
    chars = new Uint8Array(MAX_CHARS);
    names = [];
    charsUsed = 0;
    i = h & MASK;
  }
  const k = names.length;
  names.push(v);
  hashes[k] = h;
  starts[k] = charsUsed;
  lengths[k] = n;
  for (let j = 0; j < n; j++) chars[charsUsed + j] = text.charCodeAt(start + j);
  charsUsed += n;
  slots[i] = k + 1;
  return v;
}

function sameChars(text: string, start: number, at: number, n: number): boolean {
  for (let j = 0; j < n; j++) if (chars[at + j] !== text.charCodeAt(start + j)) return false;
  return true;
}

/*
 * A property lookup internalizes its key: V8 turns the slice into a thin string
 * to the string table's copy (and the collector then replaces it by that copy).
 * A fresh object literal keyed by the slice, read back with Object.keys, did the
 * same at three times the cost (2.7 µs a name: a new hidden class each).
 */
function internalized(s: string): string {
  void (s in PROBE);
  return s;
}

/** The internalized string equal to `s` (names only: short, and many times the same). */
export function intern(s: string): string {
  return internRange(s, 0, s.length);
}
