// Byte-exact locations in the ORIGINAL file: Latin-1 and UTF-8 bytes, tabs, CRLF.
import { describe, expect, it } from 'vitest';
import { loadRules, scanSources, SourceText } from '../../src/analyze/index.js';

const { rules } = loadRules();

function scanBytes(bytes: Buffer, file: string, lang: 'c' | 'asm') {
  return scanSources([{ file, text: bytes.toString('latin1'), lang }], rules);
}

describe('locations', () => {
  it('C: Latin-1 byte, UTF-8 bytes, tabs and CRLF before the site', () => {
    const head = Buffer.concat([
      Buffer.from('/* caf'),
      Buffer.from([0xe9]), // Latin-1 e-acute
      Buffer.from(' na\u00efve */\r\n', 'utf8'), // UTF-8: two bytes
      Buffer.from('void\r\nf(void)\r\n{\r\n\t\t'),
    ]);
    const site = Buffer.from('__asm __volatile("cli")');
    const bytes = Buffer.concat([head, site, Buffer.from(';\r\n}\r\n')]);
    const f = scanBytes(bytes, 'x.c', 'c').filter((x) => x.ruleId === 'cli');
    expect(f).toHaveLength(1);
    expect(f[0].startByte).toBe(head.length);
    expect(bytes.subarray(f[0].startByte, f[0].endByte).toString('latin1')).toBe(site.toString());
    expect(f[0].line).toBe(5);
    expect(f[0].col).toBe(3); // two tabs, counted as bytes
    expect(f[0].endLine).toBe(5);
    expect(f[0].endCol).toBe(3 + site.length);
  });

  it('asm: tabs, CRLF, comments with high bytes', () => {
    const bytes = Buffer.concat([Buffer.from('# r\xe9sum\xe9\r\n', 'latin1'), Buffer.from('/* \u00e9t\u00e9 */\tmovl\t%eax,%cr3\t# load\r\n', 'utf8')]);
    const f = scanBytes(bytes, 'x.s', 'asm').filter((x) => x.ruleId === 'mov-to-cr3');
    expect(f).toHaveLength(1);
    expect(bytes.subarray(f[0].startByte, f[0].endByte).toString('latin1')).toBe('movl\t%eax,%cr3');
    expect(f[0].line).toBe(2);
    // "/* " (3) + "été" in UTF-8 (5 bytes) + " */" (3) + tab (1) = 12 bytes before movl
    expect(f[0].col).toBe(13);
  });

  it('SourceText maps offsets to 1-based line and byte column', () => {
    const s = new SourceText('f', 'ab\r\n\tc\nd');
    expect(s.position(0)).toEqual({ line: 1, col: 1 });
    expect(s.position(4)).toEqual({ line: 2, col: 1 });
    expect(s.position(5)).toEqual({ line: 2, col: 2 });
    expect(s.position(7)).toEqual({ line: 3, col: 1 });
    expect(s.lineText(1)).toBe('ab');
    expect(s.lineText(2)).toBe('\tc');
  });
});
