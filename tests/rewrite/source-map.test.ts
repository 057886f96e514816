// Generated file:line -> ORIGINAL file:line through the xenify manifest's edits.
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeLineMap, manifestSourceMap } from '../../src/rewrite/index.js';

const ORIG = Buffer.from('line1\nline2\n\tload_cr3(x);\nline4\nline5\n');
// An include added before line 1, and line 3's call replaced by a two-line text.
const EDITS = [
  { startByte: 0, endByte: 0, replacement: '#include <machine/xen/hypervisor.h>\n', where: 'sys/i386/i386/pmap.c:1' },
  { startByte: 13, endByte: 25, replacement: 'xen_load_cr3(x);\n\t/* xenoport */', where: 'sys/i386/i386/pmap.c:3' },
];

describe('source mapping through the xenify manifest', () => {
  it('maps lines inside and around edits back to the original', () => {
    const map = makeLineMap('sys/i386/i386/pmap.c', ORIG, EDITS);
    expect(map(1)).toBe('sys/i386/i386/pmap.c:1'); // the include
    expect(map(2)).toBe('sys/i386/i386/pmap.c:1');
    expect(map(3)).toBe('sys/i386/i386/pmap.c:2');
    expect(map(4)).toBe('sys/i386/i386/pmap.c:3'); // the replacement, both lines
    expect(map(5)).toBe('sys/i386/i386/pmap.c:3');
    expect(map(6)).toBe('sys/i386/i386/pmap.c:4'); // after the edits: shifted by the 2 added lines
    expect(map(7)).toBe('sys/i386/i386/pmap.c:5');
  });

  it('reads a manifest and matches generated paths by suffix', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'xeno-manifest-'));
    const src = path.join(root, 'sample/sys');
    mkdirSync(path.join(src, 'i386/i386'), { recursive: true });
    writeFileSync(path.join(src, 'i386/i386/pmap.c'), ORIG);
    const tree = path.join(root, 'build/sys');
    mkdirSync(tree, { recursive: true });
    writeFileSync(
      path.join(tree, '.xenoport-manifest.json'),
      JSON.stringify({ tool: 'x', treeKey: 'k', source: src, files: { 'i386-xeno/i386/pmap.c': { source: 'i386/i386/pmap.c', edits: EDITS } } }),
    );
    const map = manifestSourceMap(tree)!;
    expect(map(`${tree}/i386-xeno/i386/pmap.c:4`)).toBe('sys/i386/i386/pmap.c:3');
    expect(map('sys/i386-xeno/i386/pmap.c:7')).toBe('sys/i386/i386/pmap.c:5');
    expect(map('sys/kern/kern_main.c:6')).toBeUndefined();
  });
});
