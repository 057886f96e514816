/*
 * Calls: i386 cdecl through the IR `call`. Prototyped arguments are converted to the
 * parameter types, others get the default promotions. A struct argument is passed
 * as its bytes, one `w` per 4 bytes (what gcc pushes); a function returning a struct
 * gets a hidden first argument, the address of the caller's result slot.
 * Compiler builtins (the libc's host services, va_start, __builtin_expect...) are
 * recognized by name here.
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst, type CallArg, type Operand } from '../ir/index.js';
import { isInteger, promote, sizeOf, tInt, tUInt, tVoid, type CType, type FuncType } from './ctype.js';
import { rvalue, rvalueAs } from './expr.js';
import { addr, convert, irt, type Val } from './ops.js';
import { allocSlot } from './stmt.js';
import type { Unit } from './unit.js';

function builtin(u: Unit, name: string, args: SyntaxNode[], n: SyntaxNode): Val | undefined {
  const fb = u.fb;
  const argv = (i: number, t: CType = tInt): Operand => rvalueAs(u, args[i], t).op;
  switch (name) {
    case '__xeno_write': {
      const a = [argv(0), argv(1, tUInt), argv(2)];
      u.at(n);
      return { op: fb.intr('sys_write', a)!, type: tInt };
    }
    case '__xeno_read': {
      const a = [argv(0), argv(1, tUInt), argv(2)];
      u.at(n);
      return { op: fb.intr('sys_read', a)!, type: tInt };
    }
    case '__xeno_exit': { const a = argv(0); u.at(n); fb.intr('sys_exit', [a]); return { op: konst(0), type: tVoid }; }
    case '__xeno_sbrk': { const a = argv(0); u.at(n); return { op: fb.intr('sys_sbrk', [a])!, type: tUInt }; }
    case '__builtin_va_start_address':
      if (!u.fn || !u.fnVariadic) u.error(n, 'va_start used in a function without ...');
      return { op: fb.vastart(), type: { kind: 'ptr', to: { kind: 'int', size: 1, signed: true, name: 'char' } } };
    case '__builtin_expect': { const v = rvalue(u, args[0]); rvalue(u, args[1]); return v; }
    case '__builtin_trap': fb.unreachable(); fb.block(fb.freshLabel('dead')); return { op: konst(0), type: tVoid };
    case '__builtin_unreachable': fb.unreachable(); fb.block(fb.freshLabel('dead')); return { op: konst(0), type: tVoid };
    default: return undefined;
  }
}

export function callExpr(u: Unit, n: SyntaxNode): Val {
  const fnN = n.childForFieldName('function')!;
  const argNodes = n.childForFieldName('arguments')!.namedChildren.filter((c) => c.type !== 'comment');
  let ft: FuncType;
  let callee: Operand;
  if (fnN.type === 'identifier' && !u.lookup(fnN.text)) {
    const b = builtin(u, fnN.text, argNodes, n);
    if (b) return b;
    // Implicit declaration (pre-C99): int name().
    ft = { kind: 'func', ret: tInt, params: [], paramNames: [], variadic: false, oldStyle: true };
    u.declareGlobal(fnN.text, { kind: 'func', type: ft, name: fnN.text, defined: false });
    callee = { kind: 'global', name: fnN.text, offset: 0 };
  } else {
    if (fnN.type === 'identifier' && u.lookup(fnN.text)?.kind === 'func' && fnN.text.startsWith('__xeno_')) {
      const b = builtin(u, fnN.text, argNodes, n);
      if (b) return b;
    }
    const f = rvalue(u, fnN);
    const t = f.type.kind === 'ptr' ? f.type.to : f.type;
    if (t.kind !== 'func') u.error(fnN, `called object is not a function (${t.kind})`);
    ft = t;
    callee = f.op;
  }
  const fb = u.fb;
  const args: CallArg[] = [];
  let retSlot: Operand | undefined;
  if (ft.ret.kind === 'struct') {
    retSlot = allocSlot(u, sizeOf(ft.ret), 4);
    args.push({ type: 'w', value: retSlot });
  }
  if (!ft.oldStyle && !ft.variadic && argNodes.length !== ft.params.length) {
    u.error(n, `wrong number of arguments: ${argNodes.length} given, ${ft.params.length} expected`);
  }
  // Arguments are evaluated right to left, as gcc does on i386, then passed in order.
  const vals: Val[] = [];
  for (let i = argNodes.length - 1; i >= 0; i--) vals[i] = rvalue(u, argNodes[i]);
  argNodes.forEach((a, i) => {
    let v = vals[i];
    if (i < ft.params.length && !ft.oldStyle) v = convert(u, v, ft.params[i]);
    else if (isInteger(v.type)) v = convert(u, v, promote(v.type));
    if (v.type.kind === 'struct') {
      const words = Math.ceil(sizeOf(v.type) / 4);
      for (let k = 0; k < words; k++) args.push({ type: 'w', value: fb.load('loadw', 'w', addr(u, v.op, k * 4)) });
    } else args.push({ type: irt(v.type), value: v.op });
  });
  u.at(n);
  if (retSlot) {
    fb.call(callee, args);
    return { op: retSlot, type: ft.ret };
  }
  if (ft.ret.kind === 'void') {
    fb.call(callee, args);
    return { op: konst(0), type: tVoid };
  }
  const r = fb.call(callee, args, irt(ft.ret))!;
  return { op: r, type: ft.ret };
}
