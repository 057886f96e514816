/*
 * The C findings that rules name directly: instructions in inline asm
 * (matched by the rules' asm patterns, located to the character in the asm
 * template) and the matches of tree-sitter query rules.
 */
import { compileQuery, startOf, textOf, typeOf, type Query, type QueryMatch, type SyntaxNode } from './parser.js';
import { FlatNode, type RuleMatches } from './flat-tree.js';
import { scanAsm } from './asm.js';
import { insnMatches, insnText, matchersFor, operandTexts } from './extract-asm.js';
import { finding } from './extract-common.js';
import { mapKept, objectArray } from './arrays.js';
import { queryHint } from './c-syntax.js';
import type { CContext } from './c-context.js';
import type { Capture, Rule } from './types.js';

export function inlineAsm(x: CContext, n: SyntaxNode, fi: number): void {
  const code = n.childForFieldName('assembly_code');
  if (!code) return;
  const extended = ['output_operands', 'input_operands', 'clobbers', 'goto_labels'].some((f) => n.childForFieldName(f));
  // The template, with the original offset of each of its characters.
  let tpl = '';
  const map: number[] = [];
  const strings = typeOf(code) === 'concatenated_string' ? code.namedChildren.filter((c) => typeOf(c) === 'string_literal') : [code];
  for (const s of strings) {
    for (const part of s.namedChildren) {
      const t = textOf(part);
      const at = part.startIndex + x.shift;
      if (typeOf(part) === 'escape_sequence') {
        const ch = { n: '\n', t: '\t', r: '\r', '\\': '\\', '"': '"', "'": "'" }[t[1]] ?? t[1];
        tpl += ch;
        map.push(at);
      } else if (typeOf(part) === 'string_content') {
        for (let i = 0; i < t.length; i++) {
          if (extended && t[i] === '%' && t[i + 1] === '%') {
            i++;
          }
          tpl += t[i];
          map.push(at + i);
        }
      }
    }
  }
  map.push(code.endIndex + x.shift);
  const ops: SyntaxNode[] = [];
  for (const list of ['output_operands', 'input_operands']) {
    const l = n.childForFieldName(list);
    if (!l) continue;
    for (const o of l.namedChildren) {
      const v = o.childForFieldName('value');
      if (v) ops.push(v);
    }
  }
  const scan = scanAsm(tpl, true);
  const site = x.nodeSite(n);
  for (const insn of scan.insns) {
    const texts = operandTexts(insn);
    for (const m of matchersFor(x.matchers, insn.mnemonic)) {
      if (!insnMatches(m, insn, texts)) continue;
      const captures: Record<string, Capture> = {};
      ops.forEach((o, i) => (captures[`ARG${i}`] = x.cap(o)));
      const s = map[insn.start];
      const e = map[insn.end - 1] + 1;
      captures.INSN = { text: x.src.text.slice(s, e), startByte: s, endByte: e };
      const instruction = insnText(insn, texts);
      x.out.findings.push(finding(m.rule, x.src, site, 'c', captures, instruction));
      if (fi >= 0) x.out.funcs[fi].insns.push({ ruleId: m.rule.id, instruction, site });
    }
  }
}

/** The matches of one query rule in [lo, hi) of a tree (`text` is the tree's text). */
export function queryRuleMatches(rule: Rule, root: SyntaxNode, text: string, lo: number, hi: number): QueryMatch[] {
  const q: Query = compileQuery(rule.match.c!.query);
  // Most query rules hold in a few files of a tree: skip the tree walk where the text rules a match out.
  if (!q.mayMatch(text)) return [];
  const hint = queryHint(rule.match.c!.query);
  if (!hint) return q.matches(root);
  // Run the query only on the statements where its #match? regex can hold.
  const matches: QueryMatch[] = [];
  const done = new Set<number>();
  hint.lastIndex = lo;
  for (let m = hint.exec(text); m && m.index < hi; m = hint.exec(text)) {
    let n: SyntaxNode | null = root.descendantForIndex(m.index, m.index + m[0].length);
    while (n && n.parent && !(typeOf(n).endsWith('statement') || typeOf(n) === 'declaration' || typeOf(n).startsWith('preproc_') || typeOf(n.parent) === 'translation_unit')) n = n.parent;
    if (!n || done.has(n.id)) continue;
    done.add(n.id);
    matches.push(...q.matches(n));
  }
  const seen = new Set<string>();
  return matches.filter((m) => {
    const k = m.captures.map((c) => `${c.name}@${startOf(c.node)}:${c.node.endIndex}`).join(',');
    return !seen.has(k) && (seen.add(k), true);
  });
}

/** Every query rule's matches in a tree (in [lo, hi) of it), by rule id, with nodes as table indices (to cross threads). */
export function allRuleMatches(rules: Rule[], root: FlatNode, text: string, lo = 0, hi = Infinity): RuleMatches {
  const out: RuleMatches = {};
  for (const rule of rules) {
    if (!rule.match.c) continue;
    out[rule.id] = queryRuleMatches(rule, root, text, lo, hi).map((m) => ({
      pattern: m.pattern,
      captures: m.captures.map((c): [string, number] => [c.name, (c.node as FlatNode).ix]),
    }));
  }
  return out;
}

export function runQueryRules(x: CContext, root: SyntaxNode, text: string, lo: number, hi: number): void {
  const given = root instanceof FlatNode ? root.tree.ruleMatches : undefined;
  for (const rule of x.rules) {
    const qm = rule.match.c;
    if (!qm) continue;
    // A tree parsed on a worker brings its matches; otherwise the query runs here.
    const matches = given ? matchesOf(given[rule.id], root as FlatNode) : queryRuleMatches(rule, root, text, lo, hi);
    for (const m of matches) if (m.captures.length > 0) queryFinding(x, rule, m, lo, hi);
  }
}

/** A worker's matches (node indices) as matches on this thread's view of the table. */
function matchesOf(found: RuleMatches[string] | undefined, root: FlatNode): QueryMatch[] {
  const out = objectArray<QueryMatch>();
  for (const m of found ?? []) out.push({ pattern: m.pattern, captures: mapKept(m.captures, () => true, ([name, ix]) => ({ name, node: root.tree.node(ix) as SyntaxNode })) });
  return out;
}

function queryFinding(x: CContext, rule: Rule, m: QueryMatch, lo: number, hi: number): void {
  const qm = rule.match.c!;
  const siteCap = (qm.site ? m.captures.find((c) => c.name === qm.site) : undefined) ?? m.captures[0];
  const node = siteCap.node;
  if (qm.skipDefinitions && x.isDefinitionName(node)) return;
  if (startOf(node) < lo || node.endIndex > hi) return;
  const captures: Record<string, Capture> = {};
  for (const c of m.captures) captures[c.name.toUpperCase().replace(/-/g, '_')] = x.cap(c.node);
  if (typeOf(node) === 'call_expression') {
    const args = node.childForFieldName('arguments')?.namedChildren.filter((a) => typeOf(a) !== 'comment') ?? [];
    args.forEach((a, i) => (captures[`ARG${i}`] = x.cap(a)));
  }
  x.out.findings.push(finding(rule, x.src, x.nodeSite(node), 'c', captures));
}
