/*
 * A small clean-up pass over each lowered function, so the engine's block compiler
 * sees fewer blocks and jumps: jumps through blocks that only jump are threaded, a
 * jump to a lone `ret` becomes the `ret`,
 * blocks nothing reaches are dropped, and a block whose single predecessor jumps to it
 * unconditionally is merged into that predecessor. Instructions and their source
 * locations are never changed, only moved between blocks.
 */
import type { IRBlock, IRFunction } from '../ir/index.js';

function successors(b: IRBlock): string[] {
  const t = b.instrs[b.instrs.length - 1];
  if (!t) return [];
  if (t.kind === 'jmp') return [t.target];
  if (t.kind === 'jnz') return [t.ifTrue, t.ifFalse];
  return [];
}

export function cleanupFunction(f: IRFunction): void {
  const byLabel = new Map(f.blocks.map((b) => [b.label, b]));
  // 1. Thread jumps through jmp-only blocks.
  const final = (l: string): string => {
    const seen = new Set<string>();
    let cur = l;
    for (;;) {
      const b = byLabel.get(cur);
      if (!b || b.instrs.length !== 1 || b.instrs[0].kind !== 'jmp' || seen.has(cur)) return cur;
      seen.add(cur);
      cur = b.instrs[0].target;
    }
  };
  for (const b of f.blocks) {
    const t = b.instrs[b.instrs.length - 1];
    if (t?.kind === 'jmp') t.target = final(t.target);
    else if (t?.kind === 'jnz') {
      t.ifTrue = final(t.ifTrue);
      t.ifFalse = final(t.ifFalse);
      if (t.ifTrue === t.ifFalse) b.instrs[b.instrs.length - 1] = { kind: 'jmp', target: t.ifTrue, loc: t.loc };
    }
  }
  // A jump to a block that only returns becomes that return.
  for (const b of f.blocks) {
    const t = b.instrs[b.instrs.length - 1];
    if (t?.kind !== 'jmp') continue;
    const target = byLabel.get(t.target);
    const r = target?.instrs[0];
    if (target && target.instrs.length === 1 && r?.kind === 'ret') b.instrs[b.instrs.length - 1] = { ...r, loc: r.loc };
  }
  // 2. Drop unreachable blocks.
  const reach = new Set<string>();
  const stack = [f.blocks[0].label];
  while (stack.length) {
    const l = stack.pop()!;
    if (reach.has(l)) continue;
    reach.add(l);
    const b = byLabel.get(l);
    if (b) stack.push(...successors(b));
  }
  f.blocks = f.blocks.filter((b) => reach.has(b.label));
  // 3. Merge single-predecessor blocks into a predecessor that jumps to them.
  const preds = new Map<string, number>();
  for (const b of f.blocks) for (const s of successors(b)) preds.set(s, (preds.get(s) ?? 0) + 1);
  const entry = f.blocks[0].label;
  const merged = new Set<string>();
  for (const b of f.blocks) {
    if (merged.has(b.label)) continue;
    for (;;) {
      const t = b.instrs[b.instrs.length - 1];
      if (t?.kind !== 'jmp') break;
      const next = byLabel.get(t.target);
      if (!next || next === b || next.label === entry || preds.get(next.label) !== 1 || merged.has(next.label)) break;
      b.instrs.pop();
      b.instrs.push(...next.instrs);
      merged.add(next.label);
    }
  }
  f.blocks = f.blocks.filter((b) => !merged.has(b.label));
}
