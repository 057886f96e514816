/*
 * Evaluates object-like macros, function-like macro invocations and `.set`
 * values to numbers: integer literals (hex, octal, decimal, with U/L suffixes),
 * + - * / % << >> & | ^ ~, parentheses and casts such as (vm_offset_t) or
 * (u_int *), which are dropped, and sizeof (type) of the types given by
 * setTypeSizes (the tree's typedefs: NPTEPG is PAGE_SIZE/sizeof (pt_entry_t)).
 * Anything else (unknown names) makes the value unknown. Arithmetic is on
 * unsigned 32-bit values, as on i386.
 */
import type { MacroDef } from './summary.js';

export type MacroTable = Map<string, MacroDef>;

type Tok = { t: 'num'; v: number } | { t: 'id'; v: string } | { t: 'op'; v: string };

function tokenize(s: string): Tok[] | undefined {
  const toks: Tok[] = [];
  const re = /\s+|\\\r?\n|\/\*[\s\S]*?\*\/|(0[xX][0-9a-fA-F]+|\d+)[uUlL]*|([A-Za-z_$][\w$]*)|(<<|>>|[-+*/%&|^~(),?:<>!=])|(\S)/gy;
  for (let m = re.exec(s); m && m.index < s.length; m = re.exec(s)) {
    if (m[1] !== undefined) {
      const x = m[1];
      const v = /^0[xX]/.test(x) ? parseInt(x.slice(2), 16) : /^0\d/.test(x) ? parseInt(x, 8) : parseInt(x, 10);
      toks.push({ t: 'num', v });
    } else if (m[2] !== undefined) toks.push({ t: 'id', v: m[2].replace(/^_(?=[A-Z])/, '') });
    else if (m[3] !== undefined) toks.push({ t: 'op', v: m[3] });
    else if (m[4] !== undefined) return undefined;
    if (re.lastIndex >= s.length) break;
  }
  return toks;
}

/** sizeof of a type spelling ('pt_entry_t', 'unsigned int', 'char *'), or undefined. */
export type TypeSizer = (type: string) => number | undefined;
const sizers = new WeakMap<MacroTable, TypeSizer>();

/** The sizes `sizeof (type)` evaluates to for macros of this table. */
export function setTypeSizes(table: MacroTable, sizer: TypeSizer): void {
  sizers.set(table, sizer);
}

const u32 = (x: number): number => ((x % 2 ** 32) + 2 ** 32) % 2 ** 32;
const TYPE_WORDS = /^(unsigned|signed|int|long|short|char|void|u_int|u_long|u_short|u_char|vm_offset_t|vm_paddr_t|vm_size_t|caddr_t|uintptr_t|intptr_t|u_int32_t|uint32_t|pt_entry_t|pd_entry_t|const|volatile|struct|[a-z_][a-z0-9_]*_t)$/;

class Evaluator {
  private pos = 0;
  constructor(
    private readonly toks: Tok[],
    private readonly table: MacroTable,
    private readonly depth: number,
    private readonly seen: Set<string>,
  ) {}

  run(): number | undefined {
    const v = this.expr(0);
    return this.pos === this.toks.length ? v : undefined;
  }

  private peek(): Tok | undefined {
    return this.toks[this.pos];
  }

  private static readonly PREC: Record<string, number> = { '|': 1, '^': 2, '&': 3, '<<': 5, '>>': 5, '+': 6, '-': 6, '*': 7, '/': 7, '%': 7 };

  private expr(minPrec: number): number | undefined {
    let left = this.unary();
    if (left === undefined) return undefined;
    for (;;) {
      const t = this.peek();
      if (!t || t.t !== 'op') return left;
      const p = Evaluator.PREC[t.v];
      if (p === undefined || p < minPrec) return left;
      this.pos++;
      const right = this.expr(p + 1);
      if (right === undefined) return undefined;
      switch (t.v) {
        case '|': left = u32(left | right); break;
        case '^': left = u32(left ^ right); break;
        case '&': left = u32(left & right); break;
        case '<<': left = u32(left * 2 ** (right & 31)); break;
        case '>>': left = Math.floor(left / 2 ** (right & 31)); break;
        case '+': left = u32(left + right); break;
        case '-': left = u32(left - right); break;
        case '*': left = u32(left * right); break;
        case '/': if (right === 0) return undefined; left = Math.floor(left / right); break;
        case '%': if (right === 0) return undefined; left = left % right; break;
      }
    }
  }

  private isCast(): boolean {
    // ( type-words [*...] ) followed by an operand
    let i = this.pos + 1;
    let words = 0;
    while (i < this.toks.length) {
      const t = this.toks[i];
      if (t.t === 'id' && TYPE_WORDS.test(t.v) && !this.table.has(t.v)) words++;
      else if (t.t === 'op' && t.v === '*') {
        /* pointer */
      } else break;
      i++;
    }
    const close = this.toks[i];
    return words > 0 && close?.t === 'op' && close.v === ')' && i + 1 < this.toks.length;
  }

  private sizeofType(): number | undefined {
    const open = this.peek();
    if (!open || open.t !== 'op' || open.v !== '(') return undefined;
    const words: string[] = [];
    for (this.pos++; ; this.pos++) {
      const w = this.peek();
      if (!w) return undefined;
      if (w.t === 'op' && w.v === ')') break;
      if (w.t === 'num' || (w.t === 'op' && w.v !== '*')) return undefined;
      words.push(String(w.v));
    }
    this.pos++;
    return sizers.get(this.table)?.(words.join(' ').replace(/ \*/g, '*'));
  }

  private unary(): number | undefined {
    const t = this.peek();
    if (!t) return undefined;
    this.pos++;
    if (t.t === 'num') return u32(t.v);
    if (t.t === 'op') {
      if (t.v === '(') {
        this.pos--;
        if (this.isCast()) {
          while (!(this.toks[this.pos].t === 'op' && this.toks[this.pos].v === ')')) this.pos++;
          this.pos++;
          return this.unary();
        }
        this.pos++;
        const v = this.expr(0);
        const c = this.peek();
        if (!c || c.t !== 'op' || c.v !== ')') return undefined;
        this.pos++;
        return v;
      }
      if (t.v === '~') {
        const v = this.unary();
        return v === undefined ? undefined : u32(~v);
      }
      if (t.v === '-') {
        const v = this.unary();
        return v === undefined ? undefined : u32(-v);
      }
      if (t.v === '+') return this.unary();
      return undefined;
    }
    if (t.v === 'sizeof') return this.sizeofType();
    // Identifier: a macro.
    const def = this.table.get(t.v);
    if (!def || this.seen.has(t.v) || this.depth > 30) return undefined;
    if (def.params === null) return evaluateMacro(t.v, this.table, undefined, this.depth + 1, this.seen);
    const open = this.peek();
    if (!open || open.t !== 'op' || open.v !== '(') return undefined;
    this.pos++;
    const args: Tok[][] = [[]];
    let depth = 0;
    for (;;) {
      const a = this.peek();
      if (!a) return undefined;
      this.pos++;
      if (a.t === 'op' && a.v === '(') depth++;
      if (a.t === 'op' && a.v === ')') {
        if (depth === 0) break;
        depth--;
      }
      if (a.t === 'op' && a.v === ',' && depth === 0) args.push([]);
      else args[args.length - 1].push(a);
    }
    return expand(def, args, this.table, this.depth + 1, this.seen);
  }
}

/*
 * A definition's body as tokens, made once: a tree invokes the same macros
 * thousands of times. Tokens are never changed (expansion copies them), so one
 * list serves every evaluation.
 */
const bodies = new WeakMap<MacroDef, Tok[] | undefined>();
function bodyTokens(def: MacroDef): Tok[] | undefined {
  if (bodies.has(def)) return bodies.get(def);
  const toks = tokenize(def.body);
  bodies.set(def, toks);
  return toks;
}

function expand(def: MacroDef, args: Tok[][], table: MacroTable, depth: number, seen: Set<string>): number | undefined {
  const body = bodyTokens(def);
  if (!body || !def.params) return undefined;
  const params = def.params;
  const toks: Tok[] = [];
  for (const t of body) {
    const i = t.t === 'id' ? params.indexOf(t.v) : -1;
    if (i >= 0) toks.push({ t: 'op', v: '(' }, ...(args[i] ?? []), { t: 'op', v: ')' });
    else toks.push(t);
  }
  const next = new Set(seen).add(def.name);
  return new Evaluator(toks, table, depth, next).run();
}

const memo = new WeakMap<MacroTable, Map<string, number | undefined>>();

/** The value of macro `name` (invoked with `args` if function-like), or undefined. */
export function evaluateMacro(name: string, table: MacroTable, args?: string[], depth = 0, seen = new Set<string>()): number | undefined {
  const def = table.get(name);
  if (!def || depth > 30) return undefined;
  if (def.params !== null) {
    if (!args) return undefined;
    const targs = args.map((a) => tokenize(a));
    if (targs.some((a) => a === undefined)) return undefined;
    return expand(def, targs as Tok[][], table, depth, seen);
  }
  let m = memo.get(table);
  if (!m) memo.set(table, (m = new Map()));
  const known = m.get(name);
  if (known !== undefined || m.has(name)) return known;
  const toks = bodyTokens(def);
  const v = toks && toks.length > 0 ? new Evaluator(toks, table, depth, new Set(seen).add(name)).run() : undefined;
  m.set(name, v);
  return v;
}

/** The value of one definition's body (every #define of a name, not only the table's). */
export function evaluateDefinition(def: MacroDef, table: MacroTable): number | undefined {
  if (def.params !== null) return undefined;
  if (table.get(def.name) === def) return evaluateMacro(def.name, table);
  const toks = bodyTokens(def);
  return toks && toks.length > 0 ? new Evaluator(toks, table, 1, new Set([def.name])).run() : undefined;
}

/**
 * False when no invocation of function-like macro `name` can have a value,
 * whatever its arguments. Most of a tree's invocations are of such macros, and
 * need not have their argument texts read.
 * Invariant: false implies evaluateMacro(name, table, args) is undefined for every args.
 */
export function mayHaveValue(name: string, table: MacroTable): boolean {
  const def = table.get(name);
  return def !== undefined && def.params !== null && mayStart(def, table, new Set([name]));
}

/*
 * Whether the body of `def` can begin an operand: a body that does not tokenize
 * or starts with something else (`mtx_lock(m)` is a call of _mtx_lock_flags, a
 * function) has no value, as the evaluator takes its first operand first and
 * gives up on the first operand it cannot evaluate. A body that starts with
 * another macro's name can begin one only if that macro's body can; a chain
 * that comes back to a macro of its own has no value (expansion never re-enters
 * a macro). Anything not decided here counts as possible.
 */
function mayStart(def: MacroDef, table: MacroTable, chain: Set<string>): boolean {
  const toks = bodyTokens(def);
  if (!toks || toks.length === 0) return false;
  const t = toks[0];
  if (t.t === 'num') return true;
  if (t.t === 'op') return t.v === '(' || t.v === '~' || t.v === '-' || t.v === '+';
  if (t.v === 'sizeof' || (def.params !== null && def.params.includes(t.v))) return true;
  const next = table.get(t.v);
  if (!next || chain.has(t.v)) return false;
  if (chain.size > 20) return true;
  return mayStart(next, table, chain.add(t.v));
}
