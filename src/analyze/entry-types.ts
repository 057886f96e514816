/*
 * Page-table entry typing over the merged facts of a tree: which expressions are
 * page-table entries (level 0) or pointers to them (level 1), from typedefs,
 * globals, struct fields, function results, macro bodies, and locals inferred
 * from what is assigned to them.
 */
import type { FileSummary, SExpr, TypeRef } from './summary.js';

/** Page-table entry typing over the merged facts. */
export class Types {
  private readonly typedefs = new Map<string, TypeRef>();
  private readonly globals = new Map<string, TypeRef>();
  private readonly fields = new Map<string, TypeRef[]>();
  private readonly returns = new Map<string, TypeRef>();
  private readonly macroExprs = new Map<string, SExpr>();
  private readonly macroParams = new Map<string, string[]>();
  private readonly entryTypes: Set<string>;
  private readonly localMemo = new Map<string, number | null>();

  constructor(
    files: FileSummary[],
    entryTypes: string[],
  ) {
    this.entryTypes = new Set(entryTypes);
    for (const s of files) {
      for (const t of s.typedefs) if (!this.typedefs.has(t.name) && t.name !== t.type.base) this.typedefs.set(t.name, t.type);
      for (const g of s.globals) if (!this.globals.has(g.name)) this.globals.set(g.name, g.type);
      for (const f of s.fields) {
        const l = this.fields.get(f.name) ?? [];
        l.push(f.type);
        this.fields.set(f.name, l);
      }
      for (const f of s.funcs) {
        if (f.returnType && !this.returns.has(f.name)) this.returns.set(f.name, f.returnType);
        if (f.kind === 'macro' && f.bodyExpr && !this.macroExprs.has(f.name)) {
          this.macroExprs.set(f.name, f.bodyExpr);
          this.macroParams.set(f.name, f.params);
        }
      }
    }
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

  level(e: SExpr, file: FileSummary, depth = 0, env?: Map<string, { e: SExpr; env?: Map<string, unknown> }>): number | null {
    if (depth > 30) return null;
    const d = depth + 1;
    const sub = (x: SExpr): number | null => this.level(x, file, d, env);
    switch (e.k) {
      case 'local': {
        const key = `${file.file}\0${e.f}\0${e.name}`;
        if (this.localMemo.has(key)) return this.localMemo.get(key)!;
        this.localMemo.set(key, null); // cycle guard
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
        this.localMemo.set(key, l);
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
        for (const t of this.fields.get(e.name) ?? []) {
          const l = this.typeLevel(t);
          if (l !== null) return l;
        }
        return null;
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
