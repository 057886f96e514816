/*
 * Runs the inline tests of rules (rules/*.yaml `tests:`): every `match` snippet
 * must produce a finding of the rule, no `no-match` snippet may, and each `fix`
 * pair must turn `before` into `after` when the rule's own edits are planned and
 * applied by the edit engine xenify uses (edit-plan.ts, edit-apply.ts).
 * Outcomes are closed: found, missed, noisy, wrong-fix (or ok).
 */
import { applyEditsToText } from './edit-apply.js';
import { planEdits } from './edit-plan.js';
import { scanSources } from './scan.js';
import type { Rule, Snippet } from './types.js';

export type Outcome = 'ok' | 'missed' | 'noisy' | 'wrong-fix' | 'error';

export interface RuleTestResult {
  ruleId: string;
  kind: 'match' | 'no-match' | 'fix';
  index: number;
  outcome: Outcome;
  detail?: string;
}

function findingsOf(s: Snippet, rules: Rule[]) {
  const file = s.lang === 'asm' ? 'snippet.s' : 'snippet.c';
  return { file, findings: scanSources([{ file, text: s.code, lang: s.lang }], rules) };
}

/** Tests `only` (default: all rules) with the full rule set active. */
export function runRuleTests(rules: Rule[], only?: Rule[]): RuleTestResult[] {
  const results: RuleTestResult[] = [];
  for (const rule of only ?? rules) {
    const push = (kind: RuleTestResult['kind'], index: number, outcome: Outcome, detail?: string): void => {
      results.push({ ruleId: rule.id, kind, index, outcome, detail });
    };
    rule.tests.match.forEach((s, i) => {
      try {
        const { findings } = findingsOf(s, rules);
        const hit = findings.some((f) => f.ruleId === rule.id);
        push('match', i, hit ? 'ok' : 'missed', hit ? undefined : `not found in: ${s.code}`);
      } catch (err) {
        push('match', i, 'error', (err as Error).message);
      }
    });
    rule.tests.noMatch.forEach((s, i) => {
      try {
        const { findings } = findingsOf(s, rules);
        const hits = findings.filter((f) => f.ruleId === rule.id);
        push('no-match', i, hits.length === 0 ? 'ok' : 'noisy', hits.length === 0 ? undefined : `found at ${hits[0].line}:${hits[0].col} in: ${s.code}`);
      } catch (err) {
        push('no-match', i, 'error', (err as Error).message);
      }
    });
    rule.tests.fix.forEach((t, i) => {
      try {
        const { findings } = findingsOf({ lang: t.lang, code: t.before }, rules);
        const own = findings.filter((f) => f.ruleId === rule.id);
        const plan = planEdits(own, (id) => (id === rule.id ? rule.fix : undefined), () => t.before, { mode: t.mode, includeLine: false });
        const got = applyEditsToText(t.before, plan.edits).text;
        push('fix', i, got === t.after ? 'ok' : 'wrong-fix', got === t.after ? undefined : `expected: ${t.after}\n     got: ${got}`);
      } catch (err) {
        push('fix', i, 'error', (err as Error).message);
      }
    });
  }
  return results;
}
