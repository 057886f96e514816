/*
 * Data sections of an assembly file -> IR data definitions, one per label.
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
import { asmError, type AsmLoc } from './syntax.js';

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
