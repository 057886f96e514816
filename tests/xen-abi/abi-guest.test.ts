/*
 * The generated guest API at work: xen_hypervisor.c and hypervisor.h compiled by
 * xenoport's own C compiler and run as a ring-1 guest of the bundled hypervisor,
 * whose checks are Xen 2.0's. A native GDT with DPL-0 descriptors, a TSS and an
 * LDT descriptor goes through xen_lgdt; an LDT that is not page aligned through
 * xen_lldt; pseudo-physical PTE values through xen_pte_set (p2m) and back through
 * xen_pte_load / xen_pte_atomic_clear (m2p); a page table built by the kernel is
 * pinned and unpinned. The guest reports what it saw in `result`.
 */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as abi from '../../src/xen-abi/index.js';
import { compileFile } from '../../src/compile/index.js';
import { link } from '../../src/ir/index.js';
import { parseModule, verifyModule } from '../../src/ir/index.js';
import { checkInvariants, runXenImage } from '../../src/hypervisor/index.js';
import { PGT_L1, PGT_SEG } from '../../src/hypervisor/frames.js';

const GUEST_C = String.raw`
#include <machine/xen/hypervisor.h>

struct test_region {
	xen_u16	limit;
	xen_u32	base;
} __attribute__((__packed__));

/* Native tables as a ring-0 kernel builds them; deliberately not page aligned. */
static xen_u32 test_gdt[2 * 6] __attribute__((__aligned__(8)));
static xen_u32 test_ldt[2 * 3] __attribute__((__aligned__(8)));
static struct test_region test_r;
static char test_win[4096] __attribute__((__aligned__(4096)));
static char test_target[4096] __attribute__((__aligned__(4096)));
static xen_u32 test_l1[1024] __attribute__((__aligned__(4096)));
unsigned int result[16];

void xen_pf_trampoline(void) { }

static void
desc(xen_u32 *d, unsigned int base, unsigned int limit, unsigned int access)
{
	d[0] = ((base & 0xffff) << 16) | (limit & 0xffff);
	d[1] = (base & 0xff000000) | ((base >> 16) & 0xff) | (limit & 0xf0000) | access;
}

void
guest_main(start_info_t *si)
{
	volatile xen_pt_entry_t *pte;
	unsigned int pa;

	xen_init(si);

	/* null, kernel code and data (DPL 0), TSS (DPL 0), LDT descriptor, user code (DPL 3). */
	desc(&test_gdt[2], 0, 0xfffff, 0x00c09a00);
	desc(&test_gdt[4], 0, 0xfffff, 0x00c09200);
	desc(&test_gdt[6], 0x1000, 0x67, 0x00008900);
	desc(&test_gdt[8], (unsigned int)test_ldt, sizeof(test_ldt) - 1, 0x00008200);
	desc(&test_gdt[10], 0, 0xfffff, 0x00c0fa00);
	desc(&test_ldt[2], 0, 0xfffff, 0x00c09200);
	desc(&test_ldt[4], 0, 0xfffff, 0x00c0f200);
	test_r.limit = sizeof(test_gdt) - 1;
	test_r.base = (xen_u32)test_gdt;
	xen_lgdt(&test_r);
	xen_lldt(4 << 3);
	/* Load the same GDT again: the API's other page. */
	xen_lgdt(&test_r);
	result[0] = 1;

	/* Point test_win's PTE at test_target's pseudo-physical page. */
	pte = (volatile xen_pt_entry_t *)(XEN_PTMAP_VA + ((unsigned int)test_win >> 12) * 4);
	pa = (unsigned int)test_target - XEN_VIRT_BASE;
	xen_pte_set(pte, pa | XEN_PG_V | XEN_PG_RW);
	xen_invlpg(test_win);
	*(volatile unsigned int *)test_win = 0x600dcafe;
	result[1] = *(volatile unsigned int *)test_target;
	result[2] = xen_pte_load(pte);
	result[3] = *pte;
	result[4] = xen_ma_to_pa(*pte & XEN_PG_FRAME);
	/* Read-modify-write in pseudo-physical form, then clear. */
	xen_pte_set(pte, xen_pte_load(pte) & ~XEN_PG_RW);
	result[5] = xen_pte_atomic_clear(pte);
	result[6] = *pte;
	result[7] = xen_ma_to_pa(0);

	/* A page table of the kernel's: pin (read-only, validated), use, unpin. */
	xen_pt_pin(test_l1, 1);
	xen_pte_set(&test_l1[5], pa | XEN_PG_V);
	result[8] = test_l1[5];
	xen_pt_unpin(test_l1);
	test_l1[6] = 0x1234;
	result[10] = test_l1[6];
	(void)HYPERVISOR_sched_op(SCHEDOP_shutdown | (SHUTDOWN_poweroff << SCHEDOP_reasonshift));
}
`;

const ENTRY_IR = `
file 1 "entry.xir"
func export $btext() {
@entry
	%si =w rdreg esi !1:1
	call $guest_main(w %si) !1:2
	ret !1:3
}
`;

async function buildGuest() {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-abi-guest-'));
  for (const [rel, text] of Object.entries(abi.guestFiles())) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  symlinkSync('include', path.join(dir, 'machine'));
  writeFileSync(path.join(dir, 'guest.c'), GUEST_C);
  const opts = { includeDirs: [dir] };
  const modules = [
    verifyModule(parseModule(ENTRY_IR, 'entry.xir')),
    await compileFile(path.join(dir, 'guest.c'), opts),
    await compileFile(path.join(dir, 'i386', 'xen_hypervisor.c'), opts),
  ];
  return link(modules, { kind: 'kernel' });
}

describe('the guest API under the hypervisor (Xen 2.0 checks)', () => {
  it('loads a native GDT/LDT, translates PTEs p2m/m2p, pins a page table', async () => {
    const image = await buildGuest();
    const r = runXenImage(image, { memoryMB: 8, maxSteps: 5e6 });
    expect(r.outcome, r.reportText).toBe('shutdown');
    const sym = (name: string): number => image.symbols.find((s) => s.name === name)!.addr;
    const word = (name: string, i = 0): number => r.platform.mem.read32(sym(name) + 4 * i)!;
    const d = r.domain;
    const vbase = 0xc0000000;
    const pfnOf = (name: string): number => (sym(name) - vbase) >>> 12;

    // GDT: one seg frame of the API's (not the native table's), 6 entries; the
    // copy has DPL 1 for the kernel descriptors, no TSS or LDT descriptor.
    expect(word('result', 0)).toBe(1);
    expect(d.gdtEntries).toBe(6);
    expect(d.gdtFrames).toHaveLength(1);
    const gf = d.gdtFrames[0]!;
    expect(gf).not.toBe(d.p2m[pfnOf('test_gdt')]);
    expect(r.xen.mem.type[gf]).toBe(PGT_SEG);
    expect((r.xen.mem.entry(gf, 3) >>> 13) & 3).toBe(1); // kernel code: DPL 0 -> 1
    expect((r.xen.mem.entry(gf, 5) >>> 13) & 3).toBe(1); // kernel data
    expect(r.xen.mem.entry(gf, 7)).toBe(0); // TSS dropped
    expect(r.xen.mem.entry(gf, 9)).toBe(0); // LDT descriptor dropped
    expect((r.xen.mem.entry(gf, 11) >>> 13) & 3).toBe(3); // user code kept
    // LDT: a page-aligned copy with the native LDT's 3 entries.
    expect(d.ldtBase % 4096).toBe(0);
    expect(d.ldtBase).not.toBe(sym('test_ldt'));
    expect(d.ldtEntries).toBe(3);

    // PTEs: the machine frame of test_target in the entry, its pfn in the API's answers.
    const pa = sym('test_target') - vbase;
    const mfn = d.p2m[pa >>> 12]!;
    expect(mfn).not.toBe(pa >>> 12);
    expect(word('result', 1)).toBe(0x600dcafe);
    // The guest wrote through the mapping: the walk set accessed and dirty, as the MMU does.
    expect(word('result', 2)).toBe((pa | 3 | 0x60) >>> 0);
    expect(word('result', 3) & ~0xfff).toBe(mfn * 4096);
    expect(word('result', 4)).toBe(pa);
    expect(word('result', 5)).toBe((pa | 1 | 0x60) >>> 0); // A and D stay set
    expect(word('result', 6)).toBe(0);
    expect(word('result', 7)).toBe(0);

    // The pinned page table took the translated entry; unpinned it is plain memory again.
    expect(word('result', 8) & ~0xfff).toBe(mfn * 4096);
    expect(word('result', 10)).toBe(0x1234);
    const l1 = d.p2m[pfnOf('test_l1')]!;
    expect(r.xen.mem.type[l1] === PGT_L1 && r.xen.mem.typeCount[l1]! > 0).toBe(false);
    expect(checkInvariants(r.xen)).toEqual([]);
  }, 60_000);
});
