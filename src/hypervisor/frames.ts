/*
 * Machine memory and the frame table (Xen 2.0's frame_table / struct pfn_info).
 *
 * Machine memory is one little-endian byte array of `nframes` 4 KiB frames. Every
 * frame has an owner (a domain id, DOMID_XEN, or FREE), a reference count (Xen's
 * count_info: one for the domain's allocation, one per mapping or use), and a type
 * with its own count (type_info): none, an L1 or L2 page table, a segment (GDT)
 * page, or a writable page. A frame's type may change only while its type count is
 * zero, so a frame is never at once a page table and writable-mapped.
 *
 * Invariants: owner, refs, typeCount are kept by mm.ts only; a frame with
 * typeCount > 0 has type !== NONE; VALIDATED is set only on L1/L2 frames whose
 * entries currently hold their references.
 */
import { DOMID_XEN, XEN_PAGE_SIZE } from '../xen-abi/index.js';
import type { CodePages } from '../emulate/index.js';

export const PAGE = XEN_PAGE_SIZE;
export const PAGE_SHIFT = 12;

/** Frame types (Xen 2.0 PGT_*). */
export const PGT_NONE = 0;
export const PGT_L1 = 1;
export const PGT_L2 = 2;
export const PGT_SEG = 3;
export const PGT_WRITABLE = 4;
export const TYPE_NAMES = ['none', 'L1', 'L2', 'seg', 'writable'] as const;
export type FrameType = 0 | 1 | 2 | 3 | 4;

/** Owner values besides a domain id. */
export const OWNER_FREE = -1;
export const OWNER_XEN = DOMID_XEN;

/** Frame flag bits. */
export const F_VALIDATED = 1;
export const F_PINNED = 2;
/** The domain's allocation reference (Xen's PGC_allocated). */
export const F_ALLOCATED = 4;
/**
 * A page Xen shares with the domain (shared_info, grant-table frames; Xen's
 * SHARE_PFN_WITH_DOMAIN): owned by the domain but outside its reservation, so
 * never given back, transferred or counted in tot_pages.
 */
export const F_XENHEAP = 8;

/** x86 page-table entry bits. */
export const PTE_P = 0x001;
export const PTE_RW = 0x002;
export const PTE_US = 0x004;
export const PTE_A = 0x020;
export const PTE_D = 0x040;
export const PTE_PS = 0x080;
export const PTE_G = 0x100;
/** Bits a guest may not set (Xen 2.0 L1_DISALLOW_MASK = 3 << 7: PAT and global). */
export const L1_DISALLOW_MASK = 3 << 7;
/** Xen 2.0 L2_DISALLOW_MASK = 7 << 7: PSE (4 MB pages), global, bit 9. */
export const L2_DISALLOW_MASK = 7 << 7;

export class MachineMemory {
  readonly nframes: number;
  /** Frames holding compiled user code (emulate's CodePages): scrubbing one drops that code. */
  code?: CodePages;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly i32: Int32Array;
  readonly owner: Int32Array;
  readonly refs: Int32Array;
  readonly type: Uint8Array;
  readonly typeCount: Int32Array;
  readonly flags: Uint8Array;
  /**
   * Bumped on every write the hypervisor makes to a frame through this class
   * (entries, words, zero/junk fills); the incremental invariant checker uses it to
   * rescan only changed tables. Guest stores do not bump it (they can reach only
   * writable-typed frames, which is itself checked; and a periodic full check
   * covers the rest).
   */
  readonly version: Int32Array;

  constructor(nframes: number) {
    this.nframes = nframes;
    const buf = new ArrayBuffer(nframes * PAGE);
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
    this.i32 = new Int32Array(buf);
    this.owner = new Int32Array(nframes).fill(OWNER_FREE);
    this.refs = new Int32Array(nframes);
    this.type = new Uint8Array(nframes);
    this.typeCount = new Int32Array(nframes);
    this.flags = new Uint8Array(nframes);
    this.version = new Int32Array(nframes);
  }

  get size(): number {
    return this.nframes * PAGE;
  }

  /** 32-bit word at a machine address (must be 4-aligned and inside memory). */
  word(ma: number): number {
    return this.i32[(ma >>> 2) & 0x3fffffff]!;
  }
  setWord(ma: number, v: number): void {
    this.i32[(ma >>> 2) & 0x3fffffff] = v;
    this.version[ma >>> 12]!++;
  }
  /** Entry `i` (0..1023) of the page-table frame `mfn`. */
  entry(mfn: number, i: number): number {
    return this.i32[mfn * 1024 + i]!;
  }
  setEntry(mfn: number, i: number, v: number): void {
    this.i32[mfn * 1024 + i] = v;
    this.version[mfn]!++;
  }
  zeroFrame(mfn: number): void {
    this.u8.fill(0, mfn * PAGE, (mfn + 1) * PAGE);
    this.version[mfn]!++;
    this.code?.written(mfn * PAGE, PAGE);
  }
  /** Freed frames get a junk pattern (DESIGN habit 9). */
  junkFrame(mfn: number): void {
    this.u8.fill(0xa5, mfn * PAGE, (mfn + 1) * PAGE);
    this.version[mfn]!++;
    this.code?.written(mfn * PAGE, PAGE);
  }
  isFrame(mfn: number): boolean {
    return Number.isInteger(mfn) && mfn >= 0 && mfn < this.nframes;
  }
}
