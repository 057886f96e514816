// What a scan keeps of each file until resolution, in its packed form: line
// lengths in a typed array and call arguments as byte ranges. The
// packed form must give the same lines, columns and captures as the text.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/analyze/index.js';
import { packKept, packLines } from '../../src/analyze/compact.js';
import { callsOf } from '../../src/analyze/call-table.js';
import { extractFile } from '../../src/analyze/extract.js';
import { argTexts, callArgs } from '../../src/analyze/resolve-common.js';
import { LineIndex, SourceText } from '../../src/analyze/source.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';
import { diskTexts } from '../../src/analyze/source-texts.js';
import { readSource } from '../../src/analyze/read-source.js';
import { ScanError } from '../../src/errors.js';

const { rules } = loadRules();

function cFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.[ch]$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

describe('packed line lengths', () => {
  it('place every call of the sample kernel on the line and column the text gives', () => {
    let checked = 0;
    for (const f of cFiles(path.join(SAMPLE_KERNEL_DIR, 'sys')).slice(0, 40)) {
      const text = readFileSync(f, 'latin1');
      const s = extractFile(path.basename(f), text, 'c', rules);
      const json = JSON.stringify(s);
      packLines(s);
      expect(s.lineLengths).toBeInstanceOf(Uint16Array);
      // The cache's JSON was made before packing and still holds a plain list.
      expect(Array.isArray((JSON.parse(json) as { lineLengths: unknown }).lineLengths)).toBe(true);
      const packed = LineIndex.fromLengths(s.file, s.lineLengths);
      const src = new SourceText(s.file, text);
      for (const c of s.calls) {
        expect(packed.position(c.site.startByte)).toEqual(src.position(c.site.startByte));
        expect(packed.position(c.site.endByte)).toEqual(src.position(c.site.endByte));
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(100);
  });

  it('take four bytes a line when a line is 64 KB or longer, with the same values', () => {
    const text = `int a;\n/* ${'x'.repeat(70000)} */\nint b;\n`;
    const s = extractFile('long.c', text, 'c', rules);
    const before = [...(s.lineLengths as number[])];
    packLines(s);
    expect(s.lineLengths).toBeInstanceOf(Uint32Array);
    expect([...s.lineLengths]).toEqual(before);
    expect(LineIndex.fromLengths(s.file, s.lineLengths).position(text.indexOf('int b'))).toEqual({ line: 3, col: 1 });
  });
});

describe('call arguments as byte ranges', () => {
  it('give back captures equal to the slices of the text', () => {
    const text = 'void\nf(int *p)\n{\n\tpte_store(p, 0x1000 | PG_V);\n\tprintf("%d\\n", g(1, 2));\n}\n';
    const s = extractFile('a.c', text, 'c', rules);
    const call = s.calls.find((c) => c.callee === 'pte_store')!;
    expect(argTexts(call, text)).toEqual(['p', '0x1000 | PG_V']);
    const caps = callArgs(call, text);
    expect(caps.map((a) => text.slice(a.startByte, a.endByte))).toEqual(['p', '0x1000 | PG_V']);
    expect(caps.map((a) => a.text)).toEqual(['p', '0x1000 | PG_V']);
    expect(callArgs(s.calls.find((c) => c.callee === 'g')!, text).map((a) => a.text)).toEqual(['1', '2']);
    // The summary holds no argument text: only ranges (the cache's JSON too).
    expect(JSON.stringify(s)).not.toContain('0x1000 | PG_V');
  });
});

describe('texts read back for resolution', () => {
  it('are the file as extracted, and a file edited since is a clear error, not a wrong capture', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xp-texts-'));
    try {
      const abs = path.join(dir, 'a.c');
      const text = 'void\nf(int *p)\n{\n\tpte_store(p, PG_V);\n}\n';
      writeFileSync(abs, text, 'latin1');
      const s = extractFile('a.c', text, 'c', rules);
      const read = readSource(abs);
      if ('skip' in read) throw new Error('unreadable');
      const texts = diskTexts(new Map([[s, { abs, hash: read.hash }]]));
      expect(argTexts(s.calls[0], texts(s))).toEqual(['p', 'PG_V']);
      // One buffer serves file after file: bytes kept past the next file's read are refused, never another file's text.
      const absB = path.join(dir, 'b.c');
      writeFileSync(absB, 'int b;\n', 'latin1');
      const sB = extractFile('b.c', 'int b;\n', 'c', rules);
      const readB = readSource(absB);
      if ('skip' in readB) throw new Error('unreadable');
      const both = diskTexts(new Map([[s, { abs, hash: read.hash }], [sB, { abs: absB, hash: readB.hash }]]));
      const bytesA = both(s);
      expect(both(sB).slice(0, 5)).toBe('int b');
      expect(() => bytesA.slice(0, 4)).toThrow(/replaced/);
      expect(both(s).slice(0, 4)).toBe('void');
      writeFileSync(abs, text.replace('PG_V', 'PG_RW'), 'latin1');
      const again = diskTexts(new Map([[s, { abs, hash: read.hash }]]));
      expect(() => again(s)).toThrow(ScanError);
      expect(() => again(s)).toThrow(/a\.c: the file changed while it was being scanned/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('packed calls', () => {
  it('give back every call of the sample kernel as it was extracted, and empty the list the cache no longer needs', () => {
    let checked = 0;
    let typed = 0;
    for (const f of cFiles(path.join(SAMPLE_KERNEL_DIR, 'sys'))) {
      const s = extractFile(path.basename(f), readFileSync(f, 'latin1'), 'c', rules);
      const before = JSON.parse(JSON.stringify(s.calls)) as typeof s.calls;
      packKept(s);
      expect(s.calls).toHaveLength(0);
      const t = callsOf(s);
      expect(t.length).toBe(before.length);
      before.forEach((c, i) => {
        expect(JSON.parse(JSON.stringify(t.at(i)))).toEqual(c);
        expect(t.callee[i]).toBe(c.callee);
        expect(t.func(i)).toBe(c.func);
        expect(t.becomesTable(i)).toBe(c.becomesTable === true);
        expect(t.hasArgTypes(i)).toBe(c.argTypes.length > 0);
        if (c.argTypes.length > 0) typed++;
        checked++;
      });
    }
    expect(checked).toBeGreaterThan(500);
    expect(typed).toBeGreaterThan(0);
  });
});
