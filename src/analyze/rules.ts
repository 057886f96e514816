/*
 * Loading rules/*.yaml: parse, validate against RULE_FILE_SCHEMA with ajv, then
 * check what a schema cannot (queries compile, regexes compile, ids unique,
 * wrapper/console references exist). Any problem throws a RuleError naming the
 * file, line and column, before anything is scanned.
 */
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { Ajv, type ErrorObject } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { LineCounter, parseDocument, isMap, isScalar, isSeq, type Node as YamlNode, type Document } from 'yaml';
import { RuleError } from '../errors.js';
import { RULE_FILE_SCHEMA } from './rule-schema.js';
import { compileQuery } from './parser.js';
import { RULES_DIR } from './paths.js';
import type { FixSpec, Rule, RuleMatch, RuleSet, Snippet } from './types.js';

export const DEFAULT_BREAKPOINT = 'XENO_BREAKPOINT("$RULE", "$WHERE")';
export const DEFAULT_BREAKPOINT_ASM = 'XENO_BREAKPOINT_ASM($RULE, $WHERE)';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const addFormats = ((addFormatsModule as any).default ?? addFormatsModule) as (a: Ajv) => Ajv;
let validator: ReturnType<Ajv['compile']> | undefined;
function validate(data: unknown): ErrorObject[] {
  if (!validator) {
    const ajv = new Ajv({ allErrors: true, strict: false });
    addFormats(ajv);
    validator = ajv.compile(RULE_FILE_SCHEMA);
  }
  return validator(data) ? [] : (validator.errors ?? []);
}

interface Located {
  line: number;
  col: number;
}

/** Position of the node at `pathParts`; with `atKey`, of the key naming the last part. */
function locate(doc: Document, lc: LineCounter, pathParts: Array<string | number>, atKey = false): Located {
  let node: unknown = doc.contents;
  let last: unknown = node;
  for (const part of pathParts) {
    if (isMap(node)) {
      const pair = node.items.find((p) => (isScalar(p.key) ? String(p.key.value) : String(p.key)) === String(part));
      if (!pair) break;
      node = atKey && part === pathParts[pathParts.length - 1] ? pair.key : pair.value;
    } else if (isSeq(node)) node = node.get(Number(part), true);
    else break;
    if (node === undefined || node === null) break;
    last = node;
  }
  const range = (last as YamlNode | undefined)?.range;
  if (!range) return { line: 1, col: 1 };
  const p = lc.linePos(range[0]);
  return { line: p.line, col: p.col };
}

function fail(file: string, loc: Located, message: string, text: string): never {
  throw new RuleError(message, {
    span: { file, line: loc.line, col: loc.col },
    sourceLine: text.split('\n')[loc.line - 1]?.replace(/\r$/, ''),
  });
}

function ajvMessage(e: ErrorObject): string {
  const where = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') return `${where}: unknown field '${String(e.params.additionalProperty)}'`;
  if (e.keyword === 'enum') return `${where}: must be one of ${(e.params.allowedValues as unknown[]).join(', ')}`;
  if (e.keyword === 'required') return `${where}: missing field '${String(e.params.missingProperty)}'`;
  return `${where}: ${e.message ?? e.keyword}`;
}

function snippet(s: unknown, defaultLang: 'c' | 'asm'): Snippet {
  if (typeof s === 'string') return { lang: defaultLang, code: s };
  const o = s as { c?: string; asm?: string };
  return o.asm !== undefined ? { lang: 'asm', code: o.asm } : { lang: 'c', code: o.c ?? '' };
}

/* eslint-disable @typescript-eslint/no-explicit-any */
function toRule(raw: any, file: string, line: number): Rule {
  const m = raw.match;
  const match: RuleMatch = {};
  if (m.asm) match.asm = { ...m.asm };
  if (m.c) match.c = { query: m.c.query, site: m.c.site, skipDefinitions: m.c['skip-definitions'] ?? true };
  if (m.pte)
    match.pte = {
      kind: m.pte.kind,
      types: m.pte.types,
      helpers: m.pte.helpers ?? [],
      blockOps: m.pte['block-ops'] ?? {},
      masks: m.pte.masks ?? [],
      addressSinks: m.pte['address-sinks'] ?? [],
      ...(m.pte['table-fields'] ? { tableFields: m.pte['table-fields'] } : {}),
      ...(m.pte['table-pages'] ? { tablePages: m.pte['table-pages'] } : {}),
    };
  if (m.wrapper) match.wrapper = { any: m.wrapper.any ?? [], all: m.wrapper.all ?? [], maxStatements: m.wrapper['max-statements'] ?? 8 };
  if (m['va-hole']) match.vaHole = { min: m['va-hole'].min, max: m['va-hole'].max ?? 0xffffffff, ignoreNames: m['va-hole']['ignore-names'] };
  if (m.console) match.console = { entry: m.console.entry, part: m.console.part, portIo: m.console['port-io'] };
  const fix: FixSpec = {
    xen: raw.fix.xen,
    breakpoint: raw.fix.breakpoint ?? DEFAULT_BREAKPOINT,
    hypercall: raw.fix.hypercall,
    breakpointAsm: raw.fix['breakpoint-asm'] ?? DEFAULT_BREAKPOINT_ASM,
    hypercallAsm: raw.fix['hypercall-asm'],
  };
  // Plain strings are C; assembly snippets are written { asm: ... }.
  const defaultLang = 'c';
  return {
    id: raw.id,
    category: raw.category,
    severity: raw.severity,
    message: raw.message.trim(),
    match,
    fix,
    docs: raw.docs.trim(),
    tests: {
      match: raw.tests.match.map((s: unknown) => snippet(s, defaultLang)),
      noMatch: (raw.tests['no-match'] ?? []).map((s: unknown) => snippet(s, defaultLang)),
      fix: (raw.tests.fix ?? []).map((f: any) => ({ lang: f.lang ?? defaultLang, mode: f.mode ?? 'hypercall', before: f.before, after: f.after })),
    },
    source: { file, line },
  };
}

/** Parses and validates one rule file's text; `file` is used in messages. */
export function parseRuleFile(file: string, text: string): Rule[] {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const p = lc.linePos(e.pos[0]);
    fail(file, { line: p.line, col: p.col }, `invalid YAML: ${e.message.split('\n')[0]}`, text);
  }
  let data: any;
  try {
    // yaml refuses documents whose aliases expand without bound ("billion laughs").
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    fail(file, { line: 1, col: 1 }, `invalid YAML: ${(e as Error).message}`, text);
  }
  const errors = validate(data);
  if (errors.length > 0) {
    const e = errors.find((x) => x.keyword !== 'oneOf') ?? errors[0];
    const parts = e.instancePath.split('/').slice(1).map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
    if (e.keyword === 'additionalProperties') parts.push(String(e.params.additionalProperty));
    fail(file, locate(doc, lc, parts, e.keyword === 'additionalProperties'), `invalid rule: ${ajvMessage(e)}`, text);
  }
  return (data.rules as any[]).map((raw, i) => {
    const at = (...p: Array<string | number>): Located => locate(doc, lc, ['rules', i, ...p]);
    if (raw.match.c) {
      try {
        compileQuery(raw.match.c.query);
      } catch (err) {
        fail(file, at('match', 'c', 'query'), `rule ${raw.id}: bad tree-sitter query: ${(err as Error).message}`, text);
      }
    }
    if (raw.fix.xen === 'hypercall' && !raw.fix.hypercall && !raw.fix['hypercall-asm'])
      fail(file, at('fix'), `rule ${raw.id}: fix.xen is hypercall but no hypercall template is given`, text);
    return toRule(raw, file, at().line);
  });
}
/* eslint-enable @typescript-eslint/no-explicit-any */

/** Cross-file checks: unique ids, references to instruction rules exist. */
function checkSet(rules: Rule[], texts: Map<string, string>): void {
  const byId = new Map<string, Rule>();
  for (const r of rules) {
    const prev = byId.get(r.id);
    if (prev)
      fail(r.source.file, { line: r.source.line, col: 1 }, `duplicate rule id '${r.id}' (first defined at ${prev.source.file}:${prev.source.line})`, texts.get(r.source.file) ?? '');
    byId.set(r.id, r);
  }
  for (const r of rules) {
    const refs = [...(r.match.wrapper?.any ?? []), ...(r.match.wrapper?.all ?? []), ...(r.match.console?.portIo ?? [])];
    for (const ref of refs) {
      const target = byId.get(ref);
      if (!target || !target.match.asm)
        fail(r.source.file, { line: r.source.line, col: 1 }, `rule ${r.id} refers to '${ref}', which is not an instruction rule`, texts.get(r.source.file) ?? '');
    }
  }
}

/** Loads every *.yaml file of `dir` (default rules/), sorted by name. */
export function loadRules(dir: string = RULES_DIR): RuleSet {
  let names: string[];
  try {
    names = readdirSync(dir).filter((n) => n.endsWith('.yaml') || n.endsWith('.yml')).sort();
  } catch (err) {
    throw new RuleError(`cannot read rules directory ${dir}`, { cause: err });
  }
  if (names.length === 0) throw new RuleError(`no rule files in ${dir}`);
  const hash = createHash('sha256');
  const rules: Rule[] = [];
  const texts = new Map<string, string>();
  for (const name of names) {
    const full = path.join(dir, name);
    const text = readFileSync(full, 'utf8');
    const rel = path.relative(process.cwd(), full) || full;
    texts.set(rel, text);
    hash.update(name).update('\0').update(text).update('\0');
    rules.push(...parseRuleFile(rel, text));
  }
  checkSet(rules, texts);
  return { rules, hash: hash.digest('hex').slice(0, 16) };
}

/** Builds a RuleSet from already parsed rules (tests). */
export function ruleSetOf(rules: Rule[]): RuleSet {
  checkSet(rules, new Map());
  const hash = createHash('sha256').update(JSON.stringify(rules)).digest('hex').slice(0, 16);
  return { rules, hash };
}
