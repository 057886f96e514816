/*
 * Assembly expressions and string literals: text -> Expr tree (ast.ts), with GNU as
 * precedence for i386, and "..." -> bytes with GAS escapes. Numeric local label
 * references are resolved through the context while lexing; everything else about
 * symbols is left to the evaluation (value.ts), which knows the symbol table.
 */
import { asmError, type AsmLoc, type Expr, type ExprCtx } from './ast.js';

// Expressions, with GNU as precedence for i386: unary; * / % << >>; | & ^ !;
// + - == != < > <= >= <>; &&; ||. (Note: `|` binds tighter than `+`, unlike C.)

type Tok = { t: 'num'; v: bigint } | { t: 'sym'; v: string } | { t: 'op'; v: string };

function lexExpr(s: string, ctx: ExprCtx): Tok[] {
  const toks: Tok[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i];
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const rest = s.slice(i);
    let m: RegExpExecArray | null;
    if ((m = /^(\d+)([fb])(?![0-9A-Za-z_])/.exec(rest))) {
      toks.push({ t: 'sym', v: ctx.local(m[1], m[2] as 'f' | 'b') });
      i += m[0].length;
    } else if ((m = /^0[xX][0-9a-fA-F]+/.exec(rest))) {
      toks.push({ t: 'num', v: BigInt(m[0]) });
      i += m[0].length;
    } else if ((m = /^0[bB][01]+/.exec(rest))) {
      toks.push({ t: 'num', v: BigInt(m[0]) });
      i += m[0].length;
    } else if ((m = /^0[0-7]+(?![0-9A-Za-z_])/.exec(rest))) {
      toks.push({ t: 'num', v: BigInt('0o' + m[0].slice(1)) });
      i += m[0].length;
    } else if ((m = /^\d+(?![0-9A-Za-z_])/.exec(rest))) {
      toks.push({ t: 'num', v: BigInt(m[0]) });
      i += m[0].length;
    } else if ((m = /^'(\\.|.)/.exec(rest))) {
      const ch = m[1].startsWith('\\') ? ({ n: 10, t: 9, r: 13, '0': 0, '\\': 92, "'": 39 } as Record<string, number>)[m[1][1]] ?? m[1].charCodeAt(1) : m[1].charCodeAt(0);
      toks.push({ t: 'num', v: BigInt(ch) });
      i += m[0].length;
    } else if ((m = /^[A-Za-z_.$][A-Za-z0-9_.$]*/.exec(rest))) {
      toks.push({ t: 'sym', v: m[0] });
      i += m[0].length;
    } else if ((m = /^(<<|>>|<=|>=|==|!=|<>|&&|\|\||[-+*/%&|^~!()<>])/.exec(rest))) {
      toks.push({ t: 'op', v: m[0] });
      i += m[0].length;
    } else throw asmError(`unexpected '${c}' in expression '${s.trim()}'`, ctx.loc);
  }
  return toks;
}

const PREC: Record<string, number> = {
  '||': 1,
  '&&': 2,
  '+': 3, '-': 3, '==': 3, '!=': 3, '<>': 3, '<': 3, '>': 3, '<=': 3, '>=': 3,
  '|': 4, '&': 4, '^': 4, '!': 4,
  '*': 5, '/': 5, '%': 5, '<<': 5, '>>': 5,
};

/** Parses an expression (GAS precedence). */
export function parseExpr(s: string, ctx: ExprCtx): Expr {
  const toks = lexExpr(s, ctx);
  let p = 0;
  const fail = (why: string): never => {
    throw asmError(`bad expression '${s.trim()}': ${why}`, ctx.loc);
  };
  const primary = (): Expr => {
    const t = toks[p++];
    if (!t) return fail('unexpected end');
    if (t.t === 'num') return { kind: 'num', value: t.v };
    if (t.t === 'sym') return { kind: 'sym', name: t.v };
    if (t.v === '(') {
      const e = binary(1);
      if (toks[p]?.t !== 'op' || toks[p].v !== ')') fail('missing )');
      p++;
      return e;
    }
    if (t.v === '-' || t.v === '~' || t.v === '!' || t.v === '+') return { kind: 'unary', op: t.v, a: primary() };
    return fail(`unexpected '${t.v}'`);
  };
  const binary = (min: number): Expr => {
    let a = primary();
    for (;;) {
      const t = toks[p];
      if (!t || t.t !== 'op' || PREC[t.v] === undefined || PREC[t.v] < min) return a;
      p++;
      const b = binary(PREC[t.v] + 1);
      a = { kind: 'binary', op: t.v, a, b };
    }
  };
  const e = binary(1);
  if (p < toks.length) fail(`unexpected '${String(toks[p].v)}'`);
  return e;
}

/** Parses a string literal argument ("...") into bytes. */
export function parseStringLit(s: string, loc: AsmLoc): Uint8Array {
  const t = s.trim();
  if (!t.startsWith('"') || !t.endsWith('"') || t.length < 2) throw asmError(`expected a string literal, got '${s}'`, loc);
  const out: number[] = [];
  const body = t.slice(1, -1);
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (c !== '\\') {
      const code = body.charCodeAt(i);
      if (code > 255) throw asmError('non-Latin-1 character in string', loc);
      out.push(code);
      continue;
    }
    const n = body[++i];
    const simple: Record<string, number> = { n: 10, t: 9, r: 13, b: 8, f: 12, v: 11, '\\': 92, '"': 34, "'": 39, a: 7 };
    if (n in simple) out.push(simple[n]);
    else if (/[0-7]/.test(n)) {
      const m = /^[0-7]{1,3}/.exec(body.slice(i))![0];
      out.push(parseInt(m, 8) & 255);
      i += m.length - 1;
    } else if (n === 'x') {
      const m = /^[0-9a-fA-F]+/.exec(body.slice(i + 1));
      if (!m) throw asmError('bad \\x escape', loc);
      out.push(parseInt(m[0].slice(-2), 16));
      i += m[0].length;
    } else throw asmError(`unknown escape '\\${n}' in string`, loc);
  }
  return new Uint8Array(out);
}
