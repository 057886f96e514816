/*
 * Value-level helpers for lowering: loads and stores by C type (sub-word values are
 * kept sign- or zero-extended to 32 bits in temporaries, so a `w` holding a char is
 * always its C value), conversions between integer types and pointers, bit-field
 * access, block copies, and arithmetic with constant folding.
 *
 * Struct and array values are represented by their address.
 */
import type { BinaryOp, CompareCond, IRType, Operand } from '../ir/index.js';
import { konst } from '../ir/index.js';
import { sizeOf, type CType, type Member } from './ctype.js';
import type { Unit } from './unit.js';

export interface Val { op: Operand; type: CType }
export type LVal =
  | { kind: 'mem'; addr: Operand; type: CType; bf?: Member }
  | { kind: 'reg'; temp: string; type: CType };

export const irt = (t: CType): IRType => (t.kind === 'int' && t.size === 8 ? 'l' : 'w');

const isConst = (o: Operand): o is { kind: 'const'; value: bigint } => o.kind === 'const';

function fold(op: BinaryOp, t: IRType, a: bigint, b: bigint): bigint | undefined {
  const bits = t === 'l' ? 64 : 32;
  const u = (x: bigint): bigint => BigInt.asUintN(bits, x);
  const s = (x: bigint): bigint => BigInt.asIntN(bits, x);
  switch (op) {
    case 'add': return u(a + b);
    case 'sub': return u(a - b);
    case 'mul': return u(a * b);
    case 'and': return u(a & b);
    case 'or': return u(a | b);
    case 'xor': return u(a ^ b);
    case 'shl': return u(u(a) << (b & BigInt(bits - 1)));
    case 'shr': return u(a) >> (b & BigInt(bits - 1));
    case 'sar': return u(s(a) >> (b & BigInt(bits - 1)));
    case 'div': return s(b) === 0n ? undefined : u(s(a) / s(b));
    case 'rem': return s(b) === 0n ? undefined : u(s(a) % s(b));
    case 'udiv': return u(b) === 0n ? undefined : u(a) / u(b);
    case 'urem': return u(b) === 0n ? undefined : u(a) % u(b);
  }
}

/** `a op b` with folding of constants and of adding zero. */
export function bin(u: Unit, op: BinaryOp, t: IRType, a: Operand, b: Operand): Operand {
  if (isConst(a) && isConst(b)) {
    const v = fold(op, t, a.value, b.value);
    if (v !== undefined) return konst(v);
  }
  if ((op === 'add' || op === 'sub' || op === 'or' || op === 'shl' || op === 'shr' || op === 'sar') && isConst(b) && b.value === 0n) return a;
  if (op === 'add' && isConst(b) && a.kind === 'global') return { kind: 'global', name: a.name, offset: a.offset + Number(BigInt.asIntN(32, b.value)) };
  if (op === 'mul' && isConst(b) && b.value === 1n) return a;
  return u.fb.binary(op, t, a, b);
}

export function cmp(u: Unit, cond: CompareCond, t: IRType, a: Operand, b: Operand): Operand {
  return u.fb.compare(cond, t, a, b);
}

/** Loads a value of type t from addr (aggregates: the address is the value). */
export function loadAt(u: Unit, addr: Operand, t: CType): Operand {
  if (t.kind === 'struct' || t.kind === 'array' || t.kind === 'func') return addr;
  if (t.kind === 'ptr') return u.fb.load('loadw', 'w', addr);
  if (t.kind === 'int') {
    switch (t.size) {
      case 1: return u.fb.load(t.signed ? 'loadsb' : 'loadub', 'w', addr);
      case 2: return u.fb.load(t.signed ? 'loadsh' : 'loaduh', 'w', addr);
      case 4: return u.fb.load('loadw', 'w', addr);
      case 8: return u.fb.load('loadl', 'l', addr);
    }
  }
  return konst(0);
}

export function storeAt(u: Unit, addr: Operand, value: Operand, t: CType): void {
  if (t.kind === 'struct' || t.kind === 'array') { copyMem(u, addr, value, sizeOf(t)); return; }
  const size = t.kind === 'int' ? t.size : 4;
  u.fb.store(size === 1 ? 'storeb' : size === 2 ? 'storeh' : size === 8 ? 'storel' : 'storew', value, addr);
}

export function addr(u: Unit, base: Operand, off: number): Operand {
  return off === 0 ? base : bin(u, 'add', 'w', base, konst(off));
}

/** Copies n bytes from src to dst (both addresses); a loop for large blocks. */
export function copyMem(u: Unit, dst: Operand, src: Operand, n: number): void {
  const fb = u.fb;
  if (n > 64) {
    const words = Math.floor(n / 4);
    const i = fb.freshTemp('i');
    fb.copy('w', konst(0), i);
    const head = fb.freshLabel('copy'); const body = fb.freshLabel('copy'); const done = fb.freshLabel('copy');
    fb.jmp(head); fb.block(head);
    fb.jnz(fb.compare('ult', 'w', { kind: 'temp', name: i }, konst(words * 4)), body, done);
    fb.block(body);
    const v = fb.load('loadw', 'w', fb.binary('add', 'w', src, { kind: 'temp', name: i }));
    fb.store('storew', v, fb.binary('add', 'w', dst, { kind: 'temp', name: i }));
    fb.binary('add', 'w', { kind: 'temp', name: i }, konst(4), i);
    fb.jmp(head); fb.block(done);
    for (let k = words * 4; k < n; k++) fb.store('storeb', fb.load('loadub', 'w', addr(u, src, k)), addr(u, dst, k));
    return;
  }
  let k = 0;
  for (; k + 4 <= n; k += 4) fb.store('storew', fb.load('loadw', 'w', addr(u, src, k)), addr(u, dst, k));
  for (; k + 2 <= n; k += 2) fb.store('storeh', fb.load('loaduh', 'w', addr(u, src, k)), addr(u, dst, k));
  for (; k < n; k++) fb.store('storeb', fb.load('loadub', 'w', addr(u, src, k)), addr(u, dst, k));
}

/** Zeroes n bytes at dst. */
export function zeroMem(u: Unit, dst: Operand, n: number): void {
  const fb = u.fb;
  if (n > 64) {
    const i = fb.freshTemp('i');
    fb.copy('w', konst(0), i);
    const head = fb.freshLabel('zero'); const body = fb.freshLabel('zero'); const done = fb.freshLabel('zero');
    const words = Math.floor(n / 4);
    fb.jmp(head); fb.block(head);
    fb.jnz(fb.compare('ult', 'w', { kind: 'temp', name: i }, konst(words * 4)), body, done);
    fb.block(body);
    fb.store('storew', konst(0), fb.binary('add', 'w', dst, { kind: 'temp', name: i }));
    fb.binary('add', 'w', { kind: 'temp', name: i }, konst(4), i);
    fb.jmp(head); fb.block(done);
    for (let k = words * 4; k < n; k++) fb.store('storeb', konst(0), addr(u, dst, k));
    return;
  }
  let k = 0;
  for (; k + 4 <= n; k += 4) fb.store('storew', konst(0), addr(u, dst, k));
  for (; k < n; k++) fb.store('storeb', konst(0), addr(u, dst, k));
}

const extOp = (t: CType): 'extsb' | 'extub' | 'extsh' | 'extuh' | undefined => {
  if (t.kind !== 'int') return undefined;
  if (t.size === 1) return t.signed && !t.bool ? 'extsb' : 'extub';
  if (t.size === 2) return t.signed ? 'extsh' : 'extuh';
  return undefined;
};

/** Converts an integer or pointer value to type `to` (C conversion rules). */
export function convert(u: Unit, v: Val, to: CType): Val {
  const from = v.type;
  if (to.kind === 'void') return { op: v.op, type: to };
  if (to.kind === 'struct' || from.kind === 'struct' || from.kind === 'void') return { op: v.op, type: to };
  if (from.kind === 'array' || from.kind === 'func') return { op: v.op, type: to };
  if (to.kind === 'array' || to.kind === 'func') return { op: v.op, type: to };
  const fs = from.kind === 'int' ? from.size : 4;
  const fsigned = from.kind === 'int' ? from.signed : false;
  const ts = to.kind === 'int' ? to.size : 4;
  if (to.kind === 'int' && to.bool) {
    if (from.kind === 'int' && from.bool) return { op: v.op, type: to };
    if (isConst(v.op)) return { op: konst(v.op.value !== 0n ? 1 : 0), type: to };
    return { op: cmp(u, 'ne', irt(from), v.op, konst(0)), type: to };
  }
  let op = v.op;
  if (isConst(op)) {
    const bits = ts * 8;
    const signed = to.kind === 'int' && to.signed;
    let val = op.value;
    // Constants below 64 bits are kept as their 32-bit pattern (sub-int ones extended).
    const fbits = fs === 8 ? 64 : 32;
    val = fsigned ? BigInt.asIntN(fbits, val) : BigInt.asUintN(fbits, val);
    val = signed ? BigInt.asIntN(bits, val) : BigInt.asUintN(bits, val);
    if (ts <= 4) val = BigInt.asUintN(32, val);
    else val = BigInt.asUintN(64, val);
    return { op: konst(val), type: to };
  }
  if (fs === 8 && ts < 8) op = u.fb.unary('trunc', 'w', op);
  else if (fs < 8 && ts === 8) return { op: u.fb.unary(fsigned ? 'extsw' : 'extuw', 'l', op), type: to };
  if (ts < 4) {
    const e = extOp(to)!;
    if (fs === 8 || ts < fs || (to.kind === 'int' && to.signed !== fsigned)) op = u.fb.unary(e, 'w', op);
  }
  return { op, type: to };
}

/** Reads a bit-field; the result is the field's value as a `w`. */
export function loadBits(u: Unit, base: Operand, m: Member): Operand {
  const t = m.type;
  const size = m.unitSize ?? (t.kind === 'int' ? t.size : 4);
  const signed = t.kind === 'int' && t.signed && !t.bool;
  const a = addr(u, base, m.offset);
  const w = m.bitWidth!;
  const off = m.bitOffset!;
  let raw: Operand;
  let at = off;
  if (size === 5) {
    // The field's low bits end the word, its high bits begin the byte after it.
    const lo = u.fb.load('loadw', 'w', a);
    const hi = u.fb.load('loadub', 'w', addr(u, base, m.offset + 4));
    raw = bin(u, 'or', 'w', bin(u, 'shr', 'w', lo, konst(off)), bin(u, 'shl', 'w', hi, konst(32 - off)));
    at = 0;
  } else {
    const unitOps = { 1: 'loadub', 2: 'loaduh', 4: 'loadw' } as const;
    raw = u.fb.load(unitOps[size as 1 | 2 | 4], 'w', a);
  }
  if (signed) {
    const up = bin(u, 'shl', 'w', raw, konst(32 - at - w));
    return bin(u, 'sar', 'w', up, konst(32 - w));
  }
  const down = bin(u, 'shr', 'w', raw, konst(at));
  return w >= 32 ? down : bin(u, 'and', 'w', down, konst((1n << BigInt(w)) - 1n));
}

export function storeBits(u: Unit, base: Operand, m: Member, value: Operand): void {
  const t = m.type;
  const size = m.unitSize ?? (t.kind === 'int' ? t.size : 4);
  const a = addr(u, base, m.offset);
  const w = m.bitWidth!;
  const off = m.bitOffset!;
  const unitLoad = { 1: 'loadub', 2: 'loaduh', 4: 'loadw' } as const;
  const unitStore = { 1: 'storeb', 2: 'storeh', 4: 'storew' } as const;
  const put = (at: Operand, unit: 1 | 2 | 4, bits: bigint, v: Operand): void => {
    const old = u.fb.load(unitLoad[unit], 'w', at);
    const kept = bin(u, 'and', 'w', old, konst(BigInt.asUintN(32, ~bits)));
    u.fb.store(unitStore[unit], bin(u, 'or', 'w', kept, bin(u, 'and', 'w', v, konst(bits))), at);
  };
  if (size === 5) {
    put(a, 4, BigInt.asUintN(32, -1n << BigInt(off)), bin(u, 'shl', 'w', value, konst(off)));
    put(addr(u, base, m.offset + 4), 1, (1n << BigInt(off + w - 32)) - 1n, bin(u, 'shr', 'w', value, konst(32 - off)));
    return;
  }
  const mask = ((1n << BigInt(w)) - 1n) << BigInt(off);
  put(a, size as 1 | 2 | 4, mask, bin(u, 'shl', 'w', value, konst(off)));
}

/** The C value of a bit-field after storing v into it (for the assignment's value). */
export function truncBits(u: Unit, m: Member, v: Operand): Operand {
  const w = m.bitWidth!;
  const signed = m.type.kind === 'int' && m.type.signed && !m.type.bool;
  if (w >= 32) return v;
  if (signed) return bin(u, 'sar', 'w', bin(u, 'shl', 'w', v, konst(32 - w)), konst(32 - w));
  return bin(u, 'and', 'w', v, konst((1n << BigInt(w)) - 1n));
}

