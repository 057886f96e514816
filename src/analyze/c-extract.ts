/*
 * C files: parse the normalized text once, run the combined query (one call
 * into the binding for every node kind handled), and turn each capture into
 * facts: functions and their locals, declarations, typedefs and struct fields,
 * stores, calls, & masks, numbers and upper-case names (va-hole), #define
 * bodies (parsed on their own as the body of a function named after the macro).
 * Invariant: every offset stored is an ORIGINAL byte offset (`shift` maps a
 * macro snippet's offsets back).
 */
import { compileQuery, parseC, startOf, textOf, typeOf, typeOfOpt, type SyntaxNode } from './parser.js';
import { normalizeCWithFacts } from './normalize.js';
import { FlatNode, FlatTree, captureKinds, forEachOfKind, type RuleMatches } from './flat-tree.js';
import { mapKept, objectArray } from './arrays.js';
import { intern, internRange } from './intern.js';
import { localOf, makeSite, numberValue } from './extract-common.js';
import { CContext } from './c-context.js';
import { inlineAsm, runQueryRules } from './c-rules.js';
import type { PreparedC } from './c-prepare.js';
import { COMBINED, COMBINED_KINDS, MACRO_PREFIX, MACRO_SUFFIX, THIN_BODY_BYTES, baseType, bodyShape, declInfo, macroNeedsParse, nameOf, typeRef, upperCaseName, upperCaseWords, wordChar } from './c-syntax.js';
import { NAME_MASKED, NAME_RECOVERED, type CallSite, type LocalVar, type NumberUse, type SExpr } from './summary.js';

/** A number literal a va-hole rule could read as an address: 8+ hex digits or 10 decimal ones. */
const BIG_NUMBER = /^(?:0[xX]0*[0-9a-fA-F]{8}[uUlL]*|[0-9]{10}[uUlL]*)$/;

/** [\w$.]: a character that would make a literal part of a longer token. */
function wordOrDot(c: number): boolean {
  return c === 46 || wordChar(c);
}

/** The leaves read off a native tree's table in one walk (CExtractor.leaves). */
const LEAVES: Record<string, string> = { identifier: 'name', number_literal: 'num' };

export class CExtractor extends CContext {
  /** Macro bodies the worker parsed (prepareC), by the body's start in the normalized text. */
  preparedMacros?: Map<number, [Int32Array, RuleMatches]>;

  run(prepared?: PreparedC): void {
    if (prepared) {
      this.krStars = new Map(prepared.krStars);
      this.preparedMacros = new Map(prepared.macros.map(([at, table, matches]) => [at, [table, matches]]));
      this.text = prepared.norm;
      this.processTree(FlatTree.detached(prepared.norm, prepared.table, prepared.ruleMatches).rootNode, prepared.norm, 0, false);
      return;
    }
    const norm = normalizeCWithFacts(this.src.text);
    this.krStars = norm.krStars;
    this.text = norm.text;
    const tree = parseC(norm.text);
    try {
      this.processTree(tree.rootNode, norm.text, 0, false);
    } finally {
      tree.delete();
    }
  }

  /** Processes a tree (the file's, or a macro body's with `shift` to original offsets). */
  processTree(root: SyntaxNode, text: string, shift: number, isMacro: boolean, lo = 0, hi = Infinity): void {
    this.shift = shift;
    this.text = text;
    this.damaged = root.hasError;
    // Native trees are read off their table; binding trees run the same thing as a query.
    let caps: Array<{ name: string; node: SyntaxNode }> = root instanceof FlatNode ? captureKinds(root, COMBINED_KINDS, '&') : compileQuery(COMBINED).captures(root);
    if (lo > 0 || hi < Infinity) caps = caps.filter((c) => startOf(c.node) >= lo && c.node.endIndex <= hi);
    for (const c of caps) {
      if (c.name !== 'error') continue;
      if (isMacro) {
        // A macro body that is not C (a fragment): everything found in it is recovered.
        this.errors = [[shift + lo, shift + hi]];
        break;
      }
      this.errors.push([startOf(c.node), c.node.endIndex]);
      this.out.parseErrors++;
    }
    if (!isMacro && this.damaged) {
      // tree-sitter keeps ERROR (and MISSING) nodes small; a finding is 'recovered'
      // when the top-level item around it (function, declaration) needed recovery.
      const damaged = root.children.filter((item) => item.hasError).map((item): [number, number] => [item.startIndex, item.endIndex]);
      if (this.out.parseErrors === 0) this.out.parseErrors = Math.max(1, damaged.length);
      this.errors.push(...damaged);
    }
    if (!isMacro && this.out.parseErrors === 0 && this.damaged) this.out.parseErrors = 1;
    const comments: number[] = [];
    for (const c of caps) {
      if (c.name === 'comment') comments.push(startOf(c.node), c.node.endIndex);
      else this.capture(c.name, c.node);
    }
    // A #define body's names and literals are the macro's, judged through its definition (capName, num).
    if (!isMacro) {
      if (root instanceof FlatNode && lo === 0 && hi >= text.length) this.leaves(root, text);
      else {
        this.capsNames(root, text, lo, Math.min(hi, text.length), comments);
        this.bigNumbers(root, text, lo, Math.min(hi, text.length));
      }
    }
    runQueryRules(this, root, text, lo, Math.min(hi, text.length));
  }

  /*
   * A native tree's upper-case identifiers and big literals, read off its table
   * in one walk: the same nodes capsNames and bigNumbers find from the text (the
   * binding's way), with no search for each word. A literal's test is the
   * regex's of bigNumbers, anchored to the node.
   */
  leaves(root: FlatNode, text: string): void {
    forEachOfKind(root, LEAVES, (kind, ix, start, end) => {
      if (kind === 'name') {
        if (upperCaseName(text, start, end)) this.capName(root.tree.node(ix), start, end, internRange(text, start, end));
      } else if (end - start >= 10 && !wordOrDot(text.charCodeAt(start - 1)) && !wordOrDot(text.charCodeAt(end)) && BIG_NUMBER.test(text.slice(start, end))) this.num(root.tree.node(ix));
    });
  }

  /** Number literals of 8+ hex or 10 decimal digits (va-hole candidates), by text scan. */
  bigNumbers(root: SyntaxNode, text: string, lo: number, hi: number): void {
    const re = /(?<![\w$.])(0[xX]0*[0-9a-fA-F]{8}[uUlL]*|[0-9]{10}[uUlL]*)(?![\w$.])/g;
    re.lastIndex = lo;
    for (let m = re.exec(text); m && m.index < hi; m = re.exec(text)) {
      const end = m.index + m[0].length;
      const n = root.descendantForIndex(m.index, end);
      if (typeOf(n) !== 'number_literal' || startOf(n) !== m.index || n.endIndex !== end) continue;
      this.num(n);
    }
  }

  /*
   * Upper-case identifiers (macro uses, for va-hole): whole words of the text
   * spelled _*[A-Z][A-Z0-9_]*, checked with descendantForIndex; far cheaper than
   * a query predicate run on every identifier of the file. A hand-written scan:
   * a regex here allocated a match for each of the tree's million words.
   */
  capsNames(root: SyntaxNode, text: string, lo: number, hi: number, comments: number[]): void {
    upperCaseWords(text, lo, hi, comments, (start, end) => {
      const n = root.descendantForIndex(start, end);
      if (typeOf(n) !== 'identifier' || startOf(n) !== start || n.endIndex !== end) return;
      this.capName(n, start, end, internRange(text, start, end));
    });
  }

  capture(name: string, n: SyntaxNode): void {
    const fi = this.currentFunc(startOf(n));
    switch (name) {
      case 'func':
        return this.func(n);
      case 'decl':
        return this.decl(n, fi);
      case 'typedef':
        return this.typedef(n);
      case 'field':
        return this.field(n);
      case 'assign':
        return this.assign(n, fi);
      case 'update':
        return this.update(n, fi);
      case 'call':
        return this.call(n, fi);
      case 'asm':
        return inlineAsm(this, n, fi);
      case 'band':
        return this.band(n, fi);
      case 'num':
        return this.num(n);
      case 'cap':
        return this.capName(n, startOf(n), n.endIndex, nameOf(n));
      case 'def':
      case 'fdef':
        return this.macro(n);
      default:
    }
  }

  func(n: SyntaxNode): void {
    const info = declInfo(n.childForFieldName('declarator'));
    if (!info.name) return;
    const f = this.newFunc(info.name, 'c', this.nodeSite(info.nameNode ?? n), []);
    f.returnType = typeRef(baseType(n.childForFieldName('type')), info.ptr + (this.krStars.get(startOf(info.nameNode ?? n)) ?? 0));
    const body = n.childForFieldName('body');
    if (body && body.endIndex - startOf(body) > THIN_BODY_BYTES) {
      // Far too long to be a thin wrapper; counting its statements is wasted work.
      f.statements = 1000;
      f.control = true;
    } else {
      const shape = body ? bodyShape(this.text.slice(startOf(body), body.endIndex)) : { statements: 0, control: false };
      f.statements = shape.statements;
      f.control = shape.control;
    }
    if (info.params) {
      for (const p of info.params.namedChildren) {
        if (typeOf(p) === 'identifier') {
          f.params.push(nameOf(p)); // K&R: types come from the declarations that follow
          continue;
        }
        if (typeOf(p) !== 'parameter_declaration') continue;
        const pd = declInfo(p.childForFieldName('declarator'));
        if (!pd.name) continue;
        f.params.push(pd.name);
        f.locals[pd.name] = { type: typeRef(baseType(p.childForFieldName('type')), pd.ptr), from: [] };
      }
    }
    this.out.funcs.push(f);
    this.stack.push({ idx: this.out.funcs.length - 1, end: n.endIndex });
  }

  decl(n: SyntaxNode, fi: number): void {
    const base = baseType(n.childForFieldName('type'));
    for (const d of n.childrenForFieldName('declarator')) {
      const info = declInfo(d);
      if (!info.name) continue;
      const type = typeRef(base, info.ptr);
      if (info.isFunc && !info.funcPtr) {
        // A prototype matters only for its result type, which must be a typedef to be an entry.
        if ((fi < 0 || this.out.funcs[fi]?.kind === 'macro') && typeOfOpt(n.childForFieldName('type')) !== 'primitive_type') {
          const f = this.newFunc(info.name, 'proto', this.nodeSite(info.nameNode ?? d), []);
          f.returnType = type;
          this.out.funcs.push(f);
        }
        continue;
      }
      if (info.funcPtr) continue;
      const value = typeOf(d) === 'init_declarator' ? d.childForFieldName('value') : null;
      if (fi >= 0) {
        const f = this.out.funcs[fi];
        const local = localOf(f, info.name) ?? { type, from: [] };
        local.type = type;
        if (value) this.assigned(local, this.sexpr(value, fi), d);
        f.locals[info.name] = local;
      } else {
        this.out.globals.push({ name: info.name, type });
        if (value && typeOf(value) === 'initializer_list' && base.startsWith('struct ')) this.fieldInits(base, value);
      }
      if (value) this.refsOf(value, fi);
    }
  }

  fieldInits(struct: string, list: SyntaxNode): void {
    list.namedChildren
      .filter((c) => typeOf(c) !== 'comment')
      .forEach((c, index) => {
        if (typeOf(c) === 'initializer_pair') {
          const field = c.childForFieldName('designator')?.descendantsOfType('field_identifier')[0]?.text;
          const v = c.childForFieldName('value');
          if (field && v && typeOf(v) === 'identifier') this.out.fieldInits.push({ struct, field, index, fn: nameOf(v) });
        } else if (typeOf(c) === 'identifier') this.out.fieldInits.push({ struct, index, fn: nameOf(c) });
      });
  }

  typedef(n: SyntaxNode): void {
    const base = baseType(n.childForFieldName('type'));
    for (const d of n.childrenForFieldName('declarator')) {
      const info = declInfo(d);
      if (info.name && !info.isFunc) this.out.typedefs.push({ name: info.name, type: typeRef(base, info.ptr) });
    }
  }

  field(n: SyntaxNode): void {
    const base = baseType(n.childForFieldName('type'));
    const up = n.parent;
    const owner = up && typeOf(up) === 'field_declaration_list' ? up.parent : null;
    const ownerName = owner && typeOf(owner) === 'struct_specifier' ? owner.childForFieldName('name')?.text : undefined;
    for (const d of n.childrenForFieldName('declarator')) {
      const info = declInfo(d);
      if (!info.name) continue;
      if (ownerName) (this.out.structs[`struct ${ownerName}`] ??= []).push(info.name);
      if (!info.isFunc) this.out.fields.push({ name: info.name, type: typeRef(base, info.ptr) });
    }
  }

  /** Records a value assigned to a local at node `n` (in source order: the walk is in order). */
  private assigned(local: LocalVar, e: SExpr, n: SyntaxNode): void {
    local.from.push(e);
    (local.at ??= objectArray()).push(this.nodeSite(n).startByte);
  }

  assign(n: SyntaxNode, fi: number): void {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = this.opOf(n) ?? '=';
    if (!left || !right) return;
    if (typeOf(left) === 'identifier' && fi >= 0) {
      const local = localOf(this.out.funcs[fi], textOf(left));
      if (local && op === '=') this.assigned(local, this.sexpr(right, fi), n);
    }
    this.refsOf(right, fi);
    const kind = this.lhsKind(left, fi);
    if (kind === undefined) return;
    if (fi >= 0 && kind !== 'name') this.out.funcs[fi].stores = (this.out.funcs[fi].stores ?? 0) + 1;
    this.out.writes.push(this.write(op, left, kind, right, n, fi));
  }

  update(n: SyntaxNode, fi: number): void {
    const arg = n.childForFieldName('argument');
    const op = this.opOf(n) ?? '++';
    if (!arg) return;
    const kind = this.lhsKind(arg, fi);
    if (kind === undefined) return;
    if (fi >= 0 && kind !== 'name') this.out.funcs[fi].stores = (this.out.funcs[fi].stores ?? 0) + 1;
    this.out.writes.push(this.write(op, arg, kind, null, n, fi));
  }

  call(n: SyntaxNode, fi: number): void {
    let fn = n.childForFieldName('function');
    if (!fn) return;
    let callee = nameOf(fn);
    if (typeOf(fn) !== 'identifier') {
      // (*cn_tab->cn_putc)(dev, c) or ops->op(x): an indirect call through a field.
      while (fn && (typeOf(fn) === 'parenthesized_expression' || typeOf(fn) === 'pointer_expression')) fn = fn.namedChildren[fn.namedChildren.length - 1] ?? null;
      const field = typeOfOpt(fn) === 'field_expression' ? fn.childForFieldName('field')?.text : undefined;
      if (!field) return;
      callee = intern(`*${field}`);
    }
    const argsNode = n.childForFieldName('arguments');
    const args = argsNode ? mapKept(argsNode.namedChildren, (a) => typeOf(a) !== 'comment', (a) => a) : objectArray<SyntaxNode>();
    const typed = this.typedCallee.test(callee);
    const argBytes = objectArray<number>();
    for (const a of args) argBytes.push(startOf(a) + this.shift, a.endIndex + this.shift);
    const cs: CallSite = {
      callee,
      site: this.nodeSite(n),
      func: fi,
      // Arrays of one elements kind, empty or not (see arrays.ts).
      argBytes,
      argSites: typed ? mapKept(args, () => true, (a) => this.nodeSite(a)) : objectArray(),
      argTypes: typed ? mapKept(args, () => true, (a) => this.sexpr(a, fi)) : objectArray(),
    };
    if (fi >= 0 && this.tablePages.has(callee) && args.length === 1 && typeOf(args[0]) === 'identifier' && this.stack.length > 0) {
      // The page's address is taken and made valid in an entry later in the same function.
      const rest = this.text.slice(n.endIndex, this.stack[this.stack.length - 1].end);
      const page = textOf(args[0]);
      if (new RegExp(`\\bVM_PAGE_TO_PHYS\\s*\\(\\s*${page}\\s*\\)`).test(rest) && /\bPG_V\b/.test(rest)) cs.becomesTable = true;
    }
    this.out.calls.push(cs);
    if (fi >= 0) {
      this.out.funcs[fi].calls.push(callee);
      for (const a of args) this.refsOf(a, fi);
    }
  }

  band(n: SyntaxNode, fi: number): void {
    const l = n.childForFieldName('left');
    const r = n.childForFieldName('right');
    if (!l || !r) return;
    const maskOf = (x: SyntaxNode): string | undefined => {
      let e = x;
      while (typeOf(e) === 'parenthesized_expression' && e.namedChildCount === 1) e = e.namedChildren[0];
      const t = textOf(e).replace(/\s+/g, '');
      if (this.maskNames.has(t)) return t;
      return undefined;
    };
    for (const [entry, mask] of [
      [l, r],
      [r, l],
    ]) {
      const m = maskOf(mask);
      if (m === undefined) continue;
      this.out.masks.push({ entry: this.sexpr(entry, fi), entryStart: startOf(entry) + this.shift, entryEnd: entry.endIndex + this.shift, mask: m, site: this.nodeSite(n), func: fi });
      return;
    }
  }

  /** A literal some va-hole rule could report; the rest are left out here (hole-numbers.ts). */
  num(n: SyntaxNode): void {
    const text = textOf(n);
    const value = numberValue(text);
    if (value === undefined || !this.holeLiteral(text, value)) return;
    if (this.macroFunc !== -1 || this.inMacro || this.masked(n) || this.inInitializerList(n)) return;
    const use: NumberUse = { text, value, site: this.nodeSite(n), lang: 'c', masked: false, inDefine: false };
    this.out.numbers.push(use);
  }

  /** An identifier use; `start`, `end` and `text` are the node's, known to the caller. */
  capName(n: SyntaxNode, start: number, end: number, text: string): void {
    // A use inside a #define body is the macro's, never judged on its own (resolve-vahole.ts).
    if (this.inMacro) return;
    const p = n.parent;
    if (this.isDefinitionName(n, p)) return;
    const site = this.site(start, end);
    const flags = (this.masked(n, p) ? NAME_MASKED : 0) | (site.recovered ? NAME_RECOVERED : 0);
    this.out.names.push(text, site.startByte, site.endByte, flags);
  }

  macro(n: SyntaxNode): void {
    const nameNode = n.childForFieldName('name');
    const value = n.childForFieldName('value');
    if (!nameNode) return;
    const paramsNode = n.childForFieldName('parameters');
    const params = paramsNode ? mapKept(paramsNode.namedChildren, (p) => typeOf(p) === 'identifier', (p) => nameOf(p)) : null;
    const bodyStart = (value ? value.startIndex : n.endIndex) + this.shift;
    let body = value ? textOf(value) : '';
    body = body.replace(/\s+$/, '');
    this.out.macros.push({
      name: nameOf(nameNode),
      params,
      body: this.src.text.slice(bodyStart, bodyStart + body.length),
      bodyStart,
      lang: 'c',
    });
    if (!value || !macroNeedsParse(body, this.rules)) return;
    if (this.shift !== 0) return; // no nested macro parsing
    // Parse the body on its own, as the body of a function named after the macro (or take the worker's parse).
    const snippet = MACRO_PREFIX + body + MACRO_SUFFIX;
    const parsed = this.preparedMacros?.get(value.startIndex);
    const tree = parsed ? { rootNode: FlatTree.detached(snippet, parsed[0], parsed[1]).rootNode, delete: () => undefined } : parseC(snippet);
    const saved = { stack: this.stack, errors: this.errors, macroFunc: this.macroFunc };
    const savedText = this.text;
    const f = this.newFunc(nameOf(nameNode), 'macro', this.nodeSite(nameNode), params ?? []);
    const idx = this.out.funcs.length;
    this.out.funcs.push(f);
    this.stack = [];
    this.errors = [];
    this.macroFunc = idx;
    this.inMacro = true;
    const root = tree.rootNode;
    const fnBody = root.namedChildren[0]?.childForFieldName('body');
    const shape = bodyShape(body);
    f.statements = Math.max(1, shape.statements);
    f.control = shape.control;
    if (params) for (const p of params) f.locals[p] = { type: typeRef('?', 0), from: [] };
    const savedDamaged = this.damaged;
    this.text = snippet;
    this.damaged = root.hasError;
    const exprStmt = fnBody?.namedChildren[0];
    if (fnBody && fnBody.namedChildCount <= 2 && exprStmt && typeOf(exprStmt) === 'expression_statement' && exprStmt.namedChildCount === 1)
      f.bodyExpr = this.sexpr(exprStmt.namedChildren[0], idx);
    this.processTree(root, snippet, bodyStart - MACRO_PREFIX.length, true, MACRO_PREFIX.length, MACRO_PREFIX.length + body.length);
    tree.delete();
    if (params === null) {
      // Object-like macros are not functions: their facts are kept, but the calls they
      // make count as calls from nowhere.
      f.kind = 'macro';
    }
    this.shift = 0;
    this.text = savedText;
    this.damaged = savedDamaged;
    this.stack = saved.stack;
    this.errors = saved.errors;
    this.macroFunc = saved.macroFunc;
    this.inMacro = false;
  }
}
