/*
 * Which physical pages hold code the user-code dispatcher has compiled blocks from,
 * so that writing such a page drops its blocks (src/emulate/user-code.ts).
 *
 * How writes are caught: a code page never gets a write entry in a TLB view (the
 * paged memory asks `isCode` before filling one, and `protect` makes it drop the
 * entries it already has when a page becomes code), so compiled stores to it take
 * the memory's slow path, which reports the write here; host-side writes to RAM
 * (loaders, exception frames, hypercall copies) report through the memory's host
 * helpers. The first write to a code page clears its flag and calls `onWrite`; the
 * page is an ordinary page again (write entries come back on the next walk) until
 * code is compiled from it again.
 */

export class CodePages {
  /** Per physical page: 1 while compiled blocks were made from it. */
  readonly flags: Uint8Array;
  /** Called with a page number when a code page is written (drop its blocks). */
  onWrite: (ppn: number) => void = () => {};
  /** Called with a page number when it becomes code (drop write TLB entries to it). */
  onProtect: (ppn: number) => void = () => {};

  constructor(readonly npages: number) {
    this.flags = new Uint8Array(npages);
  }

  isCode(pa: number): boolean {
    return this.flags[pa >>> 12] === 1;
  }

  /** Marks the page of physical address `pa` as holding compiled code. */
  protect(pa: number): void {
    const ppn = pa >>> 12;
    if (ppn >= this.npages || this.flags[ppn] === 1) return;
    this.flags[ppn] = 1;
    this.onProtect(ppn);
  }

  /** [pa, pa + n) was written: drops the compiled code of every code page in it. */
  written(pa: number, n = 1): void {
    const first = pa >>> 12;
    const last = Math.min(this.npages - 1, ((pa >>> 0) + Math.max(1, n) - 1) >>> 12);
    for (let p = first; p <= last; p++) {
      if (this.flags[p] !== 1) continue;
      this.flags[p] = 0;
      this.onWrite(p);
    }
  }

  /** Forgets every page (machine reset). */
  clear(): void {
    this.flags.fill(0);
  }
}
