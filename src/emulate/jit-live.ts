/*
 * Which JS locals a suspended frame must save (jit.ts, call sites; docs/ir.md, "Saved
 * frames"): a frame resumed after a call reads only what is live there, and a frame
 * later re-entered at a block start by a non-local transfer (an `onfault` label) reads
 * only what is live into some block. Everything else is dead at the suspension point
 * and restored as 0. Listing fewer locals in a call site's catch keeps the optimizer
 * from holding every local of the function across every call (sieve's hot loops ran
 * 1.2-1.4x slower with all of them listed).
 *
 * Names are IR temp names; a promoted slot (jit-slots.ts) is `@` + its alloc temp: a
 * load from it reads the slot, a store to it writes the whole slot. Liveness is the
 * usual backward fixpoint over the blocks' jmp/jnz edges, so it over-approximates.
 */
import { usedOperands, type Instruction, type IRFunction, type Operand } from '../ir/index.js';
import type { PromotedSlot } from './jit-slots.js';

/** What one instruction reads and writes, in the names above. */
function effects(i: Instruction, slots: Map<string, PromotedSlot>): { uses: string[]; def?: string } {
  const temps = (os: Operand[]): string[] => os.flatMap((o) => (o.kind === 'temp' ? [o.name] : []));
  if (i.kind === 'load' && i.addr.kind === 'temp' && slots.has(i.addr.name)) return { uses: ['@' + i.addr.name], def: i.dst };
  if (i.kind === 'store' && i.addr.kind === 'temp' && slots.has(i.addr.name)) return { uses: temps([i.value]), def: '@' + i.addr.name };
  const def = 'dst' in i ? i.dst : undefined;
  return { uses: temps(usedOperands(i)), def };
}

/**
 * For each call instruction of `fn`, the names a frame suspended in it must save: live
 * after the call, or live into any block.
 */
export function savedAtCalls(fn: IRFunction, slots: Map<string, PromotedSlot>): Map<Instruction, Set<string>> {
  const index = new Map(fn.blocks.map((b, k) => [b.label, k]));
  const succ = fn.blocks.map((b) => {
    const t = b.instrs[b.instrs.length - 1];
    const labels = t?.kind === 'jmp' ? [t.target] : t?.kind === 'jnz' ? [t.ifTrue, t.ifFalse] : [];
    return labels.flatMap((l) => (index.has(l) ? [index.get(l)!] : []));
  });
  const fx = fn.blocks.map((b) => b.instrs.map((i) => effects(i, slots)));
  const liveIn: Set<string>[] = fn.blocks.map(() => new Set());
  const liveOut = (k: number): Set<string> => {
    const s = new Set<string>();
    for (const t of succ[k]!) for (const v of liveIn[t]!) s.add(v);
    return s;
  };
  for (let changed = true; changed; ) {
    changed = false;
    for (let k = fn.blocks.length - 1; k >= 0; k--) {
      const live = liveOut(k);
      for (let j = fx[k]!.length - 1; j >= 0; j--) {
        const e = fx[k]![j]!;
        if (e.def !== undefined) live.delete(e.def);
        for (const u of e.uses) live.add(u);
      }
      if (live.size !== liveIn[k]!.size) {
        liveIn[k] = live;
        changed = true;
      }
    }
  }
  const anyBlock = new Set<string>();
  for (const s of liveIn) for (const v of s) anyBlock.add(v);
  const out = new Map<Instruction, Set<string>>();
  fn.blocks.forEach((b, k) => {
    const live = liveOut(k);
    for (let j = b.instrs.length - 1; j >= 0; j--) {
      const i = b.instrs[j]!;
      // The call's own result is written when it returns, so it is not read from the save.
      if (i.kind === 'call') out.set(i, new Set([...live, ...anyBlock].filter((v) => v !== i.dst)));
      const e = fx[k]![j]!;
      if (e.def !== undefined) live.delete(e.def);
      for (const u of e.uses) live.add(u);
    }
  });
  return out;
}
