// The scanner's native core (native/xenoport_ts.c, built by `npm run build`)
// against the tree-sitter binding it replaces on the hot path: the same trees
// node for node, the same descendant lookups, the same query results, and the
// same findings for the whole sample kernel.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import Parser from 'tree-sitter';
import C from 'tree-sitter-c';
import fc from 'fast-check';
import { breath } from '../support/event-loop.js';
import { afterAll, describe, expect, it } from 'vitest';
import { FlatNode, FlatTree, captureKinds, nativeCore } from '../../src/analyze/flat-tree.js';
import { compileQuery, parseC, parserBackend, setParserBackend, type SyntaxNode } from '../../src/analyze/parser.js';
import { COMBINED, COMBINED_KINDS } from '../../src/analyze/c-syntax.js';
import { normalizeC } from '../../src/analyze/normalize.js';
import { loadRules, scanSources } from '../../src/analyze/index.js';
import { extractFile } from '../../src/analyze/extract.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';

const SYS = path.join(SAMPLE_KERNEL_DIR, 'sys');
const require = createRequire(import.meta.url);

function sources(dir: string, out: string[] = []): string[] {
  for (const n of readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) sources(p, out);
    else if (/\.(c|h|s|S)$/.test(n)) out.push(p);
  }
  return out;
}

const files = sources(SYS);
const cFiles = files.filter((f) => /\.[ch]$/.test(f)).map((f) => ({ f: path.relative(SYS, f), text: normalizeC(readFileSync(f).toString('latin1')) }));

const binding = new Parser();
binding.setLanguage(C as unknown as Parser.Language);
const parseBinding = (text: string): Parser.Tree => binding.parse(text, undefined, { bufferSize: text.length * 2 + 16 });

interface Row {
  type: string;
  start: number;
  end: number;
  field: string | null;
  named: boolean;
  hasError: boolean;
  depth: number;
}

/** Every node of a binding tree in pre-order, with its field name, through the binding's cursor. */
function bindingRows(tree: Parser.Tree): Row[] {
  const rows: Row[] = [];
  const c = tree.walk();
  let depth = 0;
  for (;;) {
    const n = c.currentNode;
    rows.push({ type: n.type, start: n.startIndex, end: n.endIndex, field: c.currentFieldName ?? null, named: n.isNamed, hasError: n.hasError, depth });
    if (c.gotoFirstChild()) {
      depth++;
      continue;
    }
    while (!c.gotoNextSibling()) {
      if (!c.gotoParent()) return rows;
      depth--;
    }
  }
}

/** The same rows from a flat tree, read through FlatNode's API (children, fields by name). */
function flatRows(root: FlatNode, fields: string[]): Row[] {
  const rows: Row[] = [];
  const visit = (n: FlatNode, field: string | null, depth: number): void => {
    rows.push({ type: n.type, start: n.startIndex, end: n.endIndex, field, named: n.isNamed, hasError: n.hasError, depth });
    for (const ch of n.children) visit(ch, fields.find((f) => n.childrenForFieldName(f).some((x) => x.ix === ch.ix)) ?? null, depth + 1);
  };
  visit(root, null, 0);
  return rows;
}

/** Every field name of the grammar, from its node-types.json. */
const FIELD_NAMES = [
  ...new Set(
    (JSON.parse(readFileSync(path.join(path.dirname(require.resolve('tree-sitter-c/package.json')), 'src', 'node-types.json'), 'utf8')) as Array<{ fields?: Record<string, unknown> }>).flatMap((t) =>
      Object.keys(t.fields ?? {}),
    ),
  ),
];

const core = nativeCore();
const before = parserBackend();
afterAll(() => setParserBackend(before));

describe('scanner native core', () => {
  it('is built by npm run build (the scanner then never needs the slower binding path)', () => {
    expect(core).not.toBeNull();
  });

  it.runIf(core)('gives the binding tree node for node: type, offsets, field, named, errors, nesting (every sample-kernel C file)', () => {
    let nodes = 0;
    for (const { f, text } of cFiles) {
      setParserBackend('native');
      const root = parseC(text).rootNode as FlatNode;
      const got = flatRows(root, FIELD_NAMES);
      const want = bindingRows(parseBinding(text));
      expect(got.length, f).toBe(want.length);
      expect(got, f).toEqual(want);
      nodes += got.length;
    }
    expect(nodes).toBeGreaterThan(25_000);
  });

  // About 35 s on a quiet machine and minutes on a loaded one: a timeout of its own.
  it.runIf(core)('keeps trees whole while others are parsed and freed in any order (per-tree arenas, reused memory)', async () => {
    setParserBackend('native');
    // A breath per file: the whole tree twice over is more than half a minute of synchronous work.
    const want: ReturnType<typeof bindingRows>[] = [];
    for (const { text } of cFiles) {
      want.push(bindingRows(parseBinding(text)));
      await breath();
    }
    // Every tree alive at once, some with lookups and queries run on them after others were parsed.
    let live = cFiles.map(({ text }) => FlatTree.parse(text, core!));
    const q = compileQuery('(call_expression function: (identifier) @fn)');
    const calls = live.map((t) => q.captures(t.rootNode).length);
    // Free every other tree (their memory is handed to the next parses), then parse again.
    live.forEach((t, i) => i % 2 === 0 && t.delete());
    const again = cFiles.map(({ text }, i) => (i % 2 === 0 ? FlatTree.parse(text, core!) : live[i]));
    live = again;
    for (const [i, t] of live.entries()) {
      expect(flatRows(t.rootNode, FIELD_NAMES), cFiles[i].f).toEqual(want[i]);
      expect(q.captures(t.rootNode).length, cFiles[i].f).toBe(calls[i]);
      const mid = t.rootNode.descendantForIndex(cFiles[i].text.length >> 1);
      expect(mid.startIndex).toBeLessThanOrEqual(cFiles[i].text.length >> 1);
      await breath();
    }
    // Freed newest first this time; a tree bigger than one arena chunk (1 MiB) on the way.
    const big = cFiles.map(({ text }) => text).join('\n').repeat(4);
    const bigTree = FlatTree.parse(big, core!);
    expect(bigTree.t[5]).toBe(bigTree.t.length / 6);
    for (const t of [...live].reverse()) t.delete();
    expect(flatRows(bigTree.rootNode, FIELD_NAMES).length).toBe(bigTree.t.length / 6);
    bigTree.delete();
  }, 900_000);

  it.runIf(core)('keeps string indices right in Latin-1 text (the UTF-16 path) and pure ASCII (the UTF-8 path)', () => {
    setParserBackend('native');
    for (const text of ['/* caf\u00e9 \u00ff */ int x = 0xfc000000;\n', '/* plain */ int x = 0xfc000000;\n']) {
      const root = parseC(text).rootNode;
      const num = root.descendantsOfType('number_literal')[0];
      expect(text.slice(num.startIndex, num.endIndex)).toBe('0xfc000000');
      expect(num.text).toBe('0xfc000000');
      const want = bindingRows(parseBinding(text));
      expect(flatRows(root as FlatNode, FIELD_NAMES)).toEqual(want);
    }
  });

  it.runIf(core)('answers descendantForIndex as tree-sitter does, for any range', () => {
    setParserBackend('native');
    const { text } = cFiles.find((x) => x.f.endsWith('pmap.c'))!;
    const flat = parseC(text).rootNode;
    const ref = parseBinding(text).rootNode;
    fc.assert(
      fc.property(fc.nat(text.length), fc.nat(64), (start, len) => {
        const end = Math.min(text.length, start + len);
        const a = flat.descendantForIndex(start, end);
        const b = ref.descendantForIndex(start, end);
        return a.type === b.type && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
      }),
      { numRuns: 2000 },
    );
  });

  it.runIf(core)('answers descendantForIndex from the table alone (a tree parsed on another thread) as tree-sitter does', () => {
    setParserBackend('native');
    for (const { f, text } of cFiles) {
      const live = parseC(text).rootNode as FlatNode;
      const detached = FlatTree.detached(text, live.tree.t).rootNode;
      const ref = parseBinding(text).rootNode;
      fc.assert(
        fc.property(fc.nat(text.length), fc.nat(40), (start, len) => {
          const end = Math.min(text.length, start + len);
          const a = detached.descendantForIndex(start, end);
          const b = ref.descendantForIndex(start, end);
          return a.type === b.type && a.startIndex === b.startIndex && a.endIndex === b.endIndex;
        }),
        { numRuns: 300, examples: [[0, 0], [text.length, 0], [Math.max(0, text.length - 1), 1]] },
      );
      // Every token's own range leads back to that token.
      for (const leaf of [...detached.descendantsOfType('identifier'), ...detached.descendantsOfType('number_literal')]) {
        const b = ref.descendantForIndex(leaf.startIndex, leaf.endIndex);
        const a = detached.descendantForIndex(leaf.startIndex, leaf.endIndex);
        expect([a.type, a.startIndex, a.endIndex], f).toEqual([b.type, b.startIndex, b.endIndex]);
      }
    }
  });

  // parse() no longer makes the TSNode index and the node-id map the queries and
  // native lookups need: the first run() or descendant() on a tree makes them, by
  // walking the tree again. Here that happens from an inner node first, after other
  // trees were parsed and freed, and is checked against the binding.
  it.runIf(core)('builds a tree\'s node index on its first query or lookup, from any node, after other trees came and went', () => {
    setParserBackend('native');
    const q = compileQuery('(call_expression function: (identifier) @fn arguments: (argument_list) @args) @call ((identifier) @id (#match? @id "^PG_")) (ERROR) @err');
    const key = (c: { name: string; node: SyntaxNode }): string => `${c.name}@${c.node.startIndex}-${c.node.endIndex}:${c.node.type}`;
    const picked = cFiles.filter((_, i) => i % 3 === 0);
    const trees = picked.map(({ text }) => FlatTree.parse(text, core!));
    // Some trees freed before any index exists (their arenas go to the next parses).
    for (const [i, t] of trees.entries()) if (i % 4 === 1) t.delete();
    const extra = picked.map(({ text }) => FlatTree.parse(text, core!));
    let inner = 0;
    for (const [i, { f, text }] of picked.entries()) {
      const t = i % 4 === 1 ? extra[i] : trees[i];
      const ref = parseBinding(text).rootNode;
      // An inner node first: the middle top-level item, found in both trees by its range.
      const kids = t.rootNode.children;
      const mid = kids[kids.length >> 1];
      if (mid) {
        const refMid = ref.descendantForIndex(mid.startIndex, mid.endIndex);
        expect([refMid.type, refMid.startIndex, refMid.endIndex], f).toEqual([mid.type, mid.startIndex, mid.endIndex]);
        expect(q.captures(mid).map(key), f).toEqual(q.captures(refMid as unknown as SyntaxNode).map(key));
        inner++;
      }
      expect(q.captures(t.rootNode).map(key), f).toEqual(q.captures(ref as unknown as SyntaxNode).map(key));
      // The core's own descendant lookup (the scanner searches the table instead) uses the same index.
      for (const at of [0, text.length >> 2, text.length >> 1, text.length]) {
        const ix = core!.descendant(t.handle, 0, at, Math.min(text.length, at + 3));
        const b = ref.descendantForIndex(at, Math.min(text.length, at + 3));
        const a = t.node(ix);
        expect([a.type, a.startIndex, a.endIndex], f).toEqual([b.type, b.startIndex, b.endIndex]);
      }
    }
    expect(inner).toBeGreaterThan(10);
    for (const [i, t] of trees.entries()) if (i % 4 !== 1) t.delete();
    for (const [i, t] of extra.entries()) if (i % 4 === 1) t.delete();
    // Extra trees parsed but never queried: freed without an index.
    for (const [i, t] of extra.entries()) if (i % 4 !== 1) t.delete();
  });

  it.runIf(core)('reads the extractor captures off the table exactly as the combined query captures them', () => {
    setParserBackend('native');
    const q = compileQuery(COMBINED);
    let count = 0;
    for (const { f, text } of cFiles) {
      const root = parseC(text).rootNode as FlatNode;
      const key = (c: { name: string; node: SyntaxNode }): string => `${c.name}@${c.node.startIndex}-${c.node.endIndex}:${c.node.type}`;
      const table = captureKinds(root, COMBINED_KINDS, '&').map(key);
      const nativeQuery = q.captures(root).map(key);
      const bindingQuery = q.captures(parseBinding(text).rootNode as unknown as SyntaxNode).map(key);
      expect(nativeQuery, f).toEqual(bindingQuery);
      expect(table, f).toEqual(bindingQuery);
      count += table.length;
    }
    expect(count).toBeGreaterThan(3_000);
  });

  it.runIf(core)('evaluates query predicates (#match?, #eq?) like the binding', () => {
    setParserBackend('native');
    const q = compileQuery('((identifier) @id (#match? @id "^PG_")) ((call_expression function: (identifier) @fn) @call (#eq? @fn "invlpg"))');
    for (const { f, text } of cFiles) {
      const key = (m: { pattern: number; captures: Array<{ name: string; node: SyntaxNode }> }): string =>
        `${m.pattern}:${m.captures.map((c) => `${c.name}@${c.node.startIndex}-${c.node.endIndex}`).join(',')}`;
      expect(q.matches(parseC(text).rootNode).map(key), f).toEqual(q.matches(parseBinding(text).rootNode as unknown as SyntaxNode).map(key));
    }
  });

  it.runIf(core)('reads upper-case names and big literals off the table as the binding path finds them in the text', () => {
    const rules = loadRules().rules;
    // Words in comments and strings, `$` and dots next to words and literals, a recovered statement, a macro body.
    const tricky = [
      '/* KERNBASE 0xc0000000 */ int a = KERNBASE + 0xc0000000;',
      'char *s = "PTD 0xfec00000"; int $X = X$Y, _Z = __ABC_1, q = _Z + __ABC_1 + X + 0xfec00000$y;',
      'double d = 1.0xfec00000; int e = 0xfec00000.x, f = .0xfec00000;',
      'void g(void) { int h = VM_MAX_KERNEL_ADDRESS 0xffc00000 ; x = (PTmap + 4096000000u); }',
      '#define APIC 0xfee00000\nint i = APIC, j = 0x00000000fee00000, k = 4276092928UL;',
      'int v = ȧ + Ä_X + X_Ä;',
    ].join('\n');
    const inputs = [...cFiles.map((c) => ({ f: c.f, text: readFileSync(path.join(SYS, c.f)).toString('latin1') })), { f: 'tricky.c', text: tricky }];
    const facts = (f: string, text: string): string => {
      const s = extractFile(f, text, 'c', rules);
      return JSON.stringify([s.names, s.numbers]);
    };
    let names = 0;
    for (const { f, text } of inputs) {
      setParserBackend('native');
      const viaTable = facts(f, text);
      setParserBackend('binding');
      expect(viaTable, f).toBe(facts(f, text));
      names += (JSON.parse(viaTable) as unknown[][])[0].length;
    }
    expect(names).toBeGreaterThan(1000);
  });

  it.runIf(core)('finds exactly the same findings in the whole sample kernel as the binding path', () => {
    const rules = loadRules().rules;
    const input = files.map((f) => ({ file: path.relative(SYS, f), text: readFileSync(f).toString('latin1'), lang: /\.[sS]$/.test(f) ? ('asm' as const) : ('c' as const) }));
    setParserBackend('native');
    const viaNative = scanSources(input, rules);
    setParserBackend('binding');
    const viaBinding = scanSources(input, rules);
    expect(viaNative.length).toBeGreaterThan(300);
    expect(JSON.stringify(viaNative)).toBe(JSON.stringify(viaBinding));
  });
});
