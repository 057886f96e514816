/*
 * The state of one C file's extraction and the node readers every C handler
 * uses: sites and captures in ORIGINAL bytes (a macro body's tree is shifted),
 * the enclosing function, operators, and expressions reduced to their
 * page-table typing skeleton (SExpr). Members are public for the handlers in
 * c-extract.ts and c-rules.ts; nothing outside the C extractor uses this class.
 */
import { mapKept } from './arrays.js';
import { startOf, textOf, typeOf, typeOfOpt, type SyntaxNode } from './parser.js';
import type { SourceText } from './source.js';
import { asmMatchers, type AsmMatcher } from './extract-asm.js';
import { localOf, makeSite, newFuncInfo } from './extract-common.js';
import { nameOf, typeDescriptor } from './c-syntax.js';
import { holeLiteral, physTarget } from './hole-numbers.js';
import type { Capture, Rule } from './types.js';
import type { FileSummary, FuncInfo, SExpr, Site, WriteSite } from './summary.js';

/** What an expression is when it says nothing about page tables; shared, never changed. */
const UNKNOWN: SExpr = Object.freeze({ k: '?' });

const factsCache = new WeakMap<Rule[], { maskNames: Set<string>; typedCallee: RegExp; tablePages: Set<string> }>();

/** What the C handlers need from the rules, computed once per rule list. */
function ruleFacts(rules: Rule[]): { maskNames: Set<string>; typedCallee: RegExp; tablePages: Set<string> } {
  let f = factsCache.get(rules);
  if (!f) {
    const pats = rules.flatMap((r) => (r.match.pte ? [...r.match.pte.helpers, ...Object.keys(r.match.pte.blockOps), ...r.match.pte.addressSinks] : []));
    const re = pats.map((p) => p.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')).join('|');
    f = {
      maskNames: new Set(rules.flatMap((r) => r.match.pte?.masks ?? [])),
      typedCallee: re ? new RegExp(`^(?:${re})$`) : /$^/,
      tablePages: new Set(rules.flatMap((r) => r.match.pte?.tablePages ?? [])),
    };
    factsCache.set(rules, f);
  }
  return f;
}

export class CContext {
  errors: Array<[number, number]> = [];
  readonly matchers: AsmMatcher[];
  readonly maskNames: Set<string>;
  /** Calls whose argument types matter: PTE helpers, block-memory routines, address sinks. */
  readonly typedCallee: RegExp;
  /** Page-zeroing calls whose page may become a page table (rules' `table-pages`). */
  readonly tablePages: Set<string>;
  /** Whether a number literal could be a va-hole finding (hole-numbers.ts). */
  readonly holeLiteral: (text: string, value: number) => boolean;
  /** Function stack: index into out.funcs and end byte (in the current tree's coordinates). */
  stack: Array<{ idx: number; end: number }> = [];
  /** Added to the current tree's offsets to give ORIGINAL offsets (a macro body's tree). */
  shift = 0;
  /** The macro being processed as a function, or -1. */
  macroFunc = -1;
  inMacro = false;
  krStars = new Map<number, number>();
  /** The normalized text of the tree being processed (file, or macro snippet). */
  text = '';
  /** Whether the tree being processed has ERROR or MISSING nodes. */
  damaged = false;

  constructor(
    readonly src: SourceText,
    readonly out: FileSummary,
    readonly rules: Rule[],
  ) {
    this.matchers = asmMatchers(rules);
    const r = ruleFacts(rules);
    this.maskNames = r.maskNames;
    this.typedCallee = r.typedCallee;
    this.tablePages = r.tablePages;
    this.holeLiteral = holeLiteral(rules);
  }

  site(start: number, end: number): Site {
    const s = start + this.shift;
    const e = end + this.shift;
    return makeSite(s, e, this.inError(s, e));
  }

  nodeSite(n: SyntaxNode): Site {
    return this.site(startOf(n), n.endIndex);
  }

  cap(n: SyntaxNode): Capture {
    const s = startOf(n) + this.shift;
    const e = n.endIndex + this.shift;
    return { text: this.src.text.slice(s, e), startByte: s, endByte: e };
  }

  inError(s: number, e: number): boolean {
    const errs = this.errors;
    if (errs.length <= 8) {
      for (const [a, b] of errs) if (a <= s && e <= b) return true;
      return false;
    }
    // A damaged big file has thousands of error ranges and as many sites: search, do not scan.
    if (this.errIndex?.of !== errs || this.errIndex.n !== errs.length) this.errIndex = errorIndex(errs);
    const { starts, maxEnd } = this.errIndex;
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (starts[mid] <= s) lo = mid + 1;
      else hi = mid;
    }
    // Ranges starting at or before s: does the farthest-reaching of them cover e?
    return lo > 0 && maxEnd[lo - 1] >= e;
  }

  /** The error ranges sorted by start, with the greatest end of each prefix (for inError). */
  private errIndex?: { of: Array<[number, number]>; n: number; starts: Float64Array; maxEnd: Float64Array };

  currentFunc(pos: number): number {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1].end <= pos) this.stack.pop();
    return this.stack.length > 0 ? this.stack[this.stack.length - 1].idx : this.macroFunc;
  }

  newFunc(name: string, kind: FuncInfo['kind'], site: Site, params: string[]): FuncInfo {
    return newFuncInfo(name, kind, site, params, this.src.file);
  }

  lhsKind(n: SyntaxNode, fi: number): WriteSite['lhsKind'] | undefined {
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

  /** For `*p`: the pointer expression p. */
  ptrOf(n: SyntaxNode): SyntaxNode | null {
    while (typeOf(n) === 'parenthesized_expression' && n.namedChildCount === 1) n = n.namedChildren[0];
    if (typeOf(n) === 'pointer_expression' && this.opAt(n) === '*') return n.childForFieldName('argument');
    return null;
  }

  /** A store of `rhs` (none for ++ and --) to `lhs` by `op` at `n`: byte ranges, the texts are cut when reported. */
  write(op: string, lhs: SyntaxNode, kind: WriteSite['lhsKind'], rhs: SyntaxNode | null, n: SyntaxNode, fi: number): WriteSite {
    const d = this.shift;
    const ptr = this.ptrOf(lhs);
    const site = this.nodeSite(n);
    const w: WriteSite = {
      op,
      lhs: this.sexpr(lhs, fi),
      lhsKind: kind,
      lhsStart: startOf(lhs) + d,
      lhsEnd: lhs.endIndex + d,
      ptrStart: ptr ? startOf(ptr) + d : -1,
      ptrEnd: ptr ? ptr.endIndex + d : -1,
      rhsStart: rhs ? startOf(rhs) + d : -1,
      rhsEnd: rhs ? rhs.endIndex + d : -1,
      start: site.startByte,
      end: site.endByte,
      recovered: site.recovered,
      func: fi,
    };
    if (rhs && physTarget(this.src.text.slice(w.lhsStart, w.lhsEnd))) w.physLhs = true;
    return w;
  }

  refsOf(n: SyntaxNode, fi: number): void {
    if (fi < 0) return;
    let e = n;
    while ((typeOf(e) === 'parenthesized_expression' || typeOf(e) === 'cast_expression') && e.namedChildCount > 0) e = e.namedChildren[e.namedChildCount - 1];
    if (typeOf(e) === 'pointer_expression' && this.opAt(e) === '&') e = e.childForFieldName('argument') ?? e;
    if (typeOf(e) === 'identifier') this.out.funcs[fi].refs.push(nameOf(e));
  }

  masked(n: SyntaxNode, parent = n.parent): boolean {
    let p = parent;
    while (p && typeOf(p) === 'parenthesized_expression') p = p.parent;
    if (!p) return false;
    if (typeOf(p) === 'binary_expression') return ['&', '|', '^'].includes(this.opOf(p) ?? '');
    if (typeOf(p) === 'unary_expression') return this.opOf(p) === '~';
    if (typeOf(p) === 'assignment_expression') return ['&=', '|=', '^='].includes(this.opOf(p) ?? '');
    return false;
  }

  /** A literal that is an element of a brace initializer (through parentheses and casts). */
  inInitializerList(n: SyntaxNode): boolean {
    let p = n.parent;
    while (p && (typeOf(p) === 'parenthesized_expression' || typeOf(p) === 'cast_expression' || (typeOf(p) === 'unary_expression' && this.opOf(p) === '-'))) p = p.parent;
    return !!p && typeOf(p) === 'initializer_list';
  }

  isDefinitionName(n: SyntaxNode, p = n.parent): boolean {
    if (!p) return false;
    if ((typeOf(p) === 'preproc_def' || typeOf(p) === 'preproc_function_def') && p.childForFieldName('name')?.id === n.id) return true;
    if (typeOf(p).endsWith('declarator') || typeOf(p) === 'enumerator') return true;
    return false;
  }

  /** A node's operator: its operator child's type, which is the token ('&=', '-'). */
  opOf(n: SyntaxNode): string | undefined {
    const op = n.childForFieldName('operator');
    return op ? typeOf(op) : undefined;
  }

  /** The operator of a pointer_expression, which starts the node: '*' or '&'. */
  opAt(n: SyntaxNode): string | undefined {
    return this.damaged ? this.opOf(n) : this.text[startOf(n)];
  }

  /** Reduces an expression to its page-table typing skeleton. */
  sexpr(n: SyntaxNode, fi: number, depth = 0): SExpr {
    if (depth > 40) return UNKNOWN;
    const d = depth + 1;
    switch (typeOf(n)) {
      case 'identifier': {
        const f = fi >= 0 ? this.out.funcs[fi] : undefined;
        const name = nameOf(n);
        if (f && localOf(f, name)) return f.kind === 'macro' && f.params.includes(name) ? { k: 'param', name } : { k: 'local', f: fi, name };
        return { k: 'name', name };
      }
      case 'parenthesized_expression':
        return n.namedChildCount > 0 ? this.sexpr(n.namedChildren[n.namedChildCount - 1], fi, d) : UNKNOWN;
      case 'field_expression': {
        const arg = n.childForFieldName('argument');
        const field = n.childForFieldName('field');
        const e: SExpr = { k: 'field', name: field ? nameOf(field) : '?', base: arg ? this.sexpr(arg, fi, d) : UNKNOWN };
        // `p->f` names a member of the element p points to; `x.f` one of x itself.
        if (arg && field && this.text.slice(arg.endIndex, field.startIndex).includes('->')) e.arrow = true;
        return e;
      }
      case 'subscript_expression': {
        const arg = n.childForFieldName('argument');
        return { k: 'index', e: arg ? this.sexpr(arg, fi, d) : UNKNOWN };
      }
      case 'pointer_expression': {
        const arg = n.childForFieldName('argument');
        const e = arg ? this.sexpr(arg, fi, d) : UNKNOWN;
        return this.opAt(n) === '*' ? { k: 'deref', e } : { k: 'addr', e };
      }
      case 'call_expression': {
        const fn = n.childForFieldName('function');
        if (!fn || typeOf(fn) !== 'identifier') return UNKNOWN;
        // Arguments matter only for macros (pdir_pde(PTD, va)); keep them shallow.
        const args = depth < 6 ? mapKept(n.childForFieldName('arguments')?.namedChildren ?? [], (a) => typeOf(a) !== 'comment', (a) => this.sexpr(a, fi, d + 3)) : undefined;
        return args && args.length > 0 && args.some((a) => a.k !== '?') ? { k: 'call', name: nameOf(fn), args } : { k: 'call', name: nameOf(fn) };
      }
      case 'cast_expression': {
        const v = n.childForFieldName('value');
        return { k: 'cast', t: typeDescriptor(n.childForFieldName('type')), e: v ? this.sexpr(v, fi, d) : UNKNOWN };
      }
      case 'binary_expression': {
        const op = this.opOf(n);
        const l = n.childForFieldName('left');
        const r = n.childForFieldName('right');
        if ((op === '+' || op === '-') && l && r) return { k: 'arith', a: this.sexpr(l, fi, d), b: this.sexpr(r, fi, d) };
        return UNKNOWN;
      }
      case 'conditional_expression': {
        const a = n.childForFieldName('consequence');
        const b = n.childForFieldName('alternative');
        return { k: 'cond', a: a ? this.sexpr(a, fi, d) : UNKNOWN, b: b ? this.sexpr(b, fi, d) : UNKNOWN };
      }
      case 'assignment_expression': {
        const l = n.childForFieldName('left');
        return l ? this.sexpr(l, fi, d) : UNKNOWN;
      }
      case 'comma_expression': {
        const r = n.childForFieldName('right');
        return r ? this.sexpr(r, fi, d) : UNKNOWN;
      }
      default:
        return UNKNOWN;
    }
  }
}

function errorIndex(errs: Array<[number, number]>): { of: Array<[number, number]>; n: number; starts: Float64Array; maxEnd: Float64Array } {
  const sorted = [...errs].sort((x, y) => x[0] - y[0]);
  const starts = new Float64Array(sorted.length);
  const maxEnd = new Float64Array(sorted.length);
  let m = -Infinity;
  sorted.forEach(([a, b], i) => {
    starts[i] = a;
    m = Math.max(m, b);
    maxEnd[i] = m;
  });
  return { of: errs, n: errs.length, starts, maxEnd };
}
