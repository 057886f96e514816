// Pieces of the scan that exist for speed and memory on a whole real tree,
// checked for what they must not change: the query prefilter never rules out a
// file where the query matches; a compacted summary holds the same values; a
// store through a pointer is judged by the assignment that reaches it.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRules, scanSources } from '../../src/analyze/index.js';
import { compileQuery, parseC } from '../../src/analyze/parser.js';
import { queryPrefilter, type PredicateSource } from '../../src/analyze/query-prefilter.js';
import { compactSummary } from '../../src/analyze/compact.js';
import { extractFile } from '../../src/analyze/extract.js';
import { NONE } from '../../src/analyze/arrays.js';
import { CContext } from '../../src/analyze/c-context.js';
import { SourceText } from '../../src/analyze/source.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';
import TreeSitter from 'tree-sitter';
import C from 'tree-sitter-c';

const { rules } = loadRules();
const queryRules = rules.filter((r) => r.match.c);

function cFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.[ch]$/.test(e.name))
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}

describe('query prefilter', () => {
  const prefilter = (source: string): ((text: string) => boolean) => queryPrefilter(source, new TreeSitter.Query(C as never, source) as unknown as PredicateSource);

  it('never rules out a text where the query matches (every query rule, on its own tests and the sample kernel)', () => {
    const texts = [
      ...queryRules.flatMap((r) => [...r.tests.match, ...r.tests.noMatch].filter((t) => t.lang === 'c').map((t) => t.code)),
      ...cFiles(path.join(SAMPLE_KERNEL_DIR, 'sys')).map((f) => readFileSync(f, 'latin1')),
    ];
    let ruledOut = 0;
    let matched = 0;
    for (const r of queryRules) {
      const q = compileQuery(r.match.c!.query);
      for (const text of texts) {
        const tree = parseC(text);
        try {
          const n = q.matches(tree.rootNode).length;
          if (n > 0) {
            matched++;
            expect(q.mayMatch(text), `${r.id} on ${text.slice(0, 60)}`).toBe(true);
          } else if (!q.mayMatch(text)) ruledOut++;
        } finally {
          tree.delete();
        }
      }
    }
    expect(matched).toBeGreaterThan(queryRules.length);
    // Most texts hold none of a rule's names: the prefilter must actually skip them.
    expect(ruledOut).toBeGreaterThan(texts.length * queryRules.length * 0.8);
  });

  it('reads #eq? strings and #match? regexes with or without anchors, and gives up on what it cannot reason about', () => {
    const selKpl = prefilter('(preproc_def name: (identifier) @name (#eq? @name "SEL_KPL") value: (preproc_arg) @value (#match? @value "^\\\\s*0[\\\\s]*$"))');
    expect(selKpl('#define SEL_KPL 0\n')).toBe(true);
    expect(selKpl('#define SEL_UPL 3\n')).toBe(false);
    const prefix = prefilter('(subscript_expression index: (_) @slot (#match? @slot "^PTDPTDI"))');
    expect(prefix('x = pdir[PTDPTDI + i];')).toBe(true);
    expect(prefix('x = pdir[KPTDI];')).toBe(false);
    // Two patterns: either one's requirements let the query run.
    const two = prefilter('((identifier) @a (#eq? @a "alpha")) ((identifier) @b (#eq? @b "beta"))');
    expect(two('int beta;')).toBe(true);
    expect(two('int gamma;')).toBe(false);
    // A pattern with nothing required, an optional capture, an inner anchor, a negative predicate: always run.
    for (const q of [
      '((identifier) @a (#eq? @a "alpha")) (call_expression) @c',
      '(call_expression function: (identifier)? @f (#eq? @f "outb"))',
      '((identifier) @a (#match? @a "^a|^b"))',
      '((identifier) @a (#match? @a "\\\\bx"))',
      '((identifier) @a (#not-match? @a "^x$"))',
    ])
      expect(prefilter(q)('int nothing_here;'), q).toBe(true);
  });
});

describe('compacted summaries', () => {
  it('hold the same values as the summaries were extracted, with empty lists shared', () => {
    let checked = 0;
    for (const f of cFiles(path.join(SAMPLE_KERNEL_DIR, 'sys'))) {
      const text = readFileSync(f, 'latin1');
      const s = extractFile(path.basename(f), text, 'c', rules);
      const again = JSON.parse(JSON.stringify(s));
      expect(JSON.stringify(compactSummary(again))).toBe(JSON.stringify(s));
      for (const c of s.calls) if (c.argTypes.length === 0) expect(c.argTypes).toBe(NONE);
      // Arguments are byte ranges inside their call, in order.
      for (const c of s.calls)
        for (let i = 0; i < c.argBytes.length; i += 2) {
          expect(c.argBytes[i]).toBeGreaterThanOrEqual(i === 0 ? c.site.startByte : c.argBytes[i - 1]);
          expect(c.argBytes[i + 1]).toBeLessThanOrEqual(c.site.endByte);
        }
      checked++;
    }
    expect(checked).toBeGreaterThan(20);
  });
});

describe('descriptor stores through a re-pointed local', () => {
  const SD =
    'struct segment_descriptor { unsigned sd_lolimit:16, sd_lobase:24, sd_type:5, sd_dpl:2, sd_p:1, sd_hilimit:4, sd_xx:2, sd_def32:1, sd_gran:1, sd_hibase:8; }; union descriptor { struct segment_descriptor sd; }; typedef char *caddr_t; struct proc_ldt { caddr_t ldt_base; };\n';
  const lines = (body: string): number[] => {
    const found = scanSources([{ file: 'sys_machdep.c', text: SD + body, lang: 'c' }], rules);
    return found.filter((x) => x.ruleId === 'descriptor-field-write').map((x) => x.line);
  };

  it("reports the store after the pointer is pointed into the LDT, not the one into the caller's buffer", () => {
    const body = [
      'int',
      'f(struct proc_ldt *pldt, union descriptor *descs, int num)',
      '{',
      '\tunion descriptor *dp;',
      '\tint i;',
      '',
      '\tfor (i = 0; i < num; i++) {',
      '\t\tdp = &descs[i];',
      '\t\tdp->sd.sd_p = 0;',
      '\t}',
      '\tdp = &((union descriptor *)(pldt->ldt_base))[6];',
      '\tdp->sd.sd_dpl = 3;',
      '\treturn (0);',
      '}',
    ].join('\n');
    expect(lines(body)).toEqual([13]);
  });
});

describe('error ranges of a damaged file', () => {
  it('say whether a site needed recovery exactly as a scan of every range does, nested and unsorted ranges included', () => {
    const text = 'x'.repeat(5000);
    const x = new CContext(new SourceText('a.c', text), extractFile('a.c', '', 'c', rules), rules);
    let seed = 7;
    const rnd = (n: number): number => ((seed = (seed * 1103515245 + 12345) >>> 0) >>> 8) % n;
    for (let round = 0; round < 20; round++) {
      const errs: Array<[number, number]> = [];
      const count = 1 + rnd(60);
      for (let i = 0; i < count; i++) {
        const a = rnd(5000);
        errs.push([a, a + rnd(400)]);
      }
      x.errors = errs;
      for (let i = 0; i < 400; i++) {
        const s = rnd(5200);
        const e = s + rnd(300);
        expect(x.inError(s, e), `${s}-${e} in ${JSON.stringify(errs)}`).toBe(errs.some(([a, b]) => a <= s && e <= b));
      }
      // A range added to the same list is seen.
      errs.push([0, 6000]);
      expect(x.inError(10, 20)).toBe(true);
    }
  });
});

describe('compacted texts', () => {
  it('keep characters beyond Latin-1 as they were (a snippet given as a JS string)', () => {
    const text = '#define MSG "\u2014 caf\u00e9 \u4e2d\u6587 long enough to be a slice"\nvoid\nf(void)\n{\n\tprintf(MSG);\n}\n';
    const s = compactSummary(extractFile('u.c', text, 'c', rules));
    expect(s.macros.find((m) => m.name === 'MSG')?.body).toBe('"\u2014 caf\u00e9 \u4e2d\u6587 long enough to be a slice"');
  });
});
