/*
 * Assignments: `=`, the compound operators and `++`/`--`, with C's conversions to
 * the target's type (bit-fields and register locals included, through storeL).
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst } from '../ir/index.js';
import { sizeOf, tInt } from './ctype.js';
import { arith, loadL, lvalue, rvalue, storeL } from './expr.js';
import { convert, copyMem, irt, type LVal, type Val } from './ops.js';
import type { Unit } from './unit.js';

/** `++x`, `x--` ...; `unused`: the value is not needed (`i++;`), so no copy of the old one. */
export function update(u: Unit, n: SyntaxNode, unused = false): Val {
  const opN = n.childForFieldName('operator')!;
  const argN = n.childForFieldName('argument')!;
  const prefix = unused || opN.startIndex < argN.startIndex;
  const lv = lvalue(u, argN);
  const old = loadL(u, lv);
  let oldOp = old.op;
  if (!prefix && lv.kind === 'reg') oldOp = u.fb.copy(irt(lv.type), old.op);
  const one: Val = { op: konst(1), type: tInt };
  const nv = arith(u, n, opN.text === '++' ? '+' : '-', { op: oldOp, type: old.type }, one);
  const stored = storeL(u, lv, convert(u, nv, lv.type));
  return prefix ? stored : { op: oldOp, type: old.type };
}

/*
 * `a = b = c = ...` nests to the right: the targets are found outermost first (each
 * lvalue, and for `op=` its current value, before the right side, as for one
 * assignment), then the innermost value is stored inward-out.
 */
export function assign(u: Unit, n: SyntaxNode): Val {
  const chain: { n: SyntaxNode; op: string; lv: LVal; cur?: Val }[] = [];
  let x = n;
  for (;;) {
    const op = x.childForFieldName('operator')!.text;
    const lv = lvalue(u, x.childForFieldName('left')!);
    chain.push({ n: x, op, lv, cur: op === '=' ? undefined : loadL(u, lv) });
    let r = x.childForFieldName('right')!;
    while (r.type === 'parenthesized_expression' && r.namedChildren.length === 1) r = r.namedChildren[0];
    if (r.type !== 'assignment_expression') break;
    x = r;
  }
  let v = rvalue(u, chain[chain.length - 1].n.childForFieldName('right')!);
  for (let i = chain.length - 1; i >= 0; i--) {
    const { n: an, op, lv, cur } = chain[i];
    u.at(an);
    if (op === '=' && lv.type.kind === 'struct') {
      if (lv.kind !== 'mem') u.error(an, 'struct in a register');
      copyMem(u, lv.addr, v.op, sizeOf(lv.type));
      v = { op: lv.addr, type: lv.type };
      continue;
    }
    const nv = op === '=' ? v : arith(u, an, op.slice(0, -1), cur!, v);
    v = storeL(u, lv, convert(u, nv, lv.type));
  }
  return v;
}
