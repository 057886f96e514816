/*
 * The linker: IR modules -> one LinkedImage (src/compile/image.ts).
 *
 * Layout, as ld with the kernel's script (sys/i386/conf/ldscript.i386) lays it out,
 * section by section:
 * - .text at the load address: first the data definitions with `section ".text"` (the
 *   multiboot header, which must lie in the image's first 8 KiB), in module order at
 *   their alignment; then the functions in module order, each 16-byte aligned, one
 *   address per instruction;
 * - .data (on a fresh 4 KiB page): data with `section ".data"`, or without a section
 *   and with any non-zero item (relocations included);
 * - .bss (on a fresh page): data with `section ".bss"`, or without a section and of
 *   only `z` items.
 * Every object is placed at its alignment, in module order within its section. For a
 * kernel the ends of .data and .bss are padded to 4 bytes (the script's ALIGN(4)).
 *
 * Symbols: functions, data and absolutes (`abs`, whose value is their address).
 * Definitions without `export` are local to their module and win over exported ones
 * for references from that module. Then come the symbols the linker provides
 * (`provide`; for a kernel the script's etext, edata and end): defined only when no
 * module defines the name, as ld's PROVIDE. Errors are LinkError values thrown with
 * every problem listed: undefined symbols name the referring function or data object
 * and its module; duplicates name both defining modules.
 */
import { LinkError } from '../errors.js';
import { dataSize, type IRData, type IRFunction, type IRModule, type Operand } from './types.js';
import { usedOperands } from './verify.js';
import { LINKER_MODULE, type ImageFunction, type ImageSection, type ImageSymbol, type LinkedImage } from './image.js';

/** Where a linker-provided symbol points: the start or end of an output section. */
export type SectionMark = 'text-start' | 'text-end' | 'data-start' | 'data-end' | 'bss-start' | 'bss-end';

/** The symbols ldscript.i386 defines: `etext = .` after .text, `edata` after .data, `end` after .bss. */
export const KERNEL_SCRIPT_SYMBOLS: Readonly<Record<string, SectionMark>> = { etext: 'text-end', edata: 'data-end', end: 'bss-end' };

export interface LinkOptions {
  kind: 'kernel' | 'program';
  /** Entry symbol; default 'main' for programs, 'btext' for kernels. */
  entry?: string;
  /** Virtual load address; default 0x08048000 (program) / 0xC0100000 (kernel). */
  vaddr?: number;
  /** Physical load address; default vaddr (program) / 0x00100000 (kernel). */
  paddr?: number;
  /**
   * Symbols the linker defines when no module does (ld's PROVIDE), by section mark.
   * Default: KERNEL_SCRIPT_SYMBOLS for a kernel, none for a program.
   */
  provide?: Readonly<Record<string, SectionMark>>;
  /** Alignment of the ends of .data and .bss; default 4 for a kernel (the script's ALIGN(4)), 1 for a program. */
  sectionEndAlign?: number;
  /**
   * Bytes of .text a function occupies; default its instruction count (one code
   * address per instruction, the engine's compiled code). The XIR program linker
   * (user-link.ts) passes the length of the function's encoding: the image's
   * functions then span bytes, and its code addresses are that encoding's.
   */
  functionSize?: (f: IRFunction) => number;
}

const PAGE = 4096;
const alignUp = (x: number, a: number): number => Math.ceil(x / a) * a;

interface Def {
  name: string;
  /** Index into modules; -1 for a linker-provided symbol. */
  module: number;
  kind: 'func' | 'data' | 'abs';
  exported: boolean;
  fn?: IRFunction;
  data?: IRData;
  section?: ImageSection['name'];
  addr: number;
}

/** Every operand of f's instructions, in order (the references the linker resolves). */
function operandsOf(f: IRFunction): Operand[] {
  return f.blocks.flatMap((b) => b.instrs.flatMap(usedOperands));
}

/** The output section of a data definition. */
export function dataSectionOf(d: IRData): ImageSection['name'] {
  return d.section ?? (d.items.every((it) => it.kind === 'zero') ? '.bss' : '.data');
}

/** Writes a data definition's bytes (relocations resolved by `addrOf`) at `o` in `dv`. */
function writeData(dv: DataView, o: number, d: IRData, addrOf: (name: string) => number | undefined, undefinedRef: (name: string) => void): void {
  for (const it of d.items) {
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
        new Uint8Array(dv.buffer, dv.byteOffset, dv.byteLength).set(it.bytes, o);
        o += it.bytes.length;
        break;
      case 'symbol': {
        const a = addrOf(it.name);
        if (a === undefined) undefinedRef(it.name);
        dv.setUint32(o, ((a ?? 0) + it.offset) >>> 0, true);
        o += 4;
        break;
      }
      case 'zero':
        o += it.size;
        break;
    }
  }
}

/** Links modules into one image. Throws LinkError on undefined/duplicate symbols or a missing entry. */
export function link(modules: IRModule[], opts: LinkOptions): LinkedImage {
  const kernel = opts.kind === 'kernel';
  const vbase = (opts.vaddr ?? (kernel ? 0xc0100000 : 0x08048000)) >>> 0;
  const pbase = (opts.paddr ?? (kernel ? 0x00100000 : vbase)) >>> 0;
  const entryName = opts.entry ?? (kernel ? 'btext' : 'main');
  const provide = opts.provide ?? (kernel ? KERNEL_SCRIPT_SYMBOLS : {});
  const endAlign = opts.sectionEndAlign ?? (kernel ? 4 : 1);
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
    for (const a of m.absolutes ?? [])
      add({ name: a.name, module: mi, kind: 'abs', exported: a.export, addr: Number(BigInt.asUintN(32, a.value)) });
    for (const f of m.funcs) add({ name: f.name, module: mi, kind: 'func', exported: f.export, fn: f, section: '.text', addr: 0 });
    for (const d of m.data) add({ name: d.name, module: mi, kind: 'data', exported: d.export, data: d, section: dataSectionOf(d), addr: 0 });
  });
  const defined = new Set(all.map((d) => d.name));
  const provided = new Map<string, Def>();
  for (const [name, mark] of Object.entries(provide)) {
    if (defined.has(name)) continue;
    const section = mark.startsWith('text') ? '.text' : mark.startsWith('data') ? '.data' : '.bss';
    provided.set(name, { name, module: -1, kind: 'data', exported: true, section, addr: 0 });
  }
  const resolve = (mi: number, name: string): Def | undefined => locals[mi]!.get(name) ?? globals.get(name) ?? provided.get(name);
  const moduleName = (d: Def): string => (d.module < 0 ? LINKER_MODULE : modules[d.module]!.name);

  // Layout.
  const place = (defs: Def[], start: number): number => {
    let at = start;
    for (const d of defs) {
      at = alignUp(at, d.data!.align);
      d.addr = at;
      at += dataSize(d.data!);
    }
    return at;
  };
  const inSection = (name: ImageSection['name']): Def[] => all.filter((d) => d.kind === 'data' && d.section === name);
  const textDatas = inSection('.text');
  let at = place(textDatas, vbase);
  const funcs = all.filter((d) => d.kind === 'func');
  for (const d of funcs) {
    at = alignUp(at, 16);
    d.addr = at;
    at += Math.max(1, opts.functionSize ? opts.functionSize(d.fn!) : d.fn!.blocks.reduce((n, b) => n + b.instrs.length, 0));
  }
  const textEnd = at;
  const datas = inSection('.data');
  const bsss = inSection('.bss');
  const dataStart = alignUp(textEnd, PAGE);
  const dataEnd = alignUp(place(datas, dataStart), endAlign);
  const bssStart = alignUp(dataEnd, PAGE);
  const bssEnd = alignUp(place(bsss, bssStart), endAlign);
  if (bssEnd > 0x1_0000_0000) errors.push('image does not fit below 4 GiB');
  const marks: Record<SectionMark, number> = {
    'text-start': vbase, 'text-end': textEnd, 'data-start': dataStart, 'data-end': dataEnd, 'bss-start': bssStart, 'bss-end': bssEnd,
  };
  for (const [name, d] of provided) d.addr = marks[provide[name]!];

  // Text, with each function's resolved references.
  const textBytes = new Uint8Array(textEnd - vbase).fill(0xcc);
  const text: ImageSection = { name: '.text', vaddr: vbase, paddr: pbase, size: textEnd - vbase, bytes: textBytes };
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
    functions.push({ name: f.name, module: m.name, addr: d.addr, size: Math.max(1, opts.functionSize ? opts.functionSize(f) : n), fn: f, files: m.files, exported: f.export, refs, blockStarts });
  }

  // Data (in .text and .data), with relocations applied.
  const dataBytes = new Uint8Array(dataEnd - dataStart);
  const fill = (defs: Def[], bytes: Uint8Array, base: number): void => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (const d of defs) {
      const m = modules[d.module]!;
      writeData(dv, d.addr - base, d.data!, (name) => resolve(d.module, name)?.addr, (name) =>
        errors.push(`undefined symbol $${name}, referenced by data $${d.data!.name} in ${m.name}`),
      );
    }
  };
  fill(textDatas, textBytes, vbase);
  fill(datas, dataBytes, dataStart);

  const entryDef = globals.get(entryName) ?? all.find((d) => d.name === entryName && d.kind === 'func');
  if (!entryDef) errors.push(`undefined entry symbol $${entryName}`);
  else if (entryDef.kind !== 'func') errors.push(`entry symbol $${entryName} is ${entryDef.kind === 'abs' ? 'absolute' : 'data'}, not a function`);

  if (errors.length) {
    const uniq = [...new Set(errors)];
    throw new LinkError(uniq.length === 1 ? uniq[0]! : `${uniq.length} link errors: ${uniq.join('; ')}`);
  }

  const sections: ImageSection[] = [
    text,
    { name: '.data', vaddr: dataStart, paddr: dataStart - delta, size: dataBytes.length, bytes: dataBytes },
    { name: '.bss', vaddr: bssStart, paddr: bssStart - delta, size: bssEnd - bssStart, bytes: new Uint8Array(0) },
  ];
  const symbols: ImageSymbol[] = [...all, ...provided.values()].map((d) => ({
    name: d.name,
    module: moduleName(d),
    kind: d.kind,
    addr: d.addr,
    size: d.kind === 'func' ? Math.max(1, opts.functionSize ? opts.functionSize(d.fn!) : d.fn!.blocks.reduce((n, b) => n + b.instrs.length, 0)) : d.data ? dataSize(d.data) : 0,
    exported: d.exported,
    section: d.kind === 'abs' ? '*ABS*' : d.section!,
  }));
  symbols.sort((a, b) => (a.addr >>> 0) - (b.addr >>> 0));
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
