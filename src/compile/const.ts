/*
 * Integer constant expressions: compile-time evaluation for array sizes, enumerators,
 * case labels, bit-field widths and static initializers. An address constant
 * (&global, "string", function name, a compound literal, plus or minus an integer)
 * evaluates to a symbol + offset. Values are kept as the C value of their type
 * (signed types negative where they are).
 */
import type { SyntaxNode } from 'tree-sitter';
import { decay, findMember, sizeOf, alignOf, tInt, tUInt, isInteger, usualArith, wrap, type CType } from './ctype.js';
import { typeDescriptor } from './decl.js';
import { charValue, parseNumber, stringLit, stringSymbol } from './literal.js';
import { typeOfExpr } from './expr.js';
import { arrayLenFromInit, dataItems } from './init.js';
import type { Unit } from './unit.js';

export interface ConstVal { value: bigint; sym?: string; type: CType }

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
/** `(T)` where T is a typedef name: tree-sitter reads `(T)-1`, `(T)&x` as binary expressions. */
export function parenTypedef(u: Unit, n: SyntaxNode | null): CType | undefined {
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
