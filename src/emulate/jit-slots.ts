/*
 * What the block compiler (jit.ts) learns about one IR function's stack slots before
 * generating code: which temps are always 4-aligned frame addresses (their 32-bit
 * accesses skip the alignment test), and which `alloc` slots never have their address
 * escape, so their value can live in a JS local instead of guest memory (mem2reg).
 * Both are conservative: a temp defined anywhere else, or used any other way, is out.
 */
import { usedOperands, type IRFunction, type Operand } from '../ir/index.js';

/** A promoted slot: the JS local holding its value, and the one access width it is used with. */
export interface PromotedSlot {
  js: string;
  width: 1 | 2 | 4 | 8;
}

/**
 * Temps every definition of which is an `alloc` aligned to >= 4: their loads and
 * stores of 32 bits skip the alignment test (C locals at -O0 are all like this).
 */
export function alignedTemps(fn: IRFunction): Set<string> {
  const aligned = new Set<string>();
const bad = new Set<string>(fn.params.map((p) => p.name));
for (const b of fn.blocks)
  for (const i of b.instrs) {
    if (!('dst' in i) || i.dst === undefined) continue;
    if (i.kind === 'alloc' && i.align >= 4) aligned.add(i.dst);
    else bad.add(i.dst);
  }
for (const t of bad) aligned.delete(t);
  return aligned;
}

/**
 * Promoted slots: an `alloc` whose temp is defined once and used only as the address
 * of loads/stores of one width never has its address escape, so its value lives in
 * a JS local (s0, s1, ...) instead of guest memory (the frame space is still
 * reserved). Reading it before any store gives 0 where memory would give stack
 * garbage (UB in C).
 */
export function promotedSlots(fn: IRFunction): Map<string, PromotedSlot> {
  const slots = new Map<string, PromotedSlot>();
const defs = new Map<string, number>();
for (const b of fn.blocks) for (const i of b.instrs) if ('dst' in i && i.dst !== undefined) defs.set(i.dst, (defs.get(i.dst) ?? 0) + 1);
const cand = new Map<string, 1 | 2 | 4 | 8 | 0>();
for (const b of fn.blocks)
  for (const i of b.instrs)
    if (i.kind === 'alloc' && defs.get(i.dst) === 1 && i.size.kind === 'const' && !fn.params.some((p) => p.name === i.dst)) cand.set(i.dst, 0);
const widthOf: Record<string, 1 | 2 | 4 | 8> = { loadw: 4, loadl: 8, loadsh: 2, loaduh: 2, loadsb: 1, loadub: 1, storeb: 1, storeh: 2, storew: 4, storel: 8 };
const kill = (o: Operand): void => {
  if (o.kind === 'temp') cand.delete(o.name);
};
for (const b of fn.blocks)
  for (const i of b.instrs) {
    if ((i.kind === 'load' || i.kind === 'store') && i.addr.kind === 'temp' && cand.has(i.addr.name)) {
      const wd = widthOf[i.op]!;
      const cur = cand.get(i.addr.name)!;
      if (cur !== 0 && cur !== wd) cand.delete(i.addr.name);
      else cand.set(i.addr.name, wd);
      if (i.kind === 'store') kill(i.value);
      continue;
    }
    for (const o of usedOperands(i)) kill(o);
  }
for (const b of fn.blocks)
  for (const i of b.instrs)
    if (i.kind === 'alloc' && cand.has(i.dst)) {
      const wd = cand.get(i.dst)!;
      if (wd !== 0 && BigInt(wd) <= (i.size as { value: bigint }).value) slots.set(i.dst, { js: `s${slots.size}`, width: wd });
    }
  return slots;
}
