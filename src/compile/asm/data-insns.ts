/*
 * The general instructions of the GAS subset: moves (including to and from control,
 * debug and segment registers), arithmetic and logic with their flag records, shifts
 * and rotates, multiply and divide, sign extensions, the stack (push/pop/pusha/popa/
 * enter/leave), bit scans, setcc and cmovcc. None of them ends a block.
 *
 * Each sets the emitter's flags record exactly as far as the instruction defines the
 * flags and the record can model them (see flags.ts); the rest is `unknown` with a
 * reason that a later reader's CompileError quotes.
 */
import { konst, type IntrinsicName, type Operand } from '../../ir/index.js';
import { handle, type AsmEmitter, type InsnHandler } from './emitter.js';
import { condition } from './flags.js';
import type { Size } from './isa.js';
import { REG32, type AsmOperand, type Reg32 } from './ast.js';

function mov(e: AsmEmitter, src: AsmOperand, dst: AsmOperand, suffix?: Size): void {
  if (src.kind === 'reg' && (src.class === 'cr' || src.class === 'dr')) {
    if (dst.kind !== 'reg' || dst.class !== 'gpr' || dst.size !== 4) e.err(`mov from %${src.name} needs a 32-bit register destination`);
    let v: Operand;
    if (src.class === 'cr') {
      if (![0, 2, 3, 4].includes(src.n)) e.err(`%${src.name} is not supported`);
      v = e.intr(`rcr${src.n}` as IntrinsicName, [])!;
    } else v = e.intr('rddr', [konst(src.n)])!;
    e.write(e.place(dst, 4, 'destination'), 4, v);
    return;
  }
  if (dst.kind === 'reg' && (dst.class === 'cr' || dst.class === 'dr')) {
    if (src.kind !== 'reg' || src.class !== 'gpr' || src.size !== 4) e.err(`mov to %${dst.name} needs a 32-bit register source`);
    const v = e.rd((src as { base: Reg32 }).base);
    if (dst.class === 'cr') {
      if (![0, 3, 4].includes(dst.n)) e.err(`mov to %${dst.name} has no IR intrinsic`);
      e.intr(`lcr${dst.n}` as IntrinsicName, [v]);
    } else e.intr('lddr', [konst(dst.n), v]);
    return;
  }
  if (dst.kind === 'reg' && dst.class === 'seg') {
    const size: Size = src.kind === 'reg' && src.class === 'gpr' ? src.size : 2;
    if (size === 1) e.err('a segment register takes a 16-bit value');
    const v = e.readOp(src, size);
    e.fb.wrreg(dst.seg, size === 2 ? v : e.mask(v, 2));
    return;
  }
  if (src.kind === 'reg' && src.class === 'seg') {
    const v = e.fb.rdreg(src.seg);
    const size: Size = dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : 2;
    if (size === 1) e.err('a segment register is 16-bit');
    e.write(e.place(dst, size, 'destination'), size, e.mask(v, size));
    return;
  }
  const size = suffix ?? (dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : src.kind === 'reg' && src.class === 'gpr' ? src.size : undefined);
  if (!size) e.err('mov: operand size is ambiguous; add a b/w/l suffix');
  const v = e.readOp(src, size, 'source');
  e.write(e.place(dst, size, 'destination'), size, v);
}

function arith(e: AsmEmitter, op: string, src: AsmOperand, dst: AsmOperand, size: Size): void {
  const mn0 = `${op}${{ 1: 'b', 2: 'w', 4: 'l' }[size]}`;
  if ((op === 'xor' || op === 'sub') && src.kind === 'reg' && dst.kind === 'reg' && src.name === dst.name && src.class === 'gpr') {
    // xorl %eax,%eax: zero without reading the register.
    e.write(e.place(dst, size, 'destination'), size, konst(0));
    e.s.flags = op === 'xor' ? { kind: 'logic', op: mn0, size, r: konst(0) } : { kind: 'sub', op: mn0, size, a: konst(0), b: konst(0), r: konst(0), carry: true };
    return;
  }
  const p = e.place(dst, size, 'destination');
  const a = e.read(p, size);
  const b = e.readOp(src, size, 'source');
  const mn = `${op}${{ 1: 'b', 2: 'w', 4: 'l' }[size]}`;
  let r: Operand;
  switch (op) {
    case 'add':
      r = e.mask(e.bin('add', a, b), size);
      e.s.flags = { kind: 'add', op: mn, size, a, b, r };
      break;
    case 'sub':
      r = e.mask(e.bin('sub', a, b), size);
      e.s.flags = { kind: 'sub', op: mn, size, a, b, r, carry: true };
      break;
    case 'cmp':
      r = konst(0);
      e.s.flags = { kind: 'sub', op: mn, size, a, b, carry: true };
      break;
    case 'and':
    case 'or':
    case 'xor':
    case 'test':
      r = e.bin(op === 'test' ? 'and' : (op as 'and' | 'or' | 'xor'), a, b);
      e.s.flags = { kind: 'logic', op: mn, size, r };
      break;
    case 'adc':
    case 'sbb': {
      const cf = condition(e, 'b', mn);
      r = e.mask(e.bin(op === 'adc' ? 'add' : 'sub', e.bin(op === 'adc' ? 'add' : 'sub', a, b), cf), size);
      e.s.flags = { kind: 'unknown', why: `after ${mn} (not modelled)` };
      break;
    }
    default:
      return e.err(`unknown operation ${op}`);
  }
  if (op !== 'cmp' && op !== 'test') e.write(p, size, r);
}

function muldiv(e: AsmEmitter, base: string, ops: AsmOperand[], suffix: Size | undefined, mn: string): void {
  if (base === 'imul' && ops.length >= 2) {
    const dst = ops[ops.length - 1];
    const size = suffix ?? (dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : 4);
    if (size === 1) e.err('imul of bytes with two operands does not exist');
    const a = e.readOp(ops.length === 3 ? ops[1] : dst, size);
    const b = e.readOp(ops[0], size);
    e.write(e.place(dst, size, 'destination'), size, e.mask(e.bin('mul', a, b), size));
    e.s.flags = { kind: 'unknown', why: `after ${mn} (CF/OF not modelled)` };
    return;
  }
  if (ops.length !== 1) e.err(`${mn} takes one operand here`);
  const size = suffix ?? (ops[0].kind === 'reg' && ops[0].class === 'gpr' ? ops[0].size : e.err(`${mn}: operand size is ambiguous`));
  if (size !== 4) e.err(`${mn}: only the 32-bit form (edx:eax) is supported`);
  const src = e.readOp(ops[0], 4);
  const signed = base === 'imul' || base === 'idiv';
  const ext = (v: Operand): Operand => e.fb.unary(signed ? 'extsw' : 'extuw', 'l', v);
  if (base === 'mul' || base === 'imul') {
    const p = e.fb.binary('mul', 'l', ext(e.rd('eax')), ext(src));
    e.wr('eax', e.fb.unary('trunc', 'w', p));
    e.wr('edx', e.fb.unary('trunc', 'w', e.fb.binary('shr', 'l', p, konst(32))));
  } else {
    const hi = e.fb.binary('shl', 'l', e.fb.unary('extuw', 'l', e.rd('edx')), konst(32));
    const n = e.fb.binary('or', 'l', hi, e.fb.unary('extuw', 'l', e.rd('eax')));
    const dv = ext(src);
    const q = e.fb.binary(signed ? 'div' : 'udiv', 'l', n, dv);
    const r = e.fb.binary(signed ? 'rem' : 'urem', 'l', n, dv);
    e.wr('eax', e.fb.unary('trunc', 'w', q));
    e.wr('edx', e.fb.unary('trunc', 'w', r));
  }
  e.s.flags = { kind: 'unknown', why: `after ${mn} (not modelled)` };
}

export const DATA_INSNS: [string, InsnHandler][] = [
  ...handle(['nop'], () => {}),
  ...handle(['mov'], (e: AsmEmitter, { d, ops, nops }) => {
    nops(2);
    mov(e, ops[0], ops[1], d.size);
  }),
  ...handle(['movzx', 'movsx', 'movzbl', 'movzbw', 'movzwl', 'movsbl', 'movsbw', 'movswl', 'movzb', 'movzw'], (e: AsmEmitter, { mn, ops, nops }) => {
    nops(2);
    const signed = mn.startsWith('movs');
    const m = /^mov[sz]([bwx])([wl]?)$/.exec(mn)!;
    const dst = ops[1];
    const dsize: Size = m[2] === 'w' ? 2 : m[2] === 'l' ? 4 : dst.kind === 'reg' && dst.class === 'gpr' ? dst.size : e.err(`${mn}: destination size unknown`);
    let ssize: Size;
    if (m[1] === 'b') ssize = 1;
    else if (m[1] === 'w') ssize = 2;
    else if (ops[0].kind === 'reg' && ops[0].class === 'gpr') ssize = ops[0].size;
    else return e.err(`${mn}: source size is ambiguous; use movzbl/movzwl/movsbl/movswl`);
    const v = e.readOp(ops[0], ssize, 'source');
    e.write(e.place(dst, dsize, 'destination'), dsize, e.mask(signed ? e.sext(v, ssize) : v, dsize));
  }),
  ...handle(['lea'], (e: AsmEmitter, { ops, nops, sizeOf }) => {
    nops(2);
    const src = ops[0];
    if (src.kind !== 'mem' && src.kind !== 'expr') e.err('lea needs a memory operand');
    const a = src.kind === 'mem' ? e.addrOf(src) : e.val(e.ev(src.expr));
    const size = sizeOf(ops[1]);
    e.write(e.place(ops[1], size, 'destination'), size, e.mask(a, size));
  }),
  ...handle(['add', 'sub', 'and', 'or', 'xor', 'adc', 'sbb', 'cmp', 'test'], (e: AsmEmitter, { d, ops, nops, sizeOf }) => {
    nops(2);
    arith(e, d.base, ops[0], ops[1], sizeOf(ops[1], ops[0]));
  }),
  ...handle(['not', 'neg', 'inc', 'dec'], (e: AsmEmitter, { mn, d, ops, nops, sizeOf }) => {
    nops(1);
    const size = sizeOf(ops[0]);
    const p = e.place(ops[0], size, 'operand');
    const a = e.read(p, size);
    let r: Operand;
    if (d.base === 'not') r = e.mask(e.fb.unary('not', 'w', a), size);
    else if (d.base === 'neg') {
      r = e.mask(e.bin('sub', konst(0), a), size);
      e.s.flags = { kind: 'sub', op: mn, size, a: konst(0), b: a, r, carry: true };
    } else {
      r = e.mask(e.bin(d.base === 'inc' ? 'add' : 'sub', a, konst(1)), size);
      e.s.flags = { kind: 'sub', op: mn, size, a, b: d.base === 'inc' ? konst(BigInt.asUintN(size * 8, -1n)) : konst(1), r, carry: false };
    }
    e.write(p, size, r);
  }),
  ...handle(['shl', 'shr', 'sar', 'rol', 'ror'], (e: AsmEmitter, { mn, d, ops, nops, sizeOf }) => {
    nops(1, 2);
    const dst = ops[ops.length - 1];
    const size = sizeOf(dst);
    let count: Operand;
    let constCount: number | undefined;
    if (ops.length === 1) (count = konst(1)), (constCount = 1);
    else if (ops[0].kind === 'imm') {
      constCount = Number(BigInt.asUintN(32, e.ev(ops[0].expr).off) & 31n);
      count = konst(constCount);
    } else if (ops[0].kind === 'reg' && ops[0].name === 'cl') count = e.bin('and', e.rd('ecx'), konst(31));
    else return e.err(`${mn}: the count must be an immediate or %cl`);
    const p = e.place(dst, size, 'operand');
    const a = e.read(p, size);
    let r: Operand;
    if (d.base === 'rol' || d.base === 'ror') {
      // 8/16-bit rotates turn by the count modulo the width.
      const bits = size * 8;
      const n = size === 4 ? count : count.kind === 'const' ? konst(count.value % BigInt(bits)) : e.bin('urem', count, konst(bits));
      const back = e.bin('sub', konst(bits), n);
      r = e.mask(
        d.base === 'rol'
          ? e.bin('or', e.bin('shl', a, n), e.bin('shr', a, back))
          : e.bin('or', e.bin('shr', a, n), e.bin('shl', a, back)),
        size,
      );
      e.s.flags = { kind: 'unknown', why: `after ${mn} (only CF/OF change; not modelled)` };
    } else {
      r = e.mask(e.bin(d.base as 'shl' | 'shr' | 'sar', d.base === 'sar' ? e.sext(a, size) : a, count), size);
      if (constCount === 0) {
        // flags unchanged
      } else if (constCount !== undefined) e.s.flags = { kind: 'result', op: mn, size, r };
      else e.s.flags = { kind: 'unknown', why: `after ${mn} by %cl (flags unchanged when the count is 0)` };
    }
    e.write(p, size, r);
  }),
  ...handle(['imul', 'mul', 'div', 'idiv'], (e: AsmEmitter, { mn, d, ops }) => {
    muldiv(e, d.base, ops, d.size, mn);
  }),
  ...handle(['xchg'], (e: AsmEmitter, { ops, nops, sizeOf }) => {
    nops(2);
    const size = sizeOf(ops[0], ops[1]);
    const p0 = e.place(ops[0], size, 'operand');
    const p1 = e.place(ops[1], size, 'operand');
    const a = e.read(p0, size);
    const b = e.read(p1, size);
    e.write(p0, size, b);
    e.write(p1, size, a);
  }),
  ...handle(['push'], (e: AsmEmitter, { d, ops, idx, nops }) => {
    nops(1);
    const o = ops[0];
    if (o.kind === 'reg' && o.class === 'seg') {
      e.push(e.fb.rdreg(o.seg), d.size === 2 ? 2 : 4);
      return;
    }
    const size = d.size ?? (o.kind === 'reg' && o.class === 'gpr' ? o.size : 4);
    if (size === 1) e.err('push of a byte is not supported');
    // The code address a following ret/lret jumps to: only its slot matters (IR code has no block addresses).
    const v = e.L.returnPushes.has(idx) ? konst(0) : e.readOp(o, size);
    e.push(v, size);
  }),
  ...handle(['pop'], (e: AsmEmitter, { d, ops, nops }) => {
    nops(1);
    const o = ops[0];
    const size = d.size ?? (o.kind === 'reg' && o.class === 'gpr' ? o.size : 4);
    if (size === 1) e.err('pop of a byte is not supported');
    const v = e.pop(size);
    if (o.kind === 'reg' && o.class === 'seg') {
      e.fb.wrreg(o.seg, e.mask(v, 2));
      return;
    }
    e.write(e.place(o, size, 'destination'), size, v);
  }),
  ...handle(['pushal', 'pusha'], (e: AsmEmitter, { nops }) => {
    nops(0);
    const sp = e.rd('esp');
    for (const r of REG32) e.push(r === 'esp' ? sp : e.rd(r));
  }),
  ...handle(['popal', 'popa'], (e: AsmEmitter, { nops }) => {
    nops(0);
    for (const r of [...REG32].reverse()) {
      const v = e.pop();
      if (r !== 'esp') e.wr(r, v);
    }
  }),
  ...handle(['leave', 'leavel'], (e: AsmEmitter, { nops }) => {
    nops(0);
    e.wr('esp', e.rd('ebp'));
    e.wr('ebp', e.pop());
  }),
  ...handle(['enter'], (e: AsmEmitter, { ops, nops }) => {
    nops(2);
    if (ops[1].kind !== 'imm' || e.ev(ops[1].expr).off !== 0n) e.err('enter with a nesting level is not supported');
    e.push(e.rd('ebp'));
    const sp = e.rd('esp');
    e.wr('ebp', sp);
    e.wr('esp', e.bin('sub', sp, e.readOp(ops[0], 4)));
  }),
  ...handle(['cltd', 'cdq'], (e: AsmEmitter) => {
    e.wr('edx', e.bin('sar', e.rd('eax'), konst(31)));
  }),
  ...handle(['cwtl', 'cwde'], (e: AsmEmitter) => {
    e.wr('eax', e.sext(e.mask(e.rd('eax'), 2), 2));
  }),
  ...handle(['cbtw', 'cbw'], (e: AsmEmitter) => {
    e.write({ kind: 'gpr', reg: { kind: 'reg', class: 'gpr', name: 'ax', base: 'eax', size: 2, high: false } }, 2, e.mask(e.sext(e.mask(e.rd('eax'), 1), 1), 2));
  }),
  ...handle(['bsf', 'bsr'], (e: AsmEmitter, { mn, d, ops, nops, sizeOf }) => {
    nops(2);
    const size = sizeOf(ops[1]);
    if (size !== 4) e.err(`${mn}: only 32-bit operands are supported`);
    const v = e.readOp(ops[0], 4);
    const r = e.intr(d.base as IntrinsicName, [v])!;
    e.write(e.place(ops[1], 4, 'destination'), 4, r);
    e.s.flags = { kind: 'zf', op: mn, z: e.cmp('eq', v, konst(0)) };
  }),
  ...handle(['bswap', 'bswapl'], (e: AsmEmitter, { ops, nops }) => {
    nops(1);
    const p = e.place(ops[0], 4, 'operand');
    e.write(p, 4, e.intr('bswap', [e.read(p, 4)])!);
  }),
  ...handle(['setcc'], (e: AsmEmitter, { mn, d, ops, nops }) => {
    nops(1);
    const c = condition(e, d.cc!, mn);
    e.write(e.place(ops[0], 1, 'destination'), 1, c);
  }),
  ...handle(['cmovcc'], (e: AsmEmitter, { mn, d, ops, nops, sizeOf }) => {
    nops(2);
    const size = sizeOf(ops[1], ops[0]);
    const c = condition(e, d.cc!, mn);
    const src = e.readOp(ops[0], size);
    const p = e.place(ops[1], size, 'destination');
    if (p.kind !== 'gpr') e.err(`${mn}: the destination must be a register`);
    const old = e.read(p, size);
    const m = e.bin('sub', konst(0), c);
    e.write(p, size, e.bin('or', e.bin('and', src, m), e.bin('and', old, e.fb.unary('not', 'w', m))));
  }),
];
