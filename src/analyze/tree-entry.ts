/*
 * The whole-tree cache entry: the resolved findings of a tree, read back when
 * the tree is unchanged. A finding is stored as a tuple, its rule and file as
 * indices into two tables: what a rule says (category, severity, message) comes
 * back from the rule itself (the cache directory is keyed by the rules' hash),
 * and no key is written 47,000 times. On the bench tree this entry is 8 MB
 * instead of 24, and it is written at the very end of a cold scan, when only
 * one thread has work: its JSON took 70 ms and now takes 40.
 */
import type { Suppression } from './suppress.js';
import type { Finding, Rule } from './types.js';

export interface FileInfo {
  lines: number;
  parseErrors: number;
  suppressions?: Suppression[];
}

/** [rule, file, line, col, endLine, endCol, startByte, endByte, recovered, asm, captures, instruction, via] */
type PackedFinding = [number, number, number, number, number, number, number, number, 0 | 1, 0 | 1, Finding['captures'], string | null, string[] | null];

export interface TreeEntry {
  rules: string[];
  paths: string[];
  findings: PackedFinding[];
  files: Record<string, FileInfo>;
}

export function packTree(findings: Finding[], files: Record<string, FileInfo>): TreeEntry {
  const rules = new Map<string, number>();
  const paths = new Map<string, number>();
  const indexOf = (m: Map<string, number>, k: string): number => {
    let i = m.get(k);
    if (i === undefined) m.set(k, (i = m.size));
    return i;
  };
  const packed = findings.map((f): PackedFinding => [
    indexOf(rules, f.ruleId),
    indexOf(paths, f.file),
    f.line,
    f.col,
    f.endLine,
    f.endCol,
    f.startByte,
    f.endByte,
    f.recovered ? 1 : 0,
    f.language === 'asm' ? 1 : 0,
    f.captures,
    f.instruction ?? null,
    f.via ?? null,
  ]);
  return { rules: [...rules.keys()], paths: [...paths.keys()], findings: packed, files };
}

/** The findings of an entry, or undefined when it names a rule not in `rules` (not an entry of this rule set). */
export function unpackTree(entry: TreeEntry, rules: Rule[]): Finding[] | undefined {
  if (!Array.isArray(entry.rules) || !Array.isArray(entry.paths) || !Array.isArray(entry.findings)) return undefined;
  const byId = new Map(rules.map((r) => [r.id, r]));
  const ruleOf = entry.rules.map((id) => byId.get(id));
  if (ruleOf.some((r) => r === undefined)) return undefined;
  return entry.findings.map(([ri, pi, line, col, endLine, endCol, startByte, endByte, recovered, asm, captures, instruction, via]): Finding => {
    const rule = ruleOf[ri]!;
    // The fields in mkFinding's order, so that a finding from the cache prints as a fresh one.
    return {
      ruleId: rule.id,
      category: rule.category,
      severity: rule.severity,
      message: rule.message,
      file: entry.paths[pi],
      line,
      col,
      endLine,
      endCol,
      startByte,
      endByte,
      captures,
      recovered: recovered === 1,
      language: asm === 1 ? 'asm' : 'c',
      instruction: instruction ?? undefined,
      via: via ?? undefined,
    };
  });
}
