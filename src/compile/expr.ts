/*
 * Expression lowering: C expressions to IR values (rvalue), addresses (lvalue) and
 * branches (cond). Arrays and functions decay; struct values are their address.
 * Every node stamps its original file:line on the instructions it emits.
 * tree-sitter-c cannot tell `(T)(x)` or `(T)-1` from a call or a subtraction
 * without knowing typedef names; those shapes are re-read here as casts.
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst, FunctionBuilder, type Operand, type CompareCond } from '../ir/index.js';
import {
  alignOf, decay, findMember, isInteger, promote, ptrTo, sizeOf, tChar, tInt, tUInt, tVoid, usualArith,
  type CType, type IntType, type Member,
} from './ctype.js';
import { parenTypedef, sizeofOfCast } from './const.js';
import { charValue, parseNumber, stringLit, stringSymbol } from './literal.js';
import { typeDescriptor } from './decl.js';
import {
  addr, bin, cmp, convert, irt, loadAt, loadBits, storeAt, storeBits, truncBits, type LVal, type Val,
} from './ops.js';
import { callExpr } from './call.js';
import { evalTree, isTreeOp } from './optree.js';
import { assign, update } from './assign.js';
import { boolValue, conditional } from './cond.js';
import { allocSlot, lowerStmtExpr } from './stmt.js';
import { lowerInitializer } from './init.js';
import type { Unit } from './unit.js';

/** The type of an expression, computed by lowering it into a scratch function. */
export function typeOfExpr(u: Unit, n: SyntaxNode): CType {
  const cached = u.typeCache.get(n.id);
  if (cached) return cached;
  const t = typeOfExprUncached(u, n);
  u.typeCache.set(n.id, t);
  return t;
}

function typeOfExprUncached(u: Unit, n: SyntaxNode): CType {
  const saved = u.fn;
  const fb = new FunctionBuilder({ name: 'scratch', export: false, varargs: false, params: [], blocks: [] });
  fb.block('start');
  u.fn = saved ? { ...saved, fb } : { fb, name: 'scratch', ret: tVoid, labels: new Map(), breakTo: [], continueTo: [], addressTaken: new Set(), staticCount: 0, allocCount: 0 };
  try {
    return rvalueNoDecay(u, n).type;
  } finally {
    u.fn = saved;
  }
}

/** An lvalue's current value (bit-fields and register locals included). */
export function loadL(u: Unit, lv: LVal): Val {
  if (lv.kind === 'reg') return { op: { kind: 'temp', name: lv.temp }, type: lv.type };
  if (lv.bf) return { op: loadBits(u, lv.addr, lv.bf), type: lv.type };
  return { op: loadAt(u, lv.addr, lv.type), type: lv.type };
}

/** Stores v (already converted to lv's type); returns the value the assignment yields. */
export function storeL(u: Unit, lv: LVal, v: Val): Val {
  if (lv.kind === 'reg') {
    assignTemp(u, lv.temp, irt(lv.type), v.op);
    return { op: { kind: 'temp', name: lv.temp }, type: lv.type };
  }
  if (lv.bf) { storeBits(u, lv.addr, lv.bf, v.op); return { op: truncBits(u, lv.bf, v.op), type: lv.type }; }
  storeAt(u, lv.addr, v.op, lv.type);
  return v;
}

/**
 * `%dst = v`: when v is a scratch temp the previous instruction just defined, that
 * instruction writes dst directly (saves a copy per assignment to a register local).
 */
export function assignTemp(u: Unit, dst: string, t: 'w' | 'l', v: Operand): void {
  const fb = u.fb;
  const blk = fb.fn.blocks[fb.fn.blocks.length - 1];
  const last = blk?.instrs[blk.instrs.length - 1] as { dst?: string; type?: string } | undefined;
  if (v.kind === 'temp' && /^t\.\d+$/.test(v.name) && last && last.dst === v.name && last.type === t && !fb.terminated) {
    last.dst = dst;
    return;
  }
  fb.copy(t, v, dst);
}

/** Evaluates an expression for its side effects only (`i++` needs no old value). */
export function effect(u: Unit, n: SyntaxNode): void {
  for (;;) {
    if (n.type === 'parenthesized_expression' && n.namedChildren.length === 1 && n.namedChildren[0].type !== 'compound_statement') { n = n.namedChildren[0]; continue; }
    if (n.type === 'comma_expression') { effect(u, n.childForFieldName('left')!); n = n.childForFieldName('right')!; continue; }
    break;
  }
  if (n.type === 'update_expression') { u.enter(n); update(u, n, true); u.leave(); return; }
  rvalue(u, n);
}

/** The value of an expression, arrays and functions decayed to pointers. */
export function rvalue(u: Unit, n: SyntaxNode): Val {
  const v = rvalueNoDecay(u, n);
  if (v.type.kind === 'array' || v.type.kind === 'func') return { op: v.op, type: decay(v.type) };
  return v;
}

/** Shorthand: the value converted to `t`. */
export function rvalueAs(u: Unit, n: SyntaxNode, t: CType): Val {
  return convert(u, rvalue(u, n), t);
}

function rvalueNoDecay(u: Unit, n: SyntaxNode): Val {
  u.enter(n);
  const v = valueOf(u, n);
  if (v.type.kind === 'float') u.unsupported(n, 'floating point value');
  u.leave();
  return v;
}

function valueOf(u: Unit, n: SyntaxNode): Val {
  while (n.type === 'parenthesized_expression' && n.namedChildren.length === 1 && n.namedChildren[0].type !== 'compound_statement') n = n.namedChildren[0];
  u.at(n);
  switch (n.type) {
    case 'number_literal': { const p = parseNumber(u, n); return { op: konst(p.value), type: p.type }; }
    case 'char_literal': { const c = charValue(u, n); return { op: konst(BigInt.asUintN(32, c.value)), type: c.type }; }
    case 'true': return { op: konst(1), type: tInt };
    case 'false': case 'null': return { op: konst(0), type: tInt };
    case 'string_literal': case 'concatenated_string': {
      const lit = stringLit(u, n);
      return { op: { kind: 'global', name: stringSymbol(u, lit), offset: 0 }, type: { kind: 'array', of: lit.elem, len: lit.units.length + 1 } };
    }
    case 'identifier': {
      const s = u.lookup(n.text);
      if (s?.kind === 'enumconst') return { op: konst(BigInt.asUintN(s.type.size * 8, s.value)), type: s.type };
      if (n.text === '__func__' || n.text === '__FUNCTION__') {
        const bytes = Uint8Array.from(Buffer.from(u.fn?.name ?? ''));
        return { op: { kind: 'global', name: u.stringLiteral(bytes), offset: 0 }, type: { kind: 'array', of: tChar, len: bytes.length + 1 } };
      }
      return loadL(u, lvalue(u, n));
    }
    case 'parenthesized_expression': {
      const inner = n.namedChildren[0];
      if (inner?.type === 'compound_statement') return lowerStmtExpr(u, inner);
      return u.unsupported(n, 'parenthesized expression');
    }
    case 'field_expression': case 'subscript_expression':
      return loadL(u, lvalue(u, n));
    case 'pointer_expression': {
      const op = n.childForFieldName('operator')!.text;
      const arg = n.childForFieldName('argument')!;
      if (op === '&') {
        const lv = lvalue(u, arg);
        if (lv.kind !== 'mem') u.error(n, 'cannot take the address of a register variable');
        if (lv.bf) u.error(n, 'cannot take the address of a bit-field');
        return { op: lv.addr, type: ptrTo(lv.type) };
      }
      return loadL(u, lvalue(u, n));
    }
    case 'unary_expression': return evalTree(u, n);
    case 'binary_expression': return isTreeOp(u, n) ? evalTree(u, n) : binary(u, n);
    case 'update_expression': return update(u, n);
    case 'assignment_expression': return assign(u, n);
    case 'comma_expression': {
      // `a, b, c, ...` nests to the right: walked in a loop.
      let x = n;
      while (x.type === 'comma_expression') { effect(u, x.childForFieldName('left')!); x = x.childForFieldName('right')!; }
      return rvalueNoDecay(u, x);
    }
    case 'cast_expression': {
      const t = typeDescriptor(u, n.childForFieldName('type')!);
      const valueNode = n.childForFieldName('value')!;
      if (valueNode.type === 'initializer_list') return compoundLiteral(u, n, t, valueNode);
      const v = rvalue(u, valueNode);
      if (t.kind === 'struct' && v.type.kind !== 'struct') u.error(n, 'cast to a struct type');
      return convert(u, v, t);
    }
    case 'compound_literal_expression':
      return compoundLiteral(u, n, typeDescriptor(u, n.childForFieldName('type')!), n.childForFieldName('value')!);
    case 'sizeof_expression': case 'alignof_expression': {
      const split = sizeofOfCast(u, n);
      if (split) return { op: konst(BigInt.asUintN(32, BigInt(sizeOf(split.type)) + split.addend)), type: tUInt };
      const td = n.childForFieldName('type');
      let t: CType;
      if (td) t = typeDescriptor(u, td);
      else {
        const v = n.childForFieldName('value')!;
        t = parenTypedef(u, v) ?? typeOfExpr(u, v);
      }
      const size = n.type === 'sizeof_expression' ? sizeOf(t) : alignOf(t);
      return { op: konst(size), type: tUInt };
    }
    case 'offsetof_expression': {
      const t = typeDescriptor(u, n.childForFieldName('type')!);
      const m = t.kind === 'struct' ? findMember(t, n.childForFieldName('member')!.text) : undefined;
      if (!m) u.error(n, 'offsetof: no such member');
      return { op: konst(m.offset), type: tUInt };
    }
    case 'conditional_expression': return conditional(u, n);
    case 'call_expression': {
      const castT = parenTypedef(u, n.childForFieldName('function'));
      if (castT) {
        const args = n.childForFieldName('arguments')!.namedChildren;
        if (args.length !== 1) u.error(n, 'malformed cast');
        return convert(u, rvalue(u, args[0]), castT);
      }
      return callExpr(u, n);
    }
    case 'gnu_asm_expression':
      return u.unsupported(n, 'asm used as a value');
    default:
      return u.unsupported(n, `expression ${n.type}`);
  }
}

function compoundLiteral(u: Unit, n: SyntaxNode, t: CType, init: SyntaxNode): Val {
  if (t.kind === 'array' && t.len === undefined) t = { ...t, len: init.namedChildren.length };
  const slot = allocSlot(u, sizeOf(t), 4);
  lowerInitializer(u, slot, t, init);
  u.at(n);
  return { op: t.kind === 'struct' || t.kind === 'array' ? slot : loadAt(u, slot, t), type: t };
}

/** The address (or register) an lvalue expression designates. */
export function lvalue(u: Unit, n: SyntaxNode): LVal {
  u.enter(n);
  const lv = place(u, n);
  if (lv.type.kind === 'float') u.unsupported(n, 'floating point object');
  u.leave();
  return lv;
}

function place(u: Unit, n: SyntaxNode): LVal {
  while (n.type === 'parenthesized_expression' && n.namedChildren.length === 1) n = n.namedChildren[0];
  u.at(n);
  switch (n.type) {
    case 'identifier': {
      const s = u.lookup(n.text);
      if (!s) u.error(n, `undeclared identifier '${n.text}'`);
      switch (s.kind) {
        case 'reg': return { kind: 'reg', temp: s.temp, type: s.type };
        case 'mem': return { kind: 'mem', addr: s.addr, type: s.type };
        case 'global': case 'func': return { kind: 'mem', addr: { kind: 'global', name: s.name, offset: 0 }, type: s.type };
        default: return u.error(n, `'${n.text}' is not a variable`);
      }
    }
    case 'pointer_expression': {
      if (n.childForFieldName('operator')!.text !== '*') break;
      const p = rvalue(u, n.childForFieldName('argument')!);
      if (p.type.kind !== 'ptr') u.error(n, `dereferencing a non-pointer (${p.type.kind})`);
      return { kind: 'mem', addr: p.op, type: p.type.to };
    }
    case 'subscript_expression': {
      let a = rvalue(u, n.childForFieldName('argument')!);
      let i = rvalue(u, n.childForFieldName('index')!);
      if (a.type.kind !== 'ptr') [a, i] = [i, a];
      if (a.type.kind !== 'ptr') u.error(n, 'subscript of a non-pointer');
      const p = pointerAdd(u, a, i, false);
      return { kind: 'mem', addr: p.op, type: a.type.to };
    }
    case 'field_expression': {
      const arrow = n.childForFieldName('operator')!.text === '->';
      const argN = n.childForFieldName('argument')!;
      let base: Operand;
      let st: CType;
      if (arrow) {
        const p = rvalue(u, argN);
        if (p.type.kind !== 'ptr') u.error(n, "'->' on a non-pointer");
        base = p.op; st = p.type.to;
      } else {
        const lv = lvalue(u, argN);
        if (lv.kind !== 'mem') u.error(n, "'.' on a non-struct");
        base = lv.addr; st = lv.type;
      }
      if (st.kind !== 'struct') u.error(n, `member access on a non-struct (${st.kind})`);
      const name = n.childForFieldName('field')!.text;
      const m = findMember(st, name);
      if (!m) u.error(n.childForFieldName('field')!, `no member named '${name}'`);
      if (m.bitWidth !== undefined) return { kind: 'mem', addr: base, type: bitFieldType(m), bf: m };
      return { kind: 'mem', addr: addr(u, base, m.offset), type: m.type };
    }
    case 'call_expression': case 'compound_literal_expression': case 'cast_expression': {
      const v = rvalueNoDecay(u, n);
      if (v.type.kind === 'struct') return { kind: 'mem', addr: v.op, type: v.type };
      break;
    }
    default: break;
  }
  return u.error(n, `expression is not assignable (${n.type})`);
}

/**
 * The type a bit-field's value has: gcc gives a field narrower than int the type int,
 * since int holds all its values (C99 6.3.1.1p2), so an `unsigned f : 18` compares
 * and computes as signed; a 32-bit unsigned field stays unsigned, _Bool stays _Bool.
 */
function bitFieldType(m: Member): CType {
  const t = m.type;
  if (t.kind === 'int' && !t.bool && m.bitWidth! < 32) return tInt;
  return t;
}

/** p + i (or p - i) scaled by the pointee size. */
function pointerAdd(u: Unit, p: Val, i: Val, sub: boolean): Val {
  const pt = p.type as { kind: 'ptr'; to: CType };
  const size = sizeOf(pt.to);
  let idx = convert(u, i, (i.type as IntType).signed ? tInt : tUInt).op;
  if (size !== 1) idx = bin(u, 'mul', 'w', idx, konst(size));
  return { op: bin(u, sub ? 'sub' : 'add', 'w', p.op, idx), type: p.type };
}

/** `op v` for the unary operators + - ~ ! (n names the expression for errors). */
export function unaryOp(u: Unit, n: SyntaxNode, op: string, v: Val): Val {
  if (op === '!') return { op: cmp(u, 'eq', irt(v.type), v.op, konst(0)), type: tInt };
  if (!isInteger(v.type)) u.error(n, `operand of unary '${op}' is not an integer`);
  const t = promote(v.type);
  const x = convert(u, v, t).op;
  if (op === '+') return { op: x, type: t };
  if (op === '-') return { op: bin(u, 'sub', irt(t), konst(0), x), type: t };
  if (op === '~') return { op: bin(u, 'xor', irt(t), x, konst(-1n & (irt(t) === 'l' ? 0xffffffffffffffffn : 0xffffffffn))), type: t };
  return u.unsupported(n, `unary operator ${op}`);
}

const relConds: Record<string, [CompareCond, CompareCond]> = {
  '<': ['slt', 'ult'], '<=': ['sle', 'ule'], '>': ['sgt', 'ugt'], '>=': ['sge', 'uge'], '==': ['eq', 'eq'], '!=': ['ne', 'ne'],
};

/** Arithmetic on two values with C's conversions (used by binary and compound assignment). */
export function arith(u: Unit, n: SyntaxNode, op: string, a: Val, b: Val): Val {
  if (op === '+' || op === '-') {
    if (a.type.kind === 'ptr' && isInteger(b.type)) return pointerAdd(u, a, b, op === '-');
    if (op === '+' && b.type.kind === 'ptr' && isInteger(a.type)) return pointerAdd(u, b, a, false);
    if (op === '-' && a.type.kind === 'ptr' && b.type.kind === 'ptr') {
      const diff = bin(u, 'sub', 'w', a.op, b.op);
      const size = sizeOf(a.type.to);
      return { op: size === 1 ? diff : bin(u, 'div', 'w', diff, konst(size)), type: tInt };
    }
  }
  if (relConds[op]) {
    let t: CType;
    if (isInteger(a.type) && isInteger(b.type)) t = usualArith(a.type, b.type);
    else t = tUInt;
    const x = convert(u, a, t).op; const y = convert(u, b, t).op;
    const signed = t.kind === 'int' && t.signed;
    return { op: cmp(u, relConds[op][signed ? 0 : 1], irt(t), x, y), type: tInt };
  }
  if (!isInteger(a.type) || !isInteger(b.type)) u.error(n, `invalid operands to '${op}' (${a.type.kind}, ${b.type.kind})`);
  if (op === '<<' || op === '>>') {
    const t = promote(a.type);
    const x = convert(u, a, t).op;
    const c = convert(u, b, tUInt).op;
    const bop = op === '<<' ? 'shl' : t.signed ? 'sar' : 'shr';
    return { op: bin(u, bop, irt(t), x, c), type: t };
  }
  const t = usualArith(a.type, b.type);
  const x = convert(u, a, t).op; const y = convert(u, b, t).op;
  const ops: Record<string, [string, string]> = {
    '+': ['add', 'add'], '-': ['sub', 'sub'], '*': ['mul', 'mul'], '/': ['div', 'udiv'], '%': ['rem', 'urem'],
    '&': ['and', 'and'], '|': ['or', 'or'], '^': ['xor', 'xor'],
  };
  const o = ops[op];
  if (!o) return u.unsupported(n, `binary operator ${op}`);
  return { op: bin(u, (t.signed ? o[0] : o[1]) as 'add', irt(t), x, y), type: t };
}

function binary(u: Unit, n: SyntaxNode): Val {
  const op = n.childForFieldName('operator')!.text;
  const left = n.childForFieldName('left')!;
  const right = n.childForFieldName('right')!;
  const castT = parenTypedef(u, left);
  if (castT && ['-', '+', '&', '*'].includes(op)) {
    // `(T)-x`, `(T)&x`, `(T)*p` read by tree-sitter as a binary expression.
    const v = op === '-' ? unaryNeg(u, right) : op === '+' ? rvalue(u, right) : op === '&' ? addrOf(u, right) : deref(u, n, right);
    return convert(u, v, castT);
  }
  if (op === '&&' || op === '||') return boolValue(u, n);
  return arith(u, n, op, rvalue(u, left), rvalue(u, right));
}

function unaryNeg(u: Unit, n: SyntaxNode): Val {
  const v = rvalue(u, n);
  const t = promote(v.type as IntType);
  return { op: bin(u, 'sub', irt(t), konst(0), convert(u, v, t).op), type: t };
}
function addrOf(u: Unit, n: SyntaxNode): Val {
  const lv = lvalue(u, n);
  if (lv.kind !== 'mem') u.error(n, 'cannot take the address of a register variable');
  return { op: lv.addr, type: ptrTo(lv.type) };
}
function deref(u: Unit, n: SyntaxNode, ptr: SyntaxNode): Val {
  const p = rvalue(u, ptr);
  if (p.type.kind !== 'ptr') u.error(n, `dereferencing a non-pointer (${p.type.kind})`);
  return loadL(u, { kind: 'mem', addr: p.op, type: p.type.to });
}

export { cond } from './cond.js';
