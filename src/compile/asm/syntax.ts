/*
 * The GAS-subset reader: preprocessed AT&T assembly text -> statements (labels,
 * directives, instructions; shapes in ast.ts) with their ORIGINAL file:line:col,
 * operands parsed into immediates, registers, memory references and expressions
 * (expr.ts).
 *
 * Lexical rules are those of GNU as for i386 ELF/Linux: `#` starts a comment anywhere
 * (cpp has already removed C comments and its own line markers), `;` separates
 * statements, `/` is division. Numeric local labels (`1:` ... `1b`, `1f`) are renamed
 * here to unique instance names (`1.0`, `1.1`, ...) so later stages see only plain
 * names. Expressions are kept as trees and evaluated by the lowering, which knows the
 * symbol table (.set values, labels).
 */
import { asmError, REG32, SEGREGS, type AsmLoc, type AsmOperand, type ExprCtx, type Reg32, type RegOperand, type SegReg, type Stmt } from './ast.js';
import { parseExpr } from './expr.js';

const PREFIXES = new Set(['rep', 'repe', 'repz', 'repne', 'repnz', 'lock', 'data16', 'addr16']);

/** Splits on `sep` outside strings and parentheses. */
function splitTop(s: string, sep: string): { part: string; at: number }[] {
  const out: { part: string; at: number }[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s[i];
    if (c === '"') {
      i++;
      while (i < s.length && s[i] !== '"') i += s[i] === '\\' ? 2 : 1;
    } else if (c === "'" && sep === ',') {
      i++; // GAS character constant: 'c
    } else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === sep && depth === 0) {
      out.push({ part: s.slice(start, i), at: start });
      start = i + 1;
    }
  }
  out.push({ part: s.slice(start), at: start });
  return out;
}

/** Removes a `#` comment (outside strings). */
function stripComment(line: string): string {
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') {
      i++;
      while (i < line.length && line[i] !== '"') i += line[i] === '\\' ? 2 : 1;
    } else if (c === "'") i++;
    else if (c === '#') return line.slice(0, i);
  }
  return line;
}

/** GAS, like C, has block comments: blank them (keeping newlines, so lines and columns stay). */
function blankBlockComments(text: string): string {
  if (!text.includes('/*')) return text;
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"' && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === '#') {
      const j = text.indexOf('\n', i);
      const end = j < 0 ? text.length : j;
      out += text.slice(i, end);
      i = end - 1;
    } else if (c === '/' && text[i + 1] === '*') {
      const j = text.indexOf('*/', i + 2);
      const end = j < 0 ? text.length : j + 2;
      out += text.slice(i, end).replace(/[^\n]/g, ' ');
      i = end - 1;
    } else out += c;
  }
  return out;
}

interface RawStmt {
  text: string;
  loc: AsmLoc;
  /** For `int3 # xenoport-breakpoint <rule> <where>`: "<rule> <where>". */
  trap?: string;
}

/**
 * The breakpoint stub XENO_BREAKPOINT_ASM(rule, where) expands (cpp, assembler mode)
 * to `int3 # xenoport-breakpoint "rule" "where"` (each argument stringified, so a
 * quoted argument comes out doubly quoted). Returns "rule where", or undefined.
 */
export function breakpointMessage(line: string): string | undefined {
  const m = /\bint3\s*#\s*xenoport-breakpoint\s+(.*?)\s*$/.exec(line);
  if (!m) return undefined;
  const words: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|(\S+)/g;
  let w: RegExpExecArray | null;
  while ((w = re.exec(m[1]))) {
    let t = w[1] !== undefined ? w[1].replace(/\\(.)/g, '$1') : w[2];
    if (t.length >= 2 && t.startsWith('"') && t.endsWith('"')) t = t.slice(1, -1);
    words.push(t);
  }
  return words.join(' ');
}

/**
 * Splits preprocessed text into raw statements (labels split off), with locations.
 * `locOfLine` maps a 0-based line of `text` to its original file and line.
 */
function rawStatements(text: string, locOfLine: (l: number) => { file: string; line: number }): RawStmt[] {
  const out: RawStmt[] = [];
  const lines = blankBlockComments(text).split('\n');
  lines.forEach((full, li) => {
    const line = stripComment(full);
    if (!line.trim()) return;
    const where = locOfLine(li);
    const trap = breakpointMessage(full);
    for (const { part, at } of splitTop(line, ';')) {
      let s = part;
      let col = at;
      for (;;) {
        const lead = /^\s*/.exec(s)![0].length;
        s = s.slice(lead);
        col += lead;
        const m = /^([A-Za-z_.$][A-Za-z0-9_.$]*|\d+)\s*:(?!:)/.exec(s);
        if (!m) break;
        out.push({ text: `${m[1]}:`, loc: { file: where.file, line: where.line, col: col + 1, text: full } });
        s = s.slice(m[0].length);
        col += m[0].length;
      }
      const t = s.trimEnd();
      if (t) out.push({ text: t, loc: { file: where.file, line: where.line, col: col + 1, text: full }, trap: trap && /^int3$/i.test(t) ? trap : undefined });
    }
  });
  return out;
}

/** Parses a whole preprocessed file into statements. */
export function parseStatements(text: string, locOfLine: (l: number) => { file: string; line: number }): Stmt[] {
  const raws = rawStatements(text, locOfLine);
  // Numeric local labels: instance k of label n is named `n.k`.
  const defs = new Map<string, number[]>(); // n -> raw indices of its definitions
  raws.forEach((r, i) => {
    const m = /^(\d+):$/.exec(r.text);
    if (m) {
      const l = defs.get(m[1]) ?? [];
      l.push(i);
      defs.set(m[1], l);
    }
  });
  const localRef = (n: string, dir: 'f' | 'b', at: number, loc: AsmLoc): string => {
    const l = defs.get(n) ?? [];
    if (dir === 'b') {
      for (let k = l.length - 1; k >= 0; k--) if (l[k] < at) return `${n}.${k}`;
    } else {
      for (let k = 0; k < l.length; k++) if (l[k] > at) return `${n}.${k}`;
    }
    throw asmError(`local label ${n}${dir}: no ${dir === 'b' ? 'earlier' : 'later'} definition of ${n}:`, loc);
  };

  const out: Stmt[] = [];
  let pendingPrefixes: string[] = [];
  raws.forEach((r, i) => {
    const loc = r.loc;
    const lab = /^([^:]+):$/.exec(r.text);
    if (lab) {
      let name = lab[1];
      if (/^\d+$/.test(name)) name = `${name}.${defs.get(name)!.indexOf(i)}`;
      out.push({ kind: 'label', name, loc });
      return;
    }
    const ctx: ExprCtx = { loc, local: (n, d) => localRef(n, d, i, loc) };
    if (r.text.startsWith('.')) {
      const m = /^(\.[A-Za-z0-9_.]+)\s*(.*)$/.exec(r.text)!;
      const rest = m[2];
      const args = rest.trim() ? splitTop(rest, ',').map((a) => a.part.trim()) : [];
      // Expression arguments are parsed on demand, with ctx (local label resolution).
      out.push({ kind: 'directive', name: m[1].toLowerCase(), args, raw: r.text, loc, ctx });
      return;
    }
    const m = /^([A-Za-z][A-Za-z0-9]*)\s*(.*)$/.exec(r.text);
    if (!m) throw asmError(`cannot parse statement '${r.text}'`, loc);
    const mn = m[1].toLowerCase();
    let rest = m[2];
    if (PREFIXES.has(mn)) {
      pendingPrefixes.push(mn);
      if (!rest.trim()) return;
      // `rep stosl` on one line: the rest is the instruction.
      const m2 = /^([A-Za-z][A-Za-z0-9]*)\s*(.*)$/.exec(rest.trim());
      if (!m2) throw asmError(`cannot parse statement '${r.text}'`, loc);
      return pushInsn(m2[1].toLowerCase(), m2[2], { ...loc, col: loc.col + r.text.indexOf(m2[1]) });
    }
    pushInsn(mn, rest, loc);

    function pushInsn(mnemonic: string, opText: string, iloc: AsmLoc): void {
      rest = opText;
      const ops = rest.trim() ? splitTop(rest, ',').map((a) => parseOperand(a.part.trim(), { ...ctx, loc: iloc })) : [];
      out.push({ kind: 'insn', mnemonic, prefixes: pendingPrefixes, operands: ops, raw: r.text, loc: iloc, trap: r.trap });
      pendingPrefixes = [];
    }
  });
  return out;
}

const REG_TABLE: Record<string, RegOperand> = (() => {
  const t: Record<string, RegOperand> = {};
  for (const r of REG32) t[r] = { kind: 'reg', class: 'gpr', name: r, base: r, size: 4, high: false };
  const w = ['ax', 'cx', 'dx', 'bx', 'sp', 'bp', 'si', 'di'];
  w.forEach((n, k) => (t[n] = { kind: 'reg', class: 'gpr', name: n, base: REG32[k], size: 2, high: false }));
  ['al', 'cl', 'dl', 'bl'].forEach((n, k) => (t[n] = { kind: 'reg', class: 'gpr', name: n, base: REG32[k], size: 1, high: false }));
  ['ah', 'ch', 'dh', 'bh'].forEach((n, k) => (t[n] = { kind: 'reg', class: 'gpr', name: n, base: REG32[k], size: 1, high: true }));
  for (const s of SEGREGS) t[s] = { kind: 'reg', class: 'seg', name: s, seg: s, size: 2 };
  for (let n = 0; n < 8; n++) {
    t[`cr${n}`] = { kind: 'reg', class: 'cr', name: `cr${n}`, n, size: 4 };
    t[`db${n}`] = t[`dr${n}`] = { kind: 'reg', class: 'dr', name: `dr${n}`, n, size: 4 };
  }
  return t;
})();

function parseReg(s: string, loc: AsmLoc): RegOperand {
  const r = REG_TABLE[s.replace(/^%/, '').toLowerCase()];
  if (!r) throw asmError(`unknown register '${s}'`, loc);
  return r;
}

/** Parses one operand in AT&T syntax. */
export function parseOperand(s: string, ctx: ExprCtx): AsmOperand {
  const loc = ctx.loc;
  if (!s) throw asmError('empty operand', loc);
  if (s.startsWith('$')) return { kind: 'imm', expr: parseExpr(s.slice(1), ctx) };
  if (s.startsWith('*')) {
    const t = parseOperand(s.slice(1).trim(), ctx);
    if (t.kind === 'reg' || t.kind === 'mem') return { kind: 'indirect', target: t };
    if (t.kind === 'expr') return { kind: 'indirect', target: { kind: 'mem', disp: t.expr, scale: 1 } };
    throw asmError(`unsupported indirect operand '${s}'`, loc);
  }
  let seg: SegReg | undefined;
  let body = s;
  const sm = /^%([a-z]s)\s*:\s*(.*)$/i.exec(s);
  if (sm) {
    const r = parseReg(sm[1], loc);
    if (r.class !== 'seg') throw asmError(`'${sm[1]}' is not a segment register`, loc);
    seg = r.seg;
    body = sm[2];
  }
  if (!seg && /^%[a-z0-9]+$/i.test(body)) return parseReg(body, loc);
  // disp(base,index,scale): the last parenthesized group, if it holds registers.
  const mm = /^(.*?)\(\s*(%[a-z]+)?\s*(?:,\s*(%[a-z]+)\s*(?:,\s*(\d+)\s*)?)?\)$/i.exec(body);
  if (mm && (mm[2] || mm[3])) {
    const gpr = (x: string | undefined): Reg32 | undefined => {
      if (!x) return undefined;
      const r = parseReg(x, loc);
      if (r.class !== 'gpr' || r.size !== 4) throw asmError(`'${x}' cannot be used in an address (32-bit registers only)`, loc);
      return r.base;
    };
    const scale = mm[4] ? Number(mm[4]) : 1;
    if (![1, 2, 4, 8].includes(scale)) throw asmError(`bad scale factor ${scale}`, loc);
    const index = gpr(mm[3]);
    if (index === 'esp') throw asmError('%esp cannot be an index register', loc);
    return { kind: 'mem', seg, disp: mm[1].trim() ? parseExpr(mm[1], ctx) : undefined, base: gpr(mm[2]), index, scale };
  }
  if (/%/.test(body)) throw asmError(`unsupported operand form '${s}'`, loc);
  const e = parseExpr(body, ctx);
  return seg ? { kind: 'mem', seg, disp: e, scale: 1 } : { kind: 'expr', expr: e };
}
