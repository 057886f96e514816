/*
 * Data sections of an assembly file -> IR data definitions, one per label; and the
 * items each data directive (.byte, .long, .ascii, .space, .fill ...) emits.
 *
 * GAS lays a section out as one byte string; labels are offsets into it. The IR has
 * no labels inside a definition, so a section is split at each label. To keep the
 * GAS layout exactly, offsets are computed here for the whole section (alignment
 * padding included, from the section start) and the padding is emitted as explicit
 * items: the first definition carries the section's largest alignment, every other
 * one alignment 1. The linker (src/compile/link.ts) places the definitions of a module
 * in order at their alignment, so they come out contiguous, as GAS would place them.
 *
 * Every definition names its output section (`section ".text"`, `".data"` or
 * `".bss"`, the GAS section's kind: .rodata and other named sections are data), so a
 * definition of only zeros in .data stays in .data with its neighbours, and data
 * inside .text (the multiboot header) goes where ld puts it: at the start of .text,
 * before all functions (the linker places text data first, in module order). In .bss
 * every item must be zero. Definitions come out text data first, then the data
 * sections, then .bss.
 */
import type { DataItem, DataSection, IRData } from '../../ir/index.js';
import { dataItemSize } from '../../ir/index.js';
import { asmError, type AsmLoc, type Expr, type Stmt } from './ast.js';
import { parseExpr, parseStringLit } from './expr.js';
import { relocOffset, type Val } from './value.js';

type Directive = Extract<Stmt, { kind: 'directive' }>;

/** How a data directive's arguments are evaluated (the lowering's .set symbols). */
export interface DirectiveArgs {
  evalVal(e: Expr, loc: AsmLoc): Val;
  /** An absolute argument of `d`; a CompileError if missing or an address. */
  evalAbs(s: string | undefined, d: Directive): bigint;
  /** Records a symbol a data item refers to (a code label so used is a function entry). */
  noteDataRef(name: string, loc: AsmLoc): void;
}

export type SectionKind = 'text' | 'data' | 'bss';

/** The IR output section of each kind of GAS section. */
const SECTION_OF: Record<SectionKind, DataSection> = { text: '.text', data: '.data', bss: '.bss' };

export type DataEntry =
  | { kind: 'label'; name: string; loc: AsmLoc }
  | { kind: 'item'; item: DataItem; loc: AsmLoc }
  | { kind: 'align'; n: number; fill: number; loc: AsmLoc };

interface Def {
  name: string;
  items: DataItem[];
  anonymous: boolean;
  loc?: AsmLoc;
}

/** Lays out every section (text data first, then data, then bss); `isGlobal` decides `export`. */
export function layoutSections(sections: { name: string; kind: SectionKind; entries: DataEntry[] }[], isGlobal: (name: string) => boolean): IRData[] {
  const order = [...sections.filter((s) => s.kind === 'text'), ...sections.filter((s) => s.kind === 'data'), ...sections.filter((s) => s.kind === 'bss')];
  const out: IRData[] = [];
  for (const s of order) out.push(...layoutSection(s, isGlobal));
  return out;
}

function layoutSection(sec: { name: string; kind: SectionKind; entries: DataEntry[] }, isGlobal: (name: string) => boolean): IRData[] {
  const bss = sec.kind === 'bss';
  const defs: Def[] = [];
  let cur: Def = { name: `.Ldata${sec.name.replace(/[^A-Za-z0-9_.]/g, '_')}`, items: [], anonymous: true };
  defs.push(cur);
  let off = 0;
  let maxAlign = 1;
  for (const e of sec.entries) {
    switch (e.kind) {
      case 'label':
        cur = { name: e.name, items: [], anonymous: false, loc: e.loc };
        defs.push(cur);
        break;
      case 'align': {
        maxAlign = Math.max(maxAlign, e.n);
        const pad = (e.n - (off % e.n)) % e.n;
        if (pad) cur.items.push(e.fill && !bss ? { kind: 'string', bytes: new Uint8Array(pad).fill(e.fill) } : { kind: 'zero', size: pad });
        off += pad;
        break;
      }
      case 'item': {
        let it = e.item;
        if (bss) {
          if (it.kind === 'int' && it.value === 0n) it = { kind: 'zero', size: dataItemSize(it) };
          else if (it.kind === 'string' && it.bytes.every((b) => b === 0)) it = { kind: 'zero', size: it.bytes.length };
          else if (it.kind !== 'zero') throw asmError(`non-zero data in ${sec.name}`, e.loc);
        }
        cur.items.push(it);
        off += dataItemSize(it);
        break;
      }
    }
  }
  if (defs[0].anonymous && defs[0].items.every((i) => dataItemSize(i) === 0) && defs.length > 1) defs.shift();
  else if (defs.length === 1 && defs[0].items.length === 0) return [];
  const section = SECTION_OF[sec.kind];
  return defs.map((d, k) => ({ name: d.name, export: !d.anonymous && isGlobal(d.name), align: k === 0 ? maxAlign : 1, section, items: mergeZeros(d.items) }));
}

function mergeZeros(items: DataItem[]): DataItem[] {
  const out: DataItem[] = [];
  for (const it of items) {
    const last = out[out.length - 1];
    if (it.kind === 'zero' && last?.kind === 'zero') out[out.length - 1] = { kind: 'zero', size: last.size + it.size };
    else if (!(it.kind === 'zero' && it.size === 0)) out.push(it);
  }
  return out;
}

/** The items of a data-emitting directive (.byte, .long, .ascii, .space, .fill ...), or undefined if `d` is not one. */
export function directiveItems(d: Directive, a: DirectiveArgs): DataItem[] | undefined {
  const ints = (width: 'b' | 'h' | 'w' | 'l'): DataItem[] =>
    d.args.map((arg) => {
      const v = a.evalVal(parseExpr(arg, d.ctx), d.loc);
      if (v.sym === undefined) return { kind: 'int', width, value: v.off };
      if (width !== 'w') throw asmError(`${d.name} ${arg}: a symbol address needs 32 bits (.long)`, d.loc);
      a.noteDataRef(v.sym, d.loc);
      return { kind: 'symbol', name: v.sym, offset: relocOffset(v.off) };
    });
  switch (d.name) {
    case '.byte':
      return ints('b');
    case '.word':
    case '.short':
    case '.hword':
    case '.2byte':
    case '.value':
      return ints('h');
    case '.long':
    case '.int':
    case '.4byte':
      return ints('w');
    case '.quad':
    case '.8byte':
      return ints('l');
    case '.ascii':
    case '.asciz':
    case '.string': {
      const z = d.name !== '.ascii';
      return d.args.map((arg) => {
        const b = parseStringLit(arg, d.loc);
        if (!z) return { kind: 'string', bytes: b };
        const o = new Uint8Array(b.length + 1);
        o.set(b);
        return { kind: 'string', bytes: o };
      });
    }
    case '.space':
    case '.skip':
    case '.zero': {
      const n = Number(a.evalAbs(d.args[0], d));
      const fill = d.args[1] ? Number(a.evalAbs(d.args[1], d)) & 255 : 0;
      if (n < 0) throw asmError(`${d.name} with a negative size`, d.loc);
      return fill === 0 ? [{ kind: 'zero', size: n }] : [{ kind: 'string', bytes: new Uint8Array(n).fill(fill) }];
    }
    case '.fill': {
      const rep = Number(a.evalAbs(d.args[0], d));
      const size = d.args[1] ? Number(a.evalAbs(d.args[1], d)) : 1;
      const value = d.args[2] ? a.evalAbs(d.args[2], d) : 0n;
      if (value === 0n) return [{ kind: 'zero', size: rep * size }];
      const width = ({ 1: 'b', 2: 'h', 4: 'w', 8: 'l' } as const)[size as 1 | 2 | 4 | 8];
      if (!width) throw asmError(`.fill size ${size} is not supported`, d.loc);
      return Array.from({ length: rep }, () => ({ kind: 'int' as const, width, value }));
    }
    default:
      return undefined;
  }
}
