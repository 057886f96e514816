// The paging MMU and its TLB, driven directly (no CPU): translation, A/D bits, the
// #PF error codes, WP, user/supervisor, 4 MiB pages, and the TLB's real semantics
// (stale entries until invlpg / CR3 load / PGE toggle).
import { describe, expect, it } from 'vitest';
import { PagedMemory, PhysicalMemory, CR0_PG, CR0_PE, CR0_WP, CR4_PSE, CR4_PGE } from '../../../src/emulate/pc/index.js';

const PD = 0x1000, PT = 0x2000;
const V = 0x00400000; // directory slot 1

function setup(opts: { wp?: boolean; pse?: boolean; pge?: boolean } = {}) {
  const phys = new PhysicalMemory(1 << 22);
  const mmu = new PagedMemory(phys);
  const faults: { addr: number; code: number }[] = [];
  mmu.onFault = (addr, code) => {
    faults.push({ addr: addr >>> 0, code });
    return 'continue';
  };
  phys.write32(PD + 4, PT | 0x7);
  mmu.loadCR3(PD);
  mmu.setControl(CR0_PG | CR0_PE | (opts.wp ? CR0_WP : 0), (opts.pse ? CR4_PSE : 0) | (opts.pge ? CR4_PGE : 0));
  const pte = (k: number, v: number): void => phys.write32(PT + 4 * k, v);
  return { phys, mmu, faults, pte };
}

describe('PagedMemory', () => {
  it('translates 4 KiB pages and sets accessed/dirty bits on the walk', () => {
    const { phys, mmu, pte } = setup();
    pte(0, 0x5000 | 0x3);
    mmu.st32(V + 8, 0x12345678, 0);
    expect(phys.read32(0x5008)).toBe(0x12345678);
    expect(phys.read32(PT) & 0x60).toBe(0x60); // A and D
    expect(phys.read32(PD + 4) & 0x20).toBe(0x20); // PDE accessed
    pte(1, 0x6000 | 0x3);
    expect(mmu.ld32(V + 0x1000, 0)).toBe(0);
    expect(phys.read32(PT + 4) & 0x60).toBe(0x20); // read: A only
  });

  it('keeps a stale TLB entry after a PTE change until invlpg', () => {
    const { phys, mmu, pte } = setup();
    phys.write32(0x5000, 111);
    phys.write32(0x6000, 222);
    pte(0, 0x5000 | 0x3);
    expect(mmu.ld32(V, 0)).toBe(111);
    pte(0, 0x6000 | 0x3); // no flush: the TLB still maps the old frame
    expect(mmu.ld32(V, 0)).toBe(111);
    mmu.invlpg(V);
    expect(mmu.ld32(V, 0)).toBe(222);
  });

  it('a CR3 load flushes non-global entries; global ones survive until PGE is toggled', () => {
    const { phys, mmu, pte } = setup({ pge: true });
    phys.write32(0x5000, 1);
    phys.write32(0x6000, 2);
    phys.write32(0x7000, 3);
    pte(0, 0x5000 | 0x3 | 0x100); // global
    pte(1, 0x6000 | 0x3);
    expect(mmu.ld32(V, 0)).toBe(1);
    expect(mmu.ld32(V + 0x1000, 0)).toBe(2);
    pte(0, 0x7000 | 0x3 | 0x100);
    pte(1, 0x7000 | 0x3);
    mmu.loadCR3(PD);
    expect(mmu.ld32(V, 0)).toBe(1); // global: stale
    expect(mmu.ld32(V + 0x1000, 0)).toBe(3); // flushed
    mmu.setControl(CR0_PG | CR0_PE, 0); // PGE off: everything goes
    expect(mmu.ld32(V, 0)).toBe(3);
  });

  it('reports #PF error codes P, W and U', () => {
    const { mmu, faults, pte } = setup({ wp: true });
    pte(0, 0x5000 | 0x1); // present, read-only, supervisor
    mmu.ld32(V + 0x3000, 0); // not present, read
    mmu.st32(V + 0x3000, 1, 0); // not present, write
    mmu.setUser(true);
    mmu.ld32(V, 0); // user read of a supervisor page
    pte(2, 0x5000 | 0x5);
    mmu.st8(V + 0x2000, 1, 0); // user write to a read-only user page
    mmu.setUser(false);
    mmu.st16(V, 1, 0); // supervisor write, read-only page, WP on
    expect(faults).toEqual([
      { addr: V + 0x3000, code: 0 },
      { addr: V + 0x3000, code: 2 },
      { addr: V, code: 5 },
      { addr: V + 0x2000, code: 7 },
      { addr: V, code: 3 },
    ]);
  });

  it('lets the supervisor write read-only pages when CR0.WP is clear, not when set', () => {
    const { phys, mmu, faults, pte } = setup({ wp: false });
    pte(0, 0x5000 | 0x1);
    mmu.st32(V, 7, 0);
    expect(phys.read32(0x5000)).toBe(7);
    expect(faults).toHaveLength(0);
    mmu.setControl(CR0_PG | CR0_PE | CR0_WP, 0);
    mmu.st32(V, 8, 0);
    expect(faults).toEqual([{ addr: V, code: 3 }]);
    expect(phys.read32(0x5000)).toBe(7);
  });

  it('maps 4 MiB pages with PSE and ignores PS without it', () => {
    const { phys, mmu } = setup({ pse: true });
    phys.write32(PD + 8, 0x00000000 | 0x83); // va 8 MiB -> pa 0, 4 MiB page
    phys.write32(0x123450, 99);
    expect(mmu.ld32(0x00800000 + 0x123450, 0)).toBe(99);
    expect(phys.read32(PD + 8) & 0x20).toBe(0x20);
    mmu.setControl(CR0_PG | CR0_PE, 0);
    // Without PSE the entry points at a page table at pa 0 (all zero): not present.
    const faults: number[] = [];
    mmu.onFault = (a) => (faults.push(a >>> 0), 'continue');
    mmu.ld32(0x00800000 + 0x123450, 0);
    expect(faults).toEqual([0x00923450]);
  });

  it('handles accesses that cross a page boundary (both pages checked)', () => {
    const { phys, mmu, faults, pte } = setup();
    pte(0, 0x5000 | 0x3);
    pte(1, 0x9000 | 0x3);
    mmu.st32(V + 0xffe, 0x44332211, 0);
    expect(phys.read8(0x5ffe)).toBe(0x11);
    expect(phys.read8(0x9001)).toBe(0x44);
    expect(mmu.ld32(V + 0xffe, 0) >>> 0).toBe(0x44332211);
    pte(2, 0); // unmapped
    mmu.st32(V + 0x1ffe, 1, 0);
    expect(faults).toEqual([{ addr: V + 0x2000, code: 2 }]);
    expect(phys.read16(0x9ffe)).toBe(0); // nothing written
  });

  it('with paging off, linear is physical and memory outside RAM reads 0', () => {
    const phys = new PhysicalMemory(1 << 20);
    const mmu = new PagedMemory(phys);
    mmu.st32(0x1000, 5, 0);
    expect(phys.read32(0x1000)).toBe(5);
    expect(mmu.ld32(0x7ffffff0, 0)).toBe(0);
    mmu.st32(0x7ffffff0, 1, 0);
  });

  it('a clean read entry does not allow a write without a walk that sets D', () => {
    const { phys, mmu, pte } = setup();
    pte(0, 0x5000 | 0x3);
    mmu.ld32(V, 0);
    expect(mmu.cached(V, 'write')).toBeUndefined();
    mmu.st32(V, 1, 0);
    expect(phys.read32(PT) & 0x40).toBe(0x40);
    expect(mmu.cached(V, 'write')).toBe(0x5000);
  });
});
