// What a scan keeps of each file until resolution, in its packed form: line
// lengths in a typed array and call arguments as texts with byte ranges. The
// packed form must give the same lines, columns and captures as the text.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules } from '../../src/analyze/index.js';
import { packLines } from '../../src/analyze/compact.js';
import { extractFile } from '../../src/analyze/extract.js';
import { callArgs } from '../../src/analyze/resolve-common.js';
import { LineIndex, SourceText } from '../../src/analyze/source.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';

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

describe('call arguments as texts and byte ranges', () => {
  it('give back captures equal to the slices of the text', () => {
    const text = 'void\nf(int *p)\n{\n\tpte_store(p, 0x1000 | PG_V);\n\tprintf("%d\\n", g(1, 2));\n}\n';
    const s = extractFile('a.c', text, 'c', rules);
    const call = s.calls.find((c) => c.callee === 'pte_store')!;
    expect(call.args).toEqual(['p', '0x1000 | PG_V']);
    const caps = callArgs(call);
    expect(caps.map((a) => text.slice(a.startByte, a.endByte))).toEqual(call.args);
    expect(caps.map((a) => a.text)).toEqual(call.args);
    expect(callArgs(s.calls.find((c) => c.callee === 'g')!).map((a) => a.text)).toEqual(['1', '2']);
  });
});
