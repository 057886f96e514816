/*
 * The side-effect-free page-table walk: what the page tables say about one virtual
 * address (no TLB fill, no accessed/dirty bits). For debugging, reports and tests;
 * the MMU's own translate() does its walk inline, on the TLB-miss path.
 */
import type { PhysicalMemory } from './phys.js';
import { PG_G, PG_PS, PG_RW, PG_U, PG_V } from './paging-bits.js';

/** What the page tables say about one virtual address (walk()). */
export interface WalkResult {
  present: boolean;
  /** Physical address of va (when present). */
  phys: number;
  pde: number;
  pte?: number;
  large: boolean;
  user: boolean;
  writable: boolean;
  global: boolean;
}

/** The answer of the page tables rooted at `cr3` for va under the given paging controls. */
export function walkPageTables(phys: PhysicalMemory, va: number, pg: boolean, cr3: number, pse: boolean, pge: boolean): WalkResult {
  const a = va >>> 0;
  if (!pg) return { present: true, phys: a, pde: 0, large: false, user: true, writable: true, global: false };
  const pde = phys.read32(((cr3 & ~0xfff) + ((a >>> 22) << 2)) >>> 0);
  if (!(pde & PG_V)) return { present: false, phys: 0, pde, large: false, user: false, writable: false, global: false };
  if (pse && pde & PG_PS) {
    return {
      present: true, phys: ((pde & 0xffc00000) + (a & 0x3fffff)) >>> 0, pde, large: true,
      user: (pde & PG_U) !== 0, writable: (pde & PG_RW) !== 0, global: pge && (pde & PG_G) !== 0,
    };
  }
  const pte = phys.read32(((pde & ~0xfff) + (((a >>> 12) & 1023) << 2)) >>> 0);
  if (!(pte & PG_V)) return { present: false, phys: 0, pde, pte, large: false, user: false, writable: false, global: false };
  return {
    present: true, phys: ((pte & ~0xfff) | (a & 0xfff)) >>> 0, pde, pte, large: false,
    user: (pde & pte & PG_U) !== 0, writable: (pde & pte & PG_RW) !== 0, global: pge && (pte & PG_G) !== 0,
  };
}
