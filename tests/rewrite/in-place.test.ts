/*
 * rewrite --in-place: the files become what the diff says, keep their mode, a
 * symlinked file is written through its link, no temporary file is left; a file that
 * changed since it was read stops the whole write before anything is written.
 */
import { chmodSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { rewriteTree } from '../../src/rewrite/index.js';
import { writeInPlace } from '../../src/rewrite/in-place.js';
import { RULES_DIR } from '../../src/analyze/paths.js';

const CLI_SITE = 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n';

function tree(): string {
  const top = mkdtempSync(path.join(os.tmpdir(), 'xenoport-inplace-'));
  const sys = path.join(top, 'sys');
  mkdirSync(path.join(sys, 'kern'), { recursive: true });
  writeFileSync(path.join(sys, 'kern', 'a.c'), CLI_SITE);
  chmodSync(path.join(sys, 'kern', 'a.c'), 0o640);
  // A link to a file out of the tree is not followed; one within it is written through.
  writeFileSync(path.join(top, 'outside.c'), CLI_SITE);
  symlinkSync(path.join(top, 'outside.c'), path.join(sys, 'kern', 'out.c'));
  mkdirSync(path.join(sys, 'lib'));
  writeFileSync(path.join(sys, 'lib', 'shared.h'), CLI_SITE.replace('f(', 'g('));
  symlinkSync(path.join(sys, 'lib', 'shared.h'), path.join(sys, 'kern', 'link.h'));
  return sys;
}

const all = (dir: string): string[] => readdirSync(dir, { recursive: true, encoding: 'utf8' });

describe('rewrite --in-place', () => {
  it('replaces the files with what the diff shows, keeping modes and links', async () => {
    const sys = tree();
    const preview = await rewriteTree({ root: sys, rules: RULES_DIR, mode: 'hypercall', guard: 'XEN' });
    expect(readFileSync(path.join(sys, 'kern', 'a.c'), 'latin1')).toBe(CLI_SITE);
    const r = await rewriteTree({ root: sys, rules: RULES_DIR, mode: 'hypercall', guard: 'XEN', inPlace: true });
    expect(r.diff).toBe(preview.diff);
    const a = readFileSync(path.join(sys, 'kern', 'a.c'), 'latin1');
    expect(a).toContain('xen_cli()');
    expect(a).toContain('#ifdef XEN');
    expect(statSync(path.join(sys, 'kern', 'a.c')).mode & 0o777).toBe(0o640);
    expect(lstatSync(path.join(sys, 'kern', 'link.h')).isSymbolicLink()).toBe(true);
    expect(readFileSync(path.join(sys, 'lib', 'shared.h'), 'latin1')).toContain('xen_cli()');
    expect(readFileSync(path.join(sys, '..', 'outside.c'), 'latin1')).toBe(CLI_SITE);
    expect(readFileSync(path.join(sys, 'kern', 'link.h'), 'latin1')).toContain('xen_cli()');
    // The tree's files are its regular files: the link's target is rewritten once, as itself.
    expect(r.changedFiles.sort()).toEqual(['kern/a.c', 'lib/shared.h']);
    expect(Object.keys(r.header).every((h) => all(sys).includes(h))).toBe(true);
    expect(all(sys).filter((f) => f.includes('.xenoport-'))).toEqual([]);
    // Run again: the sites are guarded now, nothing left to change.
    const again = await rewriteTree({ root: sys, rules: RULES_DIR, mode: 'hypercall', guard: 'XEN', inPlace: true, scope: { arch: 'i386', defines: [] } });
    expect(again.changedFiles).toEqual([]);
  });

  it('writes nothing when a file changed since it was read', () => {
    const sys = tree();
    const a = path.join(sys, 'kern', 'a.c');
    const b = path.join(sys, 'lib', 'shared.h');
    const files = [
      { rel: 'lib/shared.h', before: readFileSync(b), after: Buffer.from('rewritten\n') },
      { rel: 'kern/a.c', before: Buffer.from('what the scan saw\n'), after: Buffer.from('rewritten\n') },
    ];
    expect(() => writeInPlace(sys, files)).toThrow(/nothing was written: 1 file\(s\) changed since the scan read them: kern\/a\.c/);
    expect(readFileSync(a, 'latin1')).toBe(CLI_SITE);
    expect(readFileSync(b, 'latin1')).not.toBe('rewritten\n');
  });
});
