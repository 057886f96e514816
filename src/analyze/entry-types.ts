/*
 * Page-table entry typing over the merged facts of a tree: which expressions are
 * page-table entries (level 0) or pointers to them (level 1), from typedefs,
 * globals, struct fields, function results, macro bodies, and locals inferred
 * from what is assigned to them.
 */
import type { FileSummary, SExpr, TypeRef } from './summary.js';

/** The tree's declarations that typing looks up, whatever the entry types. */
export interface Declarations {
  typedefs: Map<string, TypeRef>;
  globals: Map<string, TypeRef>;
  fields: Map<string, TypeRef[]>;
  returns: Map<string, TypeRef>;
  macroExprs: Map<string, SExpr>;
  macroParams: Map<string, string[]>;
}

/** A tree's declarations, gathered once: page-table entries and descriptors are typed over the same ones. */
export function declarations(files: FileSummary[]): Declarations {
  const d: Declarations = { typedefs: new Map(), globals: new Map(), fields: new Map(), returns: new Map(), macroExprs: new Map(), macroParams: new Map() };
  for (const s of files) {
    for (const t of s.typedefs) if (!d.typedefs.has(t.name) && t.name !== t.type.base) d.typedefs.set(t.name, t.type);
    for (const g of s.globals) if (!d.globals.has(g.name)) d.globals.set(g.name, g.type);
    for (const f of s.fields) {
      const l = d.fields.get(f.name);
      if (l) l.push(f.type);
      else d.fields.set(f.name, [f.type]);
    }
    for (const f of s.funcs) {
      if (f.returnType && !d.returns.has(f.name)) d.returns.set(f.name, f.returnType);
      if (f.kind === 'macro' && f.bodyExpr && !d.macroExprs.has(f.name)) {
        d.macroExprs.set(f.name, f.bodyExpr);
        d.macroParams.set(f.name, f.params);
      }
    }
  }
  return d;
}

/** Page-table entry typing over the merged facts. */
export class Types {
  private readonly typedefs: Map<string, TypeRef>;
  private readonly globals: Map<string, TypeRef>;
  private readonly fields: Map<string, TypeRef[]>;
  private readonly returns: Map<string, TypeRef>;
  private readonly macroExprs: Map<string, SExpr>;
  private readonly macroParams: Map<string, string[]>;
  private readonly entryTypes: Set<string>;
  /** Per file name, per function: each local's level (null while it is being worked out: a cycle guard). */
  private readonly fieldMemo = new Map<string, number | null>();
  private readonly localMemo = new Map<string, Array<Map<string, number | null>>>();

  constructor(decls: Declarations, entryTypes: string[]) {
    this.entryTypes = new Set(entryTypes);
    ({ typedefs: this.typedefs, globals: this.globals, fields: this.fields, returns: this.returns, macroExprs: this.macroExprs, macroParams: this.macroParams } = decls);
  }

  /** Entry level of a declared type: 0 entry, 1 pointer to entry (or array), null unrelated. */
  typeLevel(t: TypeRef, depth = 0): number | null {
    if (depth > 20) return null;
    if (this.entryTypes.has(t.base)) return t.ptr;
    const td = this.typedefs.get(t.base);
    if (!td) return null;
    const l = this.typeLevel(td, depth + 1);
    return l === null ? null : l + t.ptr;
  }

  private ptrDepth(t: TypeRef, depth = 0): number {
    const td = depth < 20 ? this.typedefs.get(t.base) : undefined;
    return t.ptr + (td ? this.ptrDepth(td, depth + 1) : 0);
  }

  /** Is `name` a global variable (not a macro, not a function) of entry type? */
  globalLevel(name: string): number | null {
    const g = this.globals.get(name);
    return g ? this.typeLevel(g) : null;
  }

  /** The level of the first of the tree's members called `name` that has one. */
  private fieldLevel(name: string): number | null {
    for (const t of this.fields.get(name) ?? []) {
      const l = this.typeLevel(t);
      if (l !== null) return l;
    }
    return null;
  }

  /** The memo of function `f`'s locals in `file` (nested maps: a key string made per lookup was much of typing's time). */
  private localsOf(file: string, f: number): Map<string, number | null> {
    let byFunc = this.localMemo.get(file);
    if (!byFunc) this.localMemo.set(file, (byFunc = []));
    let m = byFunc[f];
    if (!m) byFunc[f] = m = new Map();
    return m;
  }

  level(e: SExpr, file: FileSummary, depth = 0, env?: Map<string, { e: SExpr; env?: Map<string, unknown> }>): number | null {
    if (depth > 30) return null;
    const d = depth + 1;
    const sub = (x: SExpr): number | null => this.level(x, file, d, env);
    switch (e.k) {
      case 'local': {
        const memo = this.localsOf(file.file, e.f);
        if (memo.has(e.name)) return memo.get(e.name)!;
        memo.set(e.name, null); // cycle guard
        const fn = file.funcs[e.f];
        const v = fn && Object.hasOwn(fn.locals, e.name) ? fn.locals[e.name] : undefined;
        let l: number | null = null;
        if (v) {
          l = this.typeLevel(v.type);
          const declared = this.ptrDepth(v.type);
          // An untyped local (unsigned *, vm_paddr_t) that is assigned an entry
          // pointer or an entry value of its own depth holds one.
          if (l === null) {
            for (const from of v.from) {
              const fl = this.level(from, file, d);
              if (fl !== null && fl === declared) {
                l = fl;
                break;
              }
            }
          }
        }
        memo.set(e.name, l);
        return l;
      }
      case 'name': {
        const g = this.globals.get(e.name);
        if (g) return this.typeLevel(g);
        const m = this.macroExprs.get(e.name);
        return m ? sub(m) : null;
      }
      case 'param': {
        const b = env?.get(e.name);
        return b ? this.level(b.e, file, d, b.env as typeof env) : null;
      }
      case '?':
        return null;
      case 'field': {
        // A common member name (next, flags) has a type per struct of the tree: decided once per name.
        let l = this.fieldMemo.get(e.name);
        if (l === undefined) this.fieldMemo.set(e.name, (l = this.fieldLevel(e.name)));
        return l;
      }
      case 'deref':
      case 'index': {
        const l = sub(e.e);
        return l !== null && l >= 1 ? l - 1 : null;
      }
      case 'addr': {
        const l = sub(e.e);
        return l === null ? null : l + 1;
      }
      case 'call': {
        const r = this.returns.get(e.name);
        if (r) {
          const l = this.typeLevel(r);
          if (l !== null) return l;
        }
        const m = this.macroExprs.get(e.name);
        if (!m) return null;
        const params = this.macroParams.get(e.name) ?? [];
        const bind = new Map<string, { e: SExpr; env?: Map<string, unknown> }>();
        params.forEach((p, i) => {
          const a = e.args?.[i];
          if (a) bind.set(p, { e: a, env });
        });
        return this.level(m, file, d, bind);
      }
      case 'cast': {
        const l = this.typeLevel(e.t);
        if (l !== null) return l;
        // A cast that re-spells an entry pointer as another pointer keeps it one.
        const inner = sub(e.e);
        return inner !== null && inner >= 1 && this.ptrDepth(e.t) >= 1 ? inner : null;
      }
      case 'arith': {
        const a = sub(e.a);
        if (a !== null && a >= 1) return a;
        const b = sub(e.b);
        return b !== null && b >= 1 ? b : null;
      }
      case 'cond': {
        const a = sub(e.a);
        return a !== null ? a : sub(e.b);
      }
    }
  }
}
