/*
 * Conditions: `&&`, `||` and `!` lowered as branches (cond), a condition
 * materialized as 0/1 (boolValue), and `?:` (conditional). cond leaves no block
 * open: the caller opens the targets.
 *
 * Both walk their chains without recursion, so `a || b || ...` and
 * `c1 ? x1 : c2 ? x2 : ...` of any length cost no host stack: cond keeps a work list
 * of (node, true target, false target); conditional lowers every arm of a chain of
 * `?:` first and converts afterwards, in blocks of their own, once all the arm types
 * (hence the result types) are known.
 */
import type { SyntaxNode } from 'tree-sitter';
import { isTerminator, konst } from '../ir/index.js';
import { decay, isInteger, sameType, tInt, tVoid, usualArith, type CType } from './ctype.js';
import { assignTemp, rvalue } from './expr.js';
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

const plainParen = (n: SyntaxNode): boolean => n.type === 'parenthesized_expression' && n.namedChildren.length === 1 && n.namedChildren[0].type !== 'compound_statement';

type Work = { n: SyntaxNode; t: string; f: string } | { open: string };

/** Branches to t when the expression is nonzero, else to f. Leaves no block open. */
export function cond(u: Unit, n: SyntaxNode, t: string, f: string): void {
  const fb = u.fb;
  const work: Work[] = [{ n, t, f }];
  while (work.length > 0) {
    const w = work.pop()!;
    if ('open' in w) { fb.block(w.open); continue; }
    let x = w.n;
    let [yes, no] = [w.t, w.f];
    for (;;) {
      if (plainParen(x)) x = x.namedChildren[0];
      else if (x.type === 'unary_expression' && x.childForFieldName('operator')!.text === '!') { x = x.childForFieldName('argument')!; [yes, no] = [no, yes]; }
      else break;
    }
    if (x.type === 'binary_expression') {
      const op = x.childForFieldName('operator')!.text;
      if (op === '&&' || op === '||') {
        const mid = fb.freshLabel(op === '&&' ? 'and' : 'or');
        work.push({ n: x.childForFieldName('right')!, t: yes, f: no }, { open: mid });
        work.push(op === '&&' ? { n: x.childForFieldName('left')!, t: mid, f: no } : { n: x.childForFieldName('left')!, t: yes, f: mid });
        continue;
      }
    }
    const v = rvalue(u, x);
    u.at(x);
    let c = v.op;
    if (v.type.kind === 'int' && v.type.size === 8) c = cmp(u, 'ne', 'l', v.op, konst(0));
    if (c.kind === 'const') { fb.jmp(c.value !== 0n ? yes : no); continue; }
    fb.jnz(c, yes, no);
  }
}

/** The type of `c ? a : b` from the types of its arms. */
function armsType(ta: CType, tb: CType): CType {
  const da = decay(ta); const db = decay(tb);
  if (isInteger(da) && isInteger(db)) return usualArith(da, db);
  if (da.kind === 'void' || db.kind === 'void') return tVoid;
  if (da.kind === 'ptr') return db.kind === 'ptr' && da.to.kind === 'void' ? db : da;
  return db;
}

/** One arm of a `?:` chain: its value and the block it ended in (left open, unterminated). */
interface Arm { v: Val; level: number; endBlock: number }

export function conditional(u: Unit, n: SyntaxNode): Val {
  const fb = u.fb;
  // The chain c0 ? a0 : (c1 ? a1 : (... : z)); level i is the i-th `?:`.
  const levels: SyntaxNode[] = [];
  let x: SyntaxNode = n;
  for (;;) {
    levels.push(x);
    let alt = x.childForFieldName('alternative')!;
    while (plainParen(alt)) alt = alt.namedChildren[0];
    if (alt.type !== 'conditional_expression') break;
    x = alt;
  }
  const arms: Arm[] = [];
  const armEnd = (v: Val, level: number): void => {
    const val = v.type.kind === 'array' || v.type.kind === 'func' ? { op: v.op, type: decay(v.type) } : v;
    arms.push({ v: val, level, endBlock: fb.fn.blocks.length - 1 });
  };
  levels.forEach((lv, i) => {
    const t = fb.freshLabel('ct'); const f = fb.freshLabel('cf');
    const consN = lv.childForFieldName('consequence');
    const c = lv.childForFieldName('condition')!;
    if (consN) {
      cond(u, c, t, f);
      fb.block(t);
      armEnd(rvalue(u, consN), i);
    } else {
      // GNU `c ?: b`: the condition's own value when it is nonzero, evaluated once.
      const cv = rvalue(u, c);
      const keep = cv.op.kind === 'temp' ? { op: fb.copy(irt(cv.type), cv.op), type: cv.type } : cv;
      const nz = keep.type.kind === 'int' && keep.type.size === 8 ? cmp(u, 'ne', 'l', keep.op, konst(0)) : keep.op;
      if (nz.kind === 'const') fb.jmp(nz.value !== 0n ? t : f); else fb.jnz(nz, t, f);
      fb.block(t);
      armEnd(keep, i);
    }
    fb.block(f);
  });
  armEnd(rvalue(u, levels[levels.length - 1].childForFieldName('alternative')!), levels.length - 1);
  // Result types, innermost first: rt[i] = type of level i's `?:`.
  const rt: CType[] = new Array(levels.length);
  rt[levels.length - 1] = armsType(arms[levels.length - 1].v.type, arms[levels.length].v.type);
  for (let i = levels.length - 2; i >= 0; i--) rt[i] = armsType(arms[i].v.type, rt[i + 1]);
  // Levels whose type differs from the next inner one's: the only conversions that
  // change a value already converted to the inner type (keeps long chains linear).
  const changes: number[] = [];
  for (let i = levels.length - 2; i >= 0; i--) if (!sameType(rt[i], rt[i + 1]) || rt[i].kind !== rt[i + 1].kind) changes.push(i);
  const r = fb.freshTemp('c');
  const end = fb.freshLabel('ce');
  // Each arm converts through the result types of the levels that contain it, inner to outer.
  arms.forEach((arm) => {
    const conv = fb.freshLabel('cv');
    const blk = fb.fn.blocks[arm.endBlock];
    const last = blk.instrs[blk.instrs.length - 1];
    if (!last || !isTerminator(last)) blk.instrs.push({ kind: 'jmp', target: conv, loc: fb.getLoc() });
    fb.block(conv);
    let v = arm.v;
    if (rt[0].kind !== 'void') {
      v = convert(u, v, rt[arm.level]);
      for (const i of changes) if (i < arm.level) v = convert(u, v, rt[i]);
      assignTemp(u, r, irt(rt[0]), v.op);
    }
    fb.jmp(end);
  });
  fb.block(end);
  return { op: rt[0].kind === 'void' ? konst(0) : { kind: 'temp', name: r }, type: rt[0] };
}
