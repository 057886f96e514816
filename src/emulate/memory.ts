/*
 * Guest memory. Every load and store of compiled code goes through the small
 * GuestMemory interface, with the eip of the accessing instruction for fault reports.
 * FlatMemory is the run-mode implementation: one little-endian Uint8Array covering
 * [base, base + size), aligned 32-bit accesses through an Int32Array view, the rest
 * through a DataView. A paging MMU (pc/mmu.ts) is another GuestMemory whose fast path
 * is a TLB hit; it exposes that fast path to compiled code as a TlbView (below), which
 * the JIT inlines into every load and store.
 *
 * Addresses and values are numbers holding 32-bit quantities (signed or unsigned; only
 * the low 32 bits count). Loads return sign- or zero-extended int32 values as named.
 * An access that cannot be satisfied calls the fault hook, which either ends the run
 * (throws the engine's private stop signal) or returns to retry the access.
 */

export type AccessKind = 'read' | 'write';

/**
 * The fast path of a paged GuestMemory, exposed so that compiled code can inline it
 * (jit.ts): a direct-mapped software TLB with one entry per virtual page.
 *
 * For a virtual page number vpn = addr >>> 12, `rd[vpn]` / `wr[vpn]` hold
 * (physical page address | 1) when a read / write of that page by the *current*
 * privilege is allowed without a walk (and without setting any accessed/dirty bit:
 * a write entry exists only once the page is dirty), else 0. The physical page address
 * indexes `ram` (and `ram32`, the same bytes as little-endian int32 words); only pages
 * that lie wholly in `ram` may have an entry. The low 12 bits of an entry other than
 * bit 0 are reserved (0): compiled code takes the page as `e & -4096`.
 *
 * A hit is then: e = rd[addr >>> 12]; e !== 0 -> the bytes at (e & -4096) | (addr & 4095).
 * Everything else — a zero entry (miss, forbidden access, clean page on a write), an
 * access that crosses a page ((addr & 4095) > 4096 - size), and for 32-bit accesses
 * any unaligned address — must go through the GuestMemory method, which walks, sets
 * A/D bits, fills the entry, or faults.
 *
 * Contract with compiled code, which captures the view object itself (not its arrays):
 * - `rd`/`wr` may be replaced at any time (a privilege change swaps in the other pair)
 *   or have entries cleared (invlpg, CR3 load); compiled code reads `T.rd`/`T.wr` on
 *   every access, so it sees the change at the next access;
 * - `ram` and `ram32` are fixed for the life of the memory (compiled code binds them
 *   once);
 * - the view object itself is fixed: `tlbView` must always return the same object.
 */
export interface TlbView {
  rd: Int32Array;
  wr: Int32Array;
  readonly ram: Uint8Array;
  /** `ram` as int32 words (same buffer, byte offset a multiple of 4); made by the engine if absent. */
  readonly ram32?: Int32Array;
}

export interface GuestMemory {
  /** The inlinable TLB fast path, for paged memories (see TlbView). */
  readonly tlbView?: TlbView;
  ld8u(addr: number, eip: number): number;
  ld8s(addr: number, eip: number): number;
  ld16u(addr: number, eip: number): number;
  ld16s(addr: number, eip: number): number;
  ld32(addr: number, eip: number): number;
  st8(addr: number, value: number, eip: number): void;
  st16(addr: number, value: number, eip: number): void;
  st32(addr: number, value: number, eip: number): void;
}

/** Called on an access outside memory; returns to retry, or throws to stop. */
export type MemoryFaultHook = (addr: number, size: number, access: AccessKind, eip: number) => void;

export class FlatMemory implements GuestMemory {
  readonly base: number;
  readonly size: number;
  readonly u8: Uint8Array;
  readonly dv: DataView;
  readonly i32: Int32Array;
  onFault: MemoryFaultHook = () => {
    throw new Error('internal error: FlatMemory.onFault not connected');
  };

  /** `base` and `size` must be multiples of 4096. */
  constructor(base: number, size: number) {
    this.base = base >>> 0;
    this.size = size;
    const buf = new ArrayBuffer(size);
    this.u8 = new Uint8Array(buf);
    this.dv = new DataView(buf);
    this.i32 = new Int32Array(buf);
  }

  /** Offset into the buffer of a guest address, or -1 if [addr, addr+n) is outside. */
  offset(addr: number, n: number): number {
    const o = (addr - this.base) >>> 0;
    return o + n <= this.size ? o : -1;
  }

  ld32(a: number, eip: number): number {
    const o = (a - this.base) >>> 0;
    if ((o & 3) === 0 && o < this.size) return this.i32[o >>> 2]!;
    return this.ld32slow(a, eip);
  }
  private ld32slow(a: number, eip: number): number {
    for (;;) {
      const o = this.offset(a, 4);
      if (o >= 0) return this.dv.getInt32(o, true);
      this.onFault(a, 4, 'read', eip);
    }
  }
  st32(a: number, v: number, eip: number): void {
    const o = (a - this.base) >>> 0;
    if ((o & 3) === 0 && o < this.size) {
      this.i32[o >>> 2] = v;
      return;
    }
    this.st32slow(a, v, eip);
  }
  private st32slow(a: number, v: number, eip: number): void {
    for (;;) {
      const o = this.offset(a, 4);
      if (o >= 0) return this.dv.setInt32(o, v, true);
      this.onFault(a, 4, 'write', eip);
    }
  }
  ld8u(a: number, eip: number): number {
    for (;;) {
      const o = (a - this.base) >>> 0;
      if (o < this.size) return this.u8[o]!;
      this.onFault(a, 1, 'read', eip);
    }
  }
  ld8s(a: number, eip: number): number {
    return (this.ld8u(a, eip) << 24) >> 24;
  }
  ld16u(a: number, eip: number): number {
    for (;;) {
      const o = this.offset(a, 2);
      if (o >= 0) return this.dv.getUint16(o, true);
      this.onFault(a, 2, 'read', eip);
    }
  }
  ld16s(a: number, eip: number): number {
    return (this.ld16u(a, eip) << 16) >> 16;
  }
  st8(a: number, v: number, eip: number): void {
    for (;;) {
      const o = (a - this.base) >>> 0;
      if (o < this.size) {
        this.u8[o] = v;
        return;
      }
      this.onFault(a, 1, 'write', eip);
    }
  }
  st16(a: number, v: number, eip: number): void {
    for (;;) {
      const o = this.offset(a, 2);
      if (o >= 0) return this.dv.setUint16(o, v, true);
      this.onFault(a, 2, 'write', eip);
    }
  }

  /** Host-side bulk access (loader, syscalls); undefined if out of range. */
  slice(addr: number, n: number): Uint8Array | undefined {
    const o = this.offset(addr, n);
    return o < 0 ? undefined : this.u8.subarray(o, o + n);
  }
  write(addr: number, bytes: Uint8Array): boolean {
    const o = this.offset(addr, bytes.length);
    if (o < 0) return false;
    this.u8.set(bytes, o);
    return true;
  }
}
