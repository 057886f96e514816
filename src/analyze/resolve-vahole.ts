/*
 * Uses of the hypervisor's hole at the top of the address space: number
 * literals, object-like macros whose value is in it (through chains of macros
 * from the tree's headers, sizeof of its typedefs included), and function-like
 * macro invocations that evaluate into it.
 *
 * A finding must be a virtual address. What is not, and is left out:
 * - a mask or bit pattern: used only under & | ^ ~, a name the rule ignores,
 *   or a literal written 64 bits wide (MSR fields: 0x00000000ffff0000);
 * - a negative constant: (-2) is EJUSTRETURN, not 0xfffffffe;
 * - an arithmetic constant: a hand-written address in the hole is the base of
 *   a mapping and page-aligned, so a literal that is not (md5's 0xfd469501,
 *   PSL_MBZ 0xffc08028) is a number; derived values need word alignment;
 * - table data: an element of a brace initializer (in_cksum's masks);
 * - a physical address: an argument in a physical slot (pmap_mapdev(pa, ..),
 *   pmap_kenter(va, pa)) or a store to a physical-address variable;
 * - a literal-valued macro nothing in the scan uses as a value.
 */
import type { Capture, Finding, Rule } from './types.js';
import { NAME_ASM, NAME_MASKED, NAME_RECOVERED, NAME_STRIDE, type FileSummary, type MacroDef, type TypeRef } from './summary.js';
import { evaluateDefinition, evaluateMacro, mayHaveValue, setTypeSizes, type MacroTable } from './macro-eval.js';
import { makeSite, mkFinding, whereOf } from './extract-common.js';
import { holeAddress, wide } from './hole-numbers.js';
import { callsOf, type CalleeIds } from './call-table.js';
import { argTexts, type SourceTexts } from './resolve-common.js';

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

/** Callees' argument slots that hold physical addresses (FreeBSD's pmap KPI). */
const PHYS_ARGS = new Map<string, number>([
  ['pmap_mapdev', 0],
  ['pmap_mapdev_attr', 0],
  ['pmap_mapbios', 0],
  ['pmap_unmapdev', -1],
  ['pmap_kenter', 1],
  ['pmap_kenter_attr', 1],
  ['pmap_kenter_temporary', 0],
  ['bus_space_map', 1],
  ['lapic_init', 0],
  ['ioapic_create', 0],
]);

const BASE_SIZES: Record<string, number> = {
  char: 1, 'unsigned char': 1, 'signed char': 1, u_char: 1, uint8_t: 1, int8_t: 1, u_int8_t: 1,
  short: 2, 'unsigned short': 2, u_short: 2, uint16_t: 2, int16_t: 2, u_int16_t: 2,
  int: 4, unsigned: 4, 'unsigned int': 4, long: 4, 'unsigned long': 4, u_int: 4, u_long: 4, uint32_t: 4, int32_t: 4, u_int32_t: 4,
  'long long': 8, 'unsigned long long': 8, uint64_t: 8, int64_t: 8, u_int64_t: 8, quad_t: 8, u_quad_t: 8,
};

/** sizeof through the tree's typedefs, i386 sizes (ILP32). */
function typeSizer(files: FileSummary[]): (t: string) => number | undefined {
  const typedefs = new Map<string, TypeRef>();
  for (const s of files) for (const t of s.typedefs) if (!typedefs.has(t.name)) typedefs.set(t.name, t.type);
  return (type) => {
    let t = type.replace(/\b(const|volatile)\b/g, '').trim();
    for (let depth = 0; depth < 12; depth++) {
      if (t.endsWith('*')) return 4;
      const base = t.replace(/^_+/, '');
      if (BASE_SIZES[base] !== undefined) return BASE_SIZES[base];
      const next = typedefs.get(t);
      if (!next) return undefined;
      if (next.ptr > 0) return 4;
      t = next.base;
    }
    return undefined;
  };
}

/** A body with its outer parentheses and casts removed: `((vm_offset_t)(-2))` is `-2`. */
function core(body: string): string {
  let b = body.replace(/\/\*[\s\S]*?\*\//g, '').trim();
  for (;;) {
    const cast = /^\(\s*(?:unsigned|signed|int|long|u_int|u_long|const|volatile|[a-z_][a-z0-9_]*_t|\s|\*)+\)\s*/.exec(b);
    if (cast && cast[0].length < b.length) b = b.slice(cast[0].length).trim();
    else if (b.startsWith('(') && b.endsWith(')') && balanced(b.slice(1, -1))) b = b.slice(1, -1).trim();
    else return b;
  }
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')' && --d < 0) return false;
  }
  return d === 0;
}

/** What an object-like macro is, following chains of single names: a literal, a negation, or an expression. */
function shapeOf(first: MacroDef, table: MacroTable): { kind: 'literal' | 'negative' | 'expr'; text: string } {
  for (let depth = 0, n = first.name; depth < 30; depth++) {
    const d = depth === 0 ? first : table.get(n);
    if (!d || d.params !== null) break;
    const b = core(d.body);
    if (/^[A-Za-z_]\w*$/.test(b)) {
      n = b;
      continue;
    }
    if (b.startsWith('-')) return { kind: 'negative', text: b };
    if (/^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.test(b)) return { kind: 'literal', text: b };
    return { kind: 'expr', text: b };
  }
  return { kind: 'expr', text: '' };
}

interface Range {
  startByte: number;
  endByte: number;
}

/** Byte ranges of one file's values in physical slots; `slots`: PHYS_ARGS's entry of each callee, by number. */
function physRanges(s: FileSummary, ids: Int32Array, slots: Array<number | undefined>): Range[] {
  const out: Range[] = [];
  for (let n = 0, calls = callsOf(s); n < calls.length; n++) {
    const i = slots[ids[n]];
    if (i === undefined) continue;
    const b = calls.at(n).argBytes;
    for (let a = 0; a < b.length; a += 2) if (i < 0 || a === 2 * i) out.push({ startByte: b[a], endByte: b[a + 1] });
  }
  for (const w of s.writes) if (w.physLhs && w.rhsStart >= 0) out.push({ startByte: w.rhsStart, endByte: w.rhsEnd });
  return out;
}

const inside = (ranges: Range[], a: number, b: number): boolean => ranges.some((r) => a >= r.startByte && b <= r.endByte);

export function resolveVaHole(rule: Rule, files: FileSummary[], callees: CalleeIds, out: Finding[], texts: SourceTexts): void {
  const m = rule.match.vaHole!;
  const ignore = m.ignoreNames ? new RegExp(m.ignoreNames) : undefined;
  const table: MacroTable = new Map<string, MacroDef>();
  // Per file, which of its definitions are the table's (looked up once, not again per definition below).
  const firsts = files.map((s) => {
    const first = new Uint8Array(s.macros.length);
    s.macros.forEach((d, j) => {
      if (table.has(d.name)) return;
      table.set(d.name, d);
      first[j] = 1;
    });
    return first;
  });
  setTypeSizes(table, typeSizer(files));
  const address = (v: number | undefined, literal: boolean): v is number => holeAddress(m, v, literal);
  const slots = callees.answers((n) => PHYS_ARGS.get(n));
  const phys = files.map((s, fi) => physRanges(s, callees.ofFile[fi], slots));
  // A macro used only as a mask (x & APICBASE_ADDRESS) or a physical address is not a virtual address.
  const uses = new Map<string, { masked: number; plain: number }>();
  // Name uses are the most numerous fact: a flat list per file (summary.ts NameUses).
  files.forEach((s, fi) => {
    const names = s.names;
    for (let i = 0; i < names.length; i += NAME_STRIDE) {
      const name = names[i] as string;
      let u = uses.get(name);
      if (u === undefined) uses.set(name, (u = { masked: 0, plain: 0 }));
      if ((names[i + 3] as number) & NAME_MASKED || (phys[fi].length > 0 && inside(phys[fi], names[i + 1] as number, names[i + 2] as number))) u.masked++;
      else u.plain++;
    }
  });
  // Per callee (by number): the values of its invocations, by argument texts.
  const invocations: Array<Map<string, number | undefined> | undefined> = [];
  // Whether a call of this name is a macro invocation that may have a value: decided once per name.
  const invocable = callees.answers((callee) => mayHaveValue(callee, table) && !(ignore && ignore.test(callee)));
  // Every definition is judged on its own: `#ifdef PAE / #else` and `#ifdef XEN / #else`
  // define one name twice, and the native branch's value is the one a port changes.
  const valueOf = (d: MacroDef): number | undefined => {
    const name = d.name;
    if (d.params !== null || (ignore && ignore.test(name)) || /^\s*\(?\s*~/.test(d.body)) return undefined;
    const shape = shapeOf(d, table);
    if (shape.kind === 'negative' || (shape.kind === 'literal' && wide(shape.text))) return undefined;
    const u = uses.get(name);
    // An assembler .set is a symbol the linker exports: an address whether or not the scan sees it used.
    if (shape.kind === 'literal' && d.lang === 'c' ? !u || u.plain === 0 : u && u.plain === 0 && u.masked > 0) return undefined;
    const v = evaluateDefinition(d, table);
    return address(v, shape.kind === 'literal') ? v : undefined;
  };
  const flagged = new Map<string, number>();
  table.forEach((d, name) => {
    const v = valueOf(d);
    if (v !== undefined) flagged.set(name, v);
  });
  files.forEach((s, fi) => {
    const p = phys[fi];
    const first = firsts[fi];
    for (let j = 0; j < s.macros.length; j++) {
      const d = s.macros[j];
      const v = first[j] ? flagged.get(d.name) : valueOf(d);
      if (v === undefined) continue;
      const a = d.bodyStart;
      out.push(
        mkFinding(rule, whereOf(s), makeSite(a, a + d.body.length, false), d.lang, { VALUE: { text: hex(v), startByte: a, endByte: a + d.body.length }, NAME: { text: d.name, startByte: a, endByte: a } }, { instruction: `${d.name} = ${hex(v)}` }),
      );
    }
    const names = s.names;
    for (let i = 0; i < names.length; i += NAME_STRIDE) {
      const flags = names[i + 3] as number;
      if (flags & NAME_MASKED) continue;
      const name = names[i] as string;
      const v = flagged.get(name);
      if (v === undefined) continue;
      const startByte = names[i + 1] as number;
      const endByte = names[i + 2] as number;
      if (p.length > 0 && inside(p, startByte, endByte)) continue;
      const site = { startByte, endByte, recovered: (flags & NAME_RECOVERED) !== 0 };
      out.push(mkFinding(rule, whereOf(s), site, flags & NAME_ASM ? 'asm' : 'c', { VALUE: { text: hex(v), startByte, endByte } }, { instruction: `${name} = ${hex(v)}` }));
    }
    for (const n of s.numbers) {
      if (n.masked || n.inDefine || n.inTable || wide(n.text) || !address(n.value, true)) continue;
      if (p.length > 0 && inside(p, n.site.startByte, n.site.endByte)) continue;
      out.push(mkFinding(rule, whereOf(s), n.site, n.lang, { VALUE: { text: hex(n.value), startByte: n.site.startByte, endByte: n.site.endByte } }, { instruction: n.text }));
    }
    const ids = callees.ofFile[fi];
    for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
      if (!invocable[ids[i]]) continue;
      const c = calls.at(i);
      if (c.func >= 0 && s.funcs[c.func]?.kind === 'macro') continue;
      if (p.length > 0 && inside(p, c.site.startByte, c.site.endByte)) continue;
      // The same invocation recurs (vtophys(va) in every file): evaluate each once.
      const args = argTexts(c, texts(s));
      const key = args.join('\0');
      const known = (invocations[ids[i]] ??= new Map());
      let v = known.get(key);
      if (v === undefined && !known.has(key)) known.set(key, (v = evaluateMacro(c.callee, table, args)));
      if (!address(v, false)) continue;
      out.push(mkFinding(rule, whereOf(s), c.site, 'c', { VALUE: { text: hex(v), startByte: c.site.startByte, endByte: c.site.endByte } }, { instruction: `${c.callee}(...) = ${hex(v)}` }));
    }
  });
}
