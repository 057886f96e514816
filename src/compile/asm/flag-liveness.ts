/*
 * Which condition-flag bits are live at each instruction of an assembly file: a
 * backward dataflow pass over the whole code list (fall-through and branches to this
 * file's code labels). FunctionLowering uses it to store, before every edge into a
 * label, exactly the bits read there (the %fl.* temps; see "Condition flags" at the
 * top of lower.ts). Control leaving the file (ret, an unknown jump target) has no
 * successors, so nothing is live after it.
 */
import { ALL_BITS, CC_BITS, FLAG_SETTERS, decode, type Bit } from './isa.js';
import type { AsmLowering, CodeItem } from './lower.js';

export type FlagLivenessInput = Pick<AsmLowering, 'code' | 'codeLabels' | 'evalVal' | 'codeTarget'>;

/**
 * For every code index: the flag bits that may be read before being set at its start
 * (needIn) and after it (needOut, the union over its successors).
 */
export function computeFlagNeeds(l: FlagLivenessInput): { needIn: Set<Bit>[]; needOut: Set<Bit>[] } {
  const needIn: Set<Bit>[] = [];
  const needOut: Set<Bit>[] = [];
  const n = l.code.length;
  const info = l.code.map((it, i) => flagInfo(l, it, i));
  for (let i = 0; i < n; i++) (needIn[i] = new Set()), (needOut[i] = new Set());
  for (let changed = true; changed; ) {
    changed = false;
    for (let i = n - 1; i >= 0; i--) {
      const { uses, kills, succs } = info[i];
      const out = new Set<Bit>();
      for (const s of succs) for (const b of needIn[s] ?? []) out.add(b);
      const inn = new Set<Bit>(uses);
      for (const b of out) if (!kills.includes(b)) inn.add(b);
      if (out.size !== needOut[i].size || inn.size !== needIn[i].size) changed = true;
      needOut[i] = out;
      needIn[i] = inn;
    }
  }
  return { needIn, needOut };
}

/** What instruction i reads and defines of the flags, and where control goes after it. */
function flagInfo(l: FlagLivenessInput, it: CodeItem, i: number): { uses: Bit[]; kills: readonly Bit[]; succs: number[] } {
  if (it.kind === 'barrier') return { uses: [], kills: [], succs: [] };
  const st = it.stmt;
  const d = decode(st.mnemonic);
  const next = [i + 1];
  if (!d) return { uses: [], kills: ALL_BITS, succs: next };
  const target = (): number[] => {
    const o = st.operands[0];
    if (o?.kind !== 'expr') return [];
    try {
      const t = l.codeTarget(l.evalVal(o.expr, st.loc));
      return t === undefined ? [] : [l.codeLabels.get(t)!];
    } catch {
      return [];
    }
  };
  switch (d.base) {
    case 'jcc':
      return { uses: CC_BITS[d.cc!], kills: [], succs: [...next, ...target()] };
    case 'setcc':
    case 'cmovcc':
      return { uses: CC_BITS[d.cc!], kills: [], succs: next };
    case 'loop':
    case 'jecxz':
      return { uses: [], kills: [], succs: [...next, ...target()] };
    case 'jmp':
    case 'jmpl':
      return { uses: [], kills: [], succs: target() };
    case 'ret':
    case 'retl':
    case 'lret':
    case 'lretl':
    case 'iret':
    case 'iretl':
    case 'ljmp':
    case 'ljmpl':
      return { uses: [], kills: [], succs: [] };
    case 'inc':
    case 'dec':
      return { uses: [], kills: ['zf', 'sf', 'of'], succs: next };
    case 'shl':
    case 'shr':
    case 'sar': {
      const o = st.operands[0];
      if (st.operands.length === 2 && o.kind === 'imm') {
        try {
          const v = l.evalVal(o.expr, st.loc);
          if (v.sym === undefined && (BigInt.asUintN(32, v.off) & 31n) === 0n) return { uses: [], kills: [], succs: next };
        } catch {
          /* reported when lowered */
        }
      }
      return { uses: [], kills: ALL_BITS, succs: next };
    }
    case 'movsb': case 'movsw': case 'movsl': case 'stosb': case 'stosw': case 'stosl': case 'lodsb': case 'lodsw': case 'lodsl':
      return { uses: [], kills: [], succs: next };
    case 'cmpsb': case 'cmpsw': case 'cmpsl': case 'scasb': case 'scasw': case 'scasl':
      // With a rep prefix and ecx = 0 the flags pass through unchanged.
      return { uses: [], kills: st.prefixes.some((p) => p.startsWith('rep')) ? [] : ALL_BITS, succs: next };
    default:
      if (d.base === 'adc' || d.base === 'sbb') return { uses: ['cf'], kills: ALL_BITS, succs: next };
      return { uses: [], kills: FLAG_SETTERS.has(d.base) ? ALL_BITS : [], succs: next };
  }
}
