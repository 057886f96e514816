/*
 * Literals: integer constants (their C type from value, base and suffix), character
 * constants (plain, wide L/u/U, multi-character as gcc packs them) and string
 * literals (narrow, wide, concatenated) with C's escapes, decoded to code units.
 */
import type { SyntaxNode } from 'tree-sitter';
import { tChar, tInt, tLLong, tLong, tUInt, tULLong, tULong, tUShort, wrap, type IntType } from './ctype.js';
import type { Unit } from './unit.js';

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
