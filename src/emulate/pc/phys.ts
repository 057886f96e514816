/*
 * Physical memory: RAM as one little-endian typed array at physical address 0.
 *
 * Accesses at or beyond the end of RAM touch nothing: reads give 0 and writes are
 * dropped, as QEMU's unassigned memory does (a PC has no bus error). Host code (the
 * loader, the hypervisor's domain builder, tests) uses the bulk and word helpers;
 * guest accesses come through PagedMemory, which reaches the arrays directly on its
 * fast path. The same class serves as the hypervisor's *machine* memory.
 */
import type { CodePages } from '../code-pages.js';

export class PhysicalMemory {
  /** Bytes of RAM, a multiple of 4096. */
  readonly size: number;
  readonly u8: Uint8Array;
  readonly i32: Int32Array;
  readonly dv: DataView;
  /**
   * Pages holding compiled user code (code-pages.ts): the write helpers below report
   * writes to them. Host code that writes `u8`/`i32` directly must call
   * `code.written(pa, n)` itself.
   */
  code?: CodePages;

  constructor(size: number) {
    this.size = Math.ceil(size / 4096) * 4096;
    const buf = new ArrayBuffer(this.size);
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.dv = new DataView(buf);
  }

  /** True when [pa, pa + n) lies in RAM. */
  inRam(pa: number, n = 1): boolean {
    const p = pa >>> 0;
    return p + n <= this.size;
  }

  read8(pa: number): number {
    const p = pa >>> 0;
    return p < this.size ? this.u8[p]! : 0;
  }
  read16(pa: number): number {
    const p = pa >>> 0;
    return p + 2 <= this.size ? this.dv.getUint16(p, true) : 0;
  }
  /** Signed 32-bit read (0 outside RAM). */
  read32(pa: number): number {
    const p = pa >>> 0;
    if ((p & 3) === 0 && p < this.size) return this.i32[p >>> 2]!;
    return p + 4 <= this.size ? this.dv.getInt32(p, true) : 0;
  }
  write8(pa: number, v: number): void {
    const p = pa >>> 0;
    if (p < this.size) this.u8[p] = v;
    if (this.code?.flags[p >>> 12]) this.code.written(p, 1);
  }
  write16(pa: number, v: number): void {
    const p = pa >>> 0;
    if (p + 2 <= this.size) this.dv.setUint16(p, v & 0xffff, true);
    if (this.code) this.code.written(p, 2);
  }
  write32(pa: number, v: number): void {
    const p = pa >>> 0;
    if ((p & 3) === 0 && p < this.size) this.i32[p >>> 2] = v;
    else if (p + 4 <= this.size) this.dv.setInt32(p, v | 0, true);
    if (this.code?.flags[p >>> 12] || (this.code && (p & 4095) > 4092)) this.code.written(p, 4);
  }

  /** Copies bytes into RAM; returns false (copying nothing) if they do not fit. */
  load(pa: number, bytes: Uint8Array): boolean {
    const p = pa >>> 0;
    if (p + bytes.length > this.size) return false;
    this.u8.set(bytes, p);
    this.code?.written(p, bytes.length);
    return true;
  }

  /** A copy of [pa, pa + n) (bytes outside RAM read as 0). */
  slice(pa: number, n: number): Uint8Array {
    const out = new Uint8Array(n);
    const p = pa >>> 0;
    const end = Math.min(this.size, p + n);
    if (p < end) out.set(this.u8.subarray(p, end), 0);
    return out;
  }

  /** Zeroes RAM (for reusing one machine's memory across runs). */
  clear(): void {
    this.u8.fill(0);
    this.code?.written(0, this.size);
  }
}
