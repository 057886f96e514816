/*
 * Builds the test guest tests/dom0/guest/blkfront-probe.c with xenoport's own
 * compiler against the generated Xen 2.0 header (the guest files xenify copies
 * into every i386-xeno tree), linked as a kernel whose entry passes start_info
 * (esi) to probe_main.
 */
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileKernel } from '../../src/compile/index.js';
import { link, parseModule, verifyModule, type LinkedImage } from '../../src/ir/index.js';
import { guestFiles } from '../../src/xen-abi/index.js';

const ENTRY = `
file 1 "probe/entry.xir"
func export $btext() {
@entry
	%si =w rdreg esi !1:1
	call $probe_main(w %si) !1:2
	ret !1:3
}`;

export async function buildBlkProbe(defines: string[] = []): Promise<LinkedImage> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'xeno-blkprobe-'));
  for (const [rel, text] of Object.entries(guestFiles())) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), text);
  }
  symlinkSync('include', path.join(dir, 'machine'));
  const src = path.join(__dirname, 'guest', 'blkfront-probe.c');
  const { modules } = await compileKernel([src], { includeDirs: [dir], defines, link: false });
  const entry = verifyModule(parseModule(ENTRY, 'entry.xir'));
  return link([entry, ...modules], { kind: 'kernel' });
}
