/*
 * The part of a C file's extraction that can run on another thread: normalize,
 * parse with the native core, run the query rules, and parse the #define bodies
 * that CExtractor.macro parses on their own (with their query matches). The
 * result is plain data and transferable node tables; CExtractor.run(prepared)
 * does the rest. Invariant: a macro body here is parsed from the same snippet,
 * and queried over the same range, as CExtractor.macro would.
 */
import { parseC, textOf } from './parser.js';
import { normalizeCWithFacts } from './normalize.js';
import { FlatNode, captureKinds, type RuleMatches } from './flat-tree.js';
import { allRuleMatches } from './c-rules.js';
import { COMBINED_KINDS, MACRO_PREFIX, MACRO_SUFFIX, macroNeedsParse } from './c-syntax.js';
import type { Rule } from './types.js';
import { liveText, type BranchRange } from './cpp-branches.js';

/** A C file normalized, parsed and queried, to be extracted on another thread. */
export interface PreparedC {
  norm: string;
  krStars: Array<[number, number]>;
  table: Int32Array;
  ruleMatches: RuleMatches;
  /** Dead and ported ranges of the original text (blanked before parsing unless every branch is wanted). */
  branches: BranchRange[];
  /** Parsed #define bodies: the body's start in `norm`, its snippet's node table (views of one buffer) and query matches. */
  macros: Array<[number, Int32Array, RuleMatches]>;
}

/** The #define bodies CExtractor.macro would parse, parsed here. */
function prepareMacros(root: FlatNode, rules: Rule[]): PreparedC['macros'] {
  const out: PreparedC['macros'] = [];
  for (const c of captureKinds(root, COMBINED_KINDS, '&')) {
    if (c.name !== 'def' && c.name !== 'fdef') continue;
    const value = c.node.childForFieldName('value');
    if (!value || !c.node.childForFieldName('name')) continue;
    const body = textOf(value).replace(/\s+$/, '');
    if (!macroNeedsParse(body, rules)) continue;
    const snippet = MACRO_PREFIX + body + MACRO_SUFFIX;
    const tree = parseC(snippet);
    try {
      const r = tree.rootNode as FlatNode;
      out.push([value.startIndex, r.tree.t, allRuleMatches(rules, r, snippet, MACRO_PREFIX.length, MACRO_PREFIX.length + body.length)]);
    } finally {
      tree.delete();
    }
  }
  return packTables(out);
}

/*
 * The bodies' tables as views of one buffer: a file's tables cross to the
 * extracting thread as one transfer, not one ArrayBuffer each (a whole sys/ has
 * about 90,000 parsed #define bodies, and every buffer that arrives there is an
 * object with its own backing store for that thread's collector to track).
 */
function packTables(macros: PreparedC['macros']): PreparedC['macros'] {
  if (macros.length < 2) return macros;
  let total = 0;
  for (const m of macros) total += m[1].length;
  const all = new Int32Array(total);
  let at = 0;
  return macros.map(([start, table, matches]) => {
    all.set(table, at);
    const view = all.subarray(at, at + table.length);
    at += table.length;
    return [start, view, matches];
  });
}

export function prepareC(original: string, rules: Rule[]): PreparedC {
  const { text, ranges } = liveText(original);
  const norm = normalizeCWithFacts(text);
  const tree = parseC(norm.text);
  try {
    const root = tree.rootNode;
    if (!(root instanceof FlatNode)) throw new Error('prepareC needs the native core');
    return { norm: norm.text, krStars: [...norm.krStars], table: root.tree.t, ruleMatches: allRuleMatches(rules, root, norm.text), branches: ranges, macros: prepareMacros(root, rules) };
  } finally {
    tree.delete();
  }
}

