/*
 * Hostile guests cannot make the host work or hold memory beyond what their steps
 * allow: a multicall storm (4,096 entries, each an mmu_update of 4,096 requests, in
 * a loop), a console flood (64 KiB console_io writes in a loop) and a trace flood
 * (hypercalls in a loop under --debug) each end at the step limit with host time
 * and kept output bounded per guest step, and with a report. XENOPORT_FUZZ_FULL=1
 * (npm run fuzz) runs each campaign with a hundred times the steps.
 */
import { describe, expect, it } from 'vitest';
import { Hypercall, MmuExt } from '../../src/xen-abi/index.js';
import { runGuest } from './xen-helpers.js';

const FULL = process.env.XENOPORT_FUZZ_FULL === '1';
const STEPS = FULL ? 2e9 : 2e7;
/** Host time allowed per guest step (a plain IR instruction takes about 10 ns). */
const HOST_NS_PER_STEP = 1000;

function timed<T>(f: () => T): { r: T; ms: number } {
  const t = performance.now();
  const r = f();
  return { r, ms: performance.now() - t };
}

/** `count` copies of `item` as IR data items. */
const items = (count: number, item: string): string => Array.from({ length: count }, () => item).join(', ');

describe('hostile guests are bounded per guest step', () => {
  it('a multicall storm of 16 M page-table requests per call stops at the step limit', () => {
    // Every request is a valid extended command (a TLB flush): nothing stops a batch early.
    const guest = `
file 1 "storm.c"
data $reqs align 4096 { ${items(4096, `w 3, w ${MmuExt.TLB_FLUSH}`)} }
data $calls align 4096 { ${items(4096, `w ${Hypercall.mmu_update}, w $reqs, w 4096, w 0, w 0, w 0, w 0, w 0`)} }
func export $btext() {
@entry
	jmp @loop !1:1
@loop
	wrreg eax, ${Hypercall.multicall} !1:2
	wrreg ebx, $calls !1:2
	wrreg ecx, 4096 !1:2
	hypercall !1:2
	jmp @loop !1:3
}`;
    const { r, ms } = timed(() => runGuest(guest, { maxSteps: STEPS }));
    expect(r.outcome).toBe('step-limit');
    expect(r.reportText).toMatch(/step limit/);
    expect(r.steps).toBeGreaterThanOrEqual(STEPS);
    expect(ms, `${ms.toFixed(0)} ms for ${r.steps} steps`).toBeLessThan(500 + (r.steps * HOST_NS_PER_STEP) / 1e6);
  }, 600_000);

  it('a console flood keeps the first and last output and says what it dropped', () => {
    const guest = `
file 1 "flood.c"
data $buf align 4096 { b "${'flood! '.repeat(9362)}x\\012", z ${65536 - 7 * 9362 - 2} }
func export $btext() {
@entry
	jmp @loop !1:1
@loop
	wrreg eax, ${Hypercall.console_io} !1:2
	wrreg ebx, 0 !1:2
	wrreg ecx, 65536 !1:2
	wrreg edx, $buf !1:2
	hypercall !1:2
	jmp @loop !1:3
}`;
    const { r, ms } = timed(() => runGuest(guest, { maxSteps: STEPS }));
    expect(r.outcome).toBe('step-limit');
    const written = r.counts.console_io! * 65536;
    expect(written).toBeGreaterThan(8 << 20);
    expect(r.console.length).toBeLessThan((5 << 20) + 200);
    expect(r.console).toMatch(/\[xenoport: \d+ characters of output dropped here/);
    expect(r.console.startsWith('flood! flood!')).toBe(true);
    expect(ms, `${ms.toFixed(0)} ms for ${r.steps} steps`).toBeLessThan(500 + (r.steps * HOST_NS_PER_STEP) / 1e6);
  }, 600_000);

  it('a trace flood under --debug keeps the last 100,000 entries', () => {
    const guest = `
file 1 "calls.c"
func export $btext() {
@entry
	jmp @loop !1:1
@loop
	wrreg eax, ${Hypercall.xen_version} !1:2
	hypercall !1:2
	jmp @loop !1:3
}`;
    const { r, ms } = timed(() => runGuest(guest, { maxSteps: STEPS / 4, debug: true }));
    expect(r.outcome).toBe('step-limit');
    expect(r.hypercalls).toBeGreaterThan(100_000);
    expect(r.trace!.length).toBe(100_001);
    expect(r.trace![0]).toMatch(/earlier entries dropped/);
    expect(ms, `${ms.toFixed(0)} ms for ${r.steps} steps`).toBeLessThan(500 + (r.steps * HOST_NS_PER_STEP) / 1e6);
  }, 600_000);
});
