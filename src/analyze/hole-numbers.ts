/*
 * Which number literals can be a va-hole finding, decided from the literal and
 * the rules alone. Extraction keeps only those (a real sys/ has about two
 * million big literals, most of them firmware tables and register masks, and
 * kept they were a third of the summaries' memory); resolve-vahole.ts applies
 * the same test again, per rule, with what only the whole tree knows (physical
 * argument slots).
 * Invariant: a literal this module drops could never have been reported.
 */
import type { Rule, VaHoleMatch } from './types.js';

/** A literal spelled 64 bits wide (more than 8 hex digits, or an LL suffix) is a register field, not an i386 address. */
export function wide(text: string): boolean {
  return /^0[xX][0-9a-fA-F]{9,}/.test(text) || /[lL]{2}$/.test(text.replace(/[uU]/g, ''));
}

/** Variables and fields that hold physical addresses: a value stored to one is not a virtual address. */
const PHYS_LHS = /(^|[^a-z])(pa|paddr|phys|physaddr|p_addr)($|[^a-z])|_pa$|_paddr$|phys/i;

/** Whether an assignment's target (its text, `*p` included) names a physical address. */
export function physTarget(lhs: string): boolean {
  return PHYS_LHS.test(lhs.replace(/^\*/, ''));
}

/** In the hole: 0xffffffff is (-1), a sentinel (NODEV) or a mask, never a mapping. */
export function inHole(m: VaHoleMatch, v: number | undefined): v is number {
  return v !== undefined && v >= m.min && v <= m.max && v !== 0xffffffff;
}

/** An address in the hole: a hand-written one (a literal) is page-aligned, a derived one word-aligned. */
export function holeAddress(m: VaHoleMatch, v: number | undefined, literal: boolean): v is number {
  return inHole(m, v) && v % (literal ? 4096 : 4) === 0;
}

const cache = new WeakMap<Rule[], (text: string, value: number) => boolean>();

/** Whether some va-hole rule could report this literal (its context not yet considered). */
export function holeLiteral(rules: Rule[]): (text: string, value: number) => boolean {
  let f = cache.get(rules);
  if (!f) {
    const ms = rules.flatMap((r) => (r.match.vaHole ? [r.match.vaHole] : []));
    f = ms.length === 0 ? () => false : (text, value) => ms.some((m) => holeAddress(m, value, true)) && !wide(text);
    cache.set(rules, f);
  }
  return f;
}
