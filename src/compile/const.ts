/*
 * Literals and integer constant expressions: number, character and string literals
 * (with C escapes), and compile-time evaluation for array sizes, enumerators, case
 * labels, bit-field widths and static initializers. An address constant (&global,
 * "string", function name, plus or minus an integer) evaluates to a symbol + offset.
 */
import type { SyntaxNode } from 'tree-sitter';
import {
  decay, findMember, sizeOf, alignOf, tChar, tInt, tLLong, tUInt, tULLong, tLong, tULong, isInteger, usualArith,
  type CType, type IntType,
} from './ctype.js';
import { typeDescriptor } from './decl.js';
import { typeOfExpr } from './expr.js';
import type { Unit } from './unit.js';

export interface ConstVal { value: bigint; sym?: string; type: CType }

export function parseNumber(u: Unit, n: SyntaxNode): { value: bigint; type: IntType } {
  let text = n.text.replace(/'/g, '').replace(/\s+/g, '');
  let negate = false;
  while (text.startsWith('-') || text.startsWith('+')) { if (text[0] === '-') negate = !negate; text = text.slice(1); }
  const m = /^(0[xX][0-9a-fA-F]+|0[bB][01]+|[0-9]+)([uUlL]*)$/.exec(text);
  if (!m) return u.unsupported(n, 'number literal (floating point?)');
  text = m[1];
  let value: bigint;
  if (/^0[bB]/.test(text)) value = BigInt(text);
  else if (/^0[0-7]+$/.test(text)) value = BigInt(`0o${text.slice(1)}`);
  else value = BigInt(text);
  const suf = m[2].toLowerCase();
  const unsigned = suf.includes('u');
  const longs = (suf.match(/l/g) ?? []).length;
  const decimal = !/^0/.test(text) || text === '0';
  let type: IntType;
  if (longs >= 2) type = unsigned || value > 0x7fffffffffffffffn ? tULLong : tLLong;
  else if (unsigned) type = value > 0xffffffffn ? tULLong : longs ? tULong : tUInt;
  else if (value <= 0x7fffffffn) type = longs ? tLong : tInt;
  else if (!decimal && value <= 0xffffffffn) type = longs ? tULong : tUInt;
  else type = value > 0x7fffffffffffffffn ? tULLong : tLLong;
  if (negate) {
    if (type.size === 4 && type.signed) type = tInt;
    value = wrap(-value, type.size === 4 && !type.signed ? tUInt : type);
    value = type.size === 8 ? BigInt.asUintN(64, value) : BigInt.asUintN(32, value);
  }
  return { value, type };
}

const simpleEscapes: Record<string, number> = { n: 10, t: 9, r: 13, '0': 0, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

/** Decodes the body of a string or char literal (between the quotes) to bytes. */
export function decodeEscapes(body: string): number[] {
  const out: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const c = body.charCodeAt(i);
    if (c !== 92) {
      if (c < 0x80) out.push(c);
      else for (const b of Buffer.from(body[i], 'utf8')) out.push(b);
      continue;
    }
    const e = body[++i];
    if (e === 'x') {
      let j = i + 1; let v = 0;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j])) v = v * 16 + parseInt(body[j++], 16);
      out.push(v & 0xff); i = j - 1;
    } else if (/[0-7]/.test(e)) {
      let j = i; let v = 0;
      while (j < body.length && j < i + 3 && /[0-7]/.test(body[j])) v = v * 8 + Number(body[j++]);
      out.push(v & 0xff); i = j - 1;
    } else if (e === '\n') {
      // line continuation inside a literal
    } else out.push(simpleEscapes[e] ?? e.charCodeAt(0));
  }
  return out;
}

export function charValue(u: Unit, n: SyntaxNode): bigint {
  const t = n.text;
  if (!/^'.*'$/s.test(t)) u.unsupported(n, 'wide character literal');
  const bytes = decodeEscapes(t.slice(1, -1));
  if (bytes.length !== 1) u.unsupported(n, 'multi-character literal');
  return BigInt(bytes[0] >= 128 ? bytes[0] - 256 : bytes[0]);
}

/** Bytes of a string_literal or concatenated_string node (without the final NUL). */
export function stringBytes(u: Unit, n: SyntaxNode): Uint8Array {
  const parts = n.type === 'concatenated_string' ? n.namedChildren.filter((c) => c.type === 'string_literal') : [n];
  const out: number[] = [];
  for (const p of parts) {
    const t = p.text;
    if (!t.startsWith('"')) u.unsupported(p, 'wide or prefixed string literal');
    out.push(...decodeEscapes(t.slice(1, -1)));
  }
  return Uint8Array.from(out);
}

export function wrap(v: bigint, t: CType): bigint {
  if (t.kind === 'ptr') return BigInt.asUintN(32, v);
  if (t.kind !== 'int') return v;
  const bits = t.size * 8;
  return t.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}

/**
 * `sizeof(struct t)-1` lexes `-1` as one literal and parses as sizeof((struct t)-1);
 * this returns the type and the signed literal to add back, or undefined.
 */
export function sizeofOfCast(u: Unit, n: SyntaxNode): { type: CType; addend: bigint } | undefined {
  const v = n.childForFieldName('value');
  if (n.type !== 'sizeof_expression' || v?.type !== 'cast_expression') return undefined;
  const lit = v.childForFieldName('value');
  if (lit?.type !== 'number_literal' || !/^[-+]/.test(lit.text)) return undefined;
  const p = parseNumber(u, lit);
  const mag = BigInt(lit.text.replace(/^[-+]\s*/, '').replace(/[uUlL]+$/, ''));
  return { type: typeDescriptor(u, v.childForFieldName('type')!), addend: lit.text.startsWith('-') ? -mag : mag + 0n * p.value };
}

/** An integer constant expression; a CompileError if it is not one. */
export function constInt(u: Unit, n: SyntaxNode): bigint {
  const v = evalConst(u, n);
  if (!v || v.sym !== undefined) u.error(n, `not an integer constant expression: \`${n.text}\``);
  return v.value;
}

/** Evaluates a constant expression; undefined when it is not constant. */
export function evalConst(u: Unit, n: SyntaxNode): ConstVal | undefined {
  switch (n.type) {
    case 'number_literal': { const p = parseNumber(u, n); return { value: p.value, type: p.type }; }
    case 'char_literal': return { value: charValue(u, n), type: tInt };
    case 'true': return { value: 1n, type: tInt };
    case 'false': case 'null': return { value: 0n, type: tInt };
    case 'parenthesized_expression': return evalConst(u, n.namedChildren[0]);
    case 'identifier': {
      const s = u.lookup(n.text);
      if (s?.kind === 'enumconst') return { value: s.value, type: tInt };
      if (s?.kind === 'global' || s?.kind === 'func') {
        if (s.type.kind === 'array' || s.type.kind === 'func') return { value: 0n, sym: s.name, type: decay(s.type) };
      }
      return undefined;
    }
    case 'string_literal': case 'concatenated_string':
      return { value: 0n, sym: u.stringLiteral(stringBytes(u, n)), type: { kind: 'ptr', to: tChar } };
    case 'sizeof_expression': case 'alignof_expression': {
      const split = sizeofOfCast(u, n);
      if (split) return { value: BigInt(sizeOf(split.type)) + split.addend, type: tUInt };
      const td = n.childForFieldName('type');
      let t: CType;
      if (td) t = typeDescriptor(u, td);
      else {
        const v = n.childForFieldName('value')!;
        const inner = v.type === 'parenthesized_expression' ? v.namedChildren[0] : v;
        if (inner.type === 'identifier' && u.isTypedef(inner.text)) t = (u.lookup(inner.text) as { type: CType }).type;
        else t = typeOfExpr(u, v);
      }
      return { value: BigInt(n.type === 'sizeof_expression' ? sizeOf(t) : alignOf(t)), type: tUInt };
    }
    case 'cast_expression': {
      const t = typeDescriptor(u, n.childForFieldName('type')!);
      const v = evalConst(u, n.childForFieldName('value')!);
      if (!v) return undefined;
      if (v.sym !== undefined) return t.kind === 'ptr' || (t.kind === 'int' && t.size === 4) ? { ...v, type: t } : undefined;
      return { value: wrap(v.value, t), type: t };
    }
    case 'unary_expression': {
      const op = n.childForFieldName('operator')!.text;
      const v = evalConst(u, n.childForFieldName('argument')!);
      if (!v || v.sym !== undefined) return undefined;
      const t = isInteger(v.type) ? usualArith(v.type, tInt) : tUInt;
      if (op === '-') return { value: wrap(-v.value, t), type: t };
      if (op === '+') return { value: v.value, type: t };
      if (op === '~') return { value: wrap(~v.value, t), type: t };
      if (op === '!') return { value: v.value === 0n ? 1n : 0n, type: tInt };
      return undefined;
    }
    case 'pointer_expression': {
      // &global, &global.member, &array[i], &((T *)0)->member (offsetof)
      if (n.childForFieldName('operator')!.text !== '&') return undefined;
      return addressConst(u, n.childForFieldName('argument')!);
    }
    case 'conditional_expression': {
      const c = evalConst(u, n.childForFieldName('condition')!);
      if (!c || c.sym !== undefined) return undefined;
      return evalConst(u, n.childForFieldName(c.value !== 0n ? 'consequence' : 'alternative')!);
    }
    case 'binary_expression': return binaryConst(u, n);
    case 'subscript_expression': case 'field_expression': {
      // An array-valued element or member decays to its (constant) address.
      const a = addressConst(u, n);
      if (a && a.type.kind === 'ptr' && a.type.to.kind === 'array') return { ...a, type: { kind: 'ptr', to: a.type.to.of } };
      return undefined;
    }
    case 'call_expression': {
      const castT = parenTypedef(u, n.childForFieldName('function'));
      const args = n.childForFieldName('arguments')!.namedChildren;
      if (!castT || args.length !== 1) return undefined;
      return castConst(castT, evalConst(u, args[0]));
    }
    default: return undefined;
  }
}

/** `(T)` where T is a typedef name: tree-sitter's reading of a cast it could not see. */
function parenTypedef(u: Unit, n: SyntaxNode | null): CType | undefined {
  if (!n || n.type !== 'parenthesized_expression') return undefined;
  const inner = n.namedChildren[0];
  if (inner?.type === 'identifier' && u.isTypedef(inner.text)) return (u.lookup(inner.text) as { type: CType }).type;
  return undefined;
}

function castConst(t: CType, v: ConstVal | undefined): ConstVal | undefined {
  if (!v) return undefined;
  if (v.sym !== undefined) return t.kind === 'ptr' || (t.kind === 'int' && t.size === 4) ? { ...v, type: t } : undefined;
  return { value: wrap(v.value, t), type: t };
}

function binaryConst(u: Unit, n: SyntaxNode): ConstVal | undefined {
  const op = n.childForFieldName('operator')!.text;
  const castT = parenTypedef(u, n.childForFieldName('left'));
  if (castT && (op === '-' || op === '+' || op === '&')) {
    const r = n.childForFieldName('right')!;
    if (op === '&') return castConst(castT, addressConst(u, r));
    const v = evalConst(u, r);
    if (!v || v.sym !== undefined) return undefined;
    return castConst(castT, { value: op === '-' ? -v.value : v.value, type: isInteger(v.type) ? usualArith(v.type, tInt) : tUInt });
  }
  const a = evalConst(u, n.childForFieldName('left')!);
  if (!a) return undefined;
  if ((op === '&&' || op === '||') && a.sym === undefined) {
    if (op === '&&' && a.value === 0n) return { value: 0n, type: tInt };
    if (op === '||' && a.value !== 0n) return { value: 1n, type: tInt };
  }
  const b = evalConst(u, n.childForFieldName('right')!);
  if (!b) return undefined;
  if (a.sym !== undefined || b.sym !== undefined) {
    const scale = (t: CType): bigint => (t.kind === 'ptr' ? BigInt(sizeOf(t.to)) : 1n);
    if (op === '+' && b.sym === undefined) return { value: a.value + b.value * scale(a.type), sym: a.sym, type: a.type };
    if (op === '+' && a.sym === undefined) return { value: b.value + a.value * scale(b.type), sym: b.sym, type: b.type };
    if (op === '-' && b.sym === undefined) return { value: a.value - b.value * scale(a.type), sym: a.sym, type: a.type };
    return undefined;
  }
  const at = isInteger(a.type) ? a.type : tUInt;
  const bt = isInteger(b.type) ? b.type : tUInt;
  const t = usualArith(at, bt);
  const x = wrap(a.value, t);
  const y = wrap(b.value, t);
  const bool = (c: boolean): ConstVal => ({ value: c ? 1n : 0n, type: tInt });
  switch (op) {
    case '+': return { value: wrap(x + y, t), type: t };
    case '-': return { value: wrap(x - y, t), type: t };
    case '*': return { value: wrap(x * y, t), type: t };
    case '/': if (y === 0n) u.error(n, 'division by zero in constant expression'); return { value: wrap(x / y, t), type: t };
    case '%': if (y === 0n) u.error(n, 'division by zero in constant expression'); return { value: wrap(x % y, t), type: t };
    case '&': return { value: wrap(x & y, t), type: t };
    case '|': return { value: wrap(x | y, t), type: t };
    case '^': return { value: wrap(x ^ y, t), type: t };
    case '<<': { const lt = usualArith(at, tInt); return { value: wrap(wrap(a.value, lt) << b.value, lt), type: lt }; }
    case '>>': { const lt = usualArith(at, tInt); return { value: wrap(wrap(a.value, lt) >> b.value, lt), type: lt }; }
    case '==': return bool(x === y);
    case '!=': return bool(x !== y);
    case '<': return bool(x < y);
    case '<=': return bool(x <= y);
    case '>': return bool(x > y);
    case '>=': return bool(x >= y);
    case '&&': return bool(x !== 0n && y !== 0n);
    case '||': return bool(x !== 0n || y !== 0n);
    default: return undefined;
  }
}

/** The address of an lvalue as a constant: symbol + offset, or a plain offset from 0. */
function addressConst(u: Unit, n: SyntaxNode): ConstVal | undefined {
  switch (n.type) {
    case 'parenthesized_expression': return addressConst(u, n.namedChildren[0]);
    case 'identifier': {
      const s = u.lookup(n.text);
      if (s?.kind === 'global' || s?.kind === 'func') return { value: 0n, sym: s.name, type: { kind: 'ptr', to: s.type } };
      return undefined;
    }
    case 'field_expression': {
      const arrow = n.childForFieldName('operator')!.text === '->';
      const base = arrow ? evalConst(u, n.childForFieldName('argument')!) : addressConst(u, n.childForFieldName('argument')!);
      if (!base || base.type.kind !== 'ptr' || base.type.to.kind !== 'struct') return undefined;
      const m = findMember(base.type.to, n.childForFieldName('field')!.text);
      if (!m) return undefined;
      if (m.bitWidth !== undefined) u.error(n, 'cannot take the address of a bit-field');
      return { value: base.value + BigInt(m.offset), sym: base.sym, type: { kind: 'ptr', to: m.type } };
    }
    case 'subscript_expression': {
      const arr = n.childForFieldName('argument')!;
      // The base is a pointer value (arrays decayed) or, failing that, an array lvalue.
      const asValue = evalConst(u, arr);
      const base = asValue ?? addressConst(u, arr);
      const idx = evalConst(u, n.childForFieldName('index')!);
      if (!base || !idx || idx.sym !== undefined || base.type.kind !== 'ptr') return undefined;
      let elem = base.type.to;
      if (!asValue) { if (elem.kind !== 'array') return undefined; elem = elem.of; }
      return { value: base.value + idx.value * BigInt(sizeOf(elem)), sym: base.sym, type: { kind: 'ptr', to: elem } };
    }
    default: return undefined;
  }
}

