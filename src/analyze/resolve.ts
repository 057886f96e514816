/*
 * Tree-wide resolution: merges the facts of every FileSummary and turns candidate
 * sites into findings for the rules that need more than one file:
 *   pte       page-table entry typing (typedefs, globals, fields, function results,
 *             macro bodies, locals inferred from what is assigned to them)
 *   wrapper   the set of functions that run a privileged instruction, directly or
 *             through another wrapper, computed as a fixpoint over the call graph
 *   console   printf's low-level output routine and the port I/O under it
 *   va-hole   constants and macros (object-like, simple arithmetic, function-like
 *             invocations) whose value is an address in the hypervisor's hole
 * Pure: the same summaries and rules give the same findings, in a stable order.
 */
import type { Finding, Rule } from './types.js';
import type { FileSummary, FuncInfo } from './summary.js';
import { mkFinding, whereOf } from './extract-common.js';
import { CalleeIds, callsOf } from './call-table.js';
import { KIND_RANK, WRAPPER_CATEGORIES, argCaptures, callArgs, type SourceTexts } from './resolve-common.js';
import { Types, declarations, type Declarations } from './entry-types.js';
import { resolvePte } from './resolve-pte.js';
import { resolveConsole } from './resolve-console.js';
import { resolveVaHole } from './resolve-vahole.js';

interface WrapInfo {
  instruction: string;
  via: string[];
}

/** Resolves everything tree-wide; returns the new findings (not the files' own). */
export function resolve(files: FileSummary[], rules: Rule[], texts: SourceTexts): Finding[] {
  const out: Finding[] = [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const pteRules = rules.filter((r) => r.match.pte);
  // One typing per set of entry types: page-table entries and descriptors are different tables.
  const typings = new Map<string, Types>();
  let decls: Declarations | undefined;
  // Every resolver asks questions of each call's callee: the names are numbered once.
  const callees = new CalleeIds(files);
  for (const r of pteRules) {
    const key = [...r.match.pte!.types].sort().join('\0');
    let types = typings.get(key);
    if (!types) typings.set(key, (types = new Types((decls ??= declarations(files)), r.match.pte!.types)));
    resolvePte(r, files, callees, types, out, texts);
  }

  // Function table: the best definition of each name.
  const defs = new Map<string, { f: FuncInfo; s: FileSummary }>();
  for (const s of files)
    for (const f of s.funcs) {
      if (f.kind === 'macro' && f.params.length === 0 && f.bodyExpr === undefined && f.insns.length === 0 && f.calls.length === 0) continue;
      const prev = defs.get(f.name);
      if (!prev || KIND_RANK[f.kind] > KIND_RANK[prev.f.kind]) defs.set(f.name, { f, s });
    }
  const wrapperRules = rules.filter((r) => r.match.wrapper);
  const maxStatements = Math.max(8, ...wrapperRules.map((r) => r.match.wrapper!.maxStatements));
  const memo = new Map<string, Map<string, WrapInfo> | null>();
  const visiting = new Set<string>();
  /*
   * A wrapper is a thin function whose purpose is the instruction: its body has
   * no control flow and no stores through pointers, calls only wrappers (or
   * names that are not functions, such as macros), and runs a privileged or
   * sensitive instruction directly or through a wrapper. Computed recursively,
   * with cycles cut.
   */
  const wrapperSet = (name: string): Map<string, WrapInfo> | null => {
    if (memo.has(name)) return memo.get(name)!;
    const d = defs.get(name);
    if (!d || d.f.kind === 'proto' || visiting.has(name)) return null;
    const f = d.f;
    const limit = f.kind === 'asm' ? maxStatements * 2 : maxStatements;
    if (f.statements > limit || (f.kind !== 'asm' && (f.control || (f.stores ?? 0) > 0))) {
      memo.set(name, null);
      return null;
    }
    visiting.add(name);
    const res = new Map<string, WrapInfo>();
    for (const i of f.insns) {
      const r = byId.get(i.ruleId);
      if (r && WRAPPER_CATEGORIES.has(r.category) && !res.has(i.ruleId)) res.set(i.ruleId, { instruction: i.instruction, via: [name] });
    }
    let thin = true;
    for (const callee of f.calls) {
      if (callee === name) continue;
      const w = wrapperSet(callee);
      if (!w) {
        const cd = defs.get(callee);
        // A call of a real function that is not a wrapper: f does more than wrap.
        if (cd && (cd.f.kind === 'c' || cd.f.kind === 'asm') && !visiting.has(callee)) thin = false;
        continue;
      }
      for (const [id, info] of w) if (!res.has(id)) res.set(id, { instruction: info.instruction, via: [name, ...info.via] });
    }
    visiting.delete(name);
    const v = thin && res.size > 0 ? res : null;
    memo.set(name, v);
    return v;
  };

  /*
   * The rule a call of `callee` matches, and the instruction it names: it depends
   * on the callee alone, so it is decided once per name (a big tree has far more
   * calls than callees), in the order the names first occur.
   */
  const decide = (callee: string): { rule: Rule; info: WrapInfo } | null => {
    const w = wrapperSet(callee);
    if (!w) return null;
    for (const r of wrapperRules) {
      const m = r.match.wrapper!;
      if (!m.all.every((id) => w.has(id))) continue;
      // A specific rule names every instruction beneath the wrapper.
      const named = new Set([...m.any, ...m.all]);
      if (named.size > 0 && ![...w.keys()].every((id) => named.has(id))) continue;
      const hit = m.any.length === 0 ? (m.all.length > 0 ? m.all[0] : [...w.keys()][0]) : m.any.find((id) => w.has(id));
      if (hit === undefined) continue;
      return { rule: r, info: w.get(hit)! };
    }
    return null;
  };

  const wrapperFindings: Finding[] = [];
  if (wrapperRules.length > 0) {
    const decisions = callees.answers(decide);
    files.forEach((s, fi) => {
      const ids = callees.ofFile[fi];
      for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
        const d = decisions[ids[i]];
        if (!d) continue;
        const c = calls.at(i);
        wrapperFindings.push(mkFinding(d.rule, whereOf(s), c.site, 'c', argCaptures(callArgs(c, texts(s))), { instruction: d.info.instruction, via: d.info.via }));
      }
    });
  }

  const consoleFindings: Finding[] = [];
  for (const r of rules.filter((x) => x.match.console)) resolveConsole(r, defs, files, callees, wrapperSet, consoleFindings, texts);
  const consoleSites = new Set(consoleFindings.map((f) => `${f.file}\0${f.startByte}\0${f.endByte}`));
  for (const f of wrapperFindings) if (!consoleSites.has(`${f.file}\0${f.startByte}\0${f.endByte}`)) out.push(f);
  out.push(...consoleFindings);

  for (const r of rules.filter((x) => x.match.vaHole)) resolveVaHole(r, files, callees, out, texts);
  return out;
}
