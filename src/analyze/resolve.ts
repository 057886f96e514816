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
import picomatch from 'picomatch';
import type { Capture, Finding, Rule } from './types.js';
import type { FileSummary, FuncInfo, MacroDef, SExpr, Site, TypeRef } from './summary.js';
import { evaluateMacro, type MacroTable } from './macro-eval.js';
import { mkFinding, whereOf } from './extract-common.js';

/** Instruction categories that make a function a wrapper. */
const WRAPPER_CATEGORIES = new Set(['privileged-instruction', 'sensitive-instruction']);

function argCaptures(args: Capture[]): Record<string, Capture> {
  const c: Record<string, Capture> = {};
  args.forEach((a, i) => (c[`ARG${i}`] = a));
  return c;
}

function synth(text: string, at: Capture): Capture {
  return { text, startByte: at.startByte, endByte: at.endByte };
}

const KIND_RANK: Record<FuncInfo['kind'], number> = { c: 3, asm: 2, macro: 1, proto: 0 };

/** Page-table entry typing over the merged facts. */
class Types {
  private readonly typedefs = new Map<string, TypeRef>();
  private readonly globals = new Map<string, TypeRef>();
  private readonly fields = new Map<string, TypeRef[]>();
  private readonly returns = new Map<string, TypeRef>();
  private readonly macroExprs = new Map<string, SExpr>();
  private readonly macroParams = new Map<string, string[]>();
  private readonly entryTypes: Set<string>;
  private readonly localMemo = new Map<string, number | null>();

  constructor(
    private readonly files: FileSummary[],
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

interface WrapInfo {
  instruction: string;
  via: string[];
}

/** Resolves everything tree-wide; returns the new findings (not the files' own). */
export function resolve(files: FileSummary[], rules: Rule[]): Finding[] {
  const out: Finding[] = [];
  const byId = new Map(rules.map((r) => [r.id, r]));
  const pteRules = rules.filter((r) => r.match.pte);
  if (pteRules.length > 0) {
    const types = new Types(files, [...new Set(pteRules.flatMap((r) => r.match.pte!.types))]);
    for (const r of pteRules) resolvePte(r, files, types, out);
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
   * calls than callees).
   */
  const decided = new Map<string, { rule: Rule; info: WrapInfo } | null>();
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
    for (const s of files)
      for (const c of s.calls) {
        let d = decided.get(c.callee);
        if (d === undefined) decided.set(c.callee, (d = decide(c.callee)));
        if (d) wrapperFindings.push(mkFinding(d.rule, whereOf(s), c.site, 'c', argCaptures(c.args), { instruction: d.info.instruction, via: d.info.via }));
      }
  }

  const consoleFindings: Finding[] = [];
  for (const r of rules.filter((x) => x.match.console)) resolveConsole(r, defs, files, wrapperSet, consoleFindings);
  const consoleSites = new Set(consoleFindings.map((f) => `${f.file}\0${f.startByte}\0${f.endByte}`));
  for (const f of wrapperFindings) if (!consoleSites.has(`${f.file}\0${f.startByte}\0${f.endByte}`)) out.push(f);
  out.push(...consoleFindings);

  for (const r of rules.filter((x) => x.match.vaHole)) resolveVaHole(r, files, out);
  return out;
}

function helperValue(name: string, ptr: string, args: Capture[]): string {
  const a = (i: number): string => args[i]?.text ?? '0';
  if (/readandclear|load_clear|pte_clear/.test(name)) return '0';
  if (/cmpset/.test(name)) return a(2);
  if (/set/.test(name)) return `*(${ptr}) | (${a(1)})`;
  if (/clear/.test(name)) return `*(${ptr}) & ~(${a(1)})`;
  if (/subtract/.test(name)) return `*(${ptr}) - (${a(1)})`;
  if (/add/.test(name)) return `*(${ptr}) + (${a(1)})`;
  return a(1);
}

/** A name test remembered per name (the same callees recur in every file). */
function memoized(test: (name: string) => boolean): (name: string) => boolean {
  const seen = new Map<string, boolean>();
  return (name) => {
    let v = seen.get(name);
    if (v === undefined) seen.set(name, (v = test(name)));
    return v;
  };
}

function resolvePte(rule: Rule, files: FileSummary[], types: Types, out: Finding[]): void {
  const m = rule.match.pte!;
  const helper = m.helpers.length > 0 ? memoized(picomatch(m.helpers)) : undefined;
  const blockOps = Object.keys(m.blockOps).length > 0 ? m.blockOps : undefined;
  for (const s of files) {
    if (m.kind === 'write' && !helper && !blockOps) {
      for (const w of s.writes) {
        if (w.lhsKind === 'name' ? w.lhs.k !== 'name' || types.globalLevel(w.lhs.name) !== 0 : types.level(w.lhs, s) !== 0) continue;
        const lhs = w.lhsText;
        const ptr = w.lhsKind === 'deref' && w.ptrText ? w.ptrText : synth(`&${lhs.text}`, lhs);
        let val: string;
        if (w.op === '=') val = w.rhs!.text;
        else if (w.op === '++') val = `${lhs.text} + 1`;
        else if (w.op === '--') val = `${lhs.text} - 1`;
        else val = `${lhs.text} ${w.op.slice(0, -1)} (${w.rhs!.text})`;
        const captures: Record<string, Capture> = { PTR: ptr, VAL: synth(val, w.rhs ?? lhs), LHS: lhs };
        if (w.rhs) captures.RHS = w.rhs;
        out.push(mkFinding(rule, whereOf(s), w.site, 'c', captures, w.op === '=' ? {} : { instruction: w.op }));
      }
    }
    if (m.kind === 'write' && helper) {
      for (const c of s.calls) {
        if (!helper(c.callee) || c.argTypes.length === 0) continue;
        if (types.level(c.argTypes[0], s) !== 1) continue;
        const captures = argCaptures(c.args);
        captures.PTR = c.args[0];
        captures.VAL = synth(helperValue(c.callee, c.args[0].text, c.args), c.args[0]);
        out.push(mkFinding(rule, whereOf(s), c.site, 'c', captures, { instruction: c.callee }));
      }
    }
    if (m.kind === 'write' && blockOps) {
      for (const c of s.calls) {
        const di = Object.hasOwn(blockOps, c.callee) ? blockOps[c.callee] : undefined;
        if (di === undefined || c.argTypes.length <= di) continue;
        const l = types.level(c.argTypes[di], s);
        if (l === null || l < 1) continue;
        const captures = argCaptures(c.args);
        captures.DST = c.args[di];
        captures.LEN = c.args[c.args.length - 1];
        const srcIdx = c.args.length === 3 ? [0, 1].find((i) => i !== di) : undefined;
        if (srcIdx !== undefined && c.callee !== 'memset') captures.SRC = c.args[srcIdx];
        out.push(mkFinding(rule, whereOf(s), c.site, 'c', captures, { instruction: c.callee }));
      }
    }
    if (m.kind === 'read') {
      for (const k of s.masks) {
        if (types.level(k.entry, s) !== 0) continue;
        out.push(mkFinding(rule, whereOf(s), k.site, 'c', { ENTRY: k.entryText, MASK: synth(k.mask, k.entryText) }, { instruction: `& ${k.mask}` }));
      }
      const sinks = new Set(m.addressSinks);
      for (const c of s.calls) {
        if (!sinks.has(c.callee)) continue;
        c.argTypes.forEach((t, i) => {
          if (types.level(t, s) !== 0) return;
          out.push(mkFinding(rule, whereOf(s), c.argSites[i], 'c', { ENTRY: c.args[i] }, { instruction: `${c.callee}()` }));
        });
      }
    }
  }
}

function resolveConsole(
  rule: Rule,
  defs: Map<string, { f: FuncInfo; s: FileSummary }>,
  files: FileSummary[],
  wrapperSet: (name: string) => Map<string, { instruction: string; via: string[] }> | null,
  out: Finding[],
): void {
  const m = rule.match.console!;
  const io = new Set(m.portIo);
  // Functions stored in struct fields: '*field' -> names.
  const order = new Map<string, string[]>();
  for (const s of files) for (const [k, v] of Object.entries(s.structs)) if (!order.has(k)) order.set(k, v);
  const viaField = new Map<string, Set<string>>();
  for (const s of files)
    for (const fi of s.fieldInits) {
      const field = fi.field ?? order.get(fi.struct)?.[fi.index];
      if (!field) continue;
      const set = viaField.get(`*${field}`) ?? new Set<string>();
      set.add(fi.fn);
      viaField.set(`*${field}`, set);
    }
  const targets = (callee: string): string[] => (callee.startsWith('*') ? [...(viaField.get(callee) ?? [])] : [callee]);
  const reach = new Set<string>();
  const queue = [...m.entry];
  while (queue.length > 0) {
    const n = queue.pop()!;
    if (reach.has(n)) continue;
    const d = defs.get(n);
    if (!d) continue;
    reach.add(n);
    for (const c of [...d.f.calls.flatMap(targets), ...d.f.refs]) if (!reach.has(c)) queue.push(c);
  }
  // A leaf port-I/O wrapper (inb, outb): its body is port I/O and calls nothing.
  const pureIo = (name: string): boolean => {
    const d = defs.get(name);
    return !!d && d.f.calls.length === 0 && d.f.insns.length > 0 && d.f.insns.every((i) => io.has(i.ruleId)) && !!wrapperSet(name);
  };
  const routines = new Map<string, string>(); // name -> instruction beneath
  for (const n of reach) {
    const f = defs.get(n)!.f;
    if (pureIo(n)) continue;
    // Name the output instruction beneath (out*) rather than a status poll (in*).
    const ios = [
      ...f.insns.filter((i) => io.has(i.ruleId)).map((i) => i.instruction),
      ...f.calls.filter((c) => pureIo(c)).map((c) => [...wrapperSet(c)!.values()][0].instruction),
    ];
    if (ios.length > 0) routines.set(n, ios.find((i) => /^out/.test(i)) ?? ios[0]);
  }
  // Only the lowest routines: drop a routine that calls another routine.
  for (const n of [...routines.keys()]) if (defs.get(n)!.f.calls.flatMap(targets).some((c) => c !== n && routines.has(c))) routines.delete(n);
  if (m.part === 'routine') {
    const called = new Set<string>();
    for (const s of files)
      for (const c of s.calls) {
        const hit = targets(c.callee).find((t) => routines.has(t));
        if (hit === undefined) continue;
        // Calls from outside the console path (a driver's own use) are not printf's.
        if (c.func >= 0 && !reach.has(s.funcs[c.func]?.name)) continue;
        called.add(hit);
        const captures = argCaptures(c.args);
        if (c.args.length > 0) captures.CHAR = c.args[c.args.length - 1];
        out.push(mkFinding(rule, whereOf(s), c.site, 'c', captures, { instruction: routines.get(hit)!, via: c.callee.startsWith('*') ? [c.callee.slice(1), hit] : [hit] }));
      }
    for (const [n, ins] of routines) {
      if (called.has(n)) continue;
      const d = defs.get(n)!;
      const captures: Record<string, Capture> = {};
      out.push(mkFinding(rule, whereOf(d.s), d.f.site, d.f.kind === 'asm' ? 'asm' : 'c', captures, { instruction: ins, via: [n] }));
    }
    return;
  }
  // Port I/O under the routines: calls to port-I/O wrappers and direct instructions.
  for (const s of files) {
    for (const c of s.calls) {
      if (c.func < 0 || !routines.has(s.funcs[c.func]?.name)) continue;
      if (defs.get(s.funcs[c.func].name)?.f !== s.funcs[c.func]) continue;
      if (!pureIo(c.callee)) continue;
      const w = wrapperSet(c.callee)!;
      const info = [...w.values()][0];
      out.push(mkFinding(rule, whereOf(s), c.site, 'c', argCaptures(c.args), { instruction: info.instruction, via: info.via }));
    }
    for (const f of s.funcs) {
      if (!routines.has(f.name) || defs.get(f.name)?.f !== f) continue;
      for (const i of f.insns) {
        if (!io.has(i.ruleId)) continue;
        out.push(mkFinding(rule, whereOf(s), i.site, f.kind === 'asm' ? 'asm' : 'c', {}, { instruction: i.instruction }));
      }
    }
  }
}

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

function resolveVaHole(rule: Rule, files: FileSummary[], out: Finding[]): void {
  const m = rule.match.vaHole!;
  const ignore = m.ignoreNames ? new RegExp(m.ignoreNames) : undefined;
  const table: MacroTable = new Map<string, MacroDef>();
  for (const s of files) for (const d of s.macros) if (!table.has(d.name)) table.set(d.name, d);
  // 0xffffffff is (-1), a sentinel (NODEV) or a mask, never a mapping.
  const inHole = (v: number | undefined): v is number => v !== undefined && v >= m.min && v <= m.max && v !== 0xffffffff;
  // A macro used only as a mask (x & APICBASE_ADDRESS) is not an address.
  const uses = new Map<string, { masked: number; plain: number }>();
  for (const s of files)
    for (const n of s.names) {
      if (n.inDefine) continue;
      const u = uses.get(n.name) ?? { masked: 0, plain: 0 };
      if (n.masked) u.masked++;
      else u.plain++;
      uses.set(n.name, u);
    }
  const invocations = new Map<string, number | undefined>();
  const flagged = new Map<string, number>();
  for (const [name, d] of table) {
    if (d.params !== null || (ignore && ignore.test(name)) || /^\s*\(?\s*~/.test(d.body)) continue;
    const u = uses.get(name);
    if (u && u.plain === 0 && u.masked > 0) continue;
    const v = evaluateMacro(name, table);
    if (inHole(v)) flagged.set(name, v);
  }
  for (const s of files) {
    for (const d of s.macros) {
      const v = flagged.get(d.name);
      if (v === undefined || table.get(d.name) !== d) continue;
      const a = d.bodyStart;
      out.push(
        mkFinding(rule, whereOf(s), d.bodySite, d.lang, { VALUE: { text: hex(v), startByte: a, endByte: a + d.body.length }, NAME: { text: d.name, startByte: a, endByte: a } }, { instruction: `${d.name} = ${hex(v)}` }),
      );
    }
    for (const n of s.names) {
      if (n.masked || n.inDefine) continue;
      const v = flagged.get(n.name);
      if (v === undefined) continue;
      out.push(mkFinding(rule, whereOf(s), n.site, n.lang, { VALUE: { text: hex(v), startByte: n.site.startByte, endByte: n.site.endByte } }, { instruction: `${n.name} = ${hex(v)}` }));
    }
    for (const n of s.numbers) {
      if (n.masked || n.inDefine || !inHole(n.value)) continue;
      out.push(mkFinding(rule, whereOf(s), n.site, n.lang, { VALUE: { text: hex(n.value), startByte: n.site.startByte, endByte: n.site.endByte } }, { instruction: n.text }));
    }
    for (const c of s.calls) {
      const d = table.get(c.callee);
      if (!d || d.params === null || (ignore && ignore.test(c.callee))) continue;
      if (c.func >= 0 && s.funcs[c.func]?.kind === 'macro') continue;
      // The same invocation recurs (vtophys(va) in every file): evaluate each once.
      const key = `${c.callee}(${c.args.map((a) => a.text).join('\0')}`;
      let v = invocations.get(key);
      if (v === undefined && !invocations.has(key)) invocations.set(key, (v = evaluateMacro(c.callee, table, c.args.map((a) => a.text))));
      if (!inHole(v)) continue;
      out.push(mkFinding(rule, whereOf(s), c.site, 'c', { VALUE: { text: hex(v), startByte: c.site.startByte, endByte: c.site.endByte } }, { instruction: `${c.callee}(...) = ${hex(v)}` }));
    }
  }
}
