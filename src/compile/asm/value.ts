/*
 * Assembly-time values: an absolute number or a symbol plus an offset, and how such a
 * value becomes an IR operand or data item.
 */

/** An assembly-time value: absolute (sym undefined) or symbol + offset. */
export interface Val {
  sym?: string;
  off: bigint;
}

/** Names the IR can spell (NAME in docs/ir.md). */
export const NAME_RE = /^[A-Za-z0-9_.]+$/;
/** A load-address relocation (R(x) = x - KERNBASE) is a multiple of this. */
export const MIB = 0x100000n;

/** A symbol offset as the IR stores it: as written when it fits in ±2^32, else taken modulo 2^32. */
export function relocOffset(off: bigint): number {
  return off > -(1n << 32n) && off < 1n << 32n ? Number(off) : Number(BigInt.asIntN(32, off));
}
