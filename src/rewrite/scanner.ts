/*
 * The default ScanFn: src/analyze's scanner with the rule set of a directory.
 * Stages receive it through the pipeline options, so tests can pass a fake.
 */
import { loadRules, scan } from '../analyze/index.js';
import type { ScanFn } from './stages.js';

export const defaultScan: ScanFn = async (root, rulesDir) => {
  const rules = loadRules(rulesDir);
  const result = await scan({ paths: [root], rules, cache: false, workers: 0 });
  return {
    findings: result.findings,
    rules: result.rules.map((r) => ({ id: r.id, category: r.category, fix: r.fix })),
  };
};
