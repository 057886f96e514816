/*
 * Statement lowering and block-scope declarations. Control flow becomes IR blocks:
 * loops and switch push break/continue targets, switch dispatches through a
 * compare chain emitted after the body (cases are only known once it is lowered),
 * goto labels are created on first mention. Code after a jump goes into a fresh block
 * that nothing branches to. Scalar locals whose address is never taken live in IR
 * temps; the others get frame space with `alloc` in the entry block.
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst, type Operand } from '../ir/index.js';
import { alignOf, sizeOf, tInt, tVoid, type CType } from './ctype.js';
import { evalConst } from './const.js';
import { applyDeclarator, declSpec, tagDeclaration } from './decl.js';
import { assignTemp, cond, effect, rvalue, rvalueAs } from './expr.js';
import { arrayLenFromInit, dataItems, lowerInitializer, scalarInit } from './init.js';
import { copyMem, irt, type Val } from './ops.js';
import { lowerAsm } from './inline-asm.js';
import type { Unit } from './unit.js';

/** Reserves frame space in the entry block (so loops do not grow the stack). */
export function allocSlot(u: Unit, size: number, align: number): Operand {
  const fn = u.fn!;
  const name = fn.fb.freshTemp('slot');
  const entry = fn.fb.fn.blocks[0];
  const loc = fn.fb.getLoc();
  entry.instrs.splice(fn.allocCount++, 0, { kind: 'alloc', type: 'w', dst: name, size: konst(Math.max(size, 1)), align: Math.max(align, 4), loc });
  return { kind: 'temp', name };
}

function deadBlock(u: Unit): void {
  u.fb.block(u.fb.freshLabel('dead'));
}

function label(u: Unit, name: string): string {
  const fn = u.fn!;
  let l = fn.labels.get(name);
  if (!l) { l = fn.fb.freshLabel(`L_${name}`); fn.labels.set(name, l); }
  return l;
}

export function lowerStmt(u: Unit, n: SyntaxNode): void {
  u.enter(n);
  statement(u, n);
  u.leave();
}

function statement(u: Unit, n: SyntaxNode): void {
  const fb = u.fb;
  u.at(n);
  switch (n.type) {
    case 'compound_statement':
      u.push();
      for (const c of n.namedChildren) lowerStmt(u, c);
      u.pop();
      return;
    case 'comment': case ';': return;
    case 'declaration': localDeclaration(u, n); return;
    case 'type_definition': localDeclaration(u, n); return;
    case 'struct_specifier': case 'union_specifier': case 'enum_specifier': tagDeclaration(u, n); return;
    case 'expression_statement': {
      const e = n.namedChildren[0];
      if (!e) return;
      if (e.type === 'gnu_asm_expression') { lowerAsm(u, e); return; }
      if (staticAssert(u, n)) return;
      effect(u, e);
      return;
    }
    case 'if_statement': {
      // `if ... else if ... else if ...` nests to the right: walked in a loop.
      const end = fb.freshLabel('endif');
      let x: SyntaxNode | undefined = n;
      while (x) {
        u.at(x);
        const t = fb.freshLabel('then'); const f = fb.freshLabel('else');
        const altC: SyntaxNode | null = x.childForFieldName('alternative');
        const alt: SyntaxNode | undefined = altC ? (altC.type === 'else_clause' ? altC.namedChildren.find((c: SyntaxNode) => c.type !== 'comment') : altC) : undefined;
        cond(u, x.childForFieldName('condition')!, t, alt ? f : end);
        fb.block(t);
        lowerStmt(u, x.childForFieldName('consequence')!);
        if (!fb.terminated) fb.jmp(end);
        x = undefined;
        if (alt) {
          fb.block(f);
          if (alt.type === 'if_statement') x = alt;
          else {
            lowerStmt(u, alt);
            if (!fb.terminated) fb.jmp(end);
          }
        }
      }
      fb.block(end);
      return;
    }
    case 'while_statement': {
      // Rotated: the test is emitted at the entry and again at the bottom, so each
      // iteration ends in one conditional branch back to the body.
      const test = fb.freshLabel('while'); const body = fb.freshLabel('body'); const end = fb.freshLabel('wend');
      const c = n.childForFieldName('condition')!;
      cond(u, c, body, end);
      fb.block(body);
      loop(u, n.childForFieldName('body')!, end, test);
      if (!fb.terminated) fb.jmp(test);
      fb.block(test);
      cond(u, c, body, end);
      fb.block(end);
      return;
    }
    case 'do_statement': {
      const body = fb.freshLabel('do'); const test = fb.freshLabel('dotest'); const end = fb.freshLabel('doend');
      fb.jmp(body); fb.block(body);
      loop(u, n.childForFieldName('body')!, end, test);
      if (!fb.terminated) fb.jmp(test);
      fb.block(test);
      cond(u, n.childForFieldName('condition')!, body, end);
      fb.block(end);
      return;
    }
    case 'for_statement': {
      u.push();
      const init = n.childForFieldName('initializer');
      if (init) { if (init.type === 'declaration') localDeclaration(u, init); else rvalue(u, init); }
      // Rotated like while: test at the entry, update + test at the bottom.
      const body = fb.freshLabel('fbody'); const step = fb.freshLabel('fstep'); const end = fb.freshLabel('fend');
      const c = n.childForFieldName('condition');
      if (c) cond(u, c, body, end); else fb.jmp(body);
      fb.block(body);
      loop(u, n.childForFieldName('body')!, end, step);
      if (!fb.terminated) fb.jmp(step);
      fb.block(step);
      const upd = n.childForFieldName('update');
      if (upd) effect(u, upd);
      if (c) cond(u, c, body, end); else fb.jmp(body);
      fb.block(end);
      u.pop();
      return;
    }
    case 'switch_statement': { lowerSwitch(u, n); return; }
    case 'case_statement': {
      const fn = u.fn!;
      if (!fn.switchCases) u.error(n, 'case label not within a switch statement');
      const l = fb.freshLabel('case');
      if (!fb.terminated) fb.jmp(l);
      fb.block(l);
      const v = n.childForFieldName('value');
      if (v) {
        const c = evalConst(u, v);
        if (!c || c.sym !== undefined) u.error(v, 'case label is not an integer constant');
        fn.switchCases.push({ value: c.value, label: l });
      } else fn.switchDefault = l;
      for (const c of n.namedChildren) if (c.id !== v?.id) lowerStmt(u, c);
      return;
    }
    case 'labeled_statement': {
      const l = label(u, n.childForFieldName('label')!.text);
      if (!fb.terminated) fb.jmp(l);
      fb.block(l);
      for (const c of n.namedChildren.slice(1)) lowerStmt(u, c);
      return;
    }
    case 'goto_statement': fb.jmp(label(u, n.childForFieldName('label')!.text)); deadBlock(u); return;
    case 'break_statement': {
      const t = u.fn!.breakTo[u.fn!.breakTo.length - 1];
      if (!t) u.error(n, 'break outside a loop or switch');
      fb.jmp(t); deadBlock(u); return;
    }
    case 'continue_statement': {
      const t = u.fn!.continueTo[u.fn!.continueTo.length - 1];
      if (!t) u.error(n, 'continue outside a loop');
      fb.jmp(t); deadBlock(u); return;
    }
    case 'return_statement': {
      const e = n.namedChildren[0];
      const fn = u.fn!;
      if (e && fn.ret.kind === 'struct') {
        const v = rvalue(u, e);
        copyMem(u, fn.retPtr!, v.op, sizeOf(fn.ret));
        u.at(n); fb.ret(fn.retPtr);
      } else if (e && fn.ret.kind !== 'void') {
        const v = rvalueAs(u, e, fn.ret);
        u.at(n); fb.ret(v.op);
      } else {
        if (e) rvalue(u, e);
        u.at(n);
        if (fn.ret.kind === 'void') fb.ret(); else fb.ret(konst(0));
      }
      deadBlock(u);
      return;
    }
    case 'gnu_asm_expression': lowerAsm(u, n); return;
    default:
      if (n.type === 'ERROR') u.error(n, `syntax error near \`${n.text.slice(0, 30)}\``);
      u.unsupported(n, `statement ${n.type}`);
  }
}

/**
 * `_Static_assert(cond, "msg");` (tree-sitter reads it as a call): checked here;
 * returns false when the statement is something else.
 */
export function staticAssert(u: Unit, n: SyntaxNode): boolean {
  const call = n.namedChildren[0];
  const fn = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  if (!fn || (fn.text !== '_Static_assert' && fn.text !== 'static_assert') || u.lookup(fn.text)) return false;
  const args = call!.childForFieldName('arguments')!.namedChildren;
  const v = evalConst(u, args[0]);
  if (!v || v.sym !== undefined) u.error(args[0], 'static assertion is not an integer constant expression');
  if (v.value === 0n) u.error(n, `static assertion failed: ${args[1]?.text ?? args[0].text}`);
  return true;
}

function loop(u: Unit, body: SyntaxNode, brk: string, cont: string): void {
  const fn = u.fn!;
  fn.breakTo.push(brk); fn.continueTo.push(cont);
  lowerStmt(u, body);
  fn.breakTo.pop(); fn.continueTo.pop();
}

function lowerSwitch(u: Unit, n: SyntaxNode): void {
  const fb = u.fb;
  const fn = u.fn!;
  const v = rvalue(u, n.childForFieldName('condition')!);
  const t: CType = v.type.kind === 'int' && v.type.size === 8 ? v.type : tInt;
  const x = fb.copy(irt(t), (v.type.kind === 'int' && v.type.size < 4) ? v.op : v.op);
  const dispatch = fb.freshLabel('switch'); const end = fb.freshLabel('swend');
  fb.jmp(dispatch);
  fb.block(fb.freshLabel('swbody'));
  const saved = { cases: fn.switchCases, def: fn.switchDefault };
  fn.switchCases = []; fn.switchDefault = undefined;
  fn.breakTo.push(end);
  lowerStmt(u, n.childForFieldName('body')!);
  fn.breakTo.pop();
  if (!fb.terminated) fb.jmp(end);
  fb.block(dispatch);
  const bits = t === tInt ? 32 : 64;
  const signed = v.type.kind !== 'int' || v.type.signed || v.type.size < 4;
  const norm = (x: bigint): bigint => (signed ? BigInt.asIntN(bits, x) : BigInt.asUintN(bits, x));
  const cases = fn.switchCases.map((c) => ({ value: norm(c.value), label: c.label })).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
  for (let i = 1; i < cases.length; i++) if (cases[i].value === cases[i - 1].value) u.error(n, `duplicate case value ${cases[i].value}`);
  const dflt = fn.switchDefault ?? end;
  const mask = (1n << BigInt(bits)) - 1n;
  // Sorted cases: a binary search of compares above a few cases, a chain below.
  const emit = (lo: number, hi: number): void => {
    if (hi - lo <= 4) {
      for (let i = lo; i < hi; i++) {
        const next = fb.freshLabel('swnext');
        fb.jnz(fb.compare('eq', irt(t), x, konst(cases[i].value & mask)), cases[i].label, next);
        fb.block(next);
      }
      fb.jmp(dflt);
      return;
    }
    const mid = (lo + hi) >> 1;
    const left = fb.freshLabel('swlo'); const right = fb.freshLabel('swhi');
    fb.jnz(fb.compare(signed ? 'slt' : 'ult', irt(t), x, konst(cases[mid].value & mask)), left, right);
    fb.block(left); emit(lo, mid);
    fb.block(right); emit(mid, hi);
  };
  emit(0, cases.length);
  fn.switchCases = saved.cases; fn.switchDefault = saved.def;
  fb.block(end);
}

/** A declaration inside a function body. */
export function localDeclaration(u: Unit, n: SyntaxNode): void {
  const spec = declSpec(u, n);
  for (const d of n.childrenForFieldName('declarator')) {
    const decl = applyDeclarator(u, spec.type, d);
    if (!decl.name) continue;
    const init = d.type === 'init_declarator' ? d.childForFieldName('value') : null;
    let type = decl.type;
    if (spec.storage === 'typedef') { u.declare(decl.name, { kind: 'typedef', type }); continue; }
    if (type.kind === 'func') {
      u.declare(decl.name, { kind: 'func', type, name: decl.name, defined: false });
      continue;
    }
    if (spec.storage === 'extern') {
      u.declare(decl.name, { kind: 'global', type, name: decl.name, defined: false });
      continue;
    }
    if (init && type.kind === 'array' && type.len === undefined) type = { ...type, len: arrayLenFromInit(u, type, init) };
    const attrAlign = u.pp.alignByRow.get(d.endPosition.row) ?? 1;
    if (spec.storage === 'static') {
      const name = `${u.fn!.name}.${decl.name}.${u.fn!.staticCount++}`;
      u.declare(decl.name, { kind: 'global', type, name, defined: true });
      u.mb.data(name, dataItems(u, type, init ?? undefined), { align: Math.max(alignOf(type), 4, attrAlign) });
      continue;
    }
    if (type.kind === 'struct' && !type.complete) u.error(d, `variable '${decl.name}' has incomplete type`);
    if (type.kind === 'float') u.unsupported(n, 'floating point type');
    if ((type.kind === 'int' || type.kind === 'ptr') && !u.fn!.addressTaken.has(decl.name)) {
      const temp = u.fb.freshTemp(decl.name);
      u.declare(decl.name, { kind: 'reg', type, temp });
      u.at(d);
      const value = init ? scalarInit(init) : undefined;
      if (value) assignTemp(u, temp, irt(type), rvalueAs(u, value, type).op);
      else u.fb.copy(irt(type), konst(0), temp);
      continue;
    }
    const slot = allocSlot(u, sizeOf(type), Math.max(alignOf(type), attrAlign));
    u.declare(decl.name, { kind: 'mem', type, addr: slot });
    if (init) { u.at(d); lowerInitializer(u, slot, type, init); }
  }
}

/** `({ ... })`: the value of the last expression statement. */
export function lowerStmtExpr(u: Unit, n: SyntaxNode): Val {
  u.push();
  const kids = n.namedChildren.filter((c) => c.type !== 'comment');
  let v: Val = { op: konst(0), type: tVoid };
  kids.forEach((c, i) => {
    if (i === kids.length - 1 && c.type === 'expression_statement' && c.namedChildren[0]) v = rvalue(u, c.namedChildren[0]);
    else lowerStmt(u, c);
  });
  u.pop();
  if (v.op.kind === 'temp' && v.type.kind !== 'void' && v.type.kind !== 'struct') v = { op: u.fb.copy(irt(v.type), v.op), type: v.type };
  return v;
}
