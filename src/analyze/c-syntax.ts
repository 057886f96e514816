/*
 * The C extractor's view of tree-sitter-c: the one query that captures every
 * node kind the extractor handles, declarators and types reduced to names and
 * pointer depth, body shapes counted from text, and the text hints that let a
 * query rule run only where its #match? regex can hold.
 */
import type { SyntaxNode } from './parser.js';
import { textOf, typeOf } from './parser.js';
import type { TypeRef } from './summary.js';
import type { Rule } from './types.js';
import { intern, internRange } from './intern.js';
import { FlatNode } from './flat-tree.js';

/** By spelling, then by depth (no key string made per declaration). */
const typeRefs = new Map<string, TypeRef[]>();
/** Depths kept in typeRefs; deeper ones (never seen in a kernel) get an object each. */
const KEPT_DEPTHS = 8;

/**
 * A declared type, one object per spelling and depth: types repeat (int,
 * pt_entry_t *) and are never changed once made, and a summary keeps its own
 * object for each declaration otherwise, for the collector to copy.
 */
export function typeRef(base: string, ptr: number): TypeRef {
  if (ptr < 0 || ptr >= KEPT_DEPTHS) return Object.freeze({ base, ptr });
  let byDepth = typeRefs.get(base);
  if (byDepth === undefined) {
    if (typeRefs.size >= 1 << 16) typeRefs.clear();
    typeRefs.set(base, (byDepth = new Array<TypeRef>(KEPT_DEPTHS)));
  }
  return (byDepth[ptr] ??= Object.freeze({ base, ptr }));
}

/** An identifier's text, internalized: names become keys tree-wide (intern.ts). */
export function nameOf(n: SyntaxNode): string {
  // A native tree's node: interned from its range of the text, with no slice made when the name is known.
  return n instanceof FlatNode ? internRange(n.tree.input, n.startIndex, n.endIndex) : intern(textOf(n));
}

/** The node kinds the extractor handles, by capture name; `band` is a `&` binary expression. */
export const COMBINED_KINDS: Record<string, string> = {
  function_definition: 'func',
  declaration: 'decl',
  type_definition: 'typedef',
  field_declaration: 'field',
  assignment_expression: 'assign',
  update_expression: 'update',
  call_expression: 'call',
  gnu_asm_expression: 'asm',
  binary_expression: 'band',
  preproc_def: 'def',
  preproc_function_def: 'fdef',
  ERROR: 'error',
  comment: 'comment',
};

/** The same as one tree-sitter query, for trees from the binding. */
export const COMBINED = Object.entries(COMBINED_KINDS)
  .map(([kind, cap]) => (kind === 'binary_expression' ? `(binary_expression operator: "&") @${cap}` : `(${kind}) @${cap}`))
  .join('\n');

export /** Bodies longer than this are never thin wrappers (a wrapper is a few short statements). */
const THIN_BODY_BYTES = 1200;

export /**
 * The shape of a (small) body from its text: statements are counted by their
 * ';' (a macro body without one is one statement), control flow is any if, for,
 * while, switch or goto; `do { } while (0)`, the macro idiom, does not count.
 * Comments and string literals are removed first. Cheaper than walking nodes.
 */
function bodyShape(text: string): { statements: number; control: boolean } {
  const t = text
    .replace(/\/\*[\s\S]*?\*\/|\/\/[^\n]*/g, ' ')
    .replace(/"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'/g, '""')
    .replace(/\bdo\b|\}\s*while\s*\(\s*0\s*\)/g, ' ');
  return { statements: (t.match(/;/g) ?? []).length, control: /\b(if|for|while|switch|goto)\b/.test(t) };
}

export const MACRO_PREFIX = 'void __xenoport_macro(void) { ';
export const MACRO_SUFFIX = '\n;}';

export interface DeclInfo {
  name?: string;
  nameNode?: SyntaxNode;
  ptr: number;
  isFunc: boolean;
  funcPtr: boolean;
  params?: SyntaxNode;
}

export function declInfo(d: SyntaxNode | null): DeclInfo {
  const info: DeclInfo = { ptr: 0, isFunc: false, funcPtr: false };
  let n = d;
  while (n) {
    switch (typeOf(n)) {
      case 'pointer_declarator':
      case 'abstract_pointer_declarator':
        if (info.isFunc) info.funcPtr = true;
        else info.ptr++;
        n = n.childForFieldName('declarator');
        break;
      case 'array_declarator':
      case 'abstract_array_declarator':
        info.ptr++;
        n = n.childForFieldName('declarator');
        break;
      case 'function_declarator':
      case 'abstract_function_declarator':
        if (!info.isFunc) info.params = n.childForFieldName('parameters') ?? undefined;
        info.isFunc = true;
        n = n.childForFieldName('declarator');
        break;
      case 'init_declarator':
      case 'parenthesized_declarator':
      case 'attributed_declarator':
        n = n.childForFieldName('declarator') ?? n.namedChildren.find((c) => typeOf(c).endsWith('declarator') || typeOf(c) === 'identifier') ?? null;
        break;
      case 'identifier':
      case 'field_identifier':
      case 'type_identifier':
        info.name = nameOf(n);
        info.nameNode = n;
        n = null;
        break;
      default:
        n = null;
    }
  }
  return info;
}

export function baseType(t: SyntaxNode | null): string {
  if (!t) return '?';
  if (typeOf(t) === 'struct_specifier' || typeOf(t) === 'union_specifier' || typeOf(t) === 'enum_specifier') {
    const name = t.childForFieldName('name');
    return intern(name ? `${typeOf(t).split('_')[0]} ${textOf(name)}` : `${typeOf(t).split('_')[0]} {}`);
  }
  return intern(textOf(t).replace(/\s+/g, ' '));
}

export function typeDescriptor(td: SyntaxNode | null): TypeRef {
  if (!td) return typeRef('?', 0);
  const info = declInfo(td.childForFieldName('declarator'));
  return typeRef(baseType(td.childForFieldName('type')), info.ptr);
}

const hintCache = new Map<string, RegExp | null>();

export /**
 * A text regex that every match of the query must contain, when the query has a
 * single anchored #match? predicate (the common shape of identifier rules).
 */
function queryHint(query: string): RegExp | undefined {
  if (!hintCache.has(query)) {
    const preds = [...query.matchAll(/#match\?\s+@[\w.-]+\s+"((?:[^"\\]|\\.)*)"/g)];
    let hint: RegExp | null = null;
    // Only for queries about a single identifier, whose matches lie inside one statement.
    if (preds.length === 1 && /^\s*\(\(identifier\)/.test(query)) {
      const re = preds[0][1].replace(/\\(["\\])/g, '$1');
      if (re.startsWith('^') && re.endsWith('$')) hint = new RegExp(`(?<![\\w$])(?:${re.slice(1, -1)})(?![\\w$])`, 'g');
    }
    hintCache.set(query, hint);
  }
  const h = hintCache.get(query);
  return h ? new RegExp(h.source, 'g') : undefined;
}

/**
 * Whether a macro body can hold anything a parse would find: calls, asm,
 * assignments, pointers, subscripts, fields, blocks, or a name a query rule
 * looks for. Pure arithmetic on names and numbers (the bulk of a header's
 * #defines) is left to the macro evaluator.
 */
export function macroNeedsParse(body: string, rules: Rule[]): boolean {
  if (/[A-Za-z_]\w*\s*\(|[*[{.]|->|(?<![=!<>])=(?!=)|\basm\b|__asm/.test(body)) return true;
  for (const rule of rules) {
    const h = rule.match.c ? queryHint(rule.match.c.query) : undefined;
    if (h && h.test(body)) return true;
  }
  return false;
}

/** Character classes for the word scan (Latin-1 text: char codes below 256). */
const WORD = 1;
const UPPER_TAIL = 2; // A-Z, 0-9, _
const CLASS = new Uint8Array(256);
for (let c = 0; c < 256; c++) {
  const ch = String.fromCharCode(c);
  if (/[A-Za-z0-9_$]/.test(ch)) CLASS[c] |= WORD;
  if (/[A-Z0-9_]/.test(ch)) CLASS[c] |= UPPER_TAIL;
}

/** Whether text[start, end), a whole identifier, is spelled _*[A-Z][A-Z0-9_]* (as upperCaseWords tells words). */
/** [A-Za-z0-9_$]: a character of a word (upperCaseWords), for a Latin-1 char code or any other. */
export function wordChar(c: number): boolean {
  return c < 256 && (CLASS[c] & WORD) !== 0;
}

export function upperCaseName(text: string, start: number, end: number): boolean {
  let i = start;
  while (i < end && text.charCodeAt(i) === 95) i++;
  const c = text.charCodeAt(i);
  if (i >= end || c < 65 || c > 90) return false;
  for (i++; i < end; i++) {
    const d = text.charCodeAt(i);
    if (d >= 256 || !(CLASS[d] & UPPER_TAIL)) return false;
  }
  return true;
}

/**
 * Calls `visit` with each whole word of text[lo, hi) spelled _*[A-Z][A-Z0-9_]*
 * (a word: a maximal run of [A-Za-z0-9_$]) outside the comments (`comments`:
 * start, end pairs in position order). Upper-case identifiers are macro uses,
 * the va-hole rule's candidates. A hand-written scan over a class table, no
 * call per character: a regex here allocated a match for each of a big tree's
 * million words.
 */
export function upperCaseWords(text: string, lo: number, hi: number, comments: number[], visit: (start: number, end: number) => void): void {
  const n = text.length;
  const cls = (at: number): number => {
    const c = text.charCodeAt(at);
    return c < 256 ? CLASS[c] : 0;
  };
  let ci = 0; // comments[ci], comments[ci + 1]: the next comment's range
  // A word cut by where the scan (re)starts is not a word that starts there.
  const skipCutWord = (at: number): number => {
    if (at > 0) while (at < hi && cls(at - 1) & WORD && cls(at) & WORD) at++;
    return at;
  };
  let i = skipCutWord(lo);
  while (i < hi) {
    let c = text.charCodeAt(i);
    if (c >= 256 || !(CLASS[c] & WORD)) {
      i++;
      continue;
    }
    const start = i;
    // Upper-case word: _* then A-Z, then A-Z0-9_ to the end of the word.
    let upper = true;
    while (c === 95) c = ++i < n ? text.charCodeAt(i) : -1;
    if (!(c >= 65 && c <= 90)) upper = false;
    for (; i < n; i++) {
      c = text.charCodeAt(i);
      const k = c < 256 ? CLASS[c] : 0;
      if (!(k & WORD)) break;
      if (!(k & UPPER_TAIL)) upper = false;
    }
    while (ci < comments.length && comments[ci + 1] <= start) ci += 2;
    if (ci < comments.length && comments[ci] <= start) {
      // Words in comments are never identifiers; go on after the comment.
      if (comments[ci + 1] > i) i = skipCutWord(comments[ci + 1]);
      continue;
    }
    if (upper) visit(start, i);
  }
}
