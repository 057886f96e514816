/*
 * Which parts of a file the configured preprocessor would compile. A file's
 * #if / #ifdef / #ifndef / #elif / #else / #endif lines are evaluated three-valued
 * (true, false, unknown) under a configuration: names defined or undefined with
 * -D / -U (the architecture's, the kernel config's options), everything else
 * unknown. A group is dead only when the configuration decides it: its condition
 * is false, or an earlier branch of its chain is true (`#if 0`, `#ifdef PAE`
 * without PAE). A conditional whose condition names a port macro (XEN) is an
 * existing port: all its branches are `ported`, code a port already handled.
 * The result is a list of ranges; extraction blanks them (spaces, newlines kept,
 * so every offset stays an ORIGINAL offset) unless all branches are wanted.
 */

/** How the preprocessor is configured for a scan. */
export interface CppConfig {
  /** NAME -> value ('1' for a bare -D). */
  defined: Map<string, string>;
  undefined: Set<string>;
  /** Conditionals naming one of these are an existing port. */
  portNames: Set<string>;
  /** Keep every branch (findings in dead or ported code are tagged, not dropped). */
  allBranches: boolean;
}

export const DEAD = 0;
export const PORTED = 1;
/** [start, end, DEAD | PORTED] in original offsets, whole lines. */
export type BranchRange = [number, number, number];

/** The architecture's own macros, and the other architectures' undefined. */
const ARCH_MACROS: Record<string, string[]> = {
  i386: ['i386', '__i386__', '__i386'],
  amd64: ['__amd64__', '__x86_64__'],
};

/** A configuration from `-D`/`-U` style strings (`DNAME=v`, `UNAME`, or `NAME`). */
export function cppConfig(defines: readonly string[] = [], opts: { arch?: string; allBranches?: boolean; portNames?: string[] } = {}): CppConfig {
  const defined = new Map<string, string>();
  const undef = new Set<string>();
  if (opts.arch) {
    defined.set('_KERNEL', '1');
    defined.set('__GNUC__', '4');
    for (const [arch, names] of Object.entries(ARCH_MACROS)) for (const n of names) (arch === opts.arch ? defined.set(n, '1') : undef.add(n));
    for (const n of ['__ia64__', '__powerpc__', '__sparc64__', '__mips__', '__arm__', '__alpha__', '__aarch64__']) undef.add(n);
  }
  for (const d of defines) {
    const m = /^([DU]?)([A-Za-z_]\w*)(?:=(.*))?$/.exec(d);
    if (!m) continue;
    if (m[1] === 'U') {
      defined.delete(m[2]);
      undef.add(m[2]);
    } else {
      undef.delete(m[2]);
      defined.set(m[2], m[3] ?? '1');
    }
  }
  return { defined, undefined: undef, portNames: new Set(opts.portNames ?? ['XEN']), allBranches: opts.allBranches === true };
}

/** A stable key of a configuration (part of the scan cache's key). */
export function cppKey(c: CppConfig | undefined): string {
  if (!c) return '';
  return JSON.stringify([[...c.defined].sort(), [...c.undefined].sort(), [...c.portNames].sort(), c.allBranches]);
}

type Tri = number | undefined;

/** Evaluates a #if expression three-valued: a number, or undefined when the configuration cannot tell. */
export function evalCondition(expr: string, c: CppConfig): Tri {
  const toks = expr
    .replace(/\/\*[\s\S]*?\*\/|\/\/.*$/g, ' ')
    .match(/defined|[A-Za-z_]\w*|0[xX][0-9a-fA-F]+[uUlL]*|\d+[uUlL]*|&&|\|\||==|!=|<=|>=|<<|>>|[-+*/%<>!()~&|^?:]/g);
  if (!toks) return undefined;
  let i = 0;
  const peek = (): string | undefined => toks[i];
  const bin: Array<[string[], (a: number, b: number) => number]> = [
    [['||'], (a, b) => (a || b ? 1 : 0)],
    [['&&'], (a, b) => (a && b ? 1 : 0)],
    [['|'], (a, b) => a | b],
    [['^'], (a, b) => a ^ b],
    [['&'], (a, b) => a & b],
    [['==', '!='], () => 0],
    [['<', '>', '<=', '>='], () => 0],
    [['<<', '>>'], () => 0],
    [['+', '-'], () => 0],
    [['*', '/', '%'], () => 0],
  ];
  const apply = (op: string, a: Tri, b: Tri): Tri => {
    if (op === '&&') return a === 0 || b === 0 ? 0 : a === undefined || b === undefined ? undefined : 1;
    if (op === '||') return (a !== undefined && a !== 0) || (b !== undefined && b !== 0) ? 1 : a === undefined || b === undefined ? undefined : 0;
    if (a === undefined || b === undefined) return undefined;
    switch (op) {
      case '|': return a | b;
      case '^': return a ^ b;
      case '&': return a & b;
      case '==': return a === b ? 1 : 0;
      case '!=': return a !== b ? 1 : 0;
      case '<': return a < b ? 1 : 0;
      case '>': return a > b ? 1 : 0;
      case '<=': return a <= b ? 1 : 0;
      case '>=': return a >= b ? 1 : 0;
      case '<<': return a << b;
      case '>>': return a >> b;
      case '+': return a + b;
      case '-': return a - b;
      case '*': return a * b;
      case '/': return b === 0 ? undefined : Math.trunc(a / b);
      case '%': return b === 0 ? undefined : a % b;
    }
    return undefined;
  };
  const level = (n: number): Tri => {
    if (n >= bin.length) return unary();
    let a = level(n + 1);
    for (let t = peek(); t !== undefined && bin[n][0].includes(t); t = peek()) {
      i++;
      a = apply(t, a, level(n + 1));
    }
    return a;
  };
  const ternary = (): Tri => {
    const cond = level(0);
    if (peek() !== '?') return cond;
    i++;
    const a = ternary();
    if (peek() === ':') i++;
    const b = ternary();
    return cond === undefined ? (a === b ? a : undefined) : cond ? a : b;
  };
  const value = (name: string): Tri => {
    if (c.undefined.has(name)) return 0;
    const v = c.defined.get(name);
    if (v === undefined) return undefined;
    const n = /^\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*\s*$/.exec(v);
    return n ? Number(n[1]) : undefined;
  };
  const unary = (): Tri => {
    const t = toks[i++];
    if (t === undefined) return undefined;
    if (t === '!') {
      const v = unary();
      return v === undefined ? undefined : v ? 0 : 1;
    }
    if (t === '-') {
      const v = unary();
      return v === undefined ? undefined : -v;
    }
    if (t === '~') {
      const v = unary();
      return v === undefined ? undefined : ~v;
    }
    if (t === '(') {
      const v = ternary();
      if (peek() === ')') i++;
      return v;
    }
    if (t === 'defined') {
      const paren = peek() === '(';
      if (paren) i++;
      const name = toks[i++];
      if (paren && peek() === ')') i++;
      if (name === undefined) return undefined;
      return c.defined.has(name) ? 1 : c.undefined.has(name) ? 0 : undefined;
    }
    if (/^\d|^0[xX]/.test(t)) return Number.parseInt(t, /^0[xX]/.test(t) ? 16 : /^0\d/.test(t) ? 8 : 10);
    if (/^[A-Za-z_]/.test(t)) {
      // A function-like macro call in a condition: unknown.
      if (peek() === '(') {
        let depth = 0;
        for (; i < toks.length; i++) {
          if (toks[i] === '(') depth++;
          else if (toks[i] === ')' && --depth === 0) {
            i++;
            break;
          }
        }
        return undefined;
      }
      return value(t);
    }
    return undefined;
  };
  const v = ternary();
  return i === toks.length ? v : undefined;
}

interface Frame {
  /** The chain's line start, for ported ranges. */
  start: number;
  /** The enclosing code is live (or unknown). */
  parentLive: boolean;
  /** Some earlier branch of the chain was definitely taken. */
  taken: boolean;
  /** The current branch's start, and whether it is dead. */
  branchStart: number;
  dead: boolean;
  ported: boolean;
}

const DIRECTIVE = /^[ \t]*#[ \t]*(if|ifdef|ifndef|elif|else|endif)\b(.*)$/;

/** Dead and ported ranges of a C or assembly text under a configuration. */
export function branchRanges(text: string, c: CppConfig): BranchRange[] {
  if (!text.includes('#')) return [];
  const out: BranchRange[] = [];
  const stack: Frame[] = [];
  let inComment = false;
  let pos = 0;
  const live = (): boolean => stack.every((f) => !f.dead);
  const mentionsPort = (cond: string): boolean => {
    for (const w of cond.match(/[A-Za-z_]\w*/g) ?? []) if (c.portNames.has(w)) return true;
    return false;
  };
  // The next '/*' at or after the current line: most lines hold neither a directive nor a comment's start.
  let nextOpen = text.indexOf('/*');
  while (pos < text.length) {
    let end = text.indexOf('\n', pos);
    while (end > 0 && text[end - 1] === '\\') end = text.indexOf('\n', end + 1);
    if (end < 0) end = text.length;
    const next = end + 1;
    if (!inComment) {
      if (nextOpen >= 0 && nextOpen < pos) nextOpen = text.indexOf('/*', pos);
      let first = pos;
      while (text.charCodeAt(first) === 0x20 || text.charCodeAt(first) === 0x09) first++;
      if (text.charCodeAt(first) !== 0x23 && (nextOpen < 0 || nextOpen >= end)) {
        pos = next;
        continue;
      }
    }
    const line = text.slice(pos, end);
    const m = inComment ? null : DIRECTIVE.exec(line.replace(/\\\r?\n/g, ' '));
    if (m) {
      const kind = m[1];
      const arg = m[2].replace(/\/\*.*?\*\//g, ' ').replace(/\/\*.*$|\/\/.*$/, '').trim();
      const top = stack[stack.length - 1];
      if (kind === 'if' || kind === 'ifdef' || kind === 'ifndef') {
        const parentLive = live();
        const name = arg.split(/\s+/)[0] ?? '';
        const cond: Tri = kind === 'if' ? evalCondition(arg, c) : (() => {
          const d = c.defined.has(name) ? 1 : c.undefined.has(name) ? 0 : undefined;
          return d === undefined ? undefined : kind === 'ifdef' ? d : d ? 0 : 1;
        })();
        const ported = mentionsPort(kind === 'if' ? arg : name);
        stack.push({ start: pos, parentLive, taken: cond !== undefined && cond !== 0, branchStart: next, dead: cond === 0, ported });
      } else if (top && (kind === 'elif' || kind === 'else')) {
        if (top.dead && top.parentLive) out.push([top.branchStart, pos, DEAD]);
        const cond: Tri = kind === 'else' ? 1 : evalCondition(arg, c);
        if (kind === 'elif' && mentionsPort(arg)) top.ported = true;
        top.dead = top.taken || cond === 0;
        top.taken ||= cond !== undefined && cond !== 0;
        top.branchStart = next;
      } else if (top && kind === 'endif') {
        stack.pop();
        if (top.dead && top.parentLive) out.push([top.branchStart, pos, DEAD]);
        if (top.ported && top.parentLive) out.push([top.start, Math.min(next, text.length), PORTED]);
      }
    }
    // Block comments spanning lines hide directives written inside them.
    for (let k = line.indexOf('/*'); ; ) {
      if (!inComment) {
        if (k < 0) break;
        inComment = true;
        k = line.indexOf('*/', k + 2);
        if (k < 0) break;
        inComment = false;
        k = line.indexOf('/*', k + 2);
      } else {
        const close = line.indexOf('*/');
        if (close < 0) break;
        inComment = false;
        k = line.indexOf('/*', close + 2);
      }
    }
    pos = next;
  }
  // An unterminated chain: its dead branch runs to the end.
  for (const f of stack) if (f.dead && f.parentLive) out.push([f.branchStart, text.length, DEAD]);
  return normalizeRanges(out);
}

/** Sorted, with ranges inside a ported range dropped (ported wins) and overlaps merged per kind. */
function normalizeRanges(rs: BranchRange[]): BranchRange[] {
  rs.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
  const out: BranchRange[] = [];
  for (const r of rs) {
    const last = out[out.length - 1];
    if (last && r[0] < last[1]) {
      if (r[1] > last[1]) last[1] = r[1];
      if (r[2] === PORTED) last[2] = PORTED;
      continue;
    }
    out.push([r[0], r[1], r[2]]);
  }
  return out;
}

/** The text with the ranges blanked: every character but newlines becomes a space. */
export function blankRanges(text: string, ranges: readonly BranchRange[]): string {
  if (ranges.length === 0) return text;
  let out = '';
  let pos = 0;
  for (const [s, e] of ranges) {
    out += text.slice(pos, s) + text.slice(s, e).replace(/[^\n]/g, ' ');
    pos = e;
  }
  return out + text.slice(pos);
}

/** The kind of range holding offset `at`, or undefined when it is live. */
export function rangeAt(ranges: readonly BranchRange[], at: number): number | undefined {
  let lo = 0;
  let hi = ranges.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = ranges[mid];
    if (at < r[0]) hi = mid - 1;
    else if (at >= r[1]) lo = mid + 1;
    else return r[2];
  }
  return undefined;
}

let current: CppConfig | undefined;

/** Sets the configuration extraction uses in this thread (a scan sets it; workers get it at start). */
export function setCppConfig(c: CppConfig | undefined): void {
  current = c;
}

export function getCppConfig(): CppConfig | undefined {
  return current;
}

/** The text extraction should see: dead and ported code blanked, unless every branch is wanted. */
export function liveText(text: string): { text: string; ranges: BranchRange[] } {
  const c = current;
  if (!c) return { text, ranges: [] };
  const ranges = branchRanges(text, c);
  return { text: c.allBranches ? text : blankRanges(text, ranges), ranges };
}
