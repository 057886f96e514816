/*
 * Conditions: `&&`, `||` and `!` lowered as branches (cond), a condition
 * materialized as 0/1 (boolValue), and `?:` with its result type from both arms
 * (conditional). cond leaves no block open: the caller opens the targets.
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst } from '../ir/index.js';
import { decay, isInteger, tInt, tVoid, usualArith, type CType } from './ctype.js';
import { assignTemp, rvalue, typeOfExpr } from './expr.js';
import { cmp, convert, irt, type Val } from './ops.js';
import type { Unit } from './unit.js';

/** Materializes a condition as 0/1 through branches. */
export function boolValue(u: Unit, n: SyntaxNode): Val {
  const fb = u.fb;
  const r = fb.freshTemp('b');
  const t = fb.freshLabel('bt'); const f = fb.freshLabel('bf'); const end = fb.freshLabel('be');
  cond(u, n, t, f);
  fb.block(t); fb.copy('w', konst(1), r); fb.jmp(end);
  fb.block(f); fb.copy('w', konst(0), r); fb.jmp(end);
  fb.block(end);
  return { op: { kind: 'temp', name: r }, type: tInt };
}

/** Branches to t when the expression is nonzero, else to f. Leaves no block open. */
export function cond(u: Unit, n: SyntaxNode, t: string, f: string): void {
  const fb = u.fb;
  if (n.type === 'parenthesized_expression' && n.namedChildren[0].type !== 'compound_statement') return cond(u, n.namedChildren[0], t, f);
  if (n.type === 'binary_expression') {
    const op = n.childForFieldName('operator')!.text;
    if (op === '&&' || op === '||') {
      const mid = fb.freshLabel(op === '&&' ? 'and' : 'or');
      cond(u, n.childForFieldName('left')!, op === '&&' ? mid : t, op === '&&' ? f : mid);
      fb.block(mid);
      cond(u, n.childForFieldName('right')!, t, f);
      return;
    }
  }
  if (n.type === 'unary_expression' && n.childForFieldName('operator')!.text === '!') {
    cond(u, n.childForFieldName('argument')!, f, t);
    return;
  }
  const v = rvalue(u, n);
  u.at(n);
  let c = v.op;
  if (v.type.kind === 'int' && v.type.size === 8) c = cmp(u, 'ne', 'l', v.op, konst(0));
  if (c.kind === 'const') { fb.jmp(c.value !== 0n ? t : f); return; }
  fb.jnz(c, t, f);
}

export function conditional(u: Unit, n: SyntaxNode): Val {
  const fb = u.fb;
  const t = fb.freshLabel('ct'); const f = fb.freshLabel('cf'); const end = fb.freshLabel('ce');
  cond(u, n.childForFieldName('condition')!, t, f);
  const consN = n.childForFieldName('consequence');
  const altN = n.childForFieldName('alternative')!;
  // The result type needs both arms' types before either is lowered.
  const ta = consN ? typeOfExpr(u, consN) : tInt;
  const tb = typeOfExpr(u, altN);
  let rt: CType;
  const da = decay(ta); const db = decay(tb);
  if (isInteger(da) && isInteger(db)) rt = usualArith(da, db);
  else if (da.kind === 'void' || db.kind === 'void') rt = tVoid;
  else if (da.kind === 'ptr') rt = db.kind === 'ptr' && da.to.kind === 'void' ? db : da;
  else rt = db;
  const r = fb.freshTemp('c');
  fb.block(t);
  const va = consN ? rvalue(u, consN) : { op: konst(1), type: tInt };
  if (rt.kind !== 'void') assignTemp(u, r, irt(rt), convert(u, va, rt).op);
  fb.jmp(end);
  fb.block(f);
  const vb = rvalue(u, altN);
  if (rt.kind !== 'void') assignTemp(u, r, irt(rt), convert(u, vb, rt).op);
  fb.jmp(end);
  fb.block(end);
  return { op: rt.kind === 'void' ? konst(0) : { kind: 'temp', name: r }, type: rt };
}

