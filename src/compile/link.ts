/*
 * The linker: IR modules -> one LinkedImage (src/compile/image.ts).
 *
 * Layout: .text at the load address, functions in module order, each 16-byte
 * aligned, one address per instruction; then .data (data with any non-zero item) and
 * .bss (data of only `z` items), each starting on a fresh 4 KiB page, every object at
 * its alignment. Symbols without `export` are local to their module and win over
 * exported ones for references from that module. Errors are LinkError values thrown
 * with every problem listed: undefined symbols name the referring function or data
 * object and its module; duplicates name both defining modules.
 */
import { LinkError } from '../errors.js';
import { dataSize, type IRData, type IRFunction, type IRModule, type Operand } from '../ir/index.js';
import type { ImageFunction, ImageSection, ImageSymbol, LinkedImage } from './image.js';

export interface LinkOptions {
  kind: 'kernel' | 'program';
  /** Entry symbol; default 'main' for programs, 'btext' for kernels. */
  entry?: string;
  /** Virtual load address; default 0x08048000 (program) / 0xC0100000 (kernel). */
  vaddr?: number;
  /** Physical load address; default vaddr (program) / 0x00100000 (kernel). */
  paddr?: number;
}

const PAGE = 4096;
const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

interface Def {
  name: string;
  module: number;
  kind: 'func' | 'data';
  exported: boolean;
  fn?: IRFunction;
  data?: IRData;
  addr: number;
}

function operandsOf(f: IRFunction): Operand[] {
  const out: Operand[] = [];
  for (const b of f.blocks)
    for (const i of b.instrs) {
      switch (i.kind) {
        case 'binary':
        case 'compare':
          out.push(i.a, i.b);
          break;
        case 'unary':
          out.push(i.a);
          break;
        case 'load':
          out.push(i.addr);
          break;
        case 'store':
          out.push(i.value, i.addr);
          break;
        case 'alloc':
          out.push(i.size);
          break;
        case 'call':
          out.push(i.callee, ...i.args.map((a) => a.value));
          break;
        case 'wrreg':
          out.push(i.value);
          break;
        case 'intr':
          out.push(...i.args);
          break;
        case 'jnz':
          out.push(i.cond);
          break;
        case 'ret':
          if (i.value) out.push(i.value);
          break;
        default:
          break;
      }
    }
  return out;
}

/** Links modules into one image. Throws LinkError on undefined/duplicate symbols or a missing entry. */
export function link(modules: IRModule[], opts: LinkOptions): LinkedImage {
  const kernel = opts.kind === 'kernel';
  const vbase = (opts.vaddr ?? (kernel ? 0xc0100000 : 0x08048000)) >>> 0;
  const pbase = (opts.paddr ?? (kernel ? 0x00100000 : vbase)) >>> 0;
  const entryName = opts.entry ?? (kernel ? 'btext' : 'main');
  const delta = vbase - pbase;
  const errors: string[] = [];

  // Symbol tables: exported names globally, the rest per module.
  const globals = new Map<string, Def>();
  const locals: Map<string, Def>[] = modules.map(() => new Map());
  const all: Def[] = [];
  modules.forEach((m, mi) => {
    const add = (d: Def): void => {
      all.push(d);
      const mine = locals[mi]!;
      const prevLocal = mine.get(d.name);
      if (prevLocal) errors.push(`duplicate symbol $${d.name}: defined twice in ${m.name}`);
      mine.set(d.name, d);
      if (d.exported) {
        const prev = globals.get(d.name);
        if (prev) errors.push(`duplicate symbol $${d.name}: defined in ${modules[prev.module]!.name} and in ${m.name}`);
        else globals.set(d.name, d);
      }
    };
    for (const f of m.funcs) add({ name: f.name, module: mi, kind: 'func', exported: f.export, fn: f, addr: 0 });
    for (const d of m.data) add({ name: d.name, module: mi, kind: 'data', exported: d.export, data: d, addr: 0 });
  });
  const resolve = (mi: number, name: string): Def | undefined => locals[mi]!.get(name) ?? globals.get(name);

  // Layout.
  let at = vbase;
  const funcs = all.filter((d) => d.kind === 'func');
  for (const d of funcs) {
    at = alignUp(at, 16);
    d.addr = at;
    at += Math.max(1, d.fn!.blocks.reduce((n, b) => n + b.instrs.length, 0));
  }
  const textEnd = at;
  const isBss = (d: IRData): boolean => d.items.every((it) => it.kind === 'zero');
  const datas = all.filter((d) => d.kind === 'data' && !isBss(d.data!));
  const bsss = all.filter((d) => d.kind === 'data' && isBss(d.data!));
  const dataStart = alignUp(textEnd, PAGE);
  at = dataStart;
  for (const d of datas) {
    at = alignUp(at, d.data!.align);
    d.addr = at;
    at += dataSize(d.data!);
  }
  const dataEnd = at;
  const bssStart = alignUp(dataEnd, PAGE);
  at = bssStart;
  for (const d of bsss) {
    at = alignUp(at, d.data!.align);
    d.addr = at;
    at += dataSize(d.data!);
  }
  const bssEnd = at;
  if (bssEnd > 0x1_0000_0000) errors.push('image does not fit below 4 GiB');

  // Text, with each function's resolved references.
  const text: ImageSection = { name: '.text', vaddr: vbase, paddr: pbase, size: textEnd - vbase, bytes: new Uint8Array(textEnd - vbase).fill(0xcc) };
  const functions: ImageFunction[] = [];
  for (const d of funcs) {
    const f = d.fn!;
    const m = modules[d.module]!;
    const refs = new Map<string, number>();
    for (const o of operandsOf(f)) {
      if (o.kind !== 'global' || refs.has(o.name)) continue;
      const t = resolve(d.module, o.name);
      if (!t) {
        errors.push(`undefined symbol $${o.name}, referenced by function $${f.name} in ${m.name}`);
        refs.set(o.name, 0);
      } else refs.set(o.name, t.addr);
    }
    const blockStarts: number[] = [];
    let n = 0;
    for (const b of f.blocks) (blockStarts.push(n), (n += b.instrs.length));
    functions.push({ name: f.name, module: m.name, addr: d.addr, size: Math.max(1, n), fn: f, files: m.files, exported: f.export, refs, blockStarts });
  }

  // Data, with relocations applied.
  const dataBytes = new Uint8Array(dataEnd - dataStart);
  const dv = new DataView(dataBytes.buffer);
  for (const d of datas) {
    let o = d.addr - dataStart;
    const m = modules[d.module]!;
    for (const it of d.data!.items) {
      switch (it.kind) {
        case 'int': {
          const v = it.value;
          if (it.width === 'b') dv.setUint8(o, Number(BigInt.asUintN(8, v)));
          else if (it.width === 'h') dv.setUint16(o, Number(BigInt.asUintN(16, v)), true);
          else if (it.width === 'w') dv.setUint32(o, Number(BigInt.asUintN(32, v)), true);
          else dv.setBigUint64(o, BigInt.asUintN(64, v), true);
          o += { b: 1, h: 2, w: 4, l: 8 }[it.width];
          break;
        }
        case 'string':
          dataBytes.set(it.bytes, o);
          o += it.bytes.length;
          break;
        case 'symbol': {
          const t = resolve(d.module, it.name);
          if (!t) errors.push(`undefined symbol $${it.name}, referenced by data $${d.name} in ${m.name}`);
          dv.setUint32(o, ((t?.addr ?? 0) + it.offset) >>> 0, true);
          o += 4;
          break;
        }
        case 'zero':
          o += it.size;
          break;
      }
    }
  }

  const entryDef = globals.get(entryName) ?? all.find((d) => d.name === entryName && d.kind === 'func');
  if (!entryDef) errors.push(`undefined entry symbol $${entryName}`);
  else if (entryDef.kind !== 'func') errors.push(`entry symbol $${entryName} is data, not a function`);

  if (errors.length) {
    const uniq = [...new Set(errors)];
    throw new LinkError(uniq.length === 1 ? uniq[0]! : `${uniq.length} link errors: ${uniq.join('; ')}`);
  }

  const sections: ImageSection[] = [
    text,
    { name: '.data', vaddr: dataStart, paddr: dataStart - delta, size: dataBytes.length, bytes: dataBytes },
    { name: '.bss', vaddr: bssStart, paddr: bssStart - delta, size: bssEnd - bssStart, bytes: new Uint8Array(0) },
  ];
  const symbols: ImageSymbol[] = all.map((d) => ({
    name: d.name,
    module: modules[d.module]!.name,
    kind: d.kind,
    addr: d.addr,
    size: d.kind === 'func' ? Math.max(1, d.fn!.blocks.reduce((n, b) => n + b.instrs.length, 0)) : dataSize(d.data!),
    exported: d.exported,
    section: d.kind === 'func' ? '.text' : isBss(d.data!) ? '.bss' : '.data',
  }));
  symbols.sort((a, b) => a.addr - b.addr);
  return {
    kind: opts.kind,
    entry: entryDef!.addr,
    entryName,
    vbase,
    pbase,
    vend: bssEnd,
    sections,
    symbols,
    functions,
    modules,
  };
}
