/*
 * A line scanner for AT&T-syntax assembly: .s/.S files and the templates of C
 * inline asm. It knows `#` line comments, C comments, string literals, cpp lines
 * (with backslash continuations; #define bodies are scanned as assembly too),
 * labels, directives, `;`-separated statements and instruction prefixes.
 * Offsets in the result index the text given (for inline asm, the template; the
 * caller maps them back to the file).
 */

import { mapKept, objectArray } from './arrays.js';

export interface AsmOperand {
  text: string;
  start: number;
  end: number;
}

export interface AsmInsn {
  /** Lower-case mnemonic as written, prefixes removed (e.g. 'movl', 'outsb'). */
  mnemonic: string;
  prefixes: string[];
  operands: AsmOperand[];
  /** [start, end) of the instruction text (prefix through last operand). */
  start: number;
  end: number;
  /** Inside the body of a cpp #define. */
  inDefine?: string;
}

export interface AsmDefine {
  name: string;
  params: string[] | null;
  body: string;
  bodyStart: number;
  start: number;
  end: number;
}

export interface AsmSet {
  name: string;
  value: string;
  valueStart: number;
  start: number;
  end: number;
}

export interface AsmLabel {
  name: string;
  start: number;
  end: number;
  /** Written ENTRY(name) or similar: the start of a function. */
  entry: boolean;
}

export interface AsmScan {
  insns: AsmInsn[];
  defines: AsmDefine[];
  sets: AsmSet[];
  labels: AsmLabel[];
  /** Identifiers appearing in operands and directive arguments. */
  symbols: Array<{ name: string; start: number; end: number; inDefine?: string }>;
  /** Names made global with .globl/.global. */
  globals: string[];
}

const CPP_DIRECTIVE = /^#\s*(define|undef|include|if|ifdef|ifndef|else|elif|endif|error|warning|pragma|line|\d)/;
const PREFIXES = new Set(['rep', 'repe', 'repz', 'repne', 'repnz', 'lock', 'data16', 'data32', 'addr16', 'addr32', 'cs', 'ds', 'es', 'fs', 'gs', 'ss']);
const ENTRY_MACROS = /^(ENTRY|NON_GPROF_ENTRY|GEN_ENTRY|IDTVEC|BDB_ENTRY|ALTENTRY|_ENTRY|ASENTRY|NENTRY)$/;

/**
 * Blanks comments and string contents (same length, newlines kept) and returns the
 * clean text plus the [start, end) of each cpp line (continuations included).
 * `hashComments`: '#' starts a comment (gas i386); cpp lines are recognised first.
 */
function clean(text: string, hashComments: boolean): { clean: string; cpp: Array<[number, number]> } {
  // Blanking writes bytes (Latin-1 text, the scanner's case) or, for other text, one-char strings.
  const out: { [i: number]: unknown } = /[^\x00-\xff]/.test(text) ? text.split('') : Buffer.from(text, 'latin1');
  const SP: unknown = out instanceof Buffer ? 0x20 : ' ';
  const NL: unknown = out instanceof Buffer ? 0x0a : '\n';
  const cpp: Array<[number, number]> = [];
  let i = 0;
  let lineStart = true;
  const n = text.length;
  while (i < n) {
    const c = text[i];
    if (lineStart) {
      let j = i;
      while (j < n && (text[j] === ' ' || text[j] === '\t')) j++;
      if (text[j] === '#' && CPP_DIRECTIVE.test(text.slice(j, j + 12))) {
        // A cpp line, up to an unescaped newline; comments inside are blanked.
        let k = j;
        while (k < n && text[k] !== '\n') {
          if (text[k] === '\\' && (text[k + 1] === '\n' || (text[k + 1] === '\r' && text[k + 2] === '\n'))) {
            k += text[k + 1] === '\r' ? 3 : 2;
            continue;
          }
          if (text[k] === '/' && text[k + 1] === '*') {
            const e = text.indexOf('*/', k + 2);
            const stop = e === -1 ? n : e + 2;
            for (let m = k; m < stop; m++) if (out[m] !== NL) out[m] = SP;
            k = stop;
            continue;
          }
          k++;
        }
        cpp.push([j, k]);
        i = k;
        continue;
      }
      lineStart = false;
    }
    if (c === '\n') {
      lineStart = true;
      i++;
    } else if (c === '/' && text[i + 1] === '*') {
      const e = text.indexOf('*/', i + 2);
      const stop = e === -1 ? n : e + 2;
      for (let m = i; m < stop; m++) if (out[m] !== NL) out[m] = SP;
      i = stop;
    } else if (hashComments && c === '#') {
      let m = i;
      while (m < n && text[m] !== '\n') out[m++] = SP;
      i = m;
    } else if (c === '"') {
      let m = i + 1;
      while (m < n && text[m] !== '"' && text[m] !== '\n') {
        if (text[m] === '\\') out[m++] = SP;
        out[m++] = SP;
      }
      i = m + 1;
    } else i++;
  }
  return { clean: out instanceof Buffer ? out.toString('latin1') : (out as string[]).join(''), cpp };
}

/** Splits [start, end) of clean text into statements at ';' and newlines. */
function statements(clean: string, start: number, end: number, out: Array<[number, number]>): void {
  let s = start;
  for (let i = start; i <= end; i++) {
    const c = i === end ? ';' : clean[i];
    if (c === ';' || c === '\n') {
      out.push([s, i]);
      s = i + 1;
    } else if (c === '\\' && (clean[i + 1] === '\n' || clean[i + 1] === '\r')) {
      // Continuation inside a #define body: a statement break in the expansion.
      out.push([s, i]);
      s = i + 1;
    }
  }
}

function splitOperands(clean: string, start: number, end: number): AsmOperand[] {
  const ops: AsmOperand[] = [];
  let depth = 0;
  let s = start;
  const push = (a: number, b: number): void => {
    while (a < b && /\s/.test(clean[a])) a++;
    while (b > a && /\s/.test(clean[b - 1])) b--;
    if (b > a) ops.push({ text: clean.slice(a, b), start: a, end: b });
  };
  for (let i = start; i < end; i++) {
    const c = clean[i];
    if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === ',' && depth === 0) {
      push(s, i);
      s = i + 1;
    }
  }
  push(s, end);
  return ops;
}

const IDENT = /[A-Za-z_.$][A-Za-z0-9_.$]*/y;

function collectSymbols(clean: string, start: number, end: number, scan: AsmScan, inDefine?: string): void {
  const re = /(?<![A-Za-z0-9_%.])([A-Za-z_][A-Za-z0-9_]*)/g;
  const part = clean.slice(start, end);
  for (let m = re.exec(part); m; m = re.exec(part)) {
    // Skip hex digits of numbers like 0xfc000000 (preceded by 0x handled by lookbehind on digits).
    scan.symbols.push({ name: m[1], start: start + m.index, end: start + m.index + m[1].length, inDefine });
  }
}

function scanStatement(text: string, clean: string, a: number, b: number, scan: AsmScan, inDefine?: string): void {
  let i = a;
  const skipWs = (): void => {
    while (i < b && (clean[i] === ' ' || clean[i] === '\t' || clean[i] === '\r' || clean[i] === '\\')) i++;
  };
  for (;;) {
    skipWs();
    if (i >= b) return;
    IDENT.lastIndex = i;
    const m = IDENT.exec(clean);
    if (!m || m.index !== i) {
      // A numeric local label "1:" or junk.
      const num = /^\d+:/.exec(clean.slice(i, b));
      if (num) {
        i += num[0].length;
        continue;
      }
      return;
    }
    const word = m[0];
    let j = i + word.length;
    let k = j;
    while (k < b && (clean[k] === ' ' || clean[k] === '\t')) k++;
    if (clean[k] === ':' && clean[k + 1] !== ':') {
      scan.labels.push({ name: word.replace(/^_/, ''), start: i, end: j, entry: false });
      i = k + 1;
      continue;
    }
    if (clean[k] === '=' && clean[k + 1] !== '=') {
      let vs = k + 1;
      while (vs < b && /\s/.test(clean[vs])) vs++;
      let ve = b;
      while (ve > vs && /\s/.test(clean[ve - 1])) ve--;
      scan.sets.push({ name: word, value: text.slice(vs, ve), valueStart: vs, start: i, end: ve });
      collectSymbols(clean, vs, ve, scan, inDefine ?? word);
      return;
    }
    if (word.startsWith('.')) {
      const args = splitOperands(clean, j, b);
      const dir = word.toLowerCase();
      if (dir === '.globl' || dir === '.global') for (const a of args) scan.globals.push(a.text.replace(/^_/, ''));
      if ((dir === '.set' || dir === '.equ') && args.length >= 2) {
        scan.sets.push({
          name: args[0].text,
          value: text.slice(args[1].start, args[args.length - 1].end),
          valueStart: args[1].start,
          start: i,
          end: args[args.length - 1].end,
        });
      }
      // Names declared (.globl x) or defined (.set x, ...) are not uses.
      if (dir === '.set' || dir === '.equ') {
        // A .set value is a definition body, like a #define's.
        if (args.length >= 2) collectSymbols(clean, args[1].start, b, scan, inDefine ?? args[0].text);
      } else if (!['.ascii', '.asciz', '.string', '.globl', '.global', '.type', '.size', '.local', '.weak', '.comm', '.lcomm'].includes(dir))
        collectSymbols(clean, j, b, scan, inDefine);
      return;
    }
    if (ENTRY_MACROS.test(word) && clean[k] === '(') {
      const close = clean.indexOf(')', k);
      if (close !== -1 && close < b) {
        const name = clean.slice(k + 1, close).trim();
        scan.labels.push({ name, start: i, end: close + 1, entry: true });
        i = close + 1;
        continue;
      }
    }
    // An instruction, possibly behind prefixes.
    const prefixes: string[] = [];
    let mnem = word.toLowerCase();
    const mnemStart = i;
    let restStart = j;
    while (PREFIXES.has(mnem)) {
      let p = restStart;
      while (p < b && (clean[p] === ' ' || clean[p] === '\t')) p++;
      IDENT.lastIndex = p;
      const next = IDENT.exec(clean);
      if (!next || next.index !== p) break;
      prefixes.push(mnem);
      mnem = next[0].toLowerCase();
      restStart = p + next[0].length;
    }
    if (prefixes.length > 0 && PREFIXES.has(mnem)) {
      // A prefix on its own ("rep;" before the instruction): keep it as written.
      mnem = prefixes.pop()!;
    }
    // A prefix written as "rep;" applies to the next statement; harmless to drop.
    const operands = objectArray<AsmOperand>(); // one array shape, empty or not (arrays.ts)
    for (const o of splitOperands(clean, restStart, b)) operands.push({ text: text.slice(o.start, o.end), start: o.start, end: o.end });
    const end = operands.length > 0 ? operands[operands.length - 1].end : restStart;
    scan.insns.push({ mnemonic: mnem, prefixes, operands, start: mnemStart, end, inDefine });
    collectSymbols(clean, restStart, b, scan, inDefine);
    return;
  }
}

/**
 * Scans assembly text. `hashComments` is true for .s/.S files and false for C
 * inline asm templates (where '#' is also a comment to gas, but the template
 * scanner is given only the template).
 */
export function scanAsm(text: string, hashComments = true): AsmScan {
  const { clean: cl, cpp } = clean(text, hashComments);
  const scan: AsmScan = { insns: [], defines: [], sets: [], labels: [], symbols: [], globals: [] };
  const ranges: Array<[number, number]> = [];
  let pos = 0;
  for (const [cs, ce] of cpp) {
    statements(cl, pos, cs, ranges);
    pos = ce;
    const def = /^#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)(\(([^)]*)\))?/.exec(cl.slice(cs, ce));
    if (def) {
      let bodyStart = cs + def[0].length;
      while (bodyStart < ce && (cl[bodyStart] === ' ' || cl[bodyStart] === '\t')) bodyStart++;
      const params = def[2] === undefined ? null : mapKept(def[3].split(',').map((p) => p.trim()), (p) => p !== '', (p) => p);
      scan.defines.push({ name: def[1], params, body: text.slice(bodyStart, ce), bodyStart, start: cs, end: ce });
      const body: Array<[number, number]> = [];
      statements(cl, bodyStart, ce, body);
      for (const [a, b] of body) scanStatement(text, cl, a, b, scan, def[1]);
      if (params === null) collectSymbols(cl, bodyStart, ce, scan, def[1]);
    }
  }
  statements(cl, pos, cl.length, ranges);
  for (const [a, b] of ranges) scanStatement(text, cl, a, b, scan);
  scan.insns.sort((x, y) => x.start - y.start);
  const seen = new Set<number>();
  scan.symbols = scan.symbols.filter((s) => !seen.has(s.start) && (seen.add(s.start), true)).sort((x, y) => x.start - y.start);
  return scan;
}

/** AT&T size suffixes a mnemonic may carry (a rule's `mnemonic: mov` matches movl, movw...). */
export const SUFFIXES = ['', 'b', 'w', 'l', 'q', 'd'];
