/*
 * Direct page-table entry writes (and reads used as addresses): stores, helper
 * calls and block operations whose target the entry typing says is an entry.
 */
import picomatch from 'picomatch';
import type { Capture, Finding, Rule } from './types.js';
import type { FileSummary, SExpr } from './summary.js';
import { makeSite, mkFinding, whereOf } from './extract-common.js';
import { callsOf, type CalleeIds } from './call-table.js';
import { argCaptures, callArgs, cut, synth, type SourceTexts } from './resolve-common.js';
import type { Types } from './entry-types.js';

function helperValue(name: string, ptr: string, args: Capture[]): string {
  const a = (i: number): string => args[i]?.text ?? '0';
  if (/readandclear|load_clear|pte_clear|pde_clear/.test(name)) return '0';
  if (/cmpset/.test(name)) return a(2);
  if (/set/.test(name)) return `*(${ptr}) | (${a(1)})`;
  if (/clear/.test(name)) return `*(${ptr}) & ~(${a(1)})`;
  if (/subtract/.test(name)) return `*(${ptr}) - (${a(1)})`;
  if (/add/.test(name)) return `*(${ptr}) + (${a(1)})`;
  return a(1);
}

/*
 * One function per kind of site, called file by file (so findings keep their
 * order): each is compiled on its own, instead of one function that every PTE
 * rule ran through, recompiled each time another rule took a branch it had not.
 * What a callee is to the rule (a helper, a block operation, a sink) is decided
 * once per name (CalleeIds).
 */
export function resolvePte(rule: Rule, files: FileSummary[], callees: CalleeIds, types: Types, out: Finding[], texts: SourceTexts): void {
  const m = rule.match.pte!;
  const test = m.helpers.length > 0 ? picomatch(m.helpers) : undefined;
  const helper = test ? callees.answers((n) => test(n)) : undefined;
  const ops = m.blockOps;
  const blockOps = Object.keys(ops).length > 0 ? callees.answers((n) => (Object.hasOwn(ops, n) ? ops[n] : undefined)) : undefined;
  const sinks = new Set(m.addressSinks);
  const sink = m.kind === 'read' ? callees.answers((n) => sinks.has(n)) : undefined;
  const tablePages = m.tablePages;
  const tablePage = tablePages ? callees.answers((n) => tablePages.includes(n)) : undefined;
  files.forEach((s, fi) => {
    const ids = callees.ofFile[fi];
    if (sink) {
      entryReads(rule, s, types, out, texts);
      sinkReads(rule, s, ids, sink, types, out, texts);
      return;
    }
    if (tablePage) {
      for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
        if (!calls.becomesTable(i) || !tablePage[ids[i]]) continue;
        const c = calls.at(i);
        out.push(mkFinding(rule, whereOf(s), c.site, 'c', argCaptures(callArgs(c, texts(s))), { instruction: c.callee }));
      }
      return;
    }
    if (!helper && !blockOps) storeWrites(rule, s, types, out, texts);
    if (helper) helperWrites(rule, s, ids, helper, types, out, texts);
    if (blockOps) blockWrites(rule, s, ids, blockOps, types, out, texts);
  });
}

/** `*pte = v`, `pte[i] |= v`, `++*pte`, a global entry assigned. */
function storeWrites(rule: Rule, s: FileSummary, types: Types, out: Finding[], texts: SourceTexts): void {
  const m = rule.match.pte!;
  for (const w of s.writes) {
    // A struct member holding an entry (act.newpde, pv->pv_pde) is not page-table
    // memory: page tables are arrays of entries, reached by pointer or index. A
    // member of such an element is (a descriptor's gdt[i].sd), for rules that ask.
    if (w.lhsKind === 'field') {
      if (!m.tableFields || !memberOfElement(w.lhs, s, types, w.start)) continue;
      if ((types.level(w.lhs, s) === 0) !== (m.tableFields === 'whole')) continue;
    } else if (m.tableFields === 'part') continue;
    else if (w.lhsKind === 'name' ? w.lhs.k !== 'name' || types.globalLevel(w.lhs.name) !== 0 : types.level(w.lhs, s) !== 0) continue;
    const text = texts(s);
    const lhs = cut(text, w.lhsStart, w.lhsEnd);
    const rhs = w.rhsStart >= 0 ? cut(text, w.rhsStart, w.rhsEnd) : undefined;
    const ptr = w.lhsKind === 'deref' && w.ptrStart >= 0 ? cut(text, w.ptrStart, w.ptrEnd) : synth(`&${lhs.text}`, lhs);
    let val: string;
    if (w.op === '=') val = rhs!.text;
    else if (w.op === '++') val = `${lhs.text} + 1`;
    else if (w.op === '--') val = `${lhs.text} - 1`;
    else val = `${lhs.text} ${w.op.slice(0, -1)} (${rhs!.text})`;
    const captures: Record<string, Capture> = { PTR: ptr, VAL: synth(val, rhs ?? lhs), LHS: lhs };
    if (rhs) captures.RHS = rhs;
    out.push(mkFinding(rule, whereOf(s), makeSite(w.start, w.end, w.recovered), 'c', captures, w.op === '=' ? {} : { instruction: w.op }));
  }
}

/**
 * Is a member expression part of a table element: `t[i].f`, `(*p).f`, `p->f`
 * (p a pointer to an element), through nested members (`gdt[i].sd.sd_type`)?
 * A member of a variable (`sd.sd_type` of a local descriptor being built) is not.
 */
function memberOfElement(e: SExpr, s: FileSummary, types: Types, at: number): boolean {
  for (let depth = 0; e.k === 'field' && depth < 8; depth++) {
    // Through a parameter (ssdtosd(ssd, sdp) filling `sdp->sd_type`), the caller names the table or variable.
    if (e.arrow) {
      const base = e.base;
      if (types.level(base, s) !== 1 || freshBuffer(base, s) || isParam(base, s)) return false;
      // A pointer that points into a table somewhere in the function may point at a buffer here.
      const r = reaching(base, s, at);
      return !(r && (freshBuffer(r, s) || fromParam(r, s)));
    }
    const b = e.base;
    if (b.k === 'index' || b.k === 'deref') return types.level(b, s) === 0 && !freshBuffer(b, s);
    e = b;
  }
  return false;
}

function isParam(e: SExpr, s: FileSummary): boolean {
  return e.k === 'local' && s.funcs[e.f]?.params.includes(e.name) === true;
}

/**
 * The value a local holds at byte `at` of its function: the last assignment
 * before it in the text (undefined when none is recorded before it). Straight-line
 * code only: an assignment later in a loop body can reach an earlier use, which
 * this does not see; it is asked only to drop a finding whose pointer was just
 * pointed elsewhere (i386_set_ldt's `dp = &descs[i]` before `dp->sd.sd_p = 0`).
 */
function reaching(e: SExpr, s: FileSummary, at: number): SExpr | undefined {
  if (e.k !== 'local') return undefined;
  const v = s.funcs[e.f] && Object.hasOwn(s.funcs[e.f].locals, e.name) ? s.funcs[e.f].locals[e.name] : undefined;
  if (!v?.at) return undefined;
  let best = -1;
  for (let i = 0; i < v.at.length; i++) if (v.at[i] < at && (best < 0 || v.at[i] > v.at[best])) best = i;
  return best >= 0 ? v.from[best] : undefined;
}

/** An address computed from a parameter (`&descs[i]`, `descs + i`): the caller's memory, the caller's finding. */
function fromParam(e: SExpr, s: FileSummary, depth = 0): boolean {
  if (depth > 8) return false;
  switch (e.k) {
    case 'local':
      return isParam(e, s);
    case 'cast':
    case 'addr':
    case 'index':
      return fromParam(e.e, s, depth + 1);
    case 'arith':
      return fromParam(e.a, s, depth + 1);
    default:
      return false;
  }
}

/**
 * Does a pointer only ever hold memory the function allocated itself (`descs =
 * kmem_alloc(...)`, `dp = &descs[i]`)? Such a buffer is not a registered table
 * yet: the entries are copied into one later, which is where the finding is.
 */
function freshBuffer(e: SExpr, s: FileSummary, depth = 0): boolean {
  if (depth > 8) return false;
  switch (e.k) {
    case 'local': {
      const v = s.funcs[e.f] && Object.hasOwn(s.funcs[e.f].locals, e.name) ? s.funcs[e.f].locals[e.name] : undefined;
      return v !== undefined && v.from.length > 0 && v.from.every((x) => freshBuffer(x, s, depth + 1));
    }
    case 'call':
      return /alloc/.test(e.name);
    case 'cast':
    case 'addr':
    case 'index':
    case 'deref':
      return freshBuffer(e.e, s, depth + 1);
    case 'arith':
      return freshBuffer(e.a, s, depth + 1);
    default:
      return false;
  }
}

/** pte_store(pte, v), atomic_set_int(pte, bits) and the like on an entry pointer. */
function helperWrites(rule: Rule, s: FileSummary, ids: Int32Array, helper: boolean[], types: Types, out: Finding[], texts: SourceTexts): void {
  for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
    if (!helper[ids[i]] || !calls.hasArgTypes(i)) continue;
    const c = calls.at(i);
    if (types.level(c.argTypes[0], s) !== 1) continue;
    const args = callArgs(c, texts(s));
    const captures = argCaptures(args);
    captures.PTR = args[0];
    captures.VAL = synth(helperValue(c.callee, args[0].text, args), args[0]);
    out.push(mkFinding(rule, whereOf(s), c.site, 'c', captures, { instruction: c.callee }));
  }
}

/** bzero/memset/bcopy of a page-table page. */
function blockWrites(rule: Rule, s: FileSummary, ids: Int32Array, blockOps: Array<number | undefined>, types: Types, out: Finding[], texts: SourceTexts): void {
  for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
    const di = blockOps[ids[i]];
    if (di === undefined) continue;
    const c = calls.at(i);
    if (c.argTypes.length <= di) continue;
    const t = c.argTypes[di];
    const l = types.level(t, s);
    if (l === null || l < 1) continue;
    // `&v` of one entry held in a variable (a descriptor being built) is not a table.
    if (t.k === 'addr' && (t.e.k === 'local' || t.e.k === 'name') && l === 1) continue;
    const args = callArgs(c, texts(s));
    const captures = argCaptures(args);
    captures.DST = args[di];
    captures.LEN = args[args.length - 1];
    const srcIdx = args.length === 3 ? [0, 1].find((i) => i !== di) : undefined;
    if (srcIdx !== undefined && c.callee !== 'memset') captures.SRC = args[srcIdx];
    out.push(mkFinding(rule, whereOf(s), c.site, 'c', captures, { instruction: c.callee }));
  }
}

/** `entry & PG_FRAME`: an entry's frame used as an address. */
function entryReads(rule: Rule, s: FileSummary, types: Types, out: Finding[], texts: SourceTexts): void {
  for (const k of s.masks) {
    if (types.level(k.entry, s) !== 0) continue;
    const entry = cut(texts(s), k.entryStart, k.entryEnd);
    out.push(mkFinding(rule, whereOf(s), k.site, 'c', { ENTRY: entry, MASK: synth(k.mask, entry) }, { instruction: `& ${k.mask}` }));
  }
}

/** An entry passed to a routine that takes an address. */
function sinkReads(rule: Rule, s: FileSummary, ids: Int32Array, sink: boolean[], types: Types, out: Finding[], texts: SourceTexts): void {
  for (let n = 0, calls = callsOf(s); n < calls.length; n++) {
    if (!sink[ids[n]]) continue;
    const c = calls.at(n);
    c.argTypes.forEach((t, i) => {
      if (types.level(t, s) !== 0) return;
      out.push(mkFinding(rule, whereOf(s), c.argSites[i], 'c', { ENTRY: callArgs(c, texts(s))[i] }, { instruction: `${c.callee}()` }));
    });
  }
}
