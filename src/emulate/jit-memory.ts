/*
 * The code the block compiler (jit.ts) emits for a guest load or store: a call to the
 * GuestMemory (M.ld32(a, eip) ...) or, when the context allows, an inlined fast path
 * with the call as its slow path (the shapes are in jit.ts's header):
 * - flat memory [base, base + size): free variables U8/I32 are that memory, `o` the
 *   offset into it;
 * - a paged memory's TlbView: free variable T, `e` the TLB entry of the page; a hit is
 *   one array lookup and one RAM access. Page-crossing and misaligned 32-bit accesses
 *   take the slow path.
 * Every address expression passed in must be side-effect free (it is evaluated twice).
 */
import type { CompileContext } from './jit.js';

/** The JS literal of an int32 (parenthesized when negative). */
export const lit = (n: number): string => {
  const v = n | 0;
  return v < 0 ? `(${v})` : String(v);
};

export interface MemoryAccessors {
  /** Whether the TLB fast path is inlined (the generated code then needs the local `e`). */
  tlb: boolean;
  /** A load expression: fnName is M's method (ld32, ld8u, ...), E the eip literal, al: `a` is known 4-aligned. */
  ld(fnName: string, a: string, E: string, al?: boolean): string;
  /** A store statement (st32, st16, st8, ...). */
  st(fnName: string, a: string, v: string, E: string, al?: boolean): string;
}

export function memoryAccessors(ctx: Pick<CompileContext, 'flat' | 'tlb'>): MemoryAccessors {
  const flat = ctx.flat;
  const off = (a: string): string => (flat!.base === 0 ? `(o = ${a} >>> 0)` : `(o = (${a} - ${lit(flat!.base)}) >>> 0)`);
  const tlb = !flat && ctx.tlb === true;
  // TLB fast path: `e` is the entry of a's page, `pa(a)` the physical address on a hit.
  const entry = (arr: 'rd' | 'wr', a: string): string => `(e = T.${arr}[${a} >>> 12]) !== 0`;
  const pa = (a: string): string => `((e & -4096) | (${a} & 4095))`;
  const tlbLd = (fnName: string, a: string, E: string, al: boolean): string => {
    const slow = `M.${fnName}(${a}, ${E})`;
    switch (fnName) {
      case 'ld32': return `((${entry('rd', a)}${al ? '' : ` && (${a} & 3) === 0`}) ? I32[${pa(a)} >>> 2] : ${slow})`;
      case 'ld8u': return `((${entry('rd', a)}) ? U8[${pa(a)}] : ${slow})`;
      case 'ld8s': return `((${entry('rd', a)}) ? (U8[${pa(a)}] << 24) >> 24 : ${slow})`;
      case 'ld16u': return `((${entry('rd', a)} && (${a} & 4095) !== 4095) ? U8[o = ${pa(a)}] | (U8[o + 1] << 8) : ${slow})`;
      case 'ld16s': return `((${entry('rd', a)} && (${a} & 4095) !== 4095) ? ((U8[o = ${pa(a)}] << 16) | (U8[o + 1] << 24)) >> 16 : ${slow})`;
      default: return slow;
    }
  };
  const tlbSt = (fnName: string, a: string, v: string, E: string, al: boolean): string => {
    const slow = `else M.${fnName}(${a}, ${v}, ${E});`;
    switch (fnName) {
      case 'st32': return `if (${entry('wr', a)}${al ? '' : ` && (${a} & 3) === 0`}) I32[${pa(a)} >>> 2] = ${v}; ${slow}`;
      case 'st8': return `if (${entry('wr', a)}) U8[${pa(a)}] = ${v}; ${slow}`;
      case 'st16': return `if (${entry('wr', a)} && (${a} & 4095) !== 4095) { U8[o = ${pa(a)}] = ${v}; U8[o + 1] = ${v} >> 8; } ${slow}`;
      default: return `M.${fnName}(${a}, ${v}, ${E});`;
    }
  };
  /** A load expression; `a` must be side-effect free (an operand). */
  const ld = (fnName: string, a: string, E: string, al = false): string => {
    if (tlb) return tlbLd(fnName, a, E, al);
    if (!flat) return `M.${fnName}(${a}, ${E})`;
    switch (fnName) {
      case 'ld32':
        if (al) return `((${off(a)} < ${flat.size}) ? I32[o >>> 2] : M.ld32(${a}, ${E}))`;
        return `(((${off(a)} & 3) === 0 && o < ${flat.size}) ? I32[o >>> 2] : M.ld32(${a}, ${E}))`;
      case 'ld8u': return `((${off(a)} < ${flat.size}) ? U8[o] : M.ld8u(${a}, ${E}))`;
      case 'ld8s': return `((${off(a)} < ${flat.size}) ? (U8[o] << 24) >> 24 : M.ld8s(${a}, ${E}))`;
      default: return `M.${fnName}(${a}, ${E})`;
    }
  };
  const st = (fnName: string, a: string, v: string, E: string, al = false): string => {
    if (tlb) return tlbSt(fnName, a, v, E, al);
    if (!flat) return `M.${fnName}(${a}, ${v}, ${E});`;
    switch (fnName) {
      case 'st32':
        if (al) return `if (${off(a)} < ${flat.size}) I32[o >>> 2] = ${v}; else M.st32(${a}, ${v}, ${E});`;
        return `if ((${off(a)} & 3) === 0 && o < ${flat.size}) I32[o >>> 2] = ${v}; else M.st32(${a}, ${v}, ${E});`;
      case 'st8': return `if (${off(a)} < ${flat.size}) U8[o] = ${v}; else M.st8(${a}, ${v}, ${E});`;
      default: return `M.${fnName}(${a}, ${v}, ${E});`;
    }
  };
  return { tlb, ld, st };
}
