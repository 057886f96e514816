import { link } from '../../src/compile/link.js';
import { parseModule, verifyModule } from '../../src/ir/index.js';
import type { LinkedImage } from '../../src/compile/image.js';
import { runXenImage, type XenRunOptions, type XenRunResult } from '../../src/hypervisor/index.js';

/** Links IR text as a kernel at 0xC0100000 (entry $btext). */
export function kernelOf(text: string): LinkedImage {
  return link([verifyModule(parseModule(text, 'guest.xir'))], { kind: 'kernel' });
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
