// Pieces of the scan that exist for speed, checked for what they must not change:
// the compact whole-tree cache entry gives back the same findings, field for
// field; the JIT setting is undone by the last of overlapping scans; interned
// names are the same strings.
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadRules, scan } from '../../src/analyze/index.js';
import { packTree, unpackTree } from '../../src/analyze/tree-entry.js';
import { leanJit } from '../../src/analyze/v8-inlining.js';
import { intern, internRange } from '../../src/analyze/intern.js';
import { upperCaseWords } from '../../src/analyze/c-syntax.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';

const ruleSet = loadRules();

describe('whole-tree cache entry', () => {
  it('gives back every finding of the sample kernel as it was, fields in the same order', async () => {
    const r = await scan({ paths: [path.join(SAMPLE_KERNEL_DIR, 'sys')], rules: ruleSet, cache: false, workers: 0 });
    expect(r.findings.length).toBeGreaterThan(100);
    expect(r.findings.some((f) => f.via) && r.findings.some((f) => f.language === 'asm') && r.findings.some((f) => f.instruction === undefined)).toBe(true);
    const files = { 'sys/x.c': { lines: 3, parseErrors: 1 } };
    const stored = JSON.parse(JSON.stringify(packTree(r.findings, files)));
    const back = unpackTree(stored, ruleSet.rules);
    // A fingerprint is made when a scan reports its findings (from the sources), never stored.
    const asReported = r.findings.map(({ fingerprint, ...f }) => (expect(fingerprint).toMatch(/^[0-9a-f]{32}:\d+$/), f));
    expect(JSON.stringify(back)).toBe(JSON.stringify(asReported));
    expect(back).toEqual(asReported.map((f) => JSON.parse(JSON.stringify(f))));
    expect(stored.files).toEqual(files);
    // Rule facts are not stored per finding.
    expect(JSON.stringify(stored)).not.toContain(r.findings[0].message);
  });

  it('is no entry for a rule set without one of its rules, nor in an older shape', () => {
    const f = { ruleId: 'cli', category: 'privileged-instruction', severity: 'error', message: 'm', file: 'a.c', line: 1, col: 1, endLine: 1, endCol: 4, startByte: 0, endByte: 3, captures: {}, recovered: false, language: 'c' } as const;
    const entry = JSON.parse(JSON.stringify(packTree([f], {})));
    expect(unpackTree(entry, ruleSet.rules.filter((r) => r.id !== 'cli'))).toBeUndefined();
    expect(unpackTree(entry, ruleSet.rules)?.[0].message).toBe(ruleSet.rules.find((r) => r.id === 'cli')!.message);
    expect(unpackTree({ findings: [f], files: {} } as never, ruleSet.rules)).toBeUndefined();
  });
});

describe('JIT setting for a scan', () => {
  it('turns inlining off once for overlapping scans and back on after the last', () => {
    const calls: string[] = [];
    const set = (f: string): void => void calls.push(f);
    const a = leanJit(set);
    const b = leanJit(set);
    expect(calls).toEqual(['--no-turbo-inlining']);
    a();
    a(); // a second release of the same scan changes nothing
    expect(calls).toEqual(['--no-turbo-inlining']);
    b();
    expect(calls).toEqual(['--no-turbo-inlining', '--turbo-inlining']);
  });

  it('leaves V8 alone when the user chose', () => {
    const calls: string[] = [];
    process.env.XENOPORT_SCAN_INLINING = '1';
    try {
      leanJit((f) => void calls.push(f))();
    } finally {
      delete process.env.XENOPORT_SCAN_INLINING;
    }
    expect(calls).toEqual([]);
  });
});

describe('interned names', () => {
  it('are equal strings, and one object per spelling', () => {
    const text = 'xx pmap_kenter_temporary yy pmap_kenter_temporary';
    const a = intern(text.slice(3, 24));
    const b = intern(text.slice(28, 49));
    expect(a).toBe('pmap_kenter_temporary');
    expect(b).toBe(a);
    expect(intern('123')).toBe('123');
    expect(intern('__proto__')).toBe('__proto__');
  });

  it('tells apart names of one length and one start, and names with characters above Latin-1', () => {
    const text = 'PG_V PG_M PG_A Ā_x Ā_y é_é';
    const got = [0, 5, 10, 15, 19, 23].map((at) => internRange(text, at, at + 4 - (at === 15 || at === 19 ? 1 : 0)));
    expect(got).toEqual(['PG_V', 'PG_M', 'PG_A', 'Ā_x', 'Ā_y', 'é_é']);
    expect(internRange(text, 5, 9)).toBe(got[1]);
    // Two names with one 32-bit FNV-1a hash and one length: told apart by their characters.
    const pair = 'v07vl8 v0opd6';
    expect([internRange(pair, 0, 6), internRange(pair, 7, 13), internRange(pair, 0, 6)]).toEqual(['v07vl8', 'v0opd6', 'v07vl8']);
  });

  it('stays right when the table fills and starts again', () => {
    // More names than the table holds (about a million): each comes back equal, before and after the restart.
    const text = Array.from({ length: 1_100_000 }, (_, i) => `n${i.toString(36)}`).join(' ');
    let at = 0;
    let wrong = 0;
    for (let i = 0; i < 1_100_000; i++) {
      const end = text.indexOf(' ', at) < 0 ? text.length : text.indexOf(' ', at);
      if (internRange(text, at, end) !== `n${i.toString(36)}`) wrong++;
      at = end + 1;
    }
    expect(wrong).toBe(0);
    expect(intern('n0')).toBe('n0');
    expect(intern(`n${(1_099_999).toString(36)}`)).toBe(`n${(1_099_999).toString(36)}`);
  });
});

describe('upper-case word scan', () => {
  // The regex the hand-written scan replaced, with its comment skipping.
  const byRegex = (text: string, lo: number, hi: number, comments: number[]): Array<[number, number]> => {
    const out: Array<[number, number]> = [];
    const re = /(?<![\w$])_*[A-Z][A-Z0-9_]*(?![\w$])/g;
    re.lastIndex = lo;
    let ci = 0;
    for (let m = re.exec(text); m && m.index < hi; m = re.exec(text)) {
      while (ci < comments.length && comments[ci + 1] <= m.index) ci += 2;
      if (ci < comments.length && comments[ci] <= m.index) {
        re.lastIndex = comments[ci + 1];
        continue;
      }
      out.push([m.index, m.index + m[0].length]);
    }
    return out;
  };

  it('finds the words the regex found, for any text, range and comments', () => {
    const text = fc.string({ unit: fc.constantFrom('A', 'B', 'z', 'q', '_', '$', '0', '7', ' ', '(', '/', '*', '\n', '-', 'X'), maxLength: 60 });
    fc.assert(
      fc.property(text, fc.nat(60), fc.nat(60), fc.array(fc.nat(60), { maxLength: 6 }), (t, a, b, cuts) => {
        const lo = Math.min(a, b, t.length);
        const hi = Math.min(Math.max(a, b), t.length);
        const comments = [...new Set(cuts.map((c) => Math.min(c, t.length)))].sort((x, y) => x - y);
        if (comments.length % 2) comments.pop();
        const got: Array<[number, number]> = [];
        upperCaseWords(t, lo, hi, comments, (s, e) => got.push([s, e]));
        expect(got).toEqual(byRegex(t, lo, hi, comments));
      }),
      { numRuns: 3000 },
    );
  });
});
