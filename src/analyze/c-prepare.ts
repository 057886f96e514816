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
import { liveText, type BranchRange } from './cpp-branches.js';

/** A C file normalized, parsed and queried, to be extracted on another thread. */
export interface PreparedC {
  norm: string;
  krStars: Array<[number, number]>;
  table: Int32Array;
  ruleMatches: RuleMatches;
  /** Dead and ported ranges of the original text (blanked before parsing unless every branch is wanted). */
  branches: BranchRange[];
}

export function prepareC(original: string, rules: Rule[]): PreparedC {
  const { text, ranges } = liveText(original);
  const norm = normalizeCWithFacts(text);
  const tree = parseC(norm.text);
  try {
    const root = tree.rootNode;
    if (!(root instanceof FlatNode)) throw new Error('prepareC needs the native core');
    return { norm: norm.text, krStars: [...norm.krStars], table: root.tree.t, ruleMatches: allRuleMatches(rules, root, norm.text), branches: ranges };
  } finally {
    tree.delete();
  }
}

