/*
 * The condition flags of the GAS front end, computed lazily (the scheme is at the top
 * of lower.ts): each flag-setting instruction leaves a symbolic record (Flags) in the
 * emitter's state, and a reader asks for one bit (flagBit) or one condition
 * (condition), emitted from that record. At a label the bits read there travel in
 * the fixed temps %fl.zf %fl.sf %fl.cf %fl.of, which every edge fills first
 * (materializeFlags, with the bits edgeNeeds names).
 *
 * Invariant: a bit the record does not model is a CompileError naming the
 * instruction, never a guess.
 */
import { konst, temp, type Operand } from '../../ir/index.js';
import type { AsmEmitter } from './emitter.js';
import type { Bit, CC, Size } from './isa.js';
import type { AsmLowering } from './lower.js';

export type Flags =
  | { kind: 'unknown'; why: string }
  /** r = a - b; carry=false for inc/dec (CF untouched). */
  | { kind: 'sub'; op: string; size: Size; a: Operand; b: Operand; r?: Operand; carry: boolean }
  | { kind: 'add'; op: string; size: Size; a: Operand; b: Operand; r: Operand }
  | { kind: 'logic'; op: string; size: Size; r: Operand }
  /** Only ZF and SF are known. */
  | { kind: 'result'; op: string; size: Size; r: Operand }
  /** Only ZF is known: z is 1 when ZF is set. */
  | { kind: 'zf'; op: string; z: Operand }
  /** Flag bits (0/1) materialized in the function's fixed temps %fl.zf, %fl.cf, ... (at labels). */
  | { kind: 'bits'; op: string; bits: Partial<Record<Bit, Operand>> };

/** A record whose bits are read from the %fl.* temps. */
export function flagTemps(op: string, need: Iterable<Bit>): Flags {
  return { kind: 'bits', op, bits: Object.fromEntries([...need].map((b) => [b, temp(`fl.${b}`)])) };
}

/** One flag bit (0/1) from the current record; a CompileError naming `mn` when it is not modelled. */
export function flagBit(e: AsmEmitter, bit: Bit, mn: string): Operand {
  const f = e.s.flags;
  const bad = (why: string): never => e.err(`${mn}: ${why}`);
  if (f.kind === 'unknown') return bad(`the condition flags are not known here (${f.why}); set them with cmp/test before`);
  if (f.kind === 'bits') return f.bits[bit] ?? bad(`${bit.toUpperCase()} is not known at this point (${f.op})`);
  if (f.kind === 'zf') return bit === 'zf' ? f.z : bad(`after ${f.op} only ZF is known`);
  const size = f.size;
  const bits = size * 8;
  const signBit = (x: Operand): Operand => (size === 4 ? e.cmp('slt', x, konst(0)) : e.bin('shr', x, konst(bits - 1)));
  const r = f.kind === 'sub' ? (f.r ??= e.mask(e.bin('sub', f.a, f.b), size)) : f.r;
  switch (bit) {
    case 'zf':
      return f.kind === 'sub' ? e.cmp('eq', f.a, f.b) : e.cmp('eq', r, konst(0));
    case 'sf':
      return signBit(r);
    case 'cf':
      if (f.kind === 'logic') return konst(0);
      if (f.kind === 'add') return e.cmp('ult', r, f.a);
      if (f.kind === 'sub') return f.carry ? e.cmp('ult', f.a, f.b) : bad(`${f.op} leaves the carry flag unchanged; it is not modelled`);
      return bad(`after ${f.op} the carry flag is not modelled`);
    case 'of': {
      if (f.kind === 'logic') return konst(0);
      const top = (x: Operand): Operand => e.bin('and', e.bin('shr', x, konst(bits - 1)), konst(1));
      if (f.kind === 'add') return top(e.bin('and', e.bin('xor', f.a, r), e.bin('xor', f.b, r)));
      if (f.kind === 'sub') return top(e.bin('and', e.bin('xor', f.a, f.b), e.bin('xor', f.a, r)));
      return bad(`after ${f.op} the overflow flag is not modelled`);
    }
  }
}

/** The value (0/1) of condition cc under the current flags. */
export function condition(e: AsmEmitter, cc: CC, mn: string): Operand {
  const f = e.s.flags;
  if (cc === 'p' || cc === 'np') return e.err(`${mn}: the parity flag is not modelled`);
  if (f.kind === 'unknown') return flagBit(e, 'zf', mn);
  const not = (x: Operand): Operand => e.bin('xor', x, konst(1));
  if (f.kind === 'sub') {
    // A direct comparison of the operands reads best.
    const { a, b, size } = f;
    const unsigned = cc === 'b' || cc === 'ae' || cc === 'be' || cc === 'a';
    if (unsigned && !f.carry) return e.err(`${mn}: ${f.op} leaves the carry flag unchanged; it is not modelled`);
    const sx = (x: Operand): Operand => e.sext(x, size);
    switch (cc) {
      case 'e': return e.cmp('eq', a, b);
      case 'ne': return e.cmp('ne', a, b);
      case 'b': return e.cmp('ult', a, b);
      case 'ae': return e.cmp('uge', a, b);
      case 'be': return e.cmp('ule', a, b);
      case 'a': return e.cmp('ugt', a, b);
      case 'l': return e.cmp('slt', sx(a), sx(b));
      case 'ge': return e.cmp('sge', sx(a), sx(b));
      case 'le': return e.cmp('sle', sx(a), sx(b));
      case 'g': return e.cmp('sgt', sx(a), sx(b));
      default:
        break;
    }
  }
  if ((f.kind === 'add' || f.kind === 'logic' || f.kind === 'result') && cc === 'ne') return e.cmp('ne', f.r, konst(0));
  const bit = (b: Bit): Operand => flagBit(e, b, mn);
  switch (cc) {
    case 'e': return bit('zf');
    case 'ne': return not(bit('zf'));
    case 's': return bit('sf');
    case 'ns': return not(bit('sf'));
    case 'b': return bit('cf');
    case 'ae': return not(bit('cf'));
    case 'be': return e.bin('or', bit('cf'), bit('zf'));
    case 'a': return not(e.bin('or', bit('cf'), bit('zf')));
    case 'o': return bit('of');
    case 'no': return not(bit('of'));
    case 'l': return e.bin('xor', bit('sf'), bit('of'));
    case 'ge': return not(e.bin('xor', bit('sf'), bit('of')));
    case 'le': return e.bin('or', e.bin('xor', bit('sf'), bit('of')), bit('zf'));
    case 'g': return not(e.bin('or', e.bin('xor', bit('sf'), bit('of')), bit('zf')));
  }
  return e.err(`${mn}: unsupported condition`);
}

/** Before an edge into label block idx: store the flag bits it reads into %fl.* (see computeFlagNeeds). */
export function materializeFlags(e: AsmEmitter, need: Iterable<Bit>, why: string): void {
  for (const b of need) {
    const v = flagBit(e, b, why);
    if (v.kind === 'temp' && v.name === `fl.${b}`) continue;
    e.fb.copy('w', v, `fl.${b}`);
  }
}

/** The flag bits read at the labelled blocks among idxs (the targets of one edge or branch). */
export function edgeNeeds(L: AsmLowering, ...idxs: number[]): Set<Bit> {
  const need = new Set<Bit>();
  for (const i of idxs) if (L.labelsAt.has(i)) for (const b of L.needIn[i] ?? []) need.add(b);
  return need;
}
