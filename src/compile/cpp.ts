/*
 * The preprocessor driver: runs the system `cpp` (GNU) through tool-runner.ts in i386 mode and
 * reads its line markers back, so that every line of the preprocessed text maps to the
 * ORIGINAL file and line it came from. The text handed on is normalized without
 * changing any line or column: FreeBSD-style spellings that tree-sitter-c does not
 * know (`__volatile`, `__inline`, `__const`, `__signed`) become the plain keywords,
 * padded with spaces to keep every offset.
 */
import { realpathSync } from 'node:fs';
import { isAbsolute, relative } from 'node:path';
import { runTool } from './tool-runner.js';
import { CompileError } from '../errors.js';

export interface CppOptions {
  includeDirs?: string[];
  defines?: string[];          // "NAME" or "NAME=VALUE"
  undefines?: string[];
  /** Use only the include dirs given (the default: kernels and our libc bring their own). */
  nostdinc?: boolean;
  cppPath?: string;
}

export interface SourceLoc { file: string; line: number }

/** Preprocessed text plus the map from its lines back to the original sources. */
export interface Preprocessed {
  /** The main file, as given. */
  file: string;
  text: string;
  /** `__attribute__((aligned(N)))` removed from after a declarator: N by 0-based line. */
  alignByRow: Map<number, number>;
  /** `union __attribute__((...)) tag`, which tree-sitter-c cannot parse: the attribute, blanked, by `row:col` of `union`. */
  tagAttrs: Map<string, string>;
  /** Original location of each 0-based line of `text`. */
  locOfLine(line0: number): SourceLoc;
  /** The `#pragma pack` alignment in effect at a 0-based line (undefined: none). */
  packAt(line0: number): number | undefined;
}

/**
 * gcc's varargs builtins, as macros over the one the front end provides
 * (__builtin_va_start_address, the IR `vastart`): va_list is a plain pointer on i386.
 */
const BUILTIN_MACROS = [
  '__builtin_va_start(ap,last)=((ap) = (char *)__builtin_va_start_address())',
  '__builtin_va_arg(ap,type)=(*(type *)((ap) += ((sizeof(type) + 3) & ~3), (ap) - ((sizeof(type) + 3) & ~3)))',
  '__builtin_va_end(ap)=((void)0)',
  '__builtin_va_copy(d,s)=((d) = (s))',
  '__builtin_offsetof(t,m)=((unsigned int)&((t *)0)->m)',
];

const marker = /^# (\d+) "((?:[^"\\]|\\.)*)"((?: \d)*)\s*$/;

const canonical = new Map<string, string>();
/**
 * The path an instruction's location names: symlinks resolved (the kernel's
 * `machine` include link points into sys/<machine>/include), relative to the working
 * directory when inside it; pseudo-files such as <built-in> stay as they are.
 */
export function canonicalPath(p: string): string {
  let c = canonical.get(p);
  if (c === undefined) {
    c = p;
    if (!p.startsWith('<')) {
      try {
        const real = realpathSync(p);
        const rel = relative(process.cwd(), real);
        c = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : real;
      } catch { /* keep cpp's spelling */ }
    }
    canonical.set(p, c);
  }
  return c;
}

/**
 * The C front end's same-length rewrites of preprocessed text (keywords, K&R
 * definitions, attributes after declarators); lines never move.
 */
export function normalizeC(pp: Preprocessed): Preprocessed {
  const attrs = stripDeclaratorAttributes(krToPrototypes(nameAnonymousBitfields(normalizeKeywords(pp.text))));
  const tags = unionAttributes(attrs.text);
  return { ...pp, text: tags.text, alignByRow: attrs.alignByRow, tagAttrs: tags.tagAttrs };
}

/**
 * Builds the line map from cpp output; marker lines are blanked so line numbers stay.
 * The text is otherwise cpp's (the GAS front end uses this too); see normalizeC.
 */
export function mapLineMarkers(file: string, raw: string): Preprocessed {
  const lines = raw.split('\n');
  const pack = new PackState();
  const fileOf: string[] = new Array(lines.length);
  const lineOf: Int32Array = new Int32Array(lines.length);
  let curFile = canonicalPath(file);
  let curLine = 1;
  for (let i = 0; i < lines.length; i++) {
    const m = marker.exec(lines[i]);
    if (m) {
      curFile = canonicalPath(JSON.parse(`"${m[2]}"`) as string);
      curLine = Number(m[1]);
      lines[i] = '';
      fileOf[i] = curFile;
      lineOf[i] = curLine;
      continue;
    }
    if (lines[i].startsWith('#pragma') || lines[i].startsWith('#ident')) {
      const pk = /^#pragma\s+pack\s*\(([^)]*)\)/.exec(lines[i]);
      if (pk) pack.apply(i, pk[1]);
      lines[i] = '';
    }
    fileOf[i] = curFile;
    lineOf[i] = curLine;
    curLine++;
  }
  const text = lines.join('\n');
  return {
    file,
    text,
    alignByRow: new Map(),
    tagAttrs: new Map(),
    locOfLine(line0: number): SourceLoc {
      const i = Math.max(0, Math.min(line0, lines.length - 1));
      return { file: fileOf[i] ?? curFile, line: lineOf[i] ?? 1 };
    },
    packAt: (line0: number) => pack.at(line0),
  };
}

/**
 * gcc's `#pragma pack`: `pack(n)` caps member alignment at n, `pack()` resets,
 * `pack(push[, n])` and `pack(pop)` keep a stack. The value in effect is recorded
 * at each line where it changes.
 */
class PackState {
  private rows: number[] = [];
  private values: (number | undefined)[] = [];
  private cur: number | undefined;
  private stack: (number | undefined)[] = [];

  apply(row: number, args: string): void {
    const parts = args.split(',').map((x) => x.trim()).filter(Boolean);
    const num = parts.find((x) => /^\d+$/.test(x));
    if (parts[0] === 'push') { this.stack.push(this.cur); if (num) this.cur = Number(num); }
    else if (parts[0] === 'pop') this.cur = this.stack.pop();
    else this.cur = num ? Number(num) : undefined;
    this.rows.push(row);
    this.values.push(this.cur);
  }

  at(row: number): number | undefined {
    let lo = 0; let hi = this.rows.length - 1; let v: number | undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.rows[mid] < row) { v = this.values[mid]; lo = mid + 1; } else hi = mid - 1;
    }
    return v;
  }
}

/** The placeholder name given to unnamed bit-fields; decl.ts treats it as no name. */
export const ANON_BITFIELD = '__xeno_anon_bf';

/**
 * tree-sitter-c misparses some unnamed bit-fields (`unsigned short :0;`); they get a
 * placeholder name (the line grows; no line moves).
 */
export function nameAnonymousBitfields(text: string): string {
  return text.replace(/\b(char|short|int|long|unsigned|signed|_Bool)[ \t]*:([ \t]*\d+[ \t]*;)/g, `$1 ${ANON_BITFIELD}:$2`);
}

const keywordFixes: [RegExp, string][] = [
  [/\b__volatile__\b/g, 'volatile    '],
  [/\b__volatile\b/g, 'volatile  '],
  [/\b__inline__\b/g, 'inline    '],
  [/\b__inline\b/g, 'inline  '],
  [/\b__const__\b/g, 'const    '],
  [/\b__const\b/g, 'const  '],
  [/\b__signed__\b/g, 'signed    '],
  [/\b__signed\b/g, 'signed  '],
  [/\b__restrict__\b/g, '            '],
  [/\b__restrict\b/g, '          '],
  [/\b__extension__\b/g, '             '],
  [/\b__typeof__\b/g, 'typeof    '],
  [/\b__typeof\b/g, 'typeof  '],
];

/** Same-length keyword normalization; string literals are left alone. */
export function normalizeKeywords(text: string): string {
  if (!/__(volatile|inline|const|signed|restrict|extension|typeof)/.test(text)) return text;
  // Split on string and char literals so that their contents keep their spelling.
  return text.replace(/("(?:[^"\\\n]|\\.)*")|('(?:[^'\\\n]|\\.)*')|([^"']+)/g, (all, s, c, code: string | undefined) => {
    if (code === undefined) return all;
    let out = code;
    for (const [re, rep] of keywordFixes) out = out.replace(re, rep);
    return out;
  });
}

/**
 * Runs `cpp -m32` on one file. Throws CompileError carrying cpp's own message
 * (which already names file:line) when cpp fails.
 */
export async function preprocess(file: string, opts: CppOptions = {}): Promise<Preprocessed> {
  const args = ['-m32', '-std=gnu99', '-D__XENOPORT__=1', ...BUILTIN_MACROS.map((m) => `-D${m}`)];
  if (opts.nostdinc ?? true) args.push('-nostdinc');
  for (const d of opts.includeDirs ?? []) args.push('-I', d);
  for (const d of opts.defines ?? []) args.push('-D', d);
  for (const u of opts.undefines ?? []) args.push('-U', u);
  args.push(file);
  const r = await runTool(opts.cppPath ?? 'cpp', args);
  if (r.exitCode !== 0 || r.failed) {
    const first = (r.stderr || r.shortMessage || 'cpp failed').split('\n').find((l) => /error/.test(l)) ?? r.stderr;
    const m = /^(.*?):(\d+):(\d+): (?:fatal )?error: (.*)$/.exec(first ?? '');
    if (m) {
      throw new CompileError(`preprocessor: ${m[4]}`, { span: { file: m[1], line: Number(m[2]), col: Number(m[3]) } });
    }
    throw new CompileError(`preprocessor failed on ${file}: ${first}`, { span: { file, line: 1, col: 1 } });
  }
  return normalizeC(mapLineMarkers(file, String(r.stdout)));
}

const KR_KEYWORDS = new Set(['if', 'while', 'for', 'switch', 'return', 'sizeof', 'do', 'else', 'case', 'goto']);
const krDef = /\b([A-Za-z_]\w*)(\s*)\(\s*([A-Za-z_]\w*(?:\s*,\s*[A-Za-z_]\w*)*)\s*\)((?:\s*[A-Za-z_][^;{}()=]*;)+)(\s*)\{/g;

/**
 * Rewrites K&R function definitions to prototype form in place, keeping every line
 * break (the declaration lines become blank), because tree-sitter-c cannot parse
 * `f(x, y) char *x, *y; {` style definitions. Only matches at file scope.
 */
export function krToPrototypes(text: string): string {
  if (!/\)\s*(?:register\s+)?[A-Za-z_][\w\s*,\[\]]*;/.test(text)) return text;
  const depthAt = (() => {
    const marks: number[] = [];
    let depth = 0;
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 123) depth++;
      else if (c === 125) depth--;
      if (c === 40 || c === 123 || c === 125) marks.push(i, depth);
    }
    return (pos: number): number => {
      let lo = 0; let hi = marks.length / 2 - 1; let d = 0;
      while (lo <= hi) { const mid = (lo + hi) >> 1; if (marks[mid * 2] < pos) { d = marks[mid * 2 + 1]; lo = mid + 1; } else hi = mid - 1; }
      return d;
    };
  })();
  return text.replace(krDef, (all, name: string, sp: string, names: string, decls: string, ws: string, offset: number) => {
    if (KR_KEYWORDS.has(name) || depthAt(offset) !== 0) return all;
    const types = new Map<string, string>();
    for (const d of decls.split(';')) {
      const s = d.trim();
      if (!s) continue;
      const parts = s.split(',').map((x) => x.trim());
      const first = parts[0];
      const m = /^(.*?)(\**\s*[A-Za-z_]\w*\s*(?:\[[^\]]*\])*)$/.exec(first.replace(/\*/, ' *').replace(/\s+/g, ' '));
      if (!m) return all;
      let spec = m[1].trim();
      let firstDecl = m[2].trim();
      if (!spec) return all;
      const star = /^(.*?)((?:\*\s*)+)$/.exec(spec);
      if (star) { spec = star[1].trim(); firstDecl = star[2].replace(/\s/g, '') + firstDecl; }
      for (const p of [firstDecl, ...parts.slice(1)]) {
        const nm = /([A-Za-z_]\w*)\s*(?:\[[^\]]*\])*$/.exec(p)?.[1];
        if (!nm) return all;
        types.set(nm, `${spec.replace(/^register\s+/, '')} ${p}`);
      }
    }
    const list = names.split(',').map((x) => x.trim());
    if (![...types.keys()].every((k) => list.includes(k))) return all;
    const proto = list.map((p) => types.get(p) ?? `int ${p}`).join(', ');
    return `${name}${sp}(${proto})${decls.replace(/[^\n]/g, ' ')}${ws}{`;
  });
}

/**
 * tree-sitter-c cannot parse `__attribute__((...))` after a variable's declarator
 * (`int a[4] __attribute__((aligned(16)));`). Such attributes are blanked (same
 * length); an `aligned(N)` among them is kept by line for the declaration to use.
 * Attributes before `{` or after `)` (functions) and `packed` (fields) stay.
 */
export function stripDeclaratorAttributes(text: string): { text: string; alignByRow: Map<number, number> } {
  const alignByRow = new Map<number, number>();
  if (!text.includes('__attribute__')) return { text, alignByRow };
  const out = text.split('');
  const re = /__attribute__\s*\(/g;
  const rowOf = rowCounter(text);
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    let depth = 0;
    let end = m.index + m[0].length - 1;
    for (; end < text.length; end++) {
      if (text[end] === '(') depth++;
      else if (text[end] === ')' && --depth === 0) break;
    }
    const body = text.slice(m.index, end + 1);
    let k = end + 1;
    while (k < text.length && /\s/.test(text[k])) k++;
    let b = m.index - 1;
    while (b >= 0 && /\s/.test(text[b])) b--;
    const next = text[k];
    const prev = text[b];
    if (!(next === ';' || next === '=' || next === ',') || prev === ')' || prev === '}' || /packed/.test(body)) continue;
    const al = /aligned__\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)|aligned\s*\(([^()]*(?:\([^()]*\)[^()]*)*)\)/.exec(body);
    if (al) {
      const v = evalSimple(al[1] ?? al[2]);
      if (v !== undefined) alignByRow.set(rowOf(m.index), v);
    }
    for (let i = m.index; i <= end; i++) if (out[i] !== '\n') out[i] = ' ';
    re.lastIndex = end + 1;
  }
  return { text: out.join(''), alignByRow };
}

/** The 0-based row of a text offset, for offsets asked in increasing order (linear overall). */
function rowCounter(text: string): (pos: number) => number {
  let at = 0;
  let row = 0;
  return (pos: number): number => {
    for (; at < pos; at++) if (text.charCodeAt(at) === 10) row++;
    return row;
  };
}

/** The index of the `)` closing the `(` at `open`, or text.length. */
function closeParen(text: string, open: number): number {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')' && --depth === 0) return i;
  }
  return text.length;
}

/**
 * gcc accepts `union __attribute__((packed)) tag { ... }`; tree-sitter-c parses the
 * attribute in that place only after `struct`. The attribute is blanked (same length)
 * and kept by the `row:col` of its `union` keyword for the struct layout to apply.
 */
export function unionAttributes(text: string): { text: string; tagAttrs: Map<string, string> } {
  const tagAttrs = new Map<string, string>();
  if (!/\bunion\s+__attribute__/.test(text)) return { text, tagAttrs };
  const re = /\bunion(\s+)__attribute__\s*\(/g;
  const rowOf = rowCounter(text);
  let out = '';
  let last = 0;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const start = m.index + 5 + m[1].length;
    const end = closeParen(text, m.index + m[0].length - 1);
    const row = rowOf(m.index);
    const col = m.index - text.lastIndexOf('\n', m.index) - 1;
    tagAttrs.set(`${row}:${col}`, text.slice(start, end + 1));
    out += text.slice(last, start) + text.slice(start, end + 1).replace(/[^\n]/g, ' ');
    last = end + 1;
    re.lastIndex = last;
  }
  return { text: out + text.slice(last), tagAttrs };
}

/** Integer arithmetic on numbers, + - * / << >> | & and parentheses (cpp output). */
function evalSimple(src: string): number | undefined {
  const toks = src.match(/0[xX][0-9a-fA-F]+|\d+|<<|>>|[-+*/|&()]/g) ?? [];
  let i = 0;
  const prim = (): number => {
    const t = toks[i++];
    if (t === '(') { const v = expr(0); i++; return v; }
    if (t === '-') return -prim();
    return Number(t?.replace(/[uUlL]+$/, ''));
  };
  const prec: Record<string, number> = { '|': 1, '&': 2, '<<': 3, '>>': 3, '+': 4, '-': 4, '*': 5, '/': 5 };
  const expr = (min: number): number => {
    let l = prim();
    while (i < toks.length && prec[toks[i]] !== undefined && prec[toks[i]] > min) {
      const op = toks[i++];
      const r = expr(prec[op]);
      l = op === '|' ? l | r : op === '&' ? l & r : op === '<<' ? l << r : op === '>>' ? l >> r : op === '+' ? l + r : op === '-' ? l - r : op === '*' ? l * r : Math.trunc(l / r);
    }
    return l;
  };
  const v = expr(0);
  return Number.isFinite(v) && v > 0 ? v : undefined;
}
