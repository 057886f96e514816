/*
 * The rewrite stage's face of the edit engine's planning half
 * (src/analyze/edit-plan.ts): the same planner `rules test` uses, over the
 * ORIGINAL bytes of the tree's files.
 */
import { includeAt, planEdits, type Finding, type FixSpec, type Plan, type PlanOptions } from '../analyze/index.js';

export { expandTemplate, DEFAULT_INCLUDE, ASM_MARKER, type Plan, type PlanNote, type PlanOptions, type RuleMode } from '../analyze/index.js';

/** Where to insert the include line in a file's bytes (see includeAt); null when present. */
export function includeInsertion(text: Buffer, includeLine: string, before = text.length): { at: number; text: string } | null {
  return includeAt(text.toString('latin1'), includeLine, before);
}

/** Plans the edits of a set of findings; `source` gives a finding's file's ORIGINAL bytes. */
export function planRewrite(findings: readonly Finding[], fixOf: (ruleId: string) => FixSpec | undefined, source: (file: string) => Buffer, options: PlanOptions): Plan {
  const texts = new Map<string, string>();
  const text = (file: string): string => {
    let t = texts.get(file);
    if (t === undefined) texts.set(file, (t = source(file).toString('latin1')));
    return t;
  };
  return planEdits(findings, fixOf, text, options);
}
