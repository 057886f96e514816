// Every rule's inline tests (rules/*.yaml `tests:`), one vitest case per rule.
import { describe, expect, it } from 'vitest';
import { loadRules, runRuleTests } from '../../src/analyze/index.js';

const { rules } = loadRules();

describe('rule inline tests', () => {
  for (const rule of rules) {
    it(`${rule.id}`, () => {
      const bad = runRuleTests(rules, [rule]).filter((r) => r.outcome !== 'ok');
      expect(bad.map((b) => `${b.kind}[${b.index}] ${b.outcome}: ${b.detail ?? ''}`)).toEqual([]);
    });
  }
});
