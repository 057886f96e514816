/*
 * Length-preserving normalization of FreeBSD spellings for tree-sitter-c.
 * Invariant: the output has exactly the input's length and every character the
 * rules below do not name stays at its offset; replaced spans are filled with
 * spaces and never cover a newline, so lines, columns and byte offsets computed
 * on the normalized text are those of the original.
 *
 *   __asm __volatile(...)   -> __asm volatile  (...)
 *   __inline, __const, __signed -> inline/const/signed + spaces
 *   int f __P((int, char *));   -> int f    (int, char *) ;
 *   __dead2, __packed, __aligned(8), __printflike(1, 2), __FBSDID("..") -> spaces
 *   va_arg(ap, char *), SYSMAP(struct msgbuf *, ...) -> the type argument becomes
 *                            one identifier (char__, struct_msgbuf__), since a type
 *                            is not an expression to the parser
 *   char *\nf(a, b)\n\tint a; ... -> char  \nf(a, b)...: tree-sitter-c misreads K&R
 *                            definitions with a pointer result; the stars are
 *                            blanked and reported in `krStars` (by the offset of
 *                            the function's name) so the result type can be restored
 *   SYSMAP(caddr_t, CMAP1, CADDR1, 1)   (a statement macro without ';', on a
 *                            line of its own) -> if    (...): the invocation
 *                            guards the next statement instead of leaving a
 *                            MISSING ';' (skipped when a '}' follows)
 *   #ifdef / #else / #endif inside an initializer list (after ',' or '= {'), which
 *                            tree-sitter-c cannot parse there -> spaces (both
 *                            branches are then seen, as by a reader)
 *   = { 0x60, 0x00, ... }    a big initializer of data only (numbers, strings,
 *                            signs, a cast macro before a number: cxgb's
 *                            `U 0x60`) -> = {  ...spaces...  }: see dataTables
 * Preprocessor lines are left alone except for #define bodies, so the macros'
 * own definitions (#define __P(protos) protos) keep their names.
 */

const KEYWORDS: Array<[RegExp, string]> = [
  [/\b__volatile\b(?!__)/g, 'volatile'],
  [/\b__inline\b(?!__)/g, 'inline'],
  [/\b__const\b(?!__)/g, 'const'],
  [/\b__signed\b(?!__)/g, 'signed'],
];

/** Attribute-like macros that vanish; those with (args) lose their argument list too. */
const BLANKED = /\b(__dead2|__pure2|__unused|__used|__packed|__dead|__pure|__noreturn|__result_use_check|__aligned|__printflike|__scanflike|__format_arg|__section|__nonnull|__FBSDID|__RCSID|__IDSTRING|__COPYRIGHT|__KERNEL_RCSID)\b/g;

/*
 * The output is built in a byte buffer (the text is Latin-1, one char per byte):
 * far cheaper than an array of one-char strings for every file scanned.
 */
const SPACE = 0x20;

function blank(chars: Buffer, start: number, end: number): void {
  for (let i = start; i < end; i++) if (chars[i] !== 0x0a && chars[i] !== 0x0d) chars[i] = SPACE;
}

/** Index just past the ')' matching the '(' at `open`, or -1. */
function matchParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    const c = text[i];
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return i + 1;
    } else if (c === '"' || c === "'") {
      // Skip a string or char literal.
      for (i++; i < text.length && text[i] !== c; i++) if (text[i] === '\\') i++;
    }
  }
  return -1;
}

function skipSpace(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\t' || text[i] === '\n' || text[i] === '\r')) i++;
  return i;
}

/** Is offset `i` in a preprocessor line other than a #define body? */
function inDirective(text: string, i: number): boolean {
  let ls = text.lastIndexOf('\n', i - 1) + 1;
  // Continuation lines belong to the directive above them.
  while (ls >= 2 && text[ls - 2] === '\\') ls = text.lastIndexOf('\n', ls - 2) + 1;
  const m = /^[ \t]*#[ \t]*(\w+)[ \t]*(\w*)/.exec(text.slice(ls, Math.min(text.length, ls + 200)));
  if (!m) return false;
  if (m[1] !== 'define') return true;
  return i < ls + m[0].length; // the defined name itself
}

const TYPE_ARG = /^(\s*)((?:(?:struct|union|enum|const|volatile|unsigned|signed)\s+)*[A-Za-z_]\w*(?:\s+[A-Za-z_]\w*)*\s*\*+|(?:unsigned|signed|char|short|int|long|void|float|double)(?:\s+(?:unsigned|signed|char|short|int|long|double))*)(\s*)$/;
const MACRO_CALL = /\b(va_arg|__va_arg|[A-Z_][A-Z0-9_]*)[ \t]*\(/g;

/** Rewrites type arguments of macro invocations into single identifiers. */
function typeArgs(text: string, chars: Buffer): void {
  MACRO_CALL.lastIndex = 0;
  for (let m = MACRO_CALL.exec(text); m; m = MACRO_CALL.exec(text)) {
    const open = m.index + m[0].length - 1;
    const close = matchParen(text, open);
    if (close === -1 || close - open > 2000) continue;
    let depth = 0;
    let start = open + 1;
    for (let i = open + 1; i < close; i++) {
      const c = text[i];
      if (c === '(') depth++;
      else if (c === ')' && depth > 0) depth--;
      if ((c === ',' && depth === 0) || i === close - 1) {
        const end = c === ',' && depth === 0 ? i : close - 1;
        const arg = text.slice(start, end);
        const t = TYPE_ARG.exec(arg);
        if (t) {
          const a = start + t[1].length;
          if (/[* \t]/.test(t[2])) {
            for (let k = 0; k < t[2].length; k++) if (chars[a + k] === SPACE || chars[a + k] === 0x2a || chars[a + k] === 0x09) chars[a + k] = 0x5f; // ' ', '*', tab -> '_'
          } else if (/^(unsigned|signed|char|short|int|long|void|float|double)$/.test(t[2])) chars[a] = 0x5f;
        }
        start = i + 1;
      }
    }
  }
}

const STATEMENT_MACRO = /(\n[ \t]+)([A-Z_][A-Z0-9_]{1,})[ \t]*\(/g;
const KR_POINTER = /(^|\n)([A-Za-z_][\w \t]*?)([ \t]*\*+[ \t]*)(\r?\n)?([A-Za-z_]\w*)[ \t]*\(([\w \t,]*)\)[ \t]*\r?\n(?=[ \t]*[A-Za-z_])/g;

const CONDITIONAL = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b[^\n]*/gm;

/** The last code character before `at`, skipping blanks and preprocessor lines. */
function codeBefore(text: string, at: number): { ch: string; at: number } {
  let i = at - 1;
  for (;;) {
    while (i >= 0 && /\s/.test(text[i])) i--;
    if (i < 0) return { ch: '', at: -1 };
    const ls = text.lastIndexOf('\n', i) + 1;
    if (/^[ \t]*#/.test(text.slice(ls, i + 1))) {
      i = ls - 1;
      continue;
    }
    return { ch: text[i], at: i };
  }
}

function conditionalsInLists(text: string, chars: Buffer): void {
  CONDITIONAL.lastIndex = 0;
  for (let m = CONDITIONAL.exec(text); m; m = CONDITIONAL.exec(text)) {
    if (/\\\r?$/.test(m[0])) continue; // continued directive: leave it
    const b = codeBefore(text, m.index);
    const inList = b.ch === ',' || (b.ch === '{' && codeBefore(text, b.at).ch === '=');
    if (inList) blank(chars, m.index, m.index + m[0].length);
  }
}

/** Interiors shorter than this are parsed as written: a table costs the parser only when it is big. */
const DATA_TABLE_MIN = 2048;
/** Where an initializer can open: `= {` (dataTables checks for a name or `]` before the `=`: `x[N] = {`). */
const INITIALIZER = /=[ \t\r\n]*\{/g;

/** Character classes of the data scan. */
const DIGIT = 1;
const WORD_CHAR = 2;
const DATA_CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[0-9]/.test(ch)) DATA_CLASS[c] |= DIGIT;
  if (/[A-Za-z0-9_]/.test(ch)) DATA_CLASS[c] |= WORD_CHAR;
}

/**
 * The end (just past the '}') of a brace initializer opened at `open` that holds
 * data only, or -1: numbers, string and character literals, commas, braces,
 * signs, comments, and a name directly before a number (a cast macro such as
 * cxgb's `#define U (unsigned char)`). Anything else (a name used as a value, an
 * address, a call, a directive) may be something a rule looks at.
 */
function dataEnd(text: string, open: number): number {
  const n = text.length;
  let depth = 0;
  for (let i = open; i < n; ) {
    const c = text.charCodeAt(i);
    const k = c < 256 ? DATA_CLASS[c] : 0;
    if (c === 0x7b) {
      depth++;
      i++;
    } else if (c === 0x7d) {
      i++;
      if (--depth === 0) return i;
    } else if (c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d || c === 0x2c || c === 0x2d || c === 0x2b) i++;
    else if (k & DIGIT) {
      // A number with its suffix (0x60, 10UL, 1.5e3).
      while (i < n && (text.charCodeAt(i) < 256 ? DATA_CLASS[text.charCodeAt(i)] & WORD_CHAR : 0)) i++;
      if (text.charCodeAt(i) === 0x2e) i++;
    } else if (c === 0x22 || c === 0x27) {
      // A literal on one line, escapes skipped.
      for (i++; i < n && text.charCodeAt(i) !== c; i++) {
        const d = text.charCodeAt(i);
        if (d === 0x0a) return -1;
        if (d === 0x5c) i++;
      }
      i++;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2a) {
      const end = text.indexOf('*/', i + 2);
      if (end < 0) return -1;
      i = end + 2;
    } else if (c === 0x2f && text.charCodeAt(i + 1) === 0x2f) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? n : end;
    } else if (k & WORD_CHAR) {
      // A name is data only as a prefix of the number after it.
      while (i < n && text.charCodeAt(i) < 256 && DATA_CLASS[text.charCodeAt(i)] & WORD_CHAR) i++;
      while (text.charCodeAt(i) === 0x20 || text.charCodeAt(i) === 0x09) i++;
      const d = text.charCodeAt(i);
      if (!(d < 256 && DATA_CLASS[d] & DIGIT)) return -1;
    } else return -1;
  }
  return -1;
}

/**
 * Blanks the inside of big data-only initializers (firmware images, register
 * tables). tree-sitter parses them slowly, and a cast macro before every byte
 * (`U 0x60`) makes each element an error to recover from: a 259 KB firmware
 * header took 1.5 s, a tenth of a second per 20 KB. Nothing in them can be a
 * finding: a literal in a brace initializer is table data (resolve-vahole.ts),
 * and the only names allowed are those prefixes. Measured over every C file of
 * FreeBSD 9.3's sys/: 119 tables, parse time 58.2 s -> 43.8 s.
 */
function dataTables(text: string, chars: Buffer): void {
  INITIALIZER.lastIndex = 0;
  for (let m = INITIALIZER.exec(text); m; m = INITIALIZER.exec(text)) {
    let before = m.index - 1;
    while (text.charCodeAt(before) === 0x20 || text.charCodeAt(before) === 0x09) before--;
    const b = text.charCodeAt(before);
    if (!(b === 0x5d || (b < 256 && DATA_CLASS[b] & WORD_CHAR))) continue;
    const open = m.index + m[0].length - 1;
    const end = dataEnd(text, open);
    if (end < 0) continue;
    if (end - open - 2 >= DATA_TABLE_MIN) blank(chars, open + 1, end - 1);
    INITIALIZER.lastIndex = end;
  }
}

/** Returns text of the same length that tree-sitter-c parses; see the file comment. */
export function normalizeC(text: string): string {
  return normalizeCWithFacts(text).text;
}

export function normalizeCWithFacts(text: string): { text: string; krStars: Map<number, number> } {
  const krStars = new Map<number, number>();
  const hasMacroCall = /[A-Z_]\(|va_arg/.test(text);
  const hasKr = /\*[ \t]*\r?\n[A-Za-z_]\w*\(/.test(text);
  const hasCond = /^[ \t]*#[ \t]*(if|el|endif)/m.test(text);
  INITIALIZER.lastIndex = 0;
  const hasTable = text.length > DATA_TABLE_MIN && INITIALIZER.test(text);
  if (!text.includes('__') && !hasMacroCall && !hasKr && !hasCond && !hasTable) return { text, krStars };
  const chars = Buffer.from(text, 'latin1');
  typeArgs(text, chars);
  if (hasMacroCall) {
    STATEMENT_MACRO.lastIndex = 0;
    for (let m = STATEMENT_MACRO.exec(text); m; m = STATEMENT_MACRO.exec(text)) {
      const nameAt = m.index + m[1].length;
      const open = text.indexOf('(', nameAt);
      const close = matchParen(text, open);
      if (close === -1 || !/^[ \t]*\r?\n/.test(text.slice(close))) continue;
      if (/^[ \t]*\r?\n\s*[}#]/.test(text.slice(close)) || inDirective(text, nameAt)) continue;
      // Only at the start of a statement: the text before ends a statement or a block.
      const before = text.slice(Math.max(0, m.index - 200), m.index).replace(/\s+$/, '');
      if (!/[;{}:)]$|\*\/$/.test(before)) continue;
      chars[nameAt] = 0x69; // 'i'
      chars[nameAt + 1] = 0x66; // 'f'
      for (let k = nameAt + 2; k < nameAt + m[2].length; k++) chars[k] = SPACE;
    }
  }
  if (hasCond) conditionalsInLists(text, chars);
  if (hasKr) {
    KR_POINTER.lastIndex = 0;
    for (let m = KR_POINTER.exec(text); m; m = KR_POINTER.exec(text)) {
      if (!/[A-Za-z_]/.test(m[6])) continue;
      const starsAt = m.index + m[1].length + m[2].length;
      let n = 0;
      for (let k = 0; k < m[3].length; k++)
        if (chars[starsAt + k] === 0x2a) {
          chars[starsAt + k] = SPACE;
          n++;
        }
      const nameAt = starsAt + m[3].length + (m[4]?.length ?? 0);
      krStars.set(nameAt, n);
      KR_POINTER.lastIndex = nameAt;
    }
  }
  for (const [re, word] of KEYWORDS) {
    re.lastIndex = 0;
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (inDirective(text, m.index)) continue;
      const padded = word.padEnd(m[0].length, ' ');
      for (let k = 0; k < padded.length; k++) chars[m.index + k] = padded.charCodeAt(k);
    }
  }
  BLANKED.lastIndex = 0;
  for (let m = BLANKED.exec(text); m; m = BLANKED.exec(text)) {
    if (inDirective(text, m.index)) continue;
    let end = m.index + m[0].length;
    const next = skipSpace(text, end);
    if (text[next] === '(') {
      const close = matchParen(text, next);
      if (close !== -1) end = close;
    }
    blank(chars, m.index, end);
  }
  const pRe = /\b__P\b/g;
  for (let m = pRe.exec(text); m; m = pRe.exec(text)) {
    if (inDirective(text, m.index)) continue;
    const open = skipSpace(text, m.index + 3);
    if (text[open] !== '(') continue;
    const close = matchParen(text, open);
    if (close === -1) continue;
    blank(chars, m.index, m.index + 3);
    chars[open] = SPACE;
    chars[close - 1] = SPACE;
  }
  // Last: the passes above read `text`, and must not write into a table's blanked inside.
  if (hasTable) dataTables(text, chars);
  return { text: chars.toString('latin1'), krStars };
}
