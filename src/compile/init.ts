/*
 * Initializers. One walker flattens an initializer (braced lists, designators, brace
 * elision, strings for char arrays) against a type into scalar entries at byte
 * offsets; locals then zero the object and store each entry, static data evaluates
 * each entry as a constant into bytes plus symbol relocations.
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst, type DataItem, type Operand } from '../ir/index.js';
import { sizeOf, type CType, type Member } from './ctype.js';
import { evalConst, stringBytes, wrap } from './const.js';
import { rvalue, rvalueAs, typeOfExpr } from './expr.js';
import { addr, copyMem, storeAt, storeBits, zeroMem } from './ops.js';
import type { Unit } from './unit.js';

type Entry =
  | { kind: 'scalar'; offset: number; type: CType; node: SyntaxNode; bf?: Member }
  | { kind: 'string'; offset: number; bytes: Uint8Array; size: number };

const items = (n: SyntaxNode): SyntaxNode[] => n.namedChildren.filter((c) => c.type !== 'comment');
const isString = (n: SyntaxNode): boolean => n.type === 'string_literal' || n.type === 'concatenated_string'
  || (n.type === 'parenthesized_expression' && n.namedChildren.length === 1 && isString(n.namedChildren[0]));
const unparen = (n: SyntaxNode): SyntaxNode => (n.type === 'parenthesized_expression' ? unparen(n.namedChildren[0]) : n);
const isCharArray = (t: CType): boolean => t.kind === 'array' && t.of.kind === 'int' && t.of.size === 1;

class Walker {
  out: Entry[] = [];
  maxIndex = 0;
  constructor(private u: Unit) {}

  walk(t: CType, n: SyntaxNode, off: number): void {
    if (t.kind === 'array') {
      if (isString(n) && isCharArray(t)) {
        const bytes = stringBytes(this.u, unparen(n));
        const size = t.len ?? bytes.length + 1;
        this.out.push({ kind: 'string', offset: off, bytes, size });
        return;
      }
      if (n.type !== 'initializer_list') this.u.error(n, 'array initializer must be a braced list');
      this.list(t, items(n), 0, off, true);
      return;
    }
    if (t.kind === 'struct') {
      if (n.type === 'initializer_list') { this.list(t, items(n), 0, off, true); return; }
      this.out.push({ kind: 'scalar', offset: off, type: t, node: n });
      return;
    }
    if (n.type === 'initializer_list') {
      const it = items(n);
      if (it.length === 0) return;
      this.walk(t, it[0], off);
      return;
    }
    this.out.push({ kind: 'scalar', offset: off, type: t, node: n });
  }

  /** Fills aggregate t from its[i..]; braced: the list belongs to t alone. Returns the next index. */
  list(t: CType, its: SyntaxNode[], i: number, off: number, braced: boolean): number {
    if (t.kind === 'array') {
      const es = sizeOf(t.of);
      let idx = 0;
      while (i < its.length && (braced || t.len === undefined || idx < t.len)) {
        let item = its[i];
        if (item.type === 'initializer_pair') {
          if (!braced) return i;
          const d = item.childForFieldName('designator') ?? item.namedChildren[0];
          if (d.type !== 'subscript_designator') this.u.unsupported(d, 'designator on an array');
          const v = evalConst(this.u, d.namedChildren[0]);
          if (!v || v.sym) this.u.error(d, 'array designator is not a constant');
          idx = Number(v.value);
          item = item.childForFieldName('value') ?? item.namedChildren[item.namedChildren.length - 1];
          i = this.element(t.of, its, i, item, off + idx * es);
        } else i = this.element(t.of, its, i, item, off + idx * es);
        if (braced) this.maxIndex = Math.max(this.maxIndex, idx + 1);
        idx++;
        if (t.len !== undefined && idx > t.len && braced) this.u.error(item, 'excess elements in array initializer');
      }
      return i;
    }
    if (t.kind === 'struct') {
      let m = 0;
      while (i < its.length && m < (t.union ? 1 : t.members.length)) {
        let item = its[i];
        if (item.type === 'initializer_pair') {
          if (!braced) return i;
          const d = item.childForFieldName('designator') ?? item.namedChildren[0];
          const name = d.text.replace(/^\./, '').trim();
          const k = t.members.findIndex((x) => x.name === name);
          if (k < 0) this.u.error(d, `no member named '${name}'`);
          m = k;
          item = item.childForFieldName('value') ?? item.namedChildren[item.namedChildren.length - 1];
        }
        const mem = t.members[m];
        if (mem.bitWidth !== undefined) {
          this.out.push({ kind: 'scalar', offset: off + mem.offset, type: mem.type, node: item, bf: mem });
          i++;
        } else i = this.element(mem.type, its, i, item, off + mem.offset);
        m++;
        if (t.union) break;
      }
      if (braced && i < its.length) this.u.error(its[i], 'excess elements in struct initializer');
      return i;
    }
    this.walk(t, its[i], off);
    return i + 1;
  }

  private element(t: CType, its: SyntaxNode[], i: number, item: SyntaxNode, off: number): number {
    if (item.type === 'initializer_list' || (t.kind !== 'array' && t.kind !== 'struct')) { this.walk(t, item, off); return i + 1; }
    if (t.kind === 'array' && isString(item) && isCharArray(t)) { this.walk(t, item, off); return i + 1; }
    if (t.kind === 'struct' && typeOfExpr(this.u, item).kind === 'struct') { this.walk(t, item, off); return i + 1; }
    // Brace elision: the element takes as many items as it needs.
    const saved = this.maxIndex;
    const next = this.list(t, its, i, off, false);
    this.maxIndex = saved;
    return next;
  }
}

/** The length of an unsized array from its initializer. */
export function arrayLenFromInit(u: Unit, t: CType, n: SyntaxNode): number | undefined {
  if (t.kind !== 'array' || t.len !== undefined) return undefined;
  if (isString(n) && isCharArray(t)) return stringBytes(u, unparen(n)).length + 1;
  if (n.type !== 'initializer_list') return undefined;
  const w = new Walker(u);
  w.list({ ...t, len: undefined }, items(n), 0, 0, true);
  return w.maxIndex;
}

/** Stores the initializer for a local object at `base` (zero-filling the rest). */
export function lowerInitializer(u: Unit, base: Operand, t: CType, n: SyntaxNode): void {
  if (t.kind !== 'array' && t.kind !== 'struct' && n.type !== 'initializer_list') {
    storeAt(u, base, rvalueAs(u, n, t).op, t);
    return;
  }
  const w = new Walker(u);
  w.walk(t, n, 0);
  zeroMem(u, base, sizeOf(t));
  for (const e of w.out) {
    if (e.kind === 'string') {
      const n2 = Math.min(e.bytes.length, e.size);
      for (let k = 0; k < n2; k++) u.fb.store('storeb', konst(e.bytes[k]), addr(u, base, e.offset + k));
      continue;
    }
    u.at(e.node);
    if (e.bf) { storeBits(u, base, e.bf, rvalueAs(u, e.node, e.type).op); continue; }
    if (e.type.kind === 'struct') { copyMem(u, addr(u, base, e.offset), rvalue(u, e.node).op, sizeOf(e.type)); continue; }
    storeAt(u, addr(u, base, e.offset), rvalueAs(u, e.node, e.type).op, e.type);
  }
}

/** Static data for an object of type t with initializer n (undefined: all zero). */
export function dataItems(u: Unit, t: CType, n: SyntaxNode | undefined): DataItem[] {
  const size = sizeOf(t);
  if (!n) return size > 0 ? [{ kind: 'zero', size }] : [];
  const w = new Walker(u);
  w.walk(t, n, 0);
  const bytes = new Uint8Array(size);
  const relocs = new Map<number, { sym: string; off: number }>();
  const put = (off: number, v: bigint, len: number): void => {
    for (let k = 0; k < len && off + k < size; k++) bytes[off + k] = Number((BigInt.asUintN(64, v) >> BigInt(8 * k)) & 0xffn);
  };
  for (const e of w.out) {
    if (e.kind === 'string') { bytes.set(e.bytes.subarray(0, Math.min(e.bytes.length, e.size)), e.offset); continue; }
    const v = evalConst(u, e.node);
    if (!v) u.error(e.node, `initializer element is not a compile-time constant: \`${e.node.text.slice(0, 40)}\``);
    if (e.type.kind === 'struct') u.error(e.node, 'struct-valued static initializer');
    if (v.sym !== undefined) {
      if (sizeOf(e.type) !== 4) u.error(e.node, 'address constant in a non-pointer-sized object');
      relocs.set(e.offset, { sym: v.sym, off: Number(BigInt.asIntN(32, v.value)) });
      continue;
    }
    if (e.bf) {
      const unit = sizeOf(e.type);
      let cur = 0n;
      for (let k = 0; k < unit; k++) cur |= BigInt(bytes[e.offset + k]) << BigInt(8 * k);
      const mask = ((1n << BigInt(e.bf.bitWidth!)) - 1n) << BigInt(e.bf.bitOffset!);
      cur = (cur & ~mask) | ((BigInt.asUintN(64, v.value) << BigInt(e.bf.bitOffset!)) & mask);
      put(e.offset, cur, unit);
      continue;
    }
    put(e.offset, wrap(v.value, e.type), sizeOf(e.type));
  }
  const out: DataItem[] = [];
  let run: number[] = [];
  const flush = (): void => { if (run.length) { out.push({ kind: 'string', bytes: Uint8Array.from(run) }); run = []; } };
  for (let k = 0; k < size;) {
    const r = relocs.get(k);
    if (r) { flush(); out.push({ kind: 'symbol', name: r.sym, offset: r.off }); k += 4; continue; }
    let z = k;
    while (z < size && bytes[z] === 0 && !relocs.has(z)) z++;
    if (z - k >= 8 || (z === size && k === 0)) { flush(); out.push({ kind: 'zero', size: z - k }); k = z; continue; }
    run.push(bytes[k]); k++;
  }
  flush();
  return out;
}
