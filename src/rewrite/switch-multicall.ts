/*
 * Seed step 15, the context switch: one multicall per switch. XenoLinux 2.0's
 * switch_mm only queues the new base pointer (queue_pt_switch) and __switch_to
 * sends it with the stack switch (and fpu_taskswitch, the LDT) in one
 * multicall (arch/xen/i386/kernel/process.c, include/asm-xen/multicall.h).
 * The same here, for an assembly function that both loads %cr3 and loads the
 * task register (cpu_switch), when page-table updates are batched:
 *
 *  - its mov-to-cr3 site queues MMUEXT_NEW_BASEPTR without flushing;
 *  - its ltr site calls xen_switch_ltr_, which adds stack_switch to the
 *    switch's multicall list instead of making the hypercall;
 *  - before the instruction that loads the new thread's stack pointer (the
 *    first `mov ...,%esp` after the ltr site) a call to xen_mcl_flush sends
 *    the queue (base pointer first, with any update still queued) and the list
 *    in one multicall. Both the skipped-%cr3 and the no-TSS paths reach it, so
 *    nothing outlives the switch.
 *
 * A function in another shape (no stack load after its ltr, more than one of
 * either site) is left as the rule rewrote it, with a note.
 */
import type { Edit } from './types.js';

const FLUSH_CALL = 'call xen_mmu_flush; ';
// The line ends in the rewrite's marker (ASM_MARKER, edit-plan.ts) so that a rewrite of the
// result leaves its popfl alone, as it does the rules' own pushfl ... popfl sequences.
const COMMIT = '\tpushfl; pushal; call xen_mcl_flush; popal; popfl # xenoport: switch-multicall\n';

/** The edits of assembly file `to` with cpu_switch-shaped functions turned into one multicall per switch. */
export function switchMulticallEdits(from: string, to: string, text: string, edits: Edit[]): { edits: Edit[]; notes: string[]; changed: number } {
  const notes: string[] = [];
  const line = (at: number) => text.slice(0, at).split('\n').length;
  const starts = [...text.matchAll(/^ENTRY\((\w+)\)/gm)].map((m) => ({ name: m[1]!, at: m.index as number }));
  const replaced = new Map<Edit, Edit>();
  const added: Edit[] = [];
  for (const [i, f] of starts.entries()) {
    const end = starts[i + 1]?.at ?? text.length;
    const inside = (e: Edit) => e.file === to && e.startByte >= f.at && e.startByte < end;
    const cr3 = edits.filter((e) => inside(e) && e.ruleId === 'mov-to-cr3');
    const ltr = edits.filter((e) => inside(e) && e.ruleId === 'ltr');
    if (cr3.length === 0 || ltr.length === 0) continue;
    const [c, l] = [cr3[0]!, ltr[0]!];
    if (cr3.length > 1 || ltr.length > 1 || c.startByte > l.startByte || !c.replacement.includes(FLUSH_CALL) || !l.replacement.includes('call xen_ltr_;')) {
      notes.push(`${from}:${line(f.at)}: ${f.name} loads %cr3 and %tr in a shape the switch multicall does not know; left as rewritten`);
      continue;
    }
    const rest = text.slice(l.endByte, end);
    const sp = /^[ \t]*movl?[ \t]+[^,\n]+,[ \t]*%esp\b/m.exec(rest);
    if (!sp) {
      notes.push(`${from}:${line(f.at)}: ${f.name}: no stack-pointer load after its ltr; left as rewritten`);
      continue;
    }
    const at = l.endByte + sp.index;
    replaced.set(c, { ...c, replacement: c.replacement.replace(FLUSH_CALL, ''), message: 'seed step 15: the new base pointer waits for the switch\'s multicall' });
    replaced.set(l, { ...l, replacement: l.replacement.replace('call xen_ltr_;', 'call xen_switch_ltr_;'), message: 'seed step 15: stack_switch joins the switch\'s multicall' });
    added.push({
      file: to,
      startByte: at,
      endByte: at,
      replacement: COMMIT,
      ruleId: 'xenify/switch-multicall',
      kind: 'xenify',
      where: `${from}:${line(at)}`,
      message: 'seed step 15: one multicall per context switch (base pointer, queued updates, stack switch)',
    });
  }
  return { edits: [...edits.map((e) => replaced.get(e) ?? e), ...added], notes, changed: added.length };
}
