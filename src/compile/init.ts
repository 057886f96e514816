/*
 * Initializers. One walker flattens an initializer against a type into entries at
 * byte offsets: braced lists, designator chains (`[i].m = v`), GNU ranges
 * (`[a ... b] = v`), brace elision, strings for char and wide-char arrays, compound
 * literals standing for a braced list. It follows C's "current object" (C99
 * 6.7.8p17-20): an item without a designator initializes the subobject after the
 * previous one at the deepest level reached, a designator starts again from the
 * enclosing brace, and a later entry overrides an earlier one at the same place.
 * Locals then zero the object and store each entry in order; static data evaluates
 * each entry as a constant into bytes plus symbol relocations.
 *
 * The walk keeps the open subobjects on an explicit stack, so its recursion depth is
 * the number of nested braces that open aggregates (bounded by the type's depth),
 * never the number of items; braces around a scalar are peeled in a loop.
 */
import type { SyntaxNode } from 'tree-sitter';
import { konst, type DataItem, type Operand } from '../ir/index.js';
import { sizeOf, wrap, type CType, type Member, type StructType } from './ctype.js';
import { evalConst } from './const.js';
import { stringLit, type StringLit } from './literal.js';
import { rvalue, rvalueAs, typeOfExpr } from './expr.js';
import { addr, copyMem, storeAt, storeBits, zeroMem } from './ops.js';
import { typeDescriptor } from './decl.js';
import type { Unit } from './unit.js';

type Entry =
  | { kind: 'scalar'; offset: number; type: CType; node: SyntaxNode; bf?: Member }
  | { kind: 'string'; offset: number; lit: StringLit; count: number }
  | { kind: 'zero'; offset: number; size: number };

/** An open aggregate: its type, byte offset in the object, and the next member or element. */
interface Level { t: CType; off: number; idx: number }

const items = (n: SyntaxNode): SyntaxNode[] => n.namedChildren.filter((c) => c.type !== 'comment');
function unparen(n: SyntaxNode): SyntaxNode {
  while (n.type === 'parenthesized_expression' && n.namedChildren.length === 1) n = n.namedChildren[0];
  return n;
}
const isString = (n: SyntaxNode): boolean => { const x = unparen(n); return x.type === 'string_literal' || x.type === 'concatenated_string'; };
const isAggregate = (t: CType): boolean => t.kind === 'array' || t.kind === 'struct';

/** `(T){ ... }`, as tree-sitter reads it with or without a typedef name: its type node and list. */
function compoundLiteral(n: SyntaxNode): { type: SyntaxNode; list: SyntaxNode } | undefined {
  const x = unparen(n);
  if (x.type !== 'compound_literal_expression' && x.type !== 'cast_expression') return undefined;
  const list = x.childForFieldName('value');
  const type = x.childForFieldName('type');
  return list?.type === 'initializer_list' && type ? { type, list } : undefined;
}

/** The path of member indices (through anonymous members) to the member `name`. */
function memberPath(st: StructType, name: string): number[] | undefined {
  const direct = st.fields.findIndex((m) => m.name === name);
  if (direct >= 0) return [direct];
  for (let i = 0; i < st.fields.length; i++) {
    const m = st.fields[i];
    if (m.name !== '' || m.type.kind !== 'struct') continue;
    const sub = memberPath(m.type, name);
    if (sub) return [i, ...sub];
  }
  return undefined;
}

class Walker {
  out: Entry[] = [];
  /** Elements of the outermost array that were initialized (its length when unsized). */
  maxIndex = 0;
  /** True once a designator was seen: a braced list may then re-initialize a filled subobject. */
  private designated = false;
  constructor(private u: Unit) {}

  /** Initializes an object of type t at offset off from n (a braced list or an expression). */
  walk(t: CType, n: SyntaxNode, off: number, outer = false): void {
    if (n.type === 'initializer_list') { this.braced(t, off, n, outer); return; }
    const cl = compoundLiteral(n);
    if (cl && isAggregate(t) && typeDescriptor(this.u, cl.type).kind === t.kind) { this.braced(t, off, cl.list, outer); return; }
    if (t.kind === 'array') {
      if (!this.stringFits(t, n)) this.u.error(n, 'array initializer must be a braced list or a string literal');
      this.string(t, n, off, outer);
      return;
    }
    this.out.push({ kind: 'scalar', offset: off, type: t, node: n });
  }

  private stringFits(t: CType, n: SyntaxNode): boolean {
    if (t.kind !== 'array' || t.of.kind !== 'int' || !isString(n)) return false;
    const lit = stringLit(this.u, unparen(n));
    return lit.elem.size === t.of.size;
  }

  private string(t: CType, n: SyntaxNode, off: number, outer = false): void {
    const lit = stringLit(this.u, unparen(n));
    const len = (t as { len: number | undefined }).len;
    const count = len ?? lit.units.length + 1;
    this.out.push({ kind: 'string', offset: off, lit, count });
    if (outer) this.maxIndex = Math.max(this.maxIndex, count);
  }

  private braced(t: CType, off: number, list: SyntaxNode, outer: boolean): void {
    this.u.enter(list);
    this.bracedList(t, off, list, outer);
    this.u.leave();
  }

  private bracedList(t: CType, off: number, list: SyntaxNode, outer: boolean): void {
    let its = items(list);
    if (!isAggregate(t)) {
      // Braces around a scalar (any depth, gcc accepts them); only the first item counts.
      let n = list;
      while (n.type === 'initializer_list') {
        its = items(n);
        if (its.length === 0) { this.out.push({ kind: 'zero', offset: off, size: sizeOf(t) }); return; }
        n = its[0];
      }
      if (n.type === 'initializer_pair') this.u.error(n, 'designator in a scalar initializer');
      this.out.push({ kind: 'scalar', offset: off, type: t, node: n });
      return;
    }
    if (this.designated) this.out.push({ kind: 'zero', offset: off, size: sizeOf(t) });
    if (t.kind === 'array' && its.length === 1 && this.stringFits(t, its[0])) {
      this.string(t, its[0], off, outer);
      return;
    }
    const stack: Level[] = [{ t, off, idx: 0 }];
    for (const item of its) {
      if (item.type === 'initializer_pair') {
        this.designated = true;
        stack.length = 1;
        const ds = item.childrenForFieldName('designator');
        const value = item.childForFieldName('value') ?? item.namedChildren[item.namedChildren.length - 1];
        this.designate(stack, ds.length > 0 ? ds : [item.namedChildren[0]], 0, value, outer);
      } else this.place(stack, item, outer);
    }
  }

  /** Applies designators ds[k..] from the open subobjects in stack, then places value. */
  private designate(stack: Level[], ds: SyntaxNode[], k: number, value: SyntaxNode, outer: boolean): void {
    for (; k < ds.length; k++) {
      const d = ds[k];
      const top = stack[stack.length - 1];
      if (d.type === 'subscript_designator' || d.type === 'subscript_range_designator') {
        if (top.t.kind !== 'array') this.u.error(d, 'array index in a non-array initializer');
        const range = d.type === 'subscript_range_designator';
        const lo = this.index(top.t, range ? d.childForFieldName('start')! : d.namedChildren[0]);
        const hi = range ? this.index(top.t, d.childForFieldName('end')!) : lo;
        if (hi < lo) this.u.error(d, 'empty index range in initializer');
        if (range) {
          // Each index gets the value; the walk goes on after the last one.
          let last = stack;
          for (let i = lo; i <= hi; i++) {
            last = stack.map((l) => ({ ...l }));
            last[last.length - 1].idx = i;
            if (k + 1 < ds.length) this.open(last, ds[k + 1]);
            this.designate(last, ds, k + 1, value, outer);
          }
          stack.length = 0;
          stack.push(...last);
          return;
        }
        top.idx = lo;
      } else {
        const name = (d.type === 'field_designator' ? d.namedChildren[0] ?? d : d).text.replace(/^\./, '').trim();
        if (top.t.kind !== 'struct') this.u.error(d, `field name '${name}' in a non-struct initializer`);
        const path = memberPath(top.t, name);
        if (!path) this.u.error(d, `no member named '${name}'`);
        for (let j = 0; j < path.length - 1; j++) {
          const cur = stack[stack.length - 1];
          cur.idx = path[j];
          const m = (cur.t as StructType).fields[path[j]];
          stack.push({ t: m.type, off: cur.off + m.offset, idx: 0 });
        }
        stack[stack.length - 1].idx = path[path.length - 1];
      }
      if (k + 1 < ds.length) this.open(stack, ds[k + 1]);
    }
    this.place(stack, value, outer);
  }

  /** Opens the subobject the top level points at, for a further designator. */
  private open(stack: Level[], next: SyntaxNode): void {
    const top = stack[stack.length - 1];
    const sub = this.sub(top);
    if (!isAggregate(sub.t)) this.u.error(next, 'designator into a member that is not an aggregate');
    stack.push({ t: sub.t, off: sub.off, idx: 0 });
  }

  private index(t: CType, n: SyntaxNode): number {
    const v = evalConst(this.u, n);
    if (!v || v.sym !== undefined) this.u.error(n, 'array index in initializer is not an integer constant');
    const i = Number(BigInt.asIntN(64, v.value));
    const len = (t as { len: number | undefined }).len;
    if (i < 0 || (len !== undefined && i >= len)) this.u.error(n, `array index ${i} in initializer is out of bounds`);
    if (i > 0x7fffffff) this.u.error(n, `array index ${i} in initializer is too large`);
    return i;
  }

  private count(l: Level): number {
    if (l.t.kind === 'array') return l.t.len ?? Infinity;
    if (l.t.kind === 'struct') return l.t.fields.length;
    return 1;
  }

  private sub(l: Level): { t: CType; off: number; bf?: Member } {
    if (l.t.kind === 'array') return { t: l.t.of, off: l.off + l.idx * sizeOf(l.t.of) };
    const m = (l.t as StructType).fields[l.idx];
    return { t: m.type, off: l.off + m.offset, bf: m.bitWidth !== undefined ? m : undefined };
  }

  private advance(l: Level): void {
    if (l.t.kind === 'struct' && l.t.union) l.idx = l.t.fields.length;
    else l.idx++;
  }

  /** Places one item at the next subobject, descending through elided braces. */
  private place(stack: Level[], value: SyntaxNode, outer: boolean): void {
    for (;;) {
      let top = stack[stack.length - 1];
      while (top.idx >= this.count(top)) {
        if (stack.length === 1) this.u.error(value, `excess elements in ${top.t.kind === 'array' ? 'array' : 'struct'} initializer`);
        stack.pop();
        top = stack[stack.length - 1];
        this.advance(top);
      }
      const sub = this.sub(top);
      const done = (): void => {
        if (outer && stack[0].t.kind === 'array') this.maxIndex = Math.max(this.maxIndex, stack[0].idx + 1);
        this.advance(top);
      };
      if (value.type === 'initializer_list') {
        if (!sub.bf) this.walk(sub.t, value, sub.off);
        else { const x = scalarInit(value); if (x) this.out.push({ kind: 'scalar', offset: sub.off, type: sub.t, node: x, bf: sub.bf }); }
        done();
        return;
      }
      if (sub.t.kind === 'array') {
        const cl = compoundLiteral(value);
        if (this.stringFits(sub.t, value) || (cl && typeDescriptor(this.u, cl.type).kind === 'array')) { this.walk(sub.t, value, sub.off); done(); return; }
      } else if (sub.t.kind === 'struct') {
        const vt = typeOfExpr(this.u, value);
        if (vt.kind === 'struct' && vt.id === sub.t.id) { this.walk(sub.t, value, sub.off); done(); return; }
      } else {
        this.out.push({ kind: 'scalar', offset: sub.off, type: sub.t, node: value, bf: sub.bf });
        done();
        return;
      }
      stack.push({ t: sub.t, off: sub.off, idx: 0 });
    }
  }
}

/** A scalar's initializer inside any number of braces (`{ { 5 } }`); undefined for `{}`. */
export function scalarInit(n: SyntaxNode): SyntaxNode | undefined {
  while (n.type === 'initializer_list') {
    const first = items(n)[0];
    if (!first) return undefined;
    n = first;
  }
  return n;
}

/** The length of an unsized array from its initializer. */
export function arrayLenFromInit(u: Unit, t: CType, n: SyntaxNode): number | undefined {
  if (t.kind !== 'array' || t.len !== undefined) return undefined;
  const w = new Walker(u);
  w.walk(t, n, 0, true);
  return w.maxIndex;
}

/** Stores the initializer for a local object at `base` (zero-filling the rest). */
export function lowerInitializer(u: Unit, base: Operand, t: CType, n: SyntaxNode): void {
  if (!isAggregate(t) && n.type !== 'initializer_list') {
    storeAt(u, base, rvalueAs(u, n, t).op, t);
    return;
  }
  const w = new Walker(u);
  w.walk(t, n, 0);
  zeroMem(u, base, sizeOf(t));
  const stores = { 1: 'storeb', 2: 'storeh', 4: 'storew' } as const;
  for (const e of w.out) {
    if (e.kind === 'zero') { if (e.offset > 0 || e.size < sizeOf(t)) zeroMem(u, addr(u, base, e.offset), e.size); continue; }
    if (e.kind === 'string') {
      const size = e.lit.elem.size as 1 | 2 | 4;
      const n2 = Math.min(e.lit.units.length, e.count);
      for (let k = 0; k < n2; k++) u.fb.store(stores[size], konst(e.lit.units[k]), addr(u, base, e.offset + k * size));
      continue;
    }
    u.at(e.node);
    if (e.bf) { storeBits(u, addr(u, base, e.offset), { ...e.bf, offset: 0 }, rvalueAs(u, e.node, e.type).op); continue; }
    if (e.type.kind === 'struct') { copyMem(u, addr(u, base, e.offset), rvalue(u, e.node).op, sizeOf(e.type)); continue; }
    storeAt(u, addr(u, base, e.offset), rvalueAs(u, e.node, e.type).op, e.type);
  }
}

/**
 * The bytes of a static object, kept in 4 KiB pages created on first write so that a
 * huge, mostly zero object costs memory for its written parts only.
 */
class Image {
  private pages = new Map<number, Uint8Array>();
  readonly relocs = new Map<number, { sym: string; off: number }>();
  constructor(readonly size: number) {}

  private page(p: number): Uint8Array {
    let b = this.pages.get(p);
    if (!b) { b = new Uint8Array(4096); this.pages.set(p, b); }
    return b;
  }
  get(off: number): number { return this.pages.get(off >> 12)?.[off & 4095] ?? 0; }
  set(off: number, v: number): void {
    if (off < 0 || off >= this.size) return;
    if (this.relocs.size > 0) for (let k = off - 3; k <= off; k++) this.relocs.delete(k);
    this.page(off >> 12)[off & 4095] = v;
  }
  reloc(off: number, r: { sym: string; off: number }): void {
    for (let k = off; k < off + 4; k++) this.set(k, 0);
    this.relocs.set(off, r);
  }

  /** Data items: byte runs, zero runs of 8 bytes or more, and symbol words. */
  items(): DataItem[] {
    const out: DataItem[] = [];
    let run: number[] = [];
    let zeros = 0;
    const flushZeros = (): void => {
      if (zeros >= 8) { if (run.length) out.push({ kind: 'string', bytes: Uint8Array.from(run) }); run = []; out.push({ kind: 'zero', size: zeros }); }
      else for (let i = 0; i < zeros; i++) run.push(0);
      zeros = 0;
    };
    const marks = [...new Set([...this.pages.keys(), ...[...this.relocs.keys()].map((o) => o >> 12)])].sort((a, b) => a - b);
    let k = 0;
    for (const p of marks) {
      const start = p * 4096;
      if (start > k) { zeros += start - k; k = start; }
      const end = Math.min(start + 4096, this.size);
      while (k < end) {
        const r = this.relocs.get(k);
        if (r) {
          flushZeros();
          if (run.length) { out.push({ kind: 'string', bytes: Uint8Array.from(run) }); run = []; }
          out.push({ kind: 'symbol', name: r.sym, offset: r.off });
          k += 4;
          continue;
        }
        const b = this.get(k++);
        if (b === 0) { zeros++; continue; }
        flushZeros();
        run.push(b);
      }
    }
    if (k < this.size) zeros += this.size - k;
    if (zeros > 0 && (zeros >= 8 || (out.length === 0 && run.length === 0))) {
      if (run.length) out.push({ kind: 'string', bytes: Uint8Array.from(run) });
      run = [];
      out.push({ kind: 'zero', size: zeros });
    } else for (let i = 0; i < zeros; i++) run.push(0);
    if (run.length) out.push({ kind: 'string', bytes: Uint8Array.from(run) });
    return out;
  }
}

/** Static data for an object of type t with initializer n (undefined: all zero). */
export function dataItems(u: Unit, t: CType, n: SyntaxNode | undefined): DataItem[] {
  const size = sizeOf(t);
  if (!n) return size > 0 ? [{ kind: 'zero', size }] : [];
  const w = new Walker(u);
  w.walk(t, n, 0);
  const img = new Image(size);
  const put = (off: number, v: bigint, len: number): void => {
    const lo = Number(BigInt.asUintN(32, v));
    const hi = len > 4 ? Number(BigInt.asUintN(32, v >> 32n)) : 0;
    for (let k = 0; k < len; k++) img.set(off + k, k < 4 ? (lo >>> (8 * k)) & 0xff : (hi >>> (8 * (k - 4))) & 0xff);
  };
  for (const e of w.out) {
    if (e.kind === 'zero') { for (let k = 0; k < e.size; k++) img.set(e.offset + k, 0); continue; }
    if (e.kind === 'string') {
      const n2 = Math.min(e.lit.units.length, e.count);
      for (let k = 0; k < n2; k++) put(e.offset + k * e.lit.elem.size, BigInt(e.lit.units[k]), e.lit.elem.size);
      continue;
    }
    const v = evalConst(u, e.node);
    if (!v) u.error(e.node, `initializer element is not a compile-time constant: \`${e.node.text.slice(0, 40)}\``);
    if (e.type.kind === 'struct') u.error(e.node, 'struct-valued static initializer');
    if (v.sym !== undefined) {
      if (sizeOf(e.type) !== 4) u.error(e.node, 'address constant in a non-pointer-sized object');
      img.reloc(e.offset, { sym: v.sym, off: Number(BigInt.asIntN(32, v.value)) });
      continue;
    }
    if (e.bf) {
      const unit = e.bf.unitSize ?? sizeOf(e.type);
      let cur = 0n;
      for (let k = 0; k < unit; k++) cur |= BigInt(img.get(e.offset + k)) << BigInt(8 * k);
      const mask = ((1n << BigInt(e.bf.bitWidth!)) - 1n) << BigInt(e.bf.bitOffset!);
      cur = (cur & ~mask) | ((BigInt.asUintN(64, v.value) << BigInt(e.bf.bitOffset!)) & mask);
      put(e.offset, cur, unit);
      continue;
    }
    put(e.offset, wrap(wrap(v.value, v.type), e.type), sizeOf(e.type));
  }
  return img.items();
}
