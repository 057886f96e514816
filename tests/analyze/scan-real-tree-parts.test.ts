// Parts of the scan made for a whole real tree: number literals no va-hole rule
// could report are left out of a file's summary at extraction, and the ones a
// rule reports are still reported; a function's locals nothing reads are not
// kept, the ones a store reaches through assignments are; a file prepared on a worker (its #define
// bodies parsed there too) gives the summary extraction in one thread gives;
// the scan bench finds its tree from --tree, then XENOPORT_REAL_TREE, then
// falls back to the sample replica.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, scanSources } from '../../src/analyze/index.js';
import { extractFile, prepareC } from '../../src/analyze/extract.js';
import { parserBackend } from '../../src/analyze/parser.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';
import { holeLiteral } from '../../src/analyze/hole-numbers.js';
import { benchScan, benchTree } from '../../bench/scan.js';
import { median } from '../../eval/measure.js';

const { rules } = loadRules();

describe('va-hole literals at extraction', () => {
  const code = [
    'static int tbl[] = { 0xfc000000, 0xfd000000 };',
    'void',
    'f(unsigned *p, unsigned x)',
    '{',
    '\t*p = 0xfc400000;',
    '\tx = x & 0xfe000000;',
    '\tx = 0xfc000123;',
    '\tx = 0xffffffff;',
    '\tx = 0x00000000fc000000;',
    '\tx = 0xfc000000ULL;',
    '\tx = 0x12345678;',
    '}',
    '#define LIT_IN_DEFINE 0xfd000000',
  ].join('\n');

  it('keeps only the literals a rule could report, and the report is unchanged by it', () => {
    const s = extractFile('t.c', code, 'c', rules);
    expect(s.numbers.map((n) => n.text)).toEqual(['0xfc400000']);
    const hole = scanSources([{ file: 't.c', text: code, lang: 'c' }], rules).filter((f) => f.ruleId === 'va-hole');
    expect(hole.map((f) => f.instruction)).toContain('0xfc400000');
    // The table's elements, the mask, the unaligned, wide and sentinel values are not addresses.
    for (const v of ['0xfd000000', '0xfe000000', '0xfc000123', '0xffffffff', '0x00000000fc000000', '0xfc000000ULL'])
      expect(hole.some((f) => f.instruction === v)).toBe(false);
  });

  it('keeps assembly operands in the hole, not masks or defines', () => {
    const asm = ['\tmovl\t$0xfc400000, %eax', '\tandl\t$0xfc000000, %eax', '\tmovl\t$0x1000, %eax', ''].join('\n');
    const s = extractFile('t.s', asm, 'asm', rules);
    expect(s.numbers.map((n) => n.text)).toEqual(['0xfc400000']);
  });

  it('is off without a va-hole rule', () => {
    const none = rules.filter((r) => !r.match.vaHole);
    expect(holeLiteral(none)('0xfc400000', 0xfc400000)).toBe(false);
    expect(holeLiteral(rules)('0xfc400000', 0xfc400000)).toBe(true);
    expect(extractFile('t.c', code, 'c', none).numbers).toEqual([]);
  });
});

describe('locals kept in a summary', () => {
  it('are the ones an expression of the file reads, through chains of assignments', () => {
    const code = ['typedef unsigned int pt_entry_t;', 'void', 'f(pt_entry_t *base, int i)', '{', '\tpt_entry_t *p;', '\tpt_entry_t *q;', '\tint unused;', '', '\tunused = 3;', '\tq = base + i;', '\tp = q;', '\t*p = 0;', '}', ''].join('\n');
    const s = extractFile('t.c', code, 'c', rules);
    expect(Object.keys(s.funcs[0].locals).sort()).toEqual(['base', 'i', 'p', 'q']);
    // The store through p is still typed through q and base: a page-table write.
    const found = scanSources([{ file: 't.c', text: code, lang: 'c' }], rules);
    expect(found.map((f) => [f.ruleId, f.line])).toEqual([['pte-write', 12]]);
  });
});

describe('a prepared C file', () => {
  it.skipIf(parserBackend() !== 'native')('extracts to the same summary as in one thread, #define bodies included (every sample-kernel C file)', () => {
    const dir = path.join(SAMPLE_KERNEL_DIR, 'sys');
    const files = readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile() && /\.[ch]$/.test(e.name))
      .map((e) => path.join(e.parentPath, e.name));
    let macros = 0;
    for (const f of files) {
      const text = readFileSync(f, 'latin1');
      const prepared = prepareC(text, rules);
      macros += prepared.macros.length;
      // As it crosses to the extracting thread: the file's table and its bodies' tables, which share one buffer.
      const bodies = new Set(prepared.macros.map((m) => m[1].buffer as ArrayBuffer));
      expect(bodies.size, f).toBeLessThanOrEqual(1);
      const crossed = structuredClone(prepared, { transfer: [prepared.table.buffer as ArrayBuffer, ...bodies] });
      expect(extractFile(f, text, 'c', rules, crossed), f).toEqual(extractFile(f, text, 'c', rules));
    }
    expect(files.length).toBeGreaterThan(50);
    // The sample's headers define macros with calls, stores and asm: their bodies were parsed on the preparing side.
    expect(macros).toBeGreaterThan(50);
  });
});

describe('the scan bench tree', () => {
  it('takes --tree first, then XENOPORT_REAL_TREE, then the sample replica', () => {
    expect(benchTree(['scan', '--tree', '/a', '--arch', 'amd64'], { XENOPORT_REAL_TREE: '/b' })).toEqual({ tree: '/a', arch: 'amd64', from: '--tree', rounds: 1 });
    expect(benchTree(['scan', '--rounds', '5'], { XENOPORT_REAL_TREE: '/b' })).toEqual({ tree: '/b', arch: 'i386', from: 'XENOPORT_REAL_TREE', rounds: 5 });
    expect(benchTree(['scan'], {})).toEqual({ arch: 'i386', from: 'replica', rounds: 1 });
  });

  it('a --rounds that is not a whole number of at least 1 is a usage error', async () => {
    for (const bad of ['0', 'two', '1.5']) {
      const lines = await benchScan(['scan', '--tree', '/nonexistent', '--rounds', bad]);
      expect(lines[0]).toBe('scan bench: --rounds takes a whole number of at least 1');
      expect(process.exitCode).toBe(2);
      process.exitCode = 0;
    }
  });
});

describe('the median the benches report', () => {
  it('is the middle value, or the mean of the middle two', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([7])).toBe(7);
  });
});
