/*
 * Translation units: file-scope declarations and function definitions to one IR
 * module. Objects are emitted at the end of the unit, so tentative definitions
 * (`int x;` seen twice, or before `int x = 1;`) become one object. `static inline`
 * functions (header wrappers such as cpufunc.h's) are lowered only when something in
 * the module refers to them, so an unused wrapper never costs time or errors.
 */
import type { SyntaxNode, Tree } from 'tree-sitter';
import { konst, type IRModule, type IRParam } from '../ir/index.js';
import { alignOf, sizeOf, type CType, type FuncType } from './ctype.js';
import { parenTypedef } from './const.js';
import { adjustParam, applyDeclarator, declSpec, tagDeclaration } from './decl.js';
import { arrayLenFromInit, dataItems } from './init.js';
import { irt } from './ops.js';
import { cleanupFunction } from './opt.js';
import { allocSlot, lowerStmt, localDeclaration, staticAssert } from './stmt.js';
import type { Preprocessed } from './cpp.js';
import { isUnsupported, Unit } from './unit.js';

interface ObjDef { name: string; type: CType; init?: SyntaxNode; exported: boolean; node: SyntaxNode; align: number }

export function lowerUnit(pp: Preprocessed, tree: Tree, moduleName: string): IRModule {
  const u = new Unit(pp, moduleName);
  try {
    return lowerTree(u, tree);
  } catch (e) {
    // The nesting budget should stop deep input first; if the host stack still runs
    // out, the user gets the place, not a stack trace.
    if (e instanceof RangeError && /call stack/i.test(e.message)) {
      u.error(u.current ?? tree.rootNode, 'nested too deeply for the compiler (host stack exhausted)');
    }
    throw e;
  }
}

function lowerTree(u: Unit, tree: Tree): IRModule {
  if (tree.rootNode.hasError) {
    const bad = firstError(tree.rootNode);
    if (bad) u.error(bad, bad.isMissing ? `syntax error: missing ${bad.type}` : `syntax error near \`${bad.text.slice(0, 40).replace(/\s+/g, ' ')}\``);
  }
  const objects = new Map<string, ObjDef>();
  const inlines = new Map<string, () => void>();
  const left = new Map<string, unknown>();
  for (const n of tree.rootNode.namedChildren) {
    switch (n.type) {
      case 'function_definition': {
        const r = functionDefinition(u, n);
        if (r.deferred) inlines.set(r.name, r.lower);
        else if (u.staticNames.has(r.name)) {
          // A static function using something unsupported (floating point, as in a
          // header's helpers) is left out; it is an error only if something uses it.
          const back = u.snapshot();
          try { r.lower(); } catch (e) { if (!isUnsupported(e)) throw e; back(); left.set(r.name, e); }
        } else r.lower();
        break;
      }
      case 'declaration': globalDeclaration(u, n, objects); break;
      case 'type_definition': localDeclaration(u, n); break;
      case 'struct_specifier': case 'union_specifier': case 'enum_specifier': tagDeclaration(u, n); break;
      case 'comment': case 'linkage_specification': break;
      case 'expression_statement':
        if (n.text.trim() === ';' || staticAssert(u, n)) break;
        u.unsupported(n.namedChildren[0] ?? n, n.namedChildren[0]?.type === 'gnu_asm_expression' ? 'file-scope asm' : `file-scope ${n.type}`);
        break;
      case 'ERROR': u.error(n, `syntax error near \`${n.text.slice(0, 40).replace(/\s+/g, ' ')}\``); break;
      default: u.unsupported(n, `file-scope ${n.type}`);
    }
  }
  for (const o of objects.values()) {
    if (o.type.kind === 'array' && o.type.len === undefined) o.type = { ...o.type, len: 1 };
    if (o.type.kind === 'struct' && !o.type.complete) u.error(o.node, `'${o.name}' has incomplete type`);
    u.mb.data(o.name, dataItems(u, o.type, o.init), { export: o.exported, align: Math.max(alignOf(o.type), sizeOf(o.type) >= 4 ? 4 : 1, o.align) });
  }
  // Lower referenced inline functions until no new reference appears.
  const done = new Set<string>();
  for (;;) {
    const used = referencedSymbols(u.mb.module);
    const todo = [...inlines.keys()].filter((k) => used.has(k) && !done.has(k));
    if (todo.length === 0) break;
    for (const k of todo) { done.add(k); inlines.get(k)!(); }
  }
  if (left.size > 0) {
    const used = referencedSymbols(u.mb.module);
    for (const [name, e] of left) if (used.has(name)) throw e;
  }
  return u.mb.finish();
}

function firstError(root: SyntaxNode): SyntaxNode | undefined {
  // Depth first, in source order, without recursion (trees can be very deep).
  const stack: SyntaxNode[] = [root];
  while (stack.length > 0) {
    const n = stack.pop()!;
    // `unsigned :0;` (an unnamed bit-field) parses with a MISSING field name: valid C.
    if (n.isMissing && n.type === 'field_identifier') continue;
    if (n.type === 'ERROR' || n.isMissing) return n;
    const kids = n.children.filter((c) => c.hasError || c.isMissing);
    for (let i = kids.length - 1; i >= 0; i--) stack.push(kids[i]);
  }
  return undefined;
}

function referencedSymbols(m: IRModule): Set<string> {
  const out = new Set<string>();
  const see = (o: unknown): void => { if (o && (o as { kind?: string }).kind === 'global') out.add((o as { name: string }).name); };
  for (const f of m.funcs) for (const b of f.blocks) for (const i of b.instrs) for (const v of Object.values(i)) {
    if (Array.isArray(v)) v.forEach((a) => see((a as { value?: unknown }).value ?? a)); else see(v);
  }
  for (const d of m.data) for (const it of d.items) if (it.kind === 'symbol') out.add(it.name);
  return out;
}

function globalDeclaration(u: Unit, n: SyntaxNode, objects: Map<string, ObjDef>): void {
  const spec = declSpec(u, n);
  for (const d of n.childrenForFieldName('declarator')) {
    const decl = applyDeclarator(u, spec.type, d);
    if (!decl.name) continue;
    const init = d.type === 'init_declarator' ? d.childForFieldName('value') ?? undefined : undefined;
    if (spec.storage === 'typedef') { u.declare(decl.name, { kind: 'typedef', type: decl.type }); continue; }
    if (decl.type.kind === 'func') {
      if (spec.storage === 'static') u.staticNames.add(decl.name);
      const prev = u.lookup(decl.name);
      if (prev?.kind === 'func' && !(decl.type.oldStyle && decl.type.params.length === 0 && !(prev.type as FuncType).oldStyle)) prev.type = decl.type;
      else if (prev?.kind !== 'func') u.declare(decl.name, { kind: 'func', type: decl.type, name: decl.name, defined: false });
      continue;
    }
    let type = decl.type;
    if (init && type.kind === 'array' && type.len === undefined) type = { ...type, len: arrayLenFromInit(u, type, init) };
    const prev = objects.get(decl.name);
    const prevSym = u.lookup(decl.name);
    if (prevSym?.kind === 'global' && prevSym.type.kind === 'array' && prevSym.type.len !== undefined && type.kind === 'array' && type.len === undefined) type = prevSym.type;
    u.declare(decl.name, { kind: 'global', type, name: decl.name, defined: spec.storage !== 'extern' });
    if (spec.storage === 'extern' && !init) {
      if (prev) prev.type = type.kind === 'array' && type.len === undefined ? prev.type : type;
      continue;
    }
    const align = u.pp.alignByRow.get(d.endPosition.row) ?? 1;
    if (prev) {
      prev.align = Math.max(prev.align, align);
      if (init && prev.init) u.error(d, `redefinition of '${decl.name}'`);
      if (init) prev.init = init;
      if (!(type.kind === 'array' && type.len === undefined)) prev.type = type;
      if (spec.storage === 'static') prev.exported = false;
    } else {
      objects.set(decl.name, { name: decl.name, type, init, exported: spec.storage !== 'static', node: d, align });
    }
  }
}

/**
 * Finds names whose address is taken (`&x`) in a function body, also in a cast to a
 * typedef name, `(caddr_t)&x`, which tree-sitter reads as the binary `(caddr_t) & x`.
 */
function addressTaken(u: Unit, body: SyntaxNode): Set<string> {
  const out = new Set<string>();
  const operand = (a: SyntaxNode | null): void => {
    while (a && a.type === 'parenthesized_expression') a = a.namedChildren[0];
    if (a?.type === 'identifier') out.add(a.text);
  };
  const see = (n: SyntaxNode): void => {
    if (n.type === 'pointer_expression' && n.childForFieldName('operator')?.text === '&') operand(n.childForFieldName('argument'));
    if (n.type === 'binary_expression' && n.childForFieldName('operator')?.text === '&' && parenTypedef(u, n.childForFieldName('left'))) {
      operand(n.childForFieldName('right'));
    }
    if (n.type === 'gnu_asm_output_operand' || n.type === 'gnu_asm_input_operand') {
      const c = n.childForFieldName('constraint')?.text ?? '';
      const v = n.childForFieldName('value');
      if (/m/.test(c) && !/[rqabcdSDAgi]/.test(c) && v?.type === 'identifier') out.add(v.text);
    }
  };
  // An explicit stack: a body's tree may be thousands of levels deep (`a+a+...`).
  const stack: SyntaxNode[] = [body];
  while (stack.length > 0) {
    const n = stack.pop()!;
    see(n);
    for (const c of n.namedChildren) stack.push(c);
  }
  return out;
}

function functionDefinition(u: Unit, n: SyntaxNode): { name: string; deferred: boolean; lower: () => void } {
  const spec = declSpec(u, n);
  const d = applyDeclarator(u, spec.type, n.childForFieldName('declarator'));
  if (!d.name || d.type.kind !== 'func') u.error(n, 'function definition without a function declarator');
  let ft = d.type as FuncType;
  const params = (d.params ?? []).map((p) => ({ ...p }));
  // K&R: `int f(a, b) int a; char *b; { ... }`
  for (const c of n.children) {
    if (c.type !== 'declaration') continue;
    const ps = declSpec(u, c);
    for (const pd of c.childrenForFieldName('declarator')) {
      const x = applyDeclarator(u, ps.type, pd);
      const p = params.find((q) => q.name === x.name);
      if (!p) u.error(pd, `declaration of '${x.name}' which is not a parameter`);
      p.type = adjustParam(x.type);
    }
  }
  if (ft.oldStyle && params.length > 0) ft = { ...ft, params: params.map((p) => p.type) };
  const name = d.name;
  const prev = u.lookup(name);
  if (prev?.kind === 'func' && prev.defined) u.error(n, `redefinition of '${name}'`);
  const keepProto = prev?.kind === 'func' && !(prev.type as FuncType).oldStyle && ft.oldStyle;
  u.declareGlobal(name, { kind: 'func', type: keepProto ? prev.type : ft, name, defined: true });
  // Internal linkage: `static` here or on an earlier declaration; inline functions
  // (static, extern or plain gnu89/C99 inline) are emitted locally and only when used.
  if (spec.storage === 'static') u.staticNames.add(name);
  const exported = !u.staticNames.has(name) && !spec.inline;
  const lower = (): void => lowerFunction(u, n, name, ft, params, exported);
  return { name, deferred: spec.inline, lower };
}

function lowerFunction(u: Unit, n: SyntaxNode, name: string, ft: FuncType, params: { name: string | undefined; type: CType; node: SyntaxNode }[], exported: boolean): void {
  const body = n.childForFieldName('body')!;
  if (ft.ret.kind === 'float' || params.some((p) => p.type.kind === 'float')) u.unsupported(n.childForFieldName('declarator') ?? n, 'floating point parameter or result');
  const irParams: IRParam[] = [];
  const retStruct = ft.ret.kind === 'struct';
  if (retStruct) irParams.push({ type: 'w', name: '.retp' });
  const pnames: string[][] = params.map((p, i) => {
    if (p.type.kind === 'struct') {
      const words = Math.ceil(sizeOf(p.type) / 4);
      return Array.from({ length: words }, (_, k) => { const nm = `p${i}.${k}`; irParams.push({ type: 'w', name: nm }); return nm; });
    }
    const nm = `${p.name ?? 'p'}.${i}`;
    irParams.push({ type: irt(p.type), name: nm });
    return [nm];
  });
  const retType = ft.ret.kind === 'void' ? undefined : retStruct ? 'w' : irt(ft.ret);
  const fb = u.mb.func(name, irParams, retType, { export: exported, varargs: ft.variadic });
  fb.block('start');
  u.fn = {
    fb, name, ret: ft.ret, labels: new Map(), breakTo: [], continueTo: [], addressTaken: addressTaken(u, body),
    staticCount: 0, allocCount: 0, retPtr: retStruct ? { kind: 'temp', name: '.retp' } : undefined,
  };
  u.fnVariadic = ft.variadic;
  u.at(n);
  u.push();
  params.forEach((p, i) => {
    const t = p.type;
    if (!p.name) return;
    if (t.kind === 'struct') {
      const slot = allocSlot(u, sizeOf(t), alignOf(t));
      pnames[i].forEach((nm, k) => fb.store('storew', { kind: 'temp', name: nm }, fb.binary('add', 'w', slot, konst(k * 4))));
      u.declare(p.name, { kind: 'mem', type: t, addr: slot });
      return;
    }
    const src = { kind: 'temp' as const, name: pnames[i][0] };
    if (t.kind === 'int' && t.size < 4) {
      const op = t.size === 1 ? (t.signed && !t.bool ? 'extsb' : 'extub') : t.signed ? 'extsh' : 'extuh';
      fb.unary(op, 'w', src, src.name);
    }
    if (u.fn!.addressTaken.has(p.name)) {
      const slot = allocSlot(u, sizeOf(t), alignOf(t));
      const size = t.kind === 'int' ? t.size : 4;
      fb.store(size === 1 ? 'storeb' : size === 2 ? 'storeh' : size === 8 ? 'storel' : 'storew', src, slot);
      u.declare(p.name, { kind: 'mem', type: t, addr: slot });
    } else u.declare(p.name, { kind: 'reg', type: t, temp: src.name });
  });
  lowerStmt(u, body);
  if (!fb.terminated) {
    u.at(body.lastChild ?? body);
    if (ft.ret.kind === 'void') fb.ret();
    else if (retStruct) fb.ret({ kind: 'temp', name: '.retp' });
    else fb.ret(konst(0));
  }
  u.pop();
  cleanupFunction(fb.fn);
  u.fn = undefined;
  u.fnVariadic = false;
}

