/*
 * Literals and integer constant expressions: number, character and string literals
 * (with C escapes), and compile-time evaluation for array sizes, enumerators, case
 * labels, bit-field widths and static initializers. An address constant (&global,
 * "string", function name, plus or minus an integer) evaluates to a symbol + offset.
 */
import type { SyntaxNode } from 'tree-sitter';
import {
  decay, findMember, sizeOf, alignOf, tChar, tInt, tLLong, tUInt, tULLong, tLong, tULong, tUShort, isInteger, usualArith,
  type CType, type IntType,
} from './ctype.js';
import { typeDescriptor } from './decl.js';
import { typeOfExpr } from './expr.js';
import { arrayLenFromInit, dataItems } from './init.js';
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

const simpleEscapes: Record<string, number> = { n: 10, t: 9, r: 13, a: 7, b: 8, f: 12, v: 11, e: 27, '\\': 92, "'": 39, '"': 34, '?': 63 };

/**
 * Decodes the body of a string or char literal (between the quotes). Narrow literals
 * give bytes (source text and `\u` escapes as UTF-8, `\x` and octal escapes as one
 * byte each); wide ones (`L`, `u`, `U`) give code units of `bits` bits.
 */
export function decodeUnits(body: string, bits = 8): number[] {
  const out: number[] = [];
  const mask = bits === 32 ? 0xffffffff : (1 << bits) - 1;
  const char = (cp: number): void => {
    if (bits === 8) { for (const b of Buffer.from(String.fromCodePoint(cp), 'utf8')) out.push(b); return; }
    if (bits === 16 && cp > 0xffff) { out.push(0xd800 + ((cp - 0x10000) >> 10), 0xdc00 + ((cp - 0x10000) & 0x3ff)); return; }
    out.push(cp);
  };
  for (let i = 0; i < body.length; i++) {
    const c = body.codePointAt(i)!;
    if (c !== 92) {
      if (c > 0xffff) i++;
      if (c < 0x80) out.push(c); else char(c);
      continue;
    }
    const e = body[++i];
    if (e === 'x') {
      let j = i + 1; let v = 0;
      while (j < body.length && /[0-9a-fA-F]/.test(body[j])) v = (v * 16 + parseInt(body[j++], 16)) % 0x100000000;
      out.push((v & mask) >>> 0); i = j - 1;
    } else if (/[0-7]/.test(e)) {
      let j = i; let v = 0;
      while (j < body.length && j < i + 3 && /[0-7]/.test(body[j])) v = v * 8 + Number(body[j++]);
      out.push(v & mask); i = j - 1;
    } else if (e === 'u' || e === 'U') {
      const len = e === 'u' ? 4 : 8;
      char(parseInt(body.slice(i + 1, i + 1 + len), 16) || 0); i += len;
    } else if (e === '\n') {
      // line continuation inside a literal
    } else out.push(simpleEscapes[e] ?? e.charCodeAt(0));
  }
  return out;
}

/** The bytes of a narrow literal's body (inline asm templates). */
export function decodeEscapes(body: string): number[] {
  return decodeUnits(body, 8);
}

/** A literal's prefix: its element type (wchar_t is int on i386) and unit size in bits. */
function literalKind(text: string): { prefix: string; elem: IntType; bits: 8 | 16 | 32 } {
  const prefix = /^(u8|[LuU]?)/.exec(text)![1];
  if (prefix === 'L') return { prefix, elem: tInt, bits: 32 };
  if (prefix === 'U') return { prefix, elem: tUInt, bits: 32 };
  if (prefix === 'u') return { prefix, elem: tUShort, bits: 16 };
  return { prefix, elem: tChar, bits: 8 };
}

/** A character constant's value: int for plain and L, the unit for u and U; multi-character as gcc packs it. */
export function charValue(u: Unit, n: SyntaxNode): { value: bigint; type: IntType } {
  const t = n.text;
  const k = literalKind(t);
  const q = t.indexOf("'");
  if (q < 0 || !t.endsWith("'")) u.unsupported(n, 'character literal');
  const units = decodeUnits(t.slice(q + 1, -1), k.bits);
  if (units.length === 0) u.error(n, 'empty character constant');
  if (k.bits !== 8) {
    const v = BigInt(units[units.length - 1]);
    return k.prefix === 'L' ? { value: BigInt.asIntN(32, v), type: tInt } : { value: v, type: k.prefix === 'u' ? tUShort : tUInt };
  }
  if (units.length === 1) return { value: BigInt(units[0] >= 128 ? units[0] - 256 : units[0]), type: tInt };
  // 'ab': gcc packs the bytes, the last one lowest, into an int.
  let v = 0n;
  for (const b of units) v = BigInt.asUintN(32, (v << 8n) | BigInt(b));
  return { value: BigInt.asIntN(32, v), type: tInt };
}

/** A string literal or concatenation: its code units and their type (char, wchar_t, ...). */
export interface StringLit { units: number[]; elem: IntType }

export function stringLit(u: Unit, n: SyntaxNode): StringLit {
  const parts = n.type === 'concatenated_string' ? n.namedChildren.filter((c) => c.type === 'string_literal') : [n];
  // A wide piece makes the whole concatenation wide.
  let kind = literalKind('');
  for (const p of parts) { const k = literalKind(p.text); if (k.bits !== 8) kind = k; }
  const units: number[] = [];
  for (const p of parts) {
    const t = p.text;
    const q = t.indexOf('"');
    if (q < 0 || !t.endsWith('"')) u.unsupported(p, 'string literal');
    for (const x of decodeUnits(t.slice(q + 1, -1), kind.bits)) units.push(x);
  }
  return { units, elem: kind.elem };
}

/** Bytes of a narrow string literal (without the final NUL); wide ones are an error here. */
export function stringBytes(u: Unit, n: SyntaxNode): Uint8Array {
  const s = stringLit(u, n);
  if (s.elem.size !== 1) u.unsupported(n, 'wide string literal here');
  return Uint8Array.from(s.units);
}

/** The symbol of a string literal's array (interned per unit), NUL included. */
export function stringSymbol(u: Unit, s: StringLit): string {
  const size = s.elem.size;
  const bytes = new Uint8Array((s.units.length + 1) * size);
  s.units.forEach((x, i) => { for (let k = 0; k < size; k++) bytes[i * size + k] = (x >>> (8 * k)) & 0xff; });
  return u.stringLiteral(bytes.subarray(0, bytes.length - size), size);
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
  return v.type.kind === 'int' ? wrap(v.value, v.type) : v.value;
}

/** Evaluates a constant expression; undefined when it is not constant. */
export function evalConst(u: Unit, n: SyntaxNode): ConstVal | undefined {
  u.enter(n);
  const v = constOf(u, n);
  u.leave();
  return v;
}

function constOf(u: Unit, n: SyntaxNode): ConstVal | undefined {
  switch (n.type) {
    case 'number_literal': { const p = parseNumber(u, n); return { value: wrap(p.value, p.type), type: p.type }; }
    case 'char_literal': return charValue(u, n);
    case 'true': return { value: 1n, type: tInt };
    case 'false': case 'null': return { value: 0n, type: tInt };
    case 'parenthesized_expression':
      return isConstTreeOp(u, n) ? constTree(u, n) : evalConst(u, n.namedChildren[0]);
    case 'identifier': {
      const s = u.lookup(n.text);
      if (s?.kind === 'enumconst') return { value: s.value, type: s.type };
      if (s?.kind === 'global' || s?.kind === 'func') {
        if (s.type.kind === 'array' || s.type.kind === 'func') return { value: 0n, sym: s.name, type: decay(s.type) };
      }
      return undefined;
    }
    case 'string_literal': case 'concatenated_string': {
      const lit = stringLit(u, n);
      return { value: 0n, sym: stringSymbol(u, lit), type: { kind: 'ptr', to: lit.elem } };
    }
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
    case 'compound_literal_expression': return literalConst(u, n);
    case 'cast_expression': {
      if (n.childForFieldName('value')!.type === 'initializer_list') return literalConst(u, n);
      const t = typeDescriptor(u, n.childForFieldName('type')!);
      const v = evalConst(u, n.childForFieldName('value')!);
      if (!v) return undefined;
      if (v.sym !== undefined) return t.kind === 'ptr' || (t.kind === 'int' && t.size === 4) ? { ...v, type: t } : undefined;
      return { value: wrap(v.value, t), type: t };
    }
    case 'unary_expression': return isConstTreeOp(u, n) ? constTree(u, n) : undefined;
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
    case 'binary_expression': return isConstTreeOp(u, n) ? constTree(u, n) : binaryConst(u, n);
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

function unaryValue(op: string, v: ConstVal): ConstVal | undefined {
  if (v.sym !== undefined) return undefined;
  const t = isInteger(v.type) ? usualArith(v.type, tInt) : tUInt;
  if (op === '-') return { value: wrap(-v.value, t), type: t };
  if (op === '+') return { value: v.value, type: t };
  if (op === '~') return { value: wrap(~v.value, t), type: t };
  if (op === '!') return { value: v.value === 0n ? 1n : 0n, type: tInt };
  return undefined;
}

/*
 * Operator trees (+ - * / ... and unary - + ~ !, parentheses) are evaluated from a
 * work list, as in optree.ts, so deep chains in array sizes and static initializers
 * cost no host stack. `&&`, `||` (which must not evaluate a side they skip) and
 * casts read as `(T)-x` are leaves.
 */
function isConstTreeOp(u: Unit, n: SyntaxNode): boolean {
  switch (n.type) {
    case 'parenthesized_expression': return n.namedChildren.length === 1 && n.namedChildren[0].type !== 'compound_statement';
    case 'unary_expression': return ['-', '+', '~', '!'].includes(n.childForFieldName('operator')!.text);
    case 'binary_expression': {
      const op = n.childForFieldName('operator')!.text;
      return op !== '&&' && op !== '||' && !(parenTypedef(u, n.childForFieldName('left')) && (op === '-' || op === '+' || op === '&'));
    }
    default: return false;
  }
}

function constTree(u: Unit, root: SyntaxNode): ConstVal | undefined {
  const work: (SyntaxNode | { apply: SyntaxNode })[] = [root];
  const vals: (ConstVal | undefined)[] = [];
  while (work.length > 0) {
    const w = work.pop()!;
    if ('apply' in w) {
      const op = w.apply.childForFieldName('operator')!.text;
      if (w.apply.type === 'unary_expression') { const v = vals.pop(); vals.push(v && unaryValue(op, v)); continue; }
      const b = vals.pop(); const a = vals.pop();
      vals.push(a && b ? binaryValues(u, w.apply, op, a, b) : undefined);
      continue;
    }
    if (w !== root && !isConstTreeOp(u, w)) { vals.push(evalConst(u, w)); continue; }
    if (w.type === 'parenthesized_expression') { work.push(w.namedChildren[0]); continue; }
    work.push({ apply: w });
    if (w.type === 'unary_expression') work.push(w.childForFieldName('argument')!);
    else work.push(w.childForFieldName('right')!, w.childForFieldName('left')!);
  }
  return vals[0];
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
  return binaryValues(u, n, op, a, b);
}

/** `a op b` on constants (n names the expression for errors). */
function binaryValues(u: Unit, n: SyntaxNode, op: string, a: ConstVal, b: ConstVal): ConstVal | undefined {
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
    case 'compound_literal_expression': case 'cast_expression': {
      if (n.childForFieldName('value')?.type !== 'initializer_list') return undefined;
      const lit = literalObject(u, n);
      return { value: 0n, sym: lit.sym, type: { kind: 'ptr', to: lit.type } };
    }
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

/** A compound literal's value as a constant: an array's address, or a scalar's value. */
function literalConst(u: Unit, n: SyntaxNode): ConstVal | undefined {
  const t = typeDescriptor(u, n.childForFieldName('type')!);
  if (t.kind === 'array') { const lit = literalObject(u, n); return { value: 0n, sym: lit.sym, type: decay(lit.type) }; }
  if (t.kind === 'struct') return undefined;
  let x = n.childForFieldName('value')!;
  while (x.type === 'initializer_list') { const first = x.namedChildren.find((c) => c.type !== 'comment'); if (!first) return { value: 0n, type: t }; x = first; }
  return castConst(t, evalConst(u, x));
}

/**
 * A compound literal in a static initializer (`&(struct s){ 1, 2 }`, `(int[]){ 1, 2 }`)
 * is an object of static storage, as gcc makes it at file scope: emitted once per
 * literal as module data.
 */
function literalObject(u: Unit, n: SyntaxNode): { sym: string; type: CType } {
  const cached = u.literals.get(n.id);
  if (cached) return cached;
  let t = typeDescriptor(u, n.childForFieldName('type')!);
  const list = n.childForFieldName('value')!;
  if (t.kind === 'array' && t.len === undefined) t = { ...t, len: arrayLenFromInit(u, t, list) };
  const sym = u.uniqueName('literal');
  u.mb.data(sym, dataItems(u, t, list), { align: Math.max(alignOf(t), 4) });
  const lit = { sym, type: t };
  u.literals.set(n.id, lit);
  return lit;
}
