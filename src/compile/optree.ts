/*
 * Operator trees without recursion. A tree of arithmetic, bitwise, shift and
 * comparison operators, unary + - ~ ! and parentheses is lowered from an explicit
 * work list, so `a + a + ... + a` with thousands of terms, or thousands of nested
 * parentheses, costs no host stack whatever its shape (left-deep, right-deep, mixed).
 * Operands are evaluated left before right, as the recursive form did; anything
 * that is not such an operator (a call, `&&`, a cast read as `(T)-x`, ...) is a leaf
 * lowered by rvalue.
 */
import type { SyntaxNode } from 'tree-sitter';
import { arith, rvalue, unaryOp } from './expr.js';
import type { Val } from './ops.js';
import type { Unit } from './unit.js';

const TREE_UNARY = new Set(['-', '+', '~', '!']);

/** `(T)` where T is a typedef name: then `(T)-x` is a cast tree-sitter read as a subtraction. */
function typedefParen(u: Unit, n: SyntaxNode | null): boolean {
  if (!n || n.type !== 'parenthesized_expression') return false;
  const inner = n.namedChildren[0];
  return inner?.type === 'identifier' && u.isTypedef(inner.text);
}

/** True for the nodes this evaluator takes apart itself. */
export function isTreeOp(u: Unit, n: SyntaxNode): boolean {
  switch (n.type) {
    case 'parenthesized_expression':
      return n.namedChildren.length === 1 && n.namedChildren[0].type !== 'compound_statement';
    case 'unary_expression':
      return TREE_UNARY.has(n.childForFieldName('operator')!.text);
    case 'binary_expression': {
      const op = n.childForFieldName('operator')!.text;
      if (op === '&&' || op === '||') return false;
      return !(typedefParen(u, n.childForFieldName('left')) && ['-', '+', '&', '*'].includes(op));
    }
    default:
      return false;
  }
}

type Work = SyntaxNode | { apply: SyntaxNode };

/** The value of an operator tree rooted at n (a binary or unary expression). */
export function evalTree(u: Unit, root: SyntaxNode): Val {
  const work: Work[] = [root];
  const vals: Val[] = [];
  while (work.length > 0) {
    const w = work.pop()!;
    if ('apply' in w) {
      const n = w.apply;
      u.at(n);
      const op = n.childForFieldName('operator')!.text;
      if (n.type === 'unary_expression') vals.push(unaryOp(u, n, op, vals.pop()!));
      else { const b = vals.pop()!; const a = vals.pop()!; vals.push(arith(u, n, op, a, b)); }
      continue;
    }
    if (w !== root && !isTreeOp(u, w)) { vals.push(rvalue(u, w)); continue; }
    if (w.type === 'parenthesized_expression') { work.push(w.namedChildren[0]); continue; }
    work.push({ apply: w });
    if (w.type === 'unary_expression') work.push(w.childForFieldName('argument')!);
    else work.push(w.childForFieldName('right')!, w.childForFieldName('left')!);
  }
  return vals[0];
}
