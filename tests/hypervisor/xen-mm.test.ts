// Machine memory, the domain builder, and page-table validation with Xen 2.0's
// reference-counting rules, tested on the data structures directly.
import { describe, expect, it } from 'vitest';
import {
  FIRST_XEN_L2_SLOT,
  PGT_L1,
  PGT_L2,
  PGT_WRITABLE,
  PTE_P,
  PTE_RW,
  Xen,
  buildDomain,
  checkInvariants,
  machineFramesFor,
  walk,
  XenMemory,
  LAYOUT_FOR_TESTS,
} from './xen-mm-helpers.js';
import { kernelOf } from './xen-helpers.js';

const IMG = kernelOf(`
file 1 "sys/i386/i386/locore.s"
data $guest { b "GUEST_OS=xenoport,GUEST_VER=4.8,XEN_VER=2.0,VIRT_BASE=0xC0000000,LOADER=generic\\000" }
data $big align 4 { w 1, z 20000 }
func export $btext() {
@entry
	ret !1:1
}`);

function fresh(memoryMB = 8) {
  const xen = new Xen({ machineFrames: machineFramesFor(memoryMB * 256) });
  const b = buildDomain(xen, IMG, { memoryMB, cmdLine: 'root=nfs' });
  return { xen, b, d: b.domain, mm: xen.mm, m: xen.mem };
}

describe('the domain builder', () => {
  it('allocates machine frames in a non-identity, non-monotonic order and records p2m/m2p', () => {
    const { xen, d } = fresh();
    expect(d.p2m).toHaveLength(2048);
    expect(new Set(d.p2m).size).toBe(2048);
    expect(d.p2m.every((mfn, pfn) => mfn !== pfn)).toBe(true);
    let ascending = 0;
    for (let k = 1; k < d.p2m.length; k++) if (d.p2m[k]! === d.p2m[k - 1]! + 1) ascending++;
    expect(ascending).toBeLessThan(20);
    d.p2m.forEach((mfn, pfn) => expect(xen.m2p(mfn)).toBe(pfn));
    expect(d.p2m.every((mfn) => xen.mem.owner[mfn] === d.id)).toBe(true);
  });

  it('loads the image, fills start_info, maps the boot region and makes the page tables read-only', () => {
    const { xen, b, d, m } = fresh();
    const L = b.layout;
    expect(b.guestString).toMatch(/^GUEST_OS=xenoport/);
    expect(L.vStart).toBe(0xc0000000);
    expect(L.vEnd % (4 << 20)).toBe(0);
    expect(L.vEnd - L.vStackEnd).toBeGreaterThanOrEqual(128 << 10);
    expect(b.regs).toMatchObject({ eip: IMG.entry >>> 0, esp: L.vStackEnd, esi: L.vStartInfo, cs: 0x819, ss: 0x821 });
    const ma = (va: number) => walk(xen, d, va, false).ma!;
    const S = LAYOUT_FOR_TESTS.start_info_t.fields;
    const si = ma(L.vStartInfo);
    expect(m.dv.getUint32(si + S.nr_pages.offset, true)).toBe(2048);
    expect(m.dv.getUint32(si + S.shared_info.offset, true)).toBe(d.sharedInfoMfn * 4096);
    expect(m.dv.getUint32(si + S.pt_base.offset, true)).toBe(L.vPt);
    expect(m.dv.getUint32(si + S.nr_pt_frames.offset, true)).toBe(d.nrPtFrames);
    expect(m.dv.getUint32(si + S.mfn_list.offset, true)).toBe(L.vPhysmap);
    expect(Buffer.from(m.u8.subarray(si + S.cmd_line.offset, si + S.cmd_line.offset + 8)).toString()).toBe('root=nfs');
    // The p2m list in guest memory.
    expect(m.dv.getUint32(ma(L.vPhysmap + 4 * 77), true)).toBe(d.p2m[77]);
    // The image: its bytes are where its symbols say.
    const g = IMG.symbols.find((s) => s.name === 'guest')!;
    expect(Buffer.from(m.u8.subarray(ma(g.addr), ma(g.addr) + 8)).toString()).toBe('GUEST_OS');
    // Page-table frames: mapped, but not writable; the kernel is writable.
    for (let k = 0; k < d.nrPtFrames; k++) {
      const w = walk(xen, d, L.vPt + k * 4096, true);
      expect(w.failure).toBe('read-only');
    }
    expect(walk(xen, d, IMG.vbase, true).failure).toBeUndefined();
    // The L2 is pinned and the base; the linear map at VIRT_BASE - 4 MiB shows it.
    expect(d.baseMfn).toBe(L.l2Mfn);
    expect(m.type[L.l2Mfn]).toBe(PGT_L2);
    expect(m.typeCount[L.l2Mfn]).toBe(2);
    expect(walk(xen, d, L.ptmapVa! + ((L.vPt >>> 12) << 2), false).failure).toBeUndefined();
    expect(walk(xen, d, 0xbfc00000 + (0xbfc00000 >>> 22) * 4096, false).ma! >>> 12).toBe(L.l2Mfn);
    expect(checkInvariants(xen)).toEqual([]);
  });
});

describe('accessed and dirty bits', () => {
  it('a read sets A in both levels, the first write sets D in the L1 entry, as the MMU does', () => {
    const { xen, d, m } = fresh();
    const mem = new XenMemory(xen, d);
    mem.onFault = (va) => {
      throw new Error(`fault at 0x${va.toString(16)}`);
    };
    const va = IMG.vbase + 8192;
    const l2 = () => m.entry(d.baseMfn, va >>> 22);
    const l1 = () => m.entry(l2() >>> 12, (va >>> 12) & 1023);
    m.setEntry(d.baseMfn, va >>> 22, l2() & ~0x60);
    m.setEntry(l2() >>> 12, (va >>> 12) & 1023, l1() & ~0x60);
    mem.translate(va, false, 4, 0);
    expect(l2() & 0x20).toBe(0x20);
    expect(l1() & 0x60).toBe(0x20);
    // The read did not make the page writable in the TLB: the write walks and sets D.
    mem.translate(va, true, 4, 0);
    expect(l1() & 0x60).toBe(0x60);
    expect(checkInvariants(xen)).toEqual([]);
  });
});

describe('page-table validation', () => {
  /** Machine address of the L1 entry that maps va. */
  function pteMa(ctx: ReturnType<typeof fresh>, va: number): { l1: number; ma: number } {
    const l2e = ctx.m.entry(ctx.d.baseMfn, va >>> 22);
    const l1 = l2e >>> 12;
    return { l1, ma: l1 * 4096 + ((va >>> 12) & 1023) * 4 };
  }
  const freePfn = (ctx: ReturnType<typeof fresh>, k = 0) => ctx.d.p2m[1500 + k]!; // beyond the boot mapping

  it('maps an owned frame, read-only or writable, with the right counts', () => {
    const ctx = fresh();
    const { mm, d, m } = ctx;
    const f = freePfn(ctx);
    const { ma } = pteMa(ctx, ctx.b.layout.vEnd - 4096);
    expect(mm.normalUpdate(ma, (f << 12) | PTE_P | PTE_RW, d)).toBe(true);
    expect(m.type[f]).toBe(PGT_WRITABLE);
    expect(m.typeCount[f]).toBe(1);
    expect(m.refs[f]).toBe(2);
    expect(mm.normalUpdate(ma, (f << 12) | PTE_P, d)).toBe(true);
    expect(m.typeCount[f]).toBe(0);
    expect(m.refs[f]).toBe(2);
    expect(mm.normalUpdate(ma, 0, d)).toBe(true);
    expect(m.refs[f]).toBe(1);
    expect(checkInvariants(ctx.xen)).toEqual([]);
  });

  it('refuses a writable mapping of a page-table frame, and a frame the domain does not own', () => {
    const ctx = fresh();
    const { mm, d, xen } = ctx;
    const { ma } = pteMa(ctx, ctx.b.layout.vEnd - 4096);
    const l1 = pteMa(ctx, 0xc0100000).l1;
    expect(mm.normalUpdate(ma, (l1 << 12) | PTE_P | PTE_RW, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/in use as L1/);
    expect(mm.normalUpdate(ma, (d.baseMfn << 12) | PTE_P | PTE_RW, d)).toBe(false);
    expect(mm.normalUpdate(ma, (l1 << 12) | PTE_P, d)).toBe(true); // read-only is fine
    const dom0Frame = xen.dom0.frames[3]!;
    expect(mm.normalUpdate(ma, (dom0Frame << 12) | PTE_P, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/belongs to domain 0/);
    expect(mm.normalUpdate(ma, (5 << 12) | PTE_P, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/belongs to Xen/);
    expect(checkInvariants(xen)).toEqual([]);
  });

  it('refuses PSE and global bits, and any L2 entry in the hypervisor hole', () => {
    const ctx = fresh();
    const { mm, d, m } = ctx;
    const { ma } = pteMa(ctx, ctx.b.layout.vEnd - 4096);
    const f = freePfn(ctx);
    expect(mm.normalUpdate(ma, (f << 12) | PTE_P | 0x100, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/global/);
    const l2ma = d.baseMfn * 4096;
    expect(mm.normalUpdate(l2ma + 4 * 10, (f << 12) | PTE_P | 0x80, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/PSE/);
    expect(mm.normalUpdate(l2ma + 4 * FIRST_XEN_L2_SLOT, (f << 12) | PTE_P, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/hypervisor hole/);
    expect(mm.normalUpdate(l2ma + 4 * 1023, 0, d)).toBe(false);
    expect(m.entry(d.baseMfn, 1023)).toBe(0);
    expect(checkInvariants(ctx.xen)).toEqual([]);
  });

  it('makes a frame an L1 when an L2 entry points at it, and frees it when the entry goes', () => {
    const ctx = fresh();
    const { mm, d, m } = ctx;
    const f = freePfn(ctx);
    const g = freePfn(ctx, 1);
    m.setEntry(f, 5, (g << 12) | PTE_P | PTE_RW); // a prepared table (writable-mapped? no: unmapped)
    const slot = 0xc1000000 >>> 22;
    expect(mm.normalUpdate(d.baseMfn * 4096 + slot * 4, (f << 12) | PTE_P | PTE_RW, d)).toBe(true);
    expect(m.type[f]).toBe(PGT_L1);
    expect(m.typeCount[f]).toBe(1);
    expect(m.type[g]).toBe(PGT_WRITABLE);
    expect(m.typeCount[g]).toBe(1);
    expect(walk(ctx.xen, d, 0xc1005000, true).ma! >>> 12).toBe(g);
    expect(checkInvariants(ctx.xen)).toEqual([]);
    // While it is an L1 it cannot be mapped writable...
    expect(mm.normalUpdate(pteMa(ctx, ctx.b.layout.vEnd - 4096).ma, (f << 12) | PTE_P | PTE_RW, d)).toBe(false);
    // ...and an L1 that maps a page table writable is refused as a whole.
    const h = freePfn(ctx, 2);
    m.setEntry(h, 0, (d.baseMfn << 12) | PTE_P | PTE_RW);
    expect(mm.normalUpdate(d.baseMfn * 4096 + (slot + 1) * 4, (h << 12) | PTE_P | PTE_RW, d)).toBe(false);
    expect(m.typeCount[h]).toBe(0);
    // Unhooking frees the L1: its mapping of g is dropped, f can be writable again.
    expect(mm.normalUpdate(d.baseMfn * 4096 + slot * 4, 0, d)).toBe(true);
    expect(m.typeCount[f]).toBe(0);
    expect(m.typeCount[g]).toBe(0);
    expect(m.refs[g]).toBe(1);
    expect(mm.normalUpdate(pteMa(ctx, ctx.b.layout.vEnd - 4096).ma, (f << 12) | PTE_P | PTE_RW, d)).toBe(true);
    expect(checkInvariants(ctx.xen)).toEqual([]);
  });

  it('allows read-only linear maps of validated L2s only', () => {
    const ctx = fresh();
    const { mm, d } = ctx;
    const l2ma = d.baseMfn * 4096;
    expect(mm.normalUpdate(l2ma + 4 * 700, (d.baseMfn << 12) | PTE_P | PTE_RW, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/linear page-table entry .* must be read-only/);
    expect(mm.normalUpdate(l2ma + 4 * 700, (d.baseMfn << 12) | PTE_P, d)).toBe(true);
    expect(checkInvariants(ctx.xen)).toEqual([]);
  });

  it('pins, unpins, and switches the base pointer with the counts Xen keeps', () => {
    const ctx = fresh();
    const { mm, d, m } = ctx;
    const f = freePfn(ctx);
    expect(mm.pin(f, PGT_L2, d)).toBe(true);
    expect(mm.pin(f, PGT_L2, d)).toBe(false);
    expect(mm.log.at(-1)).toMatch(/already pinned/);
    expect(mm.pin(f, PGT_L1, d)).toBe(false);
    expect(m.typeCount[f]).toBe(1);
    const old = d.baseMfn;
    expect(mm.newBaseptr(f, d)).toBe(true);
    expect(m.typeCount[f]).toBe(2);
    expect(m.typeCount[old]).toBe(1); // still pinned by the builder
    expect(mm.unpin(f, d)).toBe(true);
    expect(mm.unpin(f, d)).toBe(false);
    expect(m.typeCount[f]).toBe(1);
    expect(mm.newBaseptr(old, d)).toBe(true);
    expect(m.typeCount[f]).toBe(0);
    expect(checkInvariants(ctx.xen)).toEqual([]);
  });

  it('finds broken counts (the checker itself is checked)', () => {
    const ctx = fresh();
    ctx.m.refs[ctx.d.p2m[300]!]!++;
    ctx.m.setEntry(ctx.d.baseMfn, 1010, 0x1234007);
    const v = checkInvariants(ctx.xen);
    expect(v.join('\n')).toMatch(/reference count/);
    expect(v.join('\n')).toMatch(/hypervisor hole/);
  });
});
