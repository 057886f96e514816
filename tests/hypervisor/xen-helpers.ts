import { link } from '../../src/ir/index.js';
import { parseModule, verifyModule } from '../../src/ir/index.js';
import type { LinkedImage } from '../../src/ir/index.js';
import { expect } from 'vitest';
import { createXenGuest, dispatch, runXenImage, type XenRunOptions, type XenRunResult } from '../../src/hypervisor/index.js';

/** Links IR text as a kernel at 0xC0100000 (entry $btext). */
export function kernelOf(text: string): LinkedImage {
  return link([verifyModule(parseModule(text, 'guest.xir'))], { kind: 'kernel' });
}

/** A kernel that only owns an 8 KiB page-aligned scratch buffer, $buf. */
const SCRATCH_KERNEL = `
file 1 "k.c"
data $buf export align 4096 { z 8192 }
func export $btext() {
@entry
	ret !1:1
}`;

/**
 * A freshly built 8 MiB domain whose guest never runs, for calling hypercalls
 * directly: `buf` is the scratch buffer's address, `w32` writes words through the
 * guest's mappings (asserting each write), `call(nr, ...args)` dispatches one
 * hypercall as the guest would.
 */
export function scratchGuest() {
  const img = kernelOf(SCRATCH_KERNEL);
  const g = createXenGuest(img, { memoryMB: 8 });
  const buf = img.symbols.find((s) => s.name === 'buf')!.addr >>> 0;
  const h = g.platform;
  const w32 = (va: number, ...vs: number[]) => vs.forEach((v, k) => expect(h.mem.write32(va + 4 * k, v)).toBe(true));
  const call = (nr: number, ...args: number[]) => dispatch(h, nr, [...args, 0, 0, 0, 0, 0].slice(0, 5));
  return { ...g, buf, h, w32, call };
}

/** Runs IR text as a Xen guest (8 MiB, 2e6 steps unless given). */
export function runGuest(text: string, opts: XenRunOptions = {}): XenRunResult {
  return runXenImage(kernelOf(text), { memoryMB: 8, maxSteps: 2e6, ...opts });
}

/** IR lines: console_io write of `len` bytes at symbol `sym`. */
export const consoleWrite = (sym: string, len: number, loc = '!1:1'): string => `
	wrreg eax, 18 ${loc}
	wrreg ebx, 0 ${loc}
	wrreg ecx, ${len} ${loc}
	wrreg edx, $${sym} ${loc}
	hypercall ${loc}`;

/** IR lines: sched_op shutdown with `reason` (0 poweroff, 3 crash). */
export const shutdown = (reason = 0, loc = '!1:1'): string => `
	wrreg eax, 6 ${loc}
	wrreg ebx, ${2 | (reason << 8)} ${loc}
	hypercall ${loc}`;

/** IR lines: set_trap_table($sym). */
export const setTrapTable = (sym: string, loc = '!1:1'): string => `
	wrreg eax, 0 ${loc}
	wrreg ebx, $${sym} ${loc}
	hypercall ${loc}`;
