/*
 * The half of a C file's extraction that can run on another thread: normalize,
 * parse with the native core, run the query rules. The result is plain data and
 * one transferable node table; CExtractor.run(prepared) does the rest.
 */
import { parseC } from './parser.js';
import { normalizeCWithFacts } from './normalize.js';
import { FlatNode, type RuleMatches } from './flat-tree.js';
import { allRuleMatches } from './c-rules.js';
import type { Rule } from './types.js';

/** A C file normalized, parsed and queried, to be extracted on another thread. */
export interface PreparedC {
  norm: string;
  krStars: Array<[number, number]>;
  table: Int32Array;
  ruleMatches: RuleMatches;
}

export function prepareC(text: string, rules: Rule[]): PreparedC {
  const norm = normalizeCWithFacts(text);
  const tree = parseC(norm.text);
  try {
    const root = tree.rootNode;
    if (!(root instanceof FlatNode)) throw new Error('prepareC needs the native core');
    return { norm: norm.text, krStars: [...norm.krStars], table: root.tree.t, ruleMatches: allRuleMatches(rules, root, norm.text) };
  } finally {
    tree.delete();
  }
}

