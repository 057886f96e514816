/*
 * A small Xen guest written in C (test guests, benchmark guests): compiled by
 * xenoport's own compiler against the guest Xen API files that xenify copies into
 * every i386-xeno tree (src/xen-abi guestFiles(), reachable as <machine/xen/...>),
 * and linked as a kernel whose entry, btext, hands start_info (esi, as the domain
 * builder leaves it) to the program's probe_main(start_info_t *).
 */
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileKernel } from '../compile/index.js';
import { link, parseModule, verifyModule, type LinkedImage } from '../ir/index.js';
import { guestFiles } from '../xen-abi/index.js';

const ENTRY = `
file 1 "guest-program/entry.xir"
func export $btext() {
@entry
	%si =w rdreg esi !1:1
	call $probe_main(w %si) !1:2
	ret !1:3
}`;

/** Compiles `sources` (C files, one defining probe_main) with `defines`, searching `includeDirs` too, into a Xen guest image. */
export async function buildGuestProgram(sources: string[], defines: string[] = [], includeDirs: string[] = []): Promise<LinkedImage> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-guest-program-'));
  try {
    for (const [rel, text] of Object.entries(guestFiles())) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), text);
    }
    symlinkSync('include', path.join(dir, 'machine'));
    const { modules } = await compileKernel(sources, { includeDirs: [dir, ...includeDirs], defines, link: false });
    return link([verifyModule(parseModule(ENTRY, 'entry.xir')), ...modules], { kind: 'kernel' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
