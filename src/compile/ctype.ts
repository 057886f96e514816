/*
 * The C type system of the front end, for i386 SysV (ILP32): char 1, short 2, int,
 * long and pointers 4, long long 8 (aligned to 4, as gcc -m32 lays it out in structs).
 * No floating-point arithmetic: a kernel does not use it and the IR has none. Floating
 * types exist only so that declarations naming them (a header's prototypes, an unused
 * static function, a struct member) have a size; using such a value is a CompileError.
 * Struct layout follows gcc's i386 rules, bit-fields included: a bit-field never
 * straddles a storage unit of its declared type, its type's alignment counts for the
 * struct, and a zero-width bit-field skips to the next unit.
 */

export interface IntType { kind: 'int'; size: 1 | 2 | 4 | 8; signed: boolean; bool?: boolean; name: string }
export interface VoidType { kind: 'void' }
/** float, double, long double (i386: 4, 8, 12 bytes, aligned to 4): sized, never a value. */
export interface FloatType { kind: 'float'; size: 4 | 8 | 12; name: string }
export interface PtrType { kind: 'ptr'; to: CType }
export interface ArrayType { kind: 'array'; of: CType; len: number | undefined }
export interface FuncType { kind: 'func'; ret: CType; params: CType[]; paramNames: string[]; variadic: boolean; oldStyle: boolean }
export interface Member {
  name: string;
  type: CType;
  offset: number;
  /** Bit-fields: width and offset (bits) inside the storage unit of `type` at `offset`. */
  bitWidth?: number;
  bitOffset?: number;
  /**
   * Bytes to load for the unit when a packed bit-field straddles its type's size;
   * 5: a 32-bit field starting mid-byte, read as a word and the byte after it.
   */
  unitSize?: 1 | 2 | 4 | 5;
}
export interface StructType {
  kind: 'struct';
  union: boolean;
  tag: string | undefined;
  members: Member[];
  /**
   * The members an initializer walks, in declaration order: named members and each
   * anonymous struct or union as one member (name ''), unnamed bit-fields left out.
   * `members` has the anonymous ones flattened, for lookup by name.
   */
  fields: Member[];
  size: number;
  align: number;
  complete: boolean;
  /** Identity across copies: struct types are compared by this id. */
  id: number;
}
export type CType = IntType | VoidType | FloatType | PtrType | ArrayType | FuncType | StructType;

export const tVoid: VoidType = { kind: 'void' };
export const tChar: IntType = { kind: 'int', size: 1, signed: true, name: 'char' };
export const tUChar: IntType = { kind: 'int', size: 1, signed: false, name: 'unsigned char' };
export const tShort: IntType = { kind: 'int', size: 2, signed: true, name: 'short' };
export const tUShort: IntType = { kind: 'int', size: 2, signed: false, name: 'unsigned short' };
export const tInt: IntType = { kind: 'int', size: 4, signed: true, name: 'int' };
export const tUInt: IntType = { kind: 'int', size: 4, signed: false, name: 'unsigned int' };
export const tLong: IntType = { kind: 'int', size: 4, signed: true, name: 'long' };
export const tULong: IntType = { kind: 'int', size: 4, signed: false, name: 'unsigned long' };
export const tLLong: IntType = { kind: 'int', size: 8, signed: true, name: 'long long' };
export const tULLong: IntType = { kind: 'int', size: 8, signed: false, name: 'unsigned long long' };
export const tBool: IntType = { kind: 'int', size: 1, signed: false, bool: true, name: '_Bool' };
export const tFloat: FloatType = { kind: 'float', size: 4, name: 'float' };
export const tDouble: FloatType = { kind: 'float', size: 8, name: 'double' };
export const tLDouble: FloatType = { kind: 'float', size: 12, name: 'long double' };

let structIds = 0;
export function newStruct(union: boolean, tag: string | undefined): StructType {
  return { kind: 'struct', union, tag, members: [], fields: [], size: 0, align: 1, complete: false, id: ++structIds };
}

export const ptrTo = (to: CType): PtrType => ({ kind: 'ptr', to });
export const arrayOf = (of: CType, len: number | undefined): ArrayType => ({ kind: 'array', of, len });

export function isInteger(t: CType): t is IntType { return t.kind === 'int'; }
export function isPointer(t: CType): t is PtrType { return t.kind === 'ptr'; }
/** Scalars: integers and pointers (arrays and functions decay before this is asked). */
export function isScalar(t: CType): boolean { return t.kind === 'int' || t.kind === 'ptr'; }
export function is64(t: CType): boolean { return t.kind === 'int' && t.size === 8; }

export function sizeOf(t: CType): number {
  switch (t.kind) {
    case 'void': return 1;           // GNU: sizeof(void) == 1, void * arithmetic by bytes
    case 'int': case 'float': return t.size;
    case 'ptr': return 4;
    case 'array': return t.len === undefined ? 0 : t.len * sizeOf(t.of);
    case 'func': return 1;
    case 'struct': return t.size;
  }
}

export function alignOf(t: CType): number {
  switch (t.kind) {
    case 'void': case 'func': return 1;
    case 'int': case 'float': return Math.min(t.size, 4);
    case 'ptr': return 4;
    case 'array': return alignOf(t.of);
    case 'struct': return t.align;
  }
}

/** A layout the IR cannot express; decl.ts turns it into a CompileError at the struct. */
export class LayoutError extends Error {}

export const alignUp = (n: number, a: number): number => Math.ceil(n / a) * a;

export interface FieldDecl { name: string | undefined; type: CType; bitWidth?: number; packed?: boolean }

/** Lays out a struct or union in place (i386 gcc rules); `packed` drops alignment. */
export function layoutStruct(st: StructType, fields: FieldDecl[], packed: boolean, alignAttr?: number, maxAlign?: number): void {
  const members: Member[] = [];
  const top: Member[] = [];
  let bitpos = 0;       // struct: next free bit
  let size = 0;         // union: largest member
  let align = 1;
  const add = (m: Member): void => {
    top.push(m);
    // Anonymous struct/union members are flattened, names reached directly.
    if (m.name === '' && m.type.kind === 'struct') {
      for (const sub of m.type.members) members.push({ ...sub, offset: sub.offset + m.offset });
    } else members.push(m);
  };
  for (const f of fields) {
    const fpacked = packed || f.packed === true;
    const fa = fpacked ? 1 : Math.min(alignOf(f.type), maxAlign ?? 16);
    const fsize = sizeOf(f.type);
    if (f.bitWidth !== undefined) {
      if (f.type.kind !== 'int') throw new LayoutError(`bit-field '${f.name}' of a non-integer type`);
      if (fsize === 8) throw new LayoutError(`bit-field '${f.name}' of a 64-bit type`);
      const unitBits = fsize * 8;
      const w = f.bitWidth;
      if (st.union) {
        if (f.name) add({ name: f.name, type: f.type, offset: 0, bitWidth: w, bitOffset: 0 });
        size = Math.max(size, Math.ceil(w / 8));
        if (f.name) align = Math.max(align, fa);
        continue;
      }
      if (w === 0) { bitpos = alignUp(bitpos, unitBits); continue; }
      if (!fpacked && Math.floor(bitpos / unitBits) !== Math.floor((bitpos + w - 1) / unitBits)) {
        bitpos = alignUp(bitpos, unitBits);
      }
      // Storage unit: the fsize-aligned unit holding the field (packed: byte-aligned).
      // A packed field may straddle units: it is then read from the byte holding its first bit.
      let unitByte = Math.floor(bitpos / unitBits) * fsize;
      if (bitpos - unitByte * 8 + w > unitBits) unitByte = Math.floor(bitpos / 8);
      const span = Math.ceil((bitpos - unitByte * 8 + w) / 8);
      if (span > 5) throw new LayoutError(`bit-field '${f.name}' spans ${span} bytes`);
      const unitSize = span > fsize ? (span <= 2 ? 2 : span <= 4 ? 4 : 5) : undefined;
      if (f.name) add({ name: f.name, type: f.type, offset: unitByte, bitWidth: w, bitOffset: bitpos - unitByte * 8, unitSize });
      bitpos += w;
      if (f.name !== undefined) align = Math.max(align, fa);
      continue;
    }
    align = Math.max(align, fa);
    if (st.union) {
      add({ name: f.name ?? '', type: f.type, offset: 0 });
      size = Math.max(size, fsize);
    } else {
      const off = alignUp(Math.ceil(bitpos / 8), fa);
      add({ name: f.name ?? '', type: f.type, offset: off });
      bitpos = (off + fsize) * 8;
    }
  }
  if (alignAttr) align = Math.max(align, alignAttr);
  st.members = members;
  st.fields = top;
  st.align = align;
  st.size = alignUp(st.union ? size : Math.ceil(bitpos / 8), align);
  st.complete = true;
}

export function findMember(st: StructType, name: string): Member | undefined {
  return st.members.find((m) => m.name === name);
}

/** Integer promotion: anything narrower than int becomes int. */
export function promote(t: IntType): IntType {
  return t.size < 4 ? tInt : t;
}

/** The usual arithmetic conversions on two promoted integer types. */
export function usualArith(a: IntType, b: IntType): IntType {
  a = promote(a); b = promote(b);
  if (a.size === 8 || b.size === 8) {
    if (a.size === 8 && b.size === 8) return !a.signed || !b.signed ? tULLong : tLLong;
    return a.size === 8 ? (a.signed ? tLLong : tULLong) : (b.signed ? tLLong : tULLong);
  }
  if (!a.signed || !b.signed) return a.name === 'unsigned long' || b.name === 'unsigned long' || (a.name === 'long' || b.name === 'long') ? tULong : tUInt;
  return a.name === 'long' || b.name === 'long' ? tLong : tInt;
}

/** Array and function types decay to pointers when used as values. */
export function decay(t: CType): CType {
  if (t.kind === 'array') return ptrTo(t.of);
  if (t.kind === 'func') return ptrTo(t);
  return t;
}

export function sameType(a: CType, b: CType): boolean {
  if (a.kind !== b.kind) return false;
  switch (a.kind) {
    case 'int': return a.size === (b as IntType).size && a.signed === (b as IntType).signed;
    case 'ptr': return sameType(a.to, (b as PtrType).to);
    case 'array': return sameType(a.of, (b as ArrayType).of);
    case 'struct': return a.id === (b as StructType).id;
    default: return true;
  }
}

export function typeName(t: CType): string {
  switch (t.kind) {
    case 'void': return 'void';
    case 'int': case 'float': return t.name;
    case 'ptr': return `${typeName(t.to)} *`;
    case 'array': return `${typeName(t.of)}[${t.len ?? ''}]`;
    case 'func': return `${typeName(t.ret)} (${t.params.map(typeName).join(', ')}${t.variadic ? ', ...' : ''})`;
    case 'struct': return `${t.union ? 'union' : 'struct'} ${t.tag ?? '<anonymous>'}`;
  }
}

/** A constant reduced to the values of type t (pointers: 32 bits unsigned). */
export function wrap(v: bigint, t: CType): bigint {
  if (t.kind === 'ptr') return BigInt.asUintN(32, v);
  if (t.kind !== 'int') return v;
  const bits = t.size * 8;
  return t.signed ? BigInt.asIntN(bits, v) : BigInt.asUintN(bits, v);
}
