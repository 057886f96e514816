/*
 * The i386 paging vocabulary: CR0/CR4 control bits, page-table entry bits, #PF
 * error-code bits and the fault-hook types, shared by the MMU (mmu.ts), the page
 * walker (page-walk.ts), the CPU and the platforms. Constants and types only.
 *
 * Permission rules (32-bit paging): a user access needs U/S in both levels, a user
 * write also R/W in both; a supervisor write needs R/W in both only when CR0.WP is set.
 * #PF error code: P (bit 0) for a protection violation on a present page, W/R (bit 1)
 * for a write, U/S (bit 2) for a user-mode access.
 */
import type { AccessKind } from '../memory.js';

export type FaultDecision = 'retry' | 'continue';
export type PageFaultHook = (addr: number, errorCode: number, access: AccessKind, size: number, eip: number) => FaultDecision;

export const CR0_PE = 1 << 0;
export const CR0_MP = 1 << 1;
export const CR0_EM = 1 << 2;
export const CR0_TS = 1 << 3;
export const CR0_ET = 1 << 4;
export const CR0_NE = 1 << 5;
export const CR0_WP = 1 << 16;
export const CR0_AM = 1 << 18;
export const CR0_NW = 1 << 29;
export const CR0_CD = 1 << 30;
export const CR0_PG = 1 << 31;
export const CR4_VME = 1 << 0;
export const CR4_PVI = 1 << 1;
export const CR4_TSD = 1 << 2;
export const CR4_DE = 1 << 3;
export const CR4_PSE = 1 << 4;
export const CR4_PAE = 1 << 5;
export const CR4_MCE = 1 << 6;
export const CR4_PGE = 1 << 7;

export const PG_V = 0x001;
export const PG_RW = 0x002;
export const PG_U = 0x004;
export const PG_A = 0x020;
export const PG_M = 0x040;
export const PG_PS = 0x080;
export const PG_G = 0x100;

export const PGEX_P = 1;
export const PGEX_W = 2;
export const PGEX_U = 4;
/** #PF error code bit 4: the access was an instruction fetch. */
export const PGEX_I = 0x10;
