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
 * The linker puts a definition of only `z` items (or none) into .bss. So that a
 * definition from .data (or from data inside .text, e.g. the multiboot header) stays
 * in .data with its neighbours, such a definition starts with an empty string item
 * `b ""` (zero bytes, not a `z` item). In .bss every item must be zero. Data from
 * .text comes first (the IR has no data in .text: the linker puts it at the start of
 * .data, after all code), then the data sections, then .bss.
 */
import type { DataItem, IRData } from '../../ir/index.js';
import { dataItemSize } from '../../ir/index.js';
import { asmError, type AsmLoc } from './syntax.js';

export type SectionKind = 'text' | 'data' | 'bss';

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
  return defs.map((d, k) => {
    let items = mergeZeros(d.items);
    if (!bss && items.every((i) => i.kind === 'zero')) items = [{ kind: 'string', bytes: new Uint8Array(0) }, ...items];
    return { name: d.name, export: !d.anonymous && isGlobal(d.name), align: k === 0 ? maxAlign : 1, items };
  });
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
