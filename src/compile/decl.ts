/*
 * Declarations to types: declaration specifiers (base types, typedef names, struct,
 * union and enum specifiers with their layout) and declarators (pointers, arrays,
 * functions, parentheses), as tree-sitter-c shapes them. Old-style (K&R) parameter
 * lists are kept as names; the definition's declaration list types them.
 */
import type { SyntaxNode } from 'tree-sitter';
import {
  arrayOf, layoutStruct, LayoutError, newStruct, ptrTo, tBool, tChar, tDouble, tFloat, tInt, tLDouble, tLLong, tLong, tShort, tUChar, tUInt, tULLong, tULong,
  tUShort, tVoid, type CType, type FieldDecl, type FuncType, type StructType,
} from './ctype.js';
import { constInt, evalConst } from './const.js';
import { ANON_BITFIELD } from './cpp.js';
import type { Unit } from './unit.js';

export interface DeclSpec {
  type: CType;
  storage: 'typedef' | 'extern' | 'static' | 'auto' | 'register' | undefined;
  inline: boolean;
}

export interface Declared {
  name: string | undefined;
  type: CType;
  node: SyntaxNode | undefined;
  /** Parameter declarations of the outermost function declarator (for definitions). */
  params?: { name: string | undefined; type: CType; node: SyntaxNode }[];
}

/** The specifiers of a declaration, parameter, field or type descriptor node. */
export function declSpec(u: Unit, node: SyntaxNode): DeclSpec {
  let storage: DeclSpec['storage'];
  let inline = false;
  for (const c of node.children) {
    if (c.type === 'storage_class_specifier') {
      const s = c.text.trim();
      if (s === 'inline' || s === '__inline' || s === '__inline__') inline = true;
      else if (s === 'extern' || s === 'static' || s === 'auto' || s === 'register') storage = s;
    }
  }
  if (node.type === 'type_definition') storage = 'typedef';
  const tn = node.childForFieldName('type');
  if (!tn) u.error(node, 'declaration without a type');
  return { type: typeOfSpecifier(u, tn, node), storage, inline };
}

/** A struct, union or enum specifier standing alone (`struct s { ... };`): declares its tag. */
export function tagDeclaration(u: Unit, n: SyntaxNode): void {
  typeOfSpecifier(u, n, n);
}

function typeOfSpecifier(u: Unit, tn: SyntaxNode, decl: SyntaxNode): CType {
  u.enter(tn);
  const t = specifierType(u, tn, decl);
  u.leave();
  return t;
}

function specifierType(u: Unit, tn: SyntaxNode, decl: SyntaxNode): CType {
  switch (tn.type) {
    case 'primitive_type':
      return primitive(u, tn, tn.text);
    case 'sized_type_specifier':
      return sized(u, tn);
    case 'type_identifier': {
      const s = u.lookup(tn.text);
      if (s?.kind !== 'typedef') u.error(tn, `unknown type name '${tn.text}'`);
      return s.type;
    }
    case 'struct_specifier':
    case 'union_specifier':
      return structSpecifier(u, tn, decl);
    case 'enum_specifier':
      return enumSpecifier(u, tn);
    case 'macro_type_specifier':
    default:
      return u.unsupported(tn, `type specifier ${tn.type}`);
  }
}

function primitive(u: Unit, n: SyntaxNode, text: string): CType {
  switch (text) {
    case 'void': return tVoid;
    case 'char': return tChar;
    case 'short': return tShort;
    case 'int': case 'signed': return tInt;
    case 'long': return tLong;
    case 'unsigned': return tUInt;
    case '_Bool': case 'bool': return tBool;
    case 'size_t': return tUInt;
    case 'ssize_t': case 'ptrdiff_t': case 'intptr_t': case 'int32_t': return tInt;
    case 'uintptr_t': case 'uint32_t': return tUInt;
    case 'int8_t': return tChar;
    case 'uint8_t': return tUChar;
    case 'int16_t': return tShort;
    case 'uint16_t': return tUShort;
    case 'int64_t': return tLLong;
    case 'uint64_t': return tULLong;
    case 'float': return tFloat;
    case 'double': return tDouble;
    default:
      return u.unsupported(n, `type ${text}`);
  }
}

function sized(u: Unit, n: SyntaxNode): CType {
  let unsigned = false;
  let longs = 0;
  let short = false;
  let base = 'int';
  for (const c of n.children) {
    const t = c.text;
    if (t === 'unsigned') unsigned = true;
    else if (t === 'signed') unsigned = false;
    else if (t === 'long') longs++;
    else if (t === 'short') short = true;
    else if (c.type === 'primitive_type') base = t;
  }
  if (base === 'char') return unsigned ? tUChar : tChar;
  if (base === 'double') return longs ? tLDouble : tDouble;
  if (base === 'float') return tFloat;
  if (short) return unsigned ? tUShort : tShort;
  if (longs >= 2) return unsigned ? tULLong : tLLong;
  if (longs === 1) return unsigned ? tULong : tLong;
  return unsigned ? tUInt : tInt;
}

function hasAttr(n: SyntaxNode | null, name: string): boolean {
  if (!n) return false;
  for (const c of n.children) {
    if ((c.type === 'attribute_specifier' || c.type === 'attribute_declaration') && c.text.includes(name)) return true;
  }
  return false;
}

/** N of an `__attribute__((aligned(N)))` on the node, if any. */
function alignedAttr(u: Unit, n: SyntaxNode): number | undefined {
  for (const c of n.children) {
    if (c.type !== 'attribute_specifier' || !/aligned/.test(c.text)) continue;
    const find = (x: SyntaxNode): SyntaxNode | undefined => {
      if (x.type === 'call_expression' && /aligned/.test(x.childForFieldName('function')?.text ?? '')) return x.childForFieldName('arguments')?.namedChildren[0];
      for (const k of x.namedChildren) { const r = find(k); if (r) return r; }
      return undefined;
    };
    const arg = find(c);
    if (arg) return Number(constInt(u, arg));
  }
  return undefined;
}

function structSpecifier(u: Unit, tn: SyntaxNode, decl: SyntaxNode): CType {
  const union = tn.type === 'union_specifier';
  const nameNode = tn.childForFieldName('name');
  const body = tn.childForFieldName('body');
  const tag = nameNode?.text;
  let st: StructType | undefined;
  if (tag) {
    const found = u.lookupTag(tag, body !== null);
    if (found?.kind === 'struct' && !(body && found.type.complete)) st = found.type;
    else if (found?.kind === 'struct' && body && found.type.complete) u.error(tn, `redefinition of '${union ? 'union' : 'struct'} ${tag}'`);
    if (!st) {
      if (!body) {
        const outer = u.lookupTag(tag);
        if (outer?.kind === 'struct') return outer.type;
      }
      st = newStruct(union, tag);
      u.declareTag(tag, { kind: 'struct', type: st });
    }
  } else st = newStruct(union, undefined);
  if (!body) return st;
  const fields: FieldDecl[] = [];
  for (const fd of body.namedChildren) {
    if (fd.type === 'comment') continue;
    if (fd.type !== 'field_declaration') u.unsupported(fd, `struct member ${fd.type}`);
    const spec = declSpec(u, fd);
    if (fd.childrenForFieldName('declarator').length === 0) {
      const bf = fd.children.find((c) => c.type === 'bitfield_clause');
      const fpacked = hasAttr(fd, 'packed');
      if (bf) fields.push({ name: undefined, type: spec.type, bitWidth: Number(constInt(u, bf.namedChildren[0])), packed: fpacked });
      else if (spec.type.kind === 'struct') fields.push({ name: '', type: spec.type });
      continue;
    }
    let pending: FieldDecl | undefined;
    const fieldPacked = hasAttr(fd, 'packed');
    for (const c of fd.children) {
      if (c.type === 'bitfield_clause') {
        if (pending) pending.bitWidth = Number(constInt(u, c.namedChildren[0]));
        pending = undefined;
      } else if (isDeclaratorField(fd, c)) {
        const d = applyDeclarator(u, spec.type, c);
        pending = { name: d.name && d.name !== ANON_BITFIELD ? d.name : undefined, type: d.type, packed: fieldPacked };
        fields.push(pending);
      }
    }
  }
  for (const f of fields) {
    if (f.type.kind === 'struct' && !f.type.complete) u.error(tn, `field '${f.name}' has incomplete type`);
  }
  const blanked = u.pp.tagAttrs.get(`${tn.startPosition.row}:${tn.startPosition.column}`) ?? '';
  const blankedAlign = /aligned\s*\(\s*(\d+)\s*\)/.exec(blanked)?.[1];
  try {
    const pragma = u.pp.packAt(body.startPosition.row);
    layoutStruct(st, fields, hasAttr(tn, 'packed') || hasAttr(decl, 'packed') || hasAttr(tn.parent, 'packed') || /packed/.test(blanked) || pragma === 1,
      alignedAttr(u, tn) ?? (blankedAlign ? Number(blankedAlign) : undefined), pragma);
  } catch (e) {
    if (e instanceof LayoutError) u.unsupported(tn, e.message);
    throw e;
  }
  return st;
}

function isDeclaratorField(parent: SyntaxNode, child: SyntaxNode): boolean {
  const ds = parent.childrenForFieldName('declarator');
  return ds.some((d) => d.id === child.id);
}

/*
 * An enum's type is gcc's: unsigned int when no enumerator is negative, int otherwise
 * (long long beyond 32 bits). An enumerator has type int when its value fits one,
 * else the enum's type.
 */
function enumSpecifier(u: Unit, tn: SyntaxNode): CType {
  const nameNode = tn.childForFieldName('name');
  const body = tn.childForFieldName('body');
  if (nameNode && !body) {
    const tag = u.lookupTag(nameNode.text);
    return tag?.kind === 'enum' ? tag.type : tUInt;
  }
  let next = 0n;
  const consts: [string, bigint][] = [];
  for (const e of body?.namedChildren ?? []) {
    if (e.type !== 'enumerator') continue;
    const v = e.childForFieldName('value');
    if (v) next = constInt(u, v);
    const name = e.childForFieldName('name')!.text;
    const fits = next >= -0x80000000n && next <= 0x7fffffffn;
    u.declare(name, { kind: 'enumconst', value: next, type: fits ? tInt : next < 0n ? tLLong : tULLong });
    consts.push([name, next]);
    next++;
  }
  const min = consts.reduce((m, [, v]) => (v < m ? v : m), 0n);
  const max = consts.reduce((m, [, v]) => (v > m ? v : m), 0n);
  const type = min >= 0n ? (max <= 0xffffffffn ? tUInt : tULLong) : (min >= -0x80000000n && max <= 0x7fffffffn ? tInt : tLLong);
  for (const [name, v] of consts) {
    if (v < -0x80000000n || v > 0x7fffffffn) u.declare(name, { kind: 'enumconst', value: v, type });
  }
  if (nameNode) u.declareTag(nameNode.text, { kind: 'enum', type });
  return type;
}

/** Applies a declarator to a base type; returns the declared name (if any) and type. */
export function applyDeclarator(u: Unit, base: CType, d: SyntaxNode | null, param = false): Declared {
  let type = base;
  let node = d;
  let params: Declared['params'];
  while (node) {
    switch (node.type) {
      case 'identifier': case 'field_identifier': case 'type_identifier': case 'primitive_type':
        return { name: node.text, type, node, params };
      case 'init_declarator': case 'parenthesized_declarator': case 'abstract_parenthesized_declarator':
      case 'attributed_declarator':
        node = node.childForFieldName('declarator') ?? node.namedChildren.find((c) => c.type !== 'attribute_specifier' && c.type !== 'ms_call_modifier') ?? null;
        continue;
      case 'pointer_declarator': case 'abstract_pointer_declarator':
        type = ptrTo(type);
        node = node.childForFieldName('declarator');
        continue;
      case 'array_declarator': case 'abstract_array_declarator': {
        const size = node.childForFieldName('size');
        let len: number | undefined;
        // A parameter's outermost array becomes a pointer, so its size may be anything
        // (`a[n]`, `a[const *]`, `a[static 4]`); elsewhere it must be a constant.
        let inner = node.childForFieldName('declarator');
        while (inner && (inner.type === 'parenthesized_declarator' || inner.type === 'attributed_declarator')) inner = inner.namedChildren[0] ?? null;
        const outermost = param && (!inner || inner.type === 'identifier');
        if (size && !(outermost && (size.text === '*' || evalConst(u, size)?.sym !== undefined || evalConst(u, size) === undefined))) {
          len = Number(constInt(u, size));
          if (len < 0) u.error(size, `size of array is negative (${len})`);
        }
        type = arrayOf(type, len);
        node = node.childForFieldName('declarator');
        continue;
      }
      case 'function_declarator': case 'abstract_function_declarator': {
        const ps = parameters(u, node.childForFieldName('parameters'));
        type = { kind: 'func', ret: type, params: ps.list.map((p) => p.type), paramNames: ps.list.map((p) => p.name ?? ''), variadic: ps.variadic, oldStyle: ps.oldStyle } satisfies FuncType;
        params = ps.list;
        node = node.childForFieldName('declarator');
        continue;
      }
      case 'ms_pointer_modifier': case 'type_qualifier':
        return { name: undefined, type, node: undefined, params };
      default:
        return u.unsupported(node, `declarator ${node.type}`);
    }
  }
  return { name: undefined, type, node: undefined, params };
}

/** Parameter types adjust: arrays and functions become pointers. */
export function adjustParam(t: CType): CType {
  if (t.kind === 'array') return ptrTo(t.of);
  if (t.kind === 'func') return ptrTo(t);
  return t;
}

function parameters(u: Unit, pl: SyntaxNode | null): { list: { name: string | undefined; type: CType; node: SyntaxNode }[]; variadic: boolean; oldStyle: boolean } {
  const list: { name: string | undefined; type: CType; node: SyntaxNode }[] = [];
  let variadic = false;
  let oldStyle = false;
  if (!pl) return { list, variadic, oldStyle: true };
  const named = pl.namedChildren.filter((c) => c.type !== 'comment');
  if (named.length === 0) return { list, variadic, oldStyle: true };
  for (const p of named) {
    if (p.type === 'variadic_parameter') { variadic = true; continue; }
    if (p.type === 'identifier') { oldStyle = true; list.push({ name: p.text, type: tInt, node: p }); continue; }
    if (p.type !== 'parameter_declaration') u.unsupported(p, `parameter ${p.type}`);
    // `f(x, y)` in a K&R definition: tree-sitter reads the names as type names.
    const tn = p.childForFieldName('type');
    if (tn?.type === 'type_identifier' && !p.childForFieldName('declarator') && !u.isTypedef(tn.text)) {
      oldStyle = true; list.push({ name: tn.text, type: tInt, node: p }); continue;
    }
    const spec = declSpec(u, p);
    const d = applyDeclarator(u, spec.type, p.childForFieldName('declarator'), true);
    if (d.type.kind === 'void' && !d.name) continue;
    list.push({ name: d.name, type: adjustParam(d.type), node: p });
  }
  if (pl.text.replace(/\s/g, '').endsWith('...)')) variadic = true;
  return { list, variadic, oldStyle };
}

/** The type named by a type_descriptor (casts, sizeof, compound literals). */
export function typeDescriptor(u: Unit, td: SyntaxNode): CType {
  const spec = declSpec(u, td);
  return applyDeclarator(u, spec.type, td.childForFieldName('declarator')).type;
}

