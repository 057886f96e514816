/*
 * Per-file extraction, the part of a scan that runs on worker threads: parse one
 * file (tree-sitter-c on the normalized text, or the assembly scanner), emit the
 * findings that depend on this file alone (instructions, query rules) and the
 * facts and candidate sites that resolve.ts judges tree-wide.
 * Invariant: every offset in the result is an ORIGINAL byte offset. C macro
 * bodies are parsed on their own, wrapped in a function whose prefix length is
 * subtracted again, so findings inside #define bodies are exact too.
 */
import type Parser from 'tree-sitter';
import { compileQuery, parseC, startOf, textOf, typeOf, typeOfOpt, type SyntaxNode } from './parser.js';
import { normalizeCWithFacts } from './normalize.js';
import { SourceText } from './source.js';
import { mnemonicMatches, scanAsm, type AsmInsn } from './asm.js';
import type { AsmPattern, Capture, Finding, Rule } from './types.js';
import type { CallSite, FileSummary, FuncInfo, LocalVar, SExpr, Site, TypeRef, WriteSite } from './summary.js';

const COMBINED = `
(function_definition) @func
(declaration) @decl
(type_definition) @typedef
(field_declaration) @field
(assignment_expression) @assign
(update_expression) @update
(call_expression) @call
(gnu_asm_expression) @asm
(binary_expression operator: "&") @band
(preproc_def) @def
(preproc_function_def) @fdef
(ERROR) @error
(comment) @comment
`;


/** Bodies longer than this are never thin wrappers (a wrapper is a few short statements). */
const THIN_BODY_BYTES = 1200;

/**
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

const OPERATOR = /<<=|>>=|->|\+\+|--|<<|>>|<=|>=|==|!=|&&|\|\||[-+*\/%&|^]=|[-+*\/%&|^~!<>=]/y;

const MACRO_PREFIX = 'void __xenoport_macro(void) { ';
const MACRO_SUFFIX = '\n;}';

/** Compiled asm patterns, per rule. */
interface AsmMatcher {
  rule: Rule;
  mn: string[];
  exact: string[];
  src?: RegExp;
  dst?: RegExp;
  operand?: RegExp;
  symbol?: RegExp;
}

const matcherCache = new WeakMap<Rule[], AsmMatcher[]>();
function asmMatchers(rules: Rule[]): AsmMatcher[] {
  let m = matcherCache.get(rules);
  if (!m) {
    m = rules
      .filter((r) => r.match.asm)
      .map((r) => {
        const a = r.match.asm as AsmPattern;
        const re = (s?: string): RegExp | undefined => (s === undefined ? undefined : new RegExp(`^(?:${s})$`, 'i'));
        return {
          rule: r,
          mn: (a.mnemonic ?? []).map((x) => x.toLowerCase()),
          exact: (a.exact ?? []).map((x) => x.toLowerCase()),
          src: re(a.src),
          dst: re(a.dst),
          operand: re(a.operand),
          symbol: a.symbol === undefined ? undefined : new RegExp(`^(?:${a.symbol})$`),
        };
      });
    matcherCache.set(rules, m);
  }
  return m;
}

/** Does an instruction match a pattern? Operand texts are as the assembler sees them. */
export function insnMatches(m: AsmMatcher, insn: AsmInsn, ops: string[]): boolean {
  if (m.mn.length === 0 && m.exact.length === 0) return false;
  if (!m.exact.includes(insn.mnemonic) && !m.mn.some((b) => mnemonicMatches(b, insn.mnemonic))) return false;
  if (m.src && !(ops.length > 0 && m.src.test(ops[0]))) return false;
  if (m.dst && !(ops.length > 0 && m.dst.test(ops[ops.length - 1]))) return false;
  if (m.operand && !ops.some((o) => m.operand!.test(o))) return false;
  return true;
}

function insnText(insn: AsmInsn, ops: string[]): string {
  return ops.length > 0 ? `${insn.mnemonic} ${ops.join(',')}` : insn.mnemonic;
}

/** A function's local by name; never an Object.prototype member ('constructor'). */
export function localOf(f: FuncInfo, name: string): LocalVar | undefined {
  return Object.hasOwn(f.locals, name) ? f.locals[name] : undefined;
}

function emptySummary(file: string, language: 'c' | 'asm', bytes: number, lines: number): FileSummary {
  return {
    file,
    language,
    bytes,
    lines,
    parseErrors: 0,
    findings: [],
    typedefs: [],
    globals: [],
    fields: [],
    funcs: [],
    calls: [],
    writes: [],
    masks: [],
    macros: [],
    names: [],
    numbers: [],
    structs: {},
    fieldInits: [],
  };
}

function numberValue(text: string): number | undefined {
  const t = text.replace(/[uUlL]+$/, '');
  let v: number;
  if (/^0[xX][0-9a-fA-F]+$/.test(t)) v = parseInt(t.slice(2), 16);
  else if (/^[1-9][0-9]*$/.test(t) || t === '0') v = parseInt(t, 10);
  else if (/^0[0-7]+$/.test(t)) v = parseInt(t, 8);
  else return undefined;
  return Number.isFinite(v) ? v : undefined;
}

/** Extracts one file. `text` is the Latin-1 decoding of its bytes. */
export function extractFile(file: string, text: string, language: 'c' | 'asm', rules: Rule[]): FileSummary {
  const src = new SourceText(file, text);
  const out = emptySummary(file, language, text.length, src.lineCount);
  if (language === 'asm') extractAsm(src, out, rules);
  else new CExtractor(src, out, rules).run();
  return out;
}

function makeSite(src: SourceText, start: number, end: number, recovered: boolean): Site {
  const a = src.position(start);
  const b = src.position(end);
  return { startByte: start, endByte: end, line: a.line, col: a.col, endLine: b.line, endCol: b.col, recovered };
}

function finding(rule: Rule, src: SourceText, site: Site, language: 'c' | 'asm', captures: Record<string, Capture>, instruction?: string): Finding {
  const f: Finding = {
    ruleId: rule.id,
    category: rule.category,
    severity: rule.severity,
    message: rule.message,
    file: src.file,
    line: site.line,
    col: site.col,
    endLine: site.endLine,
    endCol: site.endCol,
    startByte: site.startByte,
    endByte: site.endByte,
    captures,
    recovered: site.recovered,
    language,
  };
  if (instruction !== undefined) f.instruction = instruction;
  return f;
}

// ---------------------------------------------------------------------------
// Assembly files

function extractAsm(src: SourceText, out: FileSummary, rules: Rule[]): void {
  const text = src.text;
  const scan = scanAsm(text, true);
  const matchers = asmMatchers(rules);
  const cap = (s: number, e: number): Capture => ({ text: text.slice(s, e), startByte: s, endByte: e });
  // Functions: ENTRY(x) labels and labels made .globl.
  const globals = new Set(scan.globals);
  const starts = scan.labels.filter((l) => l.entry || globals.has(l.name)).sort((a, b) => a.start - b.start);
  const funcAt = (pos: number): number => {
    let idx = -1;
    for (let i = 0; i < starts.length && starts[i].start <= pos; i++) idx = i;
    return idx;
  };
  for (const l of starts) {
    out.funcs.push({
      name: l.name,
      kind: 'asm',
      params: [],
      statements: 0,
      insns: [],
      calls: [],
      refs: [],
      locals: {},
      site: makeSite(src, l.start, l.end, false),
      file: src.file,
    });
  }
  for (const insn of scan.insns) {
    const ops = insn.operands.map((o) => o.text);
    const fi = insn.inDefine ? -1 : funcAt(insn.start);
    const fn = fi >= 0 ? out.funcs[fi] : undefined;
    if (fn) {
      fn.statements++;
      if ((insn.mnemonic === 'call' || insn.mnemonic === 'calll') && ops.length === 1 && /^[A-Za-z_][\w.]*$/.test(ops[0]))
        fn.calls.push(ops[0].replace(/^_/, ''));
    }
    for (const m of matchers) {
      if (!insnMatches(m, insn, ops)) continue;
      const site = makeSite(src, insn.start, insn.end, false);
      const captures: Record<string, Capture> = { MNEMONIC: cap(insn.start, insn.start + insn.mnemonic.length) };
      insn.operands.forEach((o, i) => (captures[`OP${i}`] = cap(o.start, o.end)));
      if (insn.operands.length > 0) {
        captures.SRC = captures.OP0;
        captures.DST = captures[`OP${insn.operands.length - 1}`];
      }
      const instruction = insnText(insn, ops);
      out.findings.push(finding(m.rule, src, site, 'asm', captures, instruction));
      if (fn) fn.insns.push({ ruleId: m.rule.id, instruction, site });
    }
    // Numbers in operands (va-hole candidates).
    const masked = /^(and|or|xor|test|not|bt)/.test(insn.mnemonic);
    for (const o of insn.operands) {
      const re = /(?<![\w.])(0[xX][0-9a-fA-F]{8,}|[0-9]{10,})\b/g;
      for (let m = re.exec(o.text); m; m = re.exec(o.text)) {
        const value = numberValue(m[1]);
        if (value === undefined) continue;
        const s = o.start + m.index;
        out.numbers.push({ text: m[1], value, site: makeSite(src, s, s + m[1].length, false), lang: 'asm', masked, inDefine: !!insn.inDefine });
      }
    }
  }
  // Directives with data (.long 0xffc00000) are not instructions; scan .set values and data separately.
  for (const s of scan.sets) {
    out.macros.push({
      name: s.name.replace(/^_/, ''),
      params: null,
      body: s.value,
      bodyStart: s.valueStart,
      site: makeSite(src, s.start, s.end, false),
      bodySite: makeSite(src, s.valueStart, s.valueStart + s.value.length, false),
      lang: 'asm',
    });
  }
  for (const d of scan.defines) {
    const body = d.body.replace(/\s+$/, '');
    out.macros.push({
      name: d.name,
      params: d.params,
      body,
      bodyStart: d.bodyStart,
      site: makeSite(src, d.start, d.end, false),
      bodySite: makeSite(src, d.bodyStart, d.bodyStart + body.length, false),
      lang: 'asm',
    });
  }
  const symbolRules = matchers.filter((m) => m.symbol);
  for (const s of scan.symbols) {
    if (!/^\d/.test(s.name))
      out.names.push({ name: s.name, site: makeSite(src, s.start, s.end, false), lang: 'asm', masked: false, inDefine: !!s.inDefine });
    for (const m of symbolRules) {
      if (!m.symbol!.test(s.name)) continue;
      const site = makeSite(src, s.start, s.end, false);
      out.findings.push(finding(m.rule, src, site, 'asm', { SYMBOL: cap(s.start, s.end) }, undefined));
    }
  }
}

// ---------------------------------------------------------------------------
// C files

interface DeclInfo {
  name?: string;
  nameNode?: SyntaxNode;
  ptr: number;
  isFunc: boolean;
  funcPtr: boolean;
  params?: SyntaxNode;
}

function declInfo(d: SyntaxNode | null): DeclInfo {
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
        info.name = textOf(n);
        info.nameNode = n;
        n = null;
        break;
      default:
        n = null;
    }
  }
  return info;
}

function baseType(t: SyntaxNode | null): string {
  if (!t) return '?';
  if (typeOf(t) === 'struct_specifier' || typeOf(t) === 'union_specifier' || typeOf(t) === 'enum_specifier') {
    const name = t.childForFieldName('name');
    return name ? `${typeOf(t).split('_')[0]} ${textOf(name)}` : `${typeOf(t).split('_')[0]} {}`;
  }
  return textOf(t).replace(/\s+/g, ' ');
}

function typeDescriptor(td: SyntaxNode | null): TypeRef {
  if (!td) return { base: '?', ptr: 0 };
  const info = declInfo(td.childForFieldName('declarator'));
  return { base: baseType(td.childForFieldName('type')), ptr: info.ptr };
}

class CExtractor {
  private errors: Array<[number, number]> = [];
  private readonly matchers: AsmMatcher[];
  private readonly maskNames: Set<string>;
  /** Function stack: index into out.funcs and end byte (in the current tree's coordinates). */
  private stack: Array<{ idx: number; end: number }> = [];
  private shift = 0;
  private macroFunc = -1;
  private krStars = new Map<number, number>();
  /** The normalized text of the tree being processed (file, or macro snippet). */
  private text = '';

  constructor(
    private readonly src: SourceText,
    private readonly out: FileSummary,
    private readonly rules: Rule[],
  ) {
    this.matchers = asmMatchers(rules);
    this.maskNames = new Set(rules.flatMap((r) => r.match.pte?.masks ?? []));
    // Calls whose argument types matter: PTE helpers, block-memory routines, address sinks.
    const pats = rules.flatMap((r) => (r.match.pte ? [...r.match.pte.helpers, ...Object.keys(r.match.pte.blockOps), ...r.match.pte.addressSinks] : []));
    const re = pats.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|');
    this.typedCallee = re ? new RegExp(`^(?:${re})$`) : /$^/;
  }

  private readonly typedCallee: RegExp;

  run(): void {
    const norm = normalizeCWithFacts(this.src.text);
    this.krStars = norm.krStars;
    this.text = norm.text;
    const tree = parseC(norm.text);
    this.processTree(tree.rootNode, norm.text, 0, false);
  }

  private site(start: number, end: number): Site {
    const s = start + this.shift;
    const e = end + this.shift;
    return makeSite(this.src, s, e, this.inError(s, e));
  }

  private nodeSite(n: SyntaxNode): Site {
    return this.site(startOf(n), n.endIndex);
  }

  private cap(n: SyntaxNode): Capture {
    const s = startOf(n) + this.shift;
    const e = n.endIndex + this.shift;
    return { text: this.src.text.slice(s, e), startByte: s, endByte: e };
  }

  private inError(s: number, e: number): boolean {
    for (const [a, b] of this.errors) if (a <= s && e <= b) return true;
    return false;
  }

  private currentFunc(pos: number): number {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].end <= pos) this.stack.pop();
    return this.stack.length > 0 ? this.stack[this.stack.length - 1].idx : this.macroFunc;
  }

  /** Processes a tree (the file's, or a macro body's with `shift` to original offsets). */
  private processTree(root: SyntaxNode, text: string, shift: number, isMacro: boolean, lo = 0, hi = Infinity): void {
    this.shift = shift;
    this.text = text;
    this.damaged = root.hasError;
    const q = compileQuery(COMBINED);
    let caps = q.captures(root);
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
    this.capsNames(root, text, lo, Math.min(hi, text.length), comments);
    this.bigNumbers(root, text, lo, Math.min(hi, text.length));
    this.runQueryRules(root, text, lo, Math.min(hi, text.length));
  }

  /** Number literals of 8+ hex or 10 decimal digits (va-hole candidates), by text scan. */
  private bigNumbers(root: SyntaxNode, text: string, lo: number, hi: number): void {
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
   * Upper-case identifiers (macro uses, for va-hole), found by a text scan and
   * checked with descendantForIndex: far cheaper than a query predicate run on
   * every identifier of the file.
   */
  private capsNames(root: SyntaxNode, text: string, lo: number, hi: number, comments: number[]): void {
    const re = /(?<![\w$])_*[A-Z][A-Z0-9_]*(?![\w$])/g;
    re.lastIndex = lo;
    let ci = 0; // comments[ci], comments[ci + 1]: the next comment's range (in position order)
    for (let m = re.exec(text); m && m.index < hi; m = re.exec(text)) {
      while (ci < comments.length && comments[ci + 1] <= m.index) ci += 2;
      if (ci < comments.length && comments[ci] <= m.index) {
        // Words in comments are never identifiers; go on after the comment.
        re.lastIndex = comments[ci + 1];
        continue;
      }
      const end = m.index + m[0].length;
      const n = root.descendantForIndex(m.index, end);
      if (typeOf(n) !== 'identifier' || startOf(n) !== m.index || n.endIndex !== end) continue;
      this.capName(n, m.index, end, m[0]);
    }
  }

  private capture(name: string, n: SyntaxNode): void {
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
        return this.asm(n, fi);
      case 'band':
        return this.band(n, fi);
      case 'num':
        return this.num(n);
      case 'cap':
        return this.capName(n, startOf(n), n.endIndex, textOf(n));
      case 'def':
      case 'fdef':
        return this.macro(n);
      default:
    }
  }

  private newFunc(name: string, kind: FuncInfo['kind'], site: Site, params: string[]): FuncInfo {
    return { name, kind, params, statements: 0, insns: [], calls: [], refs: [], locals: {}, site, file: this.src.file };
  }

  private func(n: SyntaxNode): void {
    const info = declInfo(n.childForFieldName('declarator'));
    if (!info.name) return;
    const f = this.newFunc(info.name, 'c', this.nodeSite(info.nameNode ?? n), []);
    f.returnType = { base: baseType(n.childForFieldName('type')), ptr: info.ptr + (this.krStars.get(startOf(info.nameNode ?? n)) ?? 0) };
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
          f.params.push(textOf(p)); // K&R: types come from the declarations that follow
          continue;
        }
        if (typeOf(p) !== 'parameter_declaration') continue;
        const pd = declInfo(p.childForFieldName('declarator'));
        if (!pd.name) continue;
        f.params.push(pd.name);
        f.locals[pd.name] = { type: { base: baseType(p.childForFieldName('type')), ptr: pd.ptr }, from: [] };
      }
    }
    this.out.funcs.push(f);
    this.stack.push({ idx: this.out.funcs.length - 1, end: n.endIndex });
  }

  private decl(n: SyntaxNode, fi: number): void {
    const base = baseType(n.childForFieldName('type'));
    for (const d of n.childrenForFieldName('declarator')) {
      const info = declInfo(d);
      if (!info.name) continue;
      const type = { base, ptr: info.ptr };
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
        if (value) local.from.push(this.sexpr(value, fi));
        f.locals[info.name] = local;
      } else {
        this.out.globals.push({ name: info.name, type });
        if (value && typeOf(value) === 'initializer_list' && base.startsWith('struct ')) this.fieldInits(base, value);
      }
      if (value) this.refsOf(value, fi);
    }
  }

  private fieldInits(struct: string, list: SyntaxNode): void {
    list.namedChildren
      .filter((c) => typeOf(c) !== 'comment')
      .forEach((c, index) => {
        if (typeOf(c) === 'initializer_pair') {
          const field = c.childForFieldName('designator')?.descendantsOfType('field_identifier')[0]?.text;
          const v = c.childForFieldName('value');
          if (field && v && typeOf(v) === 'identifier') this.out.fieldInits.push({ struct, field, index, fn: textOf(v) });
        } else if (typeOf(c) === 'identifier') this.out.fieldInits.push({ struct, index, fn: textOf(c) });
      });
  }

  private typedef(n: SyntaxNode): void {
    const base = baseType(n.childForFieldName('type'));
    for (const d of n.childrenForFieldName('declarator')) {
      const info = declInfo(d);
      if (info.name && !info.isFunc) this.out.typedefs.push({ name: info.name, type: { base, ptr: info.ptr } });
    }
  }

  private field(n: SyntaxNode): void {
    const base = baseType(n.childForFieldName('type'));
    const up = n.parent;
    const owner = up && typeOf(up) === 'field_declaration_list' ? up.parent : null;
    const ownerName = owner && typeOf(owner) === 'struct_specifier' ? owner.childForFieldName('name')?.text : undefined;
    for (const d of n.childrenForFieldName('declarator')) {
      const info = declInfo(d);
      if (!info.name) continue;
      if (ownerName) (this.out.structs[`struct ${ownerName}`] ??= []).push(info.name);
      if (!info.isFunc) this.out.fields.push({ name: info.name, type: { base, ptr: info.ptr } });
    }
  }

  private lhsKind(n: SyntaxNode, fi: number): WriteSite['lhsKind'] | undefined {
    while (typeOf(n) === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0];
    if (typeOf(n) === 'pointer_expression' && this.opAt(n) === '*') return 'deref';
    if (typeOf(n) === 'subscript_expression') return 'index';
    if (typeOf(n) === 'field_expression') return 'field';
    if (typeOf(n) === 'call_expression' && typeOfOpt(n.childForFieldName('function')) === 'identifier') return 'call';
    // A variable that is not local: only a global of entry type (PTDpde) will qualify.
    if (typeOf(n) !== 'identifier') return undefined;
    const name = textOf(n);
    if (!(fi >= 0 && localOf(this.out.funcs[fi], name)) && /[A-Z]/.test(name)) return 'name';
    return undefined;
  }

  private ptrOf(n: SyntaxNode): Capture | undefined {
    while (typeOf(n) === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0];
    if (typeOf(n) === 'pointer_expression' && this.opAt(n) === '*') {
      const arg = n.childForFieldName('argument');
      return arg ? this.cap(arg) : undefined;
    }
    return undefined;
  }

  private assign(n: SyntaxNode, fi: number): void {
    const left = n.childForFieldName('left');
    const right = n.childForFieldName('right');
    const op = this.opOf(n) ?? '=';
    if (!left || !right) return;
    if (typeOf(left) === 'identifier' && fi >= 0) {
      const local = localOf(this.out.funcs[fi], textOf(left));
      if (local && op === '=') local.from.push(this.sexpr(right, fi));
    }
    this.refsOf(right, fi);
    const kind = this.lhsKind(left, fi);
    if (kind === undefined) return;
    if (fi >= 0 && kind !== 'name') this.out.funcs[fi].stores = (this.out.funcs[fi].stores ?? 0) + 1;
    this.out.writes.push({
      op,
      lhs: this.sexpr(left, fi),
      lhsKind: kind,
      lhsText: this.cap(left),
      ptrText: this.ptrOf(left),
      rhs: this.cap(right),
      site: this.nodeSite(n),
      func: fi,
    });
  }

  private update(n: SyntaxNode, fi: number): void {
    const arg = n.childForFieldName('argument');
    const op = this.opOf(n) ?? '++';
    if (!arg) return;
    const kind = this.lhsKind(arg, fi);
    if (kind === undefined) return;
    if (fi >= 0 && kind !== 'name') this.out.funcs[fi].stores = (this.out.funcs[fi].stores ?? 0) + 1;
    this.out.writes.push({ op, lhs: this.sexpr(arg, fi), lhsKind: kind, lhsText: this.cap(arg), ptrText: this.ptrOf(arg), site: this.nodeSite(n), func: fi });
  }

  private refsOf(n: SyntaxNode, fi: number): void {
    if (fi < 0) return;
    let e = n;
    while ((typeOf(e) === 'parenthesized_expression' || typeOf(e) === 'cast_expression') && e.namedChildCount > 0) e = e.namedChildren[e.namedChildCount - 1];
    if (typeOf(e) === 'pointer_expression' && this.opAt(e) === '&') e = e.childForFieldName('argument') ?? e;
    if (typeOf(e) === 'identifier') this.out.funcs[fi].refs.push(textOf(e));
  }

  private call(n: SyntaxNode, fi: number): void {
    let fn = n.childForFieldName('function');
    if (!fn) return;
    let callee = textOf(fn);
    if (typeOf(fn) !== 'identifier') {
      // (*cn_tab->cn_putc)(dev, c) or ops->op(x): an indirect call through a field.
      while (fn && (typeOf(fn) === 'parenthesized_expression' || typeOf(fn) === 'pointer_expression')) fn = fn.namedChildren[fn.namedChildren.length - 1] ?? null;
      const field = typeOfOpt(fn) === 'field_expression' ? fn.childForFieldName('field')?.text : undefined;
      if (!field) return;
      callee = `*${field}`;
    }
    const argsNode = n.childForFieldName('arguments');
    const args = argsNode ? argsNode.namedChildren.filter((a) => typeOf(a) !== 'comment') : [];
    const typed = this.typedCallee.test(callee);
    const cs: CallSite = {
      callee,
      site: this.nodeSite(n),
      func: fi,
      args: args.map((a) => this.cap(a)),
      argSites: typed ? args.map((a) => this.nodeSite(a)) : [],
      argTypes: typed ? args.map((a) => this.sexpr(a, fi)) : [],
    };
    this.out.calls.push(cs);
    if (fi >= 0) {
      this.out.funcs[fi].calls.push(callee);
      for (const a of args) this.refsOf(a, fi);
    }
  }

  private asm(n: SyntaxNode, fi: number): void {
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
        const at = part.startIndex + this.shift;
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
    map.push(code.endIndex + this.shift);
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
    const site = this.nodeSite(n);
    for (const insn of scan.insns) {
      const texts = insn.operands.map((o) => o.text);
      for (const m of this.matchers) {
        if (!insnMatches(m, insn, texts)) continue;
        const captures: Record<string, Capture> = {};
        ops.forEach((o, i) => (captures[`ARG${i}`] = this.cap(o)));
        const s = map[insn.start];
        const e = map[insn.end - 1] + 1;
        captures.INSN = { text: this.src.text.slice(s, e), startByte: s, endByte: e };
        const instruction = insnText(insn, texts);
        this.out.findings.push(finding(m.rule, this.src, site, 'c', captures, instruction));
        if (fi >= 0) this.out.funcs[fi].insns.push({ ruleId: m.rule.id, instruction, site });
      }
    }
  }

  private band(n: SyntaxNode, fi: number): void {
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
      this.out.masks.push({ entry: this.sexpr(entry, fi), entryText: this.cap(entry), mask: m, site: this.nodeSite(n), func: fi });
      return;
    }
  }

  private masked(n: SyntaxNode, parent = n.parent): boolean {
    let p = parent;
    while (p && typeOf(p) === 'parenthesized_expression') p = p.parent;
    if (!p) return false;
    if (typeOf(p) === 'binary_expression') return ['&', '|', '^'].includes(this.opOf(p) ?? '');
    if (typeOf(p) === 'unary_expression') return this.opOf(p) === '~';
    if (typeOf(p) === 'assignment_expression') return ['&=', '|=', '^='].includes(this.opOf(p) ?? '');
    return false;
  }

  private num(n: SyntaxNode): void {
    const text = textOf(n);
    const value = numberValue(text);
    if (value === undefined) return;
    this.out.numbers.push({ text, value, site: this.nodeSite(n), lang: 'c', masked: this.masked(n), inDefine: this.macroFunc !== -1 || this.inMacro });
  }

  private inMacro = false;
  /** Whether the tree being processed has ERROR or MISSING nodes. */
  private damaged = false;

  private isDefinitionName(n: SyntaxNode, p = n.parent): boolean {
    if (!p) return false;
    if ((typeOf(p) === 'preproc_def' || typeOf(p) === 'preproc_function_def') && p.childForFieldName('name')?.id === n.id) return true;
    if (typeOf(p).endsWith('declarator') || typeOf(p) === 'enumerator') return true;
    return false;
  }

  /** An identifier use; `start`, `end` and `text` are the node's, known to the caller. */
  private capName(n: SyntaxNode, start: number, end: number, text: string): void {
    const p = n.parent;
    if (this.isDefinitionName(n, p)) return;
    this.out.names.push({ name: text, site: this.site(start, end), lang: 'c', masked: this.masked(n, p), inDefine: this.inMacro });
  }

  /**
   * The text of a node's operator field, read from the source at the operator's
   * start (C operators are lexed greedily, so the longest operator there is the
   * token); in a tree with errors, where an operator may be MISSING, the node is asked.
   */
  private opOf(n: SyntaxNode): string | undefined {
    const op = n.childForFieldName('operator');
    if (!op) return undefined;
    if (this.damaged) return typeOf(op);
    OPERATOR.lastIndex = startOf(op);
    const m = OPERATOR.exec(this.text);
    return m ? m[0] : typeOf(op);
  }

  /** The operator of a pointer_expression, which starts the node: '*' or '&'. */
  private opAt(n: SyntaxNode): string | undefined {
    return this.damaged ? this.opOf(n) : this.text[startOf(n)];
  }

  private macro(n: SyntaxNode): void {
    const nameNode = n.childForFieldName('name');
    const value = n.childForFieldName('value');
    if (!nameNode) return;
    const paramsNode = n.childForFieldName('parameters');
    const params = paramsNode ? paramsNode.namedChildren.filter((p) => typeOf(p) === 'identifier').map((p) => textOf(p)) : null;
    const bodyStart = (value ? value.startIndex : n.endIndex) + this.shift;
    let body = value ? textOf(value) : '';
    body = body.replace(/\s+$/, '');
    this.out.macros.push({
      name: textOf(nameNode),
      params,
      body: this.src.text.slice(bodyStart, bodyStart + body.length),
      bodyStart,
      site: this.nodeSite(n),
      bodySite: makeSite(this.src, bodyStart, bodyStart + body.length, false),
      lang: 'c',
    });
    if (!value || !this.macroNeedsParse(body)) return;
    if (this.shift !== 0) return; // no nested macro parsing
    // Parse the body on its own, as the body of a function named after the macro.
    const snippet = MACRO_PREFIX + body + MACRO_SUFFIX;
    const tree = parseC(snippet);
    const saved = { stack: this.stack, errors: this.errors, macroFunc: this.macroFunc };
    const savedText = this.text;
    const f = this.newFunc(textOf(nameNode), 'macro', this.nodeSite(nameNode), params ?? []);
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
    if (params) for (const p of params) f.locals[p] = { type: { base: '?', ptr: 0 }, from: [] };
    const savedDamaged = this.damaged;
    this.text = snippet;
    this.damaged = root.hasError;
    const exprStmt = fnBody?.namedChildren[0];
    if (fnBody && fnBody.namedChildCount <= 2 && exprStmt && typeOf(exprStmt) === 'expression_statement' && exprStmt.namedChildCount === 1)
      f.bodyExpr = this.sexpr(exprStmt.namedChildren[0], idx);
    this.processTree(root, snippet, bodyStart - MACRO_PREFIX.length, true, MACRO_PREFIX.length, MACRO_PREFIX.length + body.length);
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

  /**
   * Whether a macro body can hold anything a parse would find: calls, asm,
   * assignments, pointers, subscripts, fields, blocks, or a name a query rule
   * looks for. Pure arithmetic on names and numbers (the bulk of a header's
   * #defines) is left to the macro evaluator.
   */
  private macroNeedsParse(body: string): boolean {
    if (/[A-Za-z_]\w*\s*\(|[*[{.]|->|(?<![=!<>])=(?!=)|\basm\b|__asm/.test(body)) return true;
    for (const rule of this.rules) {
      const h = rule.match.c ? queryHint(rule.match.c.query) : undefined;
      if (h && h.test(body)) return true;
    }
    return false;
  }

  /** Reduces an expression to its page-table typing skeleton. */
  private sexpr(n: SyntaxNode, fi: number, depth = 0): SExpr {
    if (depth > 40) return { k: '?' };
    const d = depth + 1;
    switch (typeOf(n)) {
      case 'identifier': {
        const f = fi >= 0 ? this.out.funcs[fi] : undefined;
        const name = textOf(n);
        if (f && localOf(f, name)) return f.kind === 'macro' && f.params.includes(name) ? { k: 'param', name } : { k: 'local', f: fi, name };
        return { k: 'name', name };
      }
      case 'parenthesized_expression':
        return n.namedChildCount > 0 ? this.sexpr(n.namedChildren[n.namedChildCount - 1], fi, d) : { k: '?' };
      case 'field_expression': {
        const arg = n.childForFieldName('argument');
        const field = n.childForFieldName('field');
        return { k: 'field', name: field ? textOf(field) : '?', base: arg ? this.sexpr(arg, fi, d) : { k: '?' } };
      }
      case 'subscript_expression': {
        const arg = n.childForFieldName('argument');
        return { k: 'index', e: arg ? this.sexpr(arg, fi, d) : { k: '?' } };
      }
      case 'pointer_expression': {
        const arg = n.childForFieldName('argument');
        const e = arg ? this.sexpr(arg, fi, d) : ({ k: '?' } as SExpr);
        return this.opAt(n) === '*' ? { k: 'deref', e } : { k: 'addr', e };
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        if (!fn || typeOf(fn) !== 'identifier') return { k: '?' };
        // Arguments matter only for macros (pdir_pde(PTD, va)); keep them shallow.
        const args = depth < 6 ? (n.childForFieldName('arguments')?.namedChildren ?? []).filter((a) => typeOf(a) !== 'comment').map((a) => this.sexpr(a, fi, d + 3)) : undefined;
        return args && args.some((a) => a.k !== '?') ? { k: 'call', name: textOf(fn), args } : { k: 'call', name: textOf(fn) };
      }
      case 'cast_expression': {
        const v = n.childForFieldName('value');
        return { k: 'cast', t: typeDescriptor(n.childForFieldName('type')), e: v ? this.sexpr(v, fi, d) : { k: '?' } };
      }
      case 'binary_expression': {
        const op = this.opOf(n);
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if ((op === '+' || op === '-') && l && r) return { k: 'arith', a: this.sexpr(l, fi, d), b: this.sexpr(r, fi, d) };
        return { k: '?' };
      }
      case 'conditional_expression': {
        const a = n.childForFieldName('consequence');
        const b = n.childForFieldName('alternative');
        return { k: 'cond', a: a ? this.sexpr(a, fi, d) : { k: '?' }, b: b ? this.sexpr(b, fi, d) : { k: '?' } };
      }
      case 'assignment_expression': {
        const l = n.childForFieldName('left');
        return l ? this.sexpr(l, fi, d) : { k: '?' };
      }
      case 'comma_expression': {
        const r = n.childForFieldName('right');
        return r ? this.sexpr(r, fi, d) : { k: '?' };
      }
      default:
        return { k: '?' };
    }
  }

  private runQueryRules(root: SyntaxNode, text: string, lo: number, hi: number): void {
    for (const rule of this.rules) {
      const qm = rule.match.c;
      if (!qm) continue;
      const q: Parser.Query = compileQuery(qm.query);
      const hint = queryHint(qm.query);
      let matches: Parser.QueryMatch[];
      if (hint) {
        // Run the query only on the statements where its #match? regex can hold.
        matches = [];
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
        matches = matches.filter((m) => {
          const k = m.captures.map((c) => `${c.name}@${startOf(c.node)}:${c.node.endIndex}`).join(',');
          return !seen.has(k) && (seen.add(k), true);
        });
      } else matches = q.matches(root);
      for (const m of matches) {
        if (m.captures.length === 0) continue;
        const siteCap = (qm.site ? m.captures.find((c) => c.name === qm.site) : undefined) ?? m.captures[0];
        const node = siteCap.node;
        if (qm.skipDefinitions && this.isDefinitionName(node)) continue;
        if (startOf(node) < lo || node.endIndex > hi) continue;
        const captures: Record<string, Capture> = {};
        for (const c of m.captures) captures[c.name.toUpperCase().replace(/-/g, '_')] = this.cap(c.node);
        if (typeOf(node) === 'call_expression') {
          const args = node.childForFieldName('arguments')?.namedChildren.filter((a) => typeOf(a) !== 'comment') ?? [];
          args.forEach((a, i) => (captures[`ARG${i}`] = this.cap(a)));
        }
        this.out.findings.push(finding(rule, this.src, this.nodeSite(node), 'c', captures));
      }
    }
  }
}

const hintCache = new Map<string, RegExp | null>();

/**
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
