/*
 * Which code labels of an assembly file are function entries: `.globl` code labels,
 * call targets, and labels whose address is used as a value (IDT stubs, `.long
 * label`, `.set` aliases). A label reached only by jumps or fall-through is not an
 * entry; its code is lowered inside every function that reaches it.
 */
import { decode } from './isa.js';
import type { AsmLowering, Insn } from './lower.js';
import type { Expr } from './ast.js';

export type EntryInput = Pick<AsmLowering, 'code' | 'codeLabels' | 'labelsAt' | 'globals' | 'sets' | 'dataSymRefs'>;

/**
 * The code labels that become IR functions (see "Functions and cross-entry jumps" at
 * the top of lower.ts), and the `pushl $label` instructions that only feed a
 * following ret/lret (returnPushes: their label is a jump target, not an entry).
 */
export function findEntries(l: EntryInput): { entries: Set<string>; returnPushes: Set<number> } {
  const entries = new Set<string>();
  const returnPushes = new Set<number>();
  for (const g of l.globals) if (l.codeLabels.has(g)) entries.add(g);
  const symsOf = (e: Expr, out: string[]): string[] => {
    if (e.kind === 'sym') {
      const s = l.sets.get(e.name);
      if (s?.sym) out.push(s.sym);
      else if (!s) out.push(e.name);
    } else if (e.kind === 'unary') symsOf(e.a, out);
    else if (e.kind === 'binary') (symsOf(e.a, out), symsOf(e.b, out));
    return out;
  };
  const isInsn = (i: number, ...names: string[]): Insn | undefined => {
    const it = l.code[i];
    return it?.kind === 'insn' && names.includes(it.stmt.mnemonic) ? it.stmt : undefined;
  };
  const pushImm = (i: number): boolean => {
    const s = isInsn(i, 'push', 'pushl');
    return !!s && s.operands.length === 1 && s.operands[0].kind === 'imm';
  };
  l.code.forEach((it, i) => {
    if (it.kind !== 'insn') return;
    const noLabel = (k: number): boolean => !l.labelsAt.has(k);
    if (isInsn(i, 'ret', 'retl') && it.stmt.operands.length === 0 && noLabel(i) && pushImm(i - 1)) returnPushes.add(i - 1);
    if (isInsn(i, 'lret', 'lretl') && noLabel(i) && noLabel(i - 1) && pushImm(i - 1) && pushImm(i - 2)) returnPushes.add(i - 1);
  });
  l.code.forEach((it, i) => {
    if (it.kind !== 'insn') return;
    const st = it.stmt;
    const d = decode(st.mnemonic);
    const isBranch = d && (d.base === 'jmp' || d.base === 'jmpl' || d.base === 'jcc' || d.base === 'jecxz' || d.base === 'loop');
    st.operands.forEach((op, k) => {
      let exprs: Expr[] = [];
      if (op.kind === 'imm' || op.kind === 'expr') exprs = [op.expr];
      else if (op.kind === 'mem' && op.disp) exprs = [op.disp];
      else if (op.kind === 'indirect' && op.target.kind === 'mem' && op.target.disp) exprs = [op.target.disp];
      for (const e of exprs)
        for (const s of symsOf(e, [])) {
          if (!l.codeLabels.has(s)) continue;
          if (op.kind === 'expr' && isBranch) continue;
          if (d && (d.base === 'ljmp' || d.base === 'ljmpl') && op.kind === 'imm' && k === 1) continue;
          if (op.kind === 'imm' && returnPushes.has(i)) continue;
          // A call target, or an address used as a value: either way a function entry.
          entries.add(s);
        }
    });
  });
  for (const r of l.dataSymRefs) if (l.codeLabels.has(r.name)) entries.add(r.name);
  return { entries, returnPushes };
}
