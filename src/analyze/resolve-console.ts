/*
 * The console path: the routines printf reaches (through calls and functions
 * stored in struct fields), and the port I/O beneath them. Field stores made by
 * a macro invoked at file scope are expanded from the macro's definition in the
 * tree's headers: FreeBSD's `CONSOLE_DRIVER(sio);` (sys/cons.h) builds a
 * consdev_ops with `.cn_putc = name##_cnputc`, the only link between
 * cnputc's `cn->cn_ops->cn_putc(cn, c)` and sio_cnputc.
 */
import type { Capture, Finding, Rule } from './types.js';
import type { FileSummary, FuncInfo } from './summary.js';
import { mkFinding, whereOf } from './extract-common.js';
import { callsOf, type CalleeIds } from './call-table.js';
import { argCaptures, argTexts, callArgs, type SourceTexts } from './resolve-common.js';

/** FreeBSD's console switch: kern_cons.c's cnputc calls `cn->cn_ops->cn_putc(cn, c)`. */
const SWITCH = '*cn_putc';
/** Busy-wait delays and timekeeping sit below console drivers but are the timer's, not output. */
const STOP = new Set(['DELAY', '*tc_get_timecount', 'cpu_ticks', 'sysbeep']);

export function resolveConsole(
  rule: Rule,
  defs: Map<string, { f: FuncInfo; s: FileSummary }>,
  files: FileSummary[],
  callees: CalleeIds,
  wrapperSet: (name: string) => Map<string, { instruction: string; via: string[] }> | null,
  out: Finding[],
  texts: SourceTexts,
): void {
  const m = rule.match.console!;
  const io = new Set(m.portIo);
  const { viaField, walk } = callGraph(defs, files, texts);
  const targets = (callee: string): string[] => (callee.startsWith('*') ? [...(viaField.get(callee) ?? [])] : [callee]);
  const fromEntry = walk(m.entry);
  let reach: Set<string>;
  // A console switch narrows the path: below it only what the console drivers'
  // putc functions reach is console output, not everything else printf's
  // callees touch (timecounters, the bell, the message buffer).
  const switches = fromEntry.filter((n) => defs.get(n)!.f.calls.includes(SWITCH));
  if (switches.length === 0) reach = new Set(fromEntry);
  else if (viaField.has(SWITCH)) reach = new Set([...switches, ...walk(targets(SWITCH))]);
  else {
    // A switch whose drivers are not in the scan (kern/ scanned without dev/): the
    // switch's calls are where the characters go; nothing else printf reaches is output.
    if (m.part !== 'routine') return;
    const at = new Set(switches);
    for (const s of files)
      for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
        if (calls.callee[i] !== SWITCH) continue;
        const c = calls.at(i);
        if (c.func < 0 || !at.has(s.funcs[c.func]?.name) || defs.get(s.funcs[c.func].name)?.f !== s.funcs[c.func]) continue;
        const args = callArgs(c, texts(s));
        const captures = argCaptures(args);
        if (args.length > 0) captures.CHAR = args[args.length - 1];
        out.push(mkFinding(rule, whereOf(s), c.site, 'c', captures, { instruction: 'the console switch (cn_putc)', via: [SWITCH.slice(1)] }));
      }
    return;
  }
  // A leaf port-I/O wrapper (inb, outb): its body is port I/O and calls nothing.
  // Asked of every function on the path and of each of their callees: decided once per name.
  const leaves = new Map<string, boolean>();
  const pureIo = (name: string): boolean => {
    let v = leaves.get(name);
    if (v === undefined) {
      const d = defs.get(name);
      v = !!d && d.f.calls.length === 0 && d.f.insns.length > 0 && d.f.insns.every((i) => io.has(i.ruleId)) && !!wrapperSet(name);
      leaves.set(name, v);
    }
    return v;
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
  const switched = switches.length > 0 && viaField.has(SWITCH);
  if (switched) {
    // Behind a console switch the drivers' putc functions are the routines: the
    // character is theirs, while the lowest port-I/O function may be a status
    // poll (sio's siocntxwait(iobase)) whose argument is not a character.
    const below = [...routines.values()];
    const lowest = new Map<string, string>();
    for (const t of targets(SWITCH)) {
      const sub = walk([t]).filter((n) => routines.has(n));
      if (sub.length > 0) lowest.set(t, routines.get(t) ?? below.find((i) => /^out/.test(i)) ?? routines.get(sub[0])!);
    }
    routines.clear();
    lowest.forEach((v, k) => routines.set(k, v));
  } else {
    // Only the lowest routines: drop a routine that calls another routine.
    for (const n of [...routines.keys()]) if (defs.get(n)!.f.calls.flatMap(targets).some((c) => c !== n && routines.has(c))) routines.delete(n);
  }
  if (m.part === 'routine') {
    const called = new Set<string>();
    // The routine a call reaches depends on the callee alone: decided once per name.
    const hits = callees.answers((callee) => targets(callee).find((t) => routines.has(t)));
    files.forEach((s, fi) => {
      const ids = callees.ofFile[fi];
      for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
        const hit = hits[ids[i]];
        if (hit === undefined) continue;
        const c = calls.at(i);
        // Calls from outside the console path (a driver's own use) are not printf's.
        if (c.func >= 0 && !reach.has(s.funcs[c.func]?.name)) continue;
        called.add(hit);
        const args = callArgs(c, texts(s));
        const captures = argCaptures(args);
        if (args.length > 0) captures.CHAR = args[args.length - 1];
        out.push(mkFinding(rule, whereOf(s), c.site, 'c', captures, { instruction: routines.get(hit)!, via: c.callee.startsWith('*') ? [c.callee.slice(1), hit] : [hit] }));
      }
    });
    for (const [n, ins] of routines) {
      if (called.has(n)) continue;
      const d = defs.get(n)!;
      const captures: Record<string, Capture> = {};
      out.push(mkFinding(rule, whereOf(d.s), d.f.site, d.f.kind === 'asm' ? 'asm' : 'c', captures, { instruction: ins, via: [n] }));
    }
    return;
  }
  // Port I/O under the routines (behind a switch: anywhere on the drivers' path):
  // calls to port-I/O wrappers and direct instructions.
  // Behind a switch, a driver's output path is its own file's functions and the
  // headers' accessors (bus.h): what else its putc can reach (a video driver's
  // mode setting in other files, the RTC) is not the per-character path.
  const driverFiles = new Set(targets(SWITCH).flatMap((t) => (defs.has(t) ? [defs.get(t)!.s.file] : [])));
  const onPath = (n: string): boolean => {
    const f = defs.get(n)!.s.file;
    return switches.includes(n) || driverFiles.has(f) || f.endsWith('.h');
  };
  const under = switched ? new Set([...reach].filter((n) => !pureIo(n) && onPath(n))) : new Set(routines.keys());
  for (const s of files) {
    // Which of the file's functions are on the path, as the tree's definition of their name: decided per function, not per call.
    const mine = s.funcs.map((f) => under.has(f.name) && defs.get(f.name)?.f === f);
    if (!mine.includes(true)) continue;
    for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
      const fi = calls.func(i);
      if (fi < 0 || !mine[fi]) continue;
      const c = calls.at(i);
      if (!pureIo(c.callee)) continue;
      const w = wrapperSet(c.callee)!;
      const info = [...w.values()][0];
      out.push(mkFinding(rule, whereOf(s), c.site, 'c', argCaptures(callArgs(c, texts(s))), { instruction: info.instruction, via: info.via }));
    }
    for (const [j, f] of s.funcs.entries()) {
      if (!mine[j]) continue;
      for (const i of f.insns) {
        if (!io.has(i.ruleId)) continue;
        out.push(mkFinding(rule, whereOf(s), i.site, f.kind === 'asm' ? 'asm' : 'c', {}, { instruction: i.instruction }));
      }
    }
  }
}

interface CallGraph {
  /** Functions stored in struct fields: '*field' -> names. */
  viaField: Map<string, Set<string>>;
  /** The functions reached from `from` through calls, field calls and references (read only: shared). */
  walk: (from: string[]) => readonly string[];
}

/** One per resolution (both console rules walk the same graph, often from the same names). */
const graphs = new WeakMap<Map<string, unknown>, CallGraph>();

function callGraph(defs: Map<string, { f: FuncInfo; s: FileSummary }>, files: FileSummary[], texts: SourceTexts): CallGraph {
  const known = graphs.get(defs);
  if (known) return known;
  const order = new Map<string, string[]>();
  for (const s of files) for (const [k, v] of Object.entries(s.structs)) if (!order.has(k)) order.set(k, v);
  const viaField = new Map<string, Set<string>>();
  const stored = (field: string, fn: string): void => {
    const set = viaField.get(`*${field}`) ?? new Set<string>();
    set.add(fn);
    viaField.set(`*${field}`, set);
  };
  for (const s of files)
    for (const fi of s.fieldInits) {
      const field = fi.field ?? order.get(fi.struct)?.[fi.index];
      if (field) stored(field, fi.fn);
    }
  for (const [field, fn] of macroFieldInits(files, order, texts)) stored(field, fn);
  /*
   * The walks go over functions numbered on first sight (only names with a
   * definition, not stopped: nothing else is ever visited), each function's
   * successors resolved once into ids: a console rule walks from printf and
   * again from every console driver's putc, over much of the same graph.
   */
  const ids = new Map<string, number>();
  const names: string[] = [];
  const succ: Array<Int32Array | undefined> = [];
  const idOf = (n: string): number => {
    let i = ids.get(n);
    if (i === undefined) ids.set(n, (i = defs.has(n) && !STOP.has(n) ? names.push(n) - 1 : -1));
    return i;
  };
  // Callees (a field call: every function stored in the field), then references, in order.
  const successors = (i: number): Int32Array => {
    const known = succ[i];
    if (known) return known;
    const f = defs.get(names[i])!.f;
    const out: number[] = [];
    const add = (n: string): void => {
      const j = idOf(n);
      if (j >= 0) out.push(j);
    };
    for (const x of f.calls) {
      if (STOP.has(x)) continue;
      if (!x.startsWith('*')) add(x);
      else viaField.get(x)?.forEach(add);
    }
    for (const r of f.refs) add(r);
    return (succ[i] = Int32Array.from(out));
  };
  // mark[i] === epoch: visited by the current walk.
  const mark = new Int32Array(defs.size);
  let epoch = 0;
  const walks = new Map<string, string[]>();
  const walk = (from: string[]): string[] => {
    const key = from.join('\0');
    const done = walks.get(key);
    if (done) return done;
    const seen: string[] = [];
    const stack: number[] = [];
    for (const n of from) {
      const i = idOf(n);
      if (i >= 0) stack.push(i);
    }
    epoch++;
    // Depth first, last pushed first: the order of `seen` is the order callers rely on.
    while (stack.length > 0) {
      const i = stack.pop()!;
      if (mark[i] === epoch) continue;
      mark[i] = epoch;
      seen.push(names[i]);
      const next = successors(i);
      for (let k = 0; k < next.length; k++) if (mark[next[k]] !== epoch) stack.push(next[k]);
    }
    walks.set(key, seen);
    return seen;
  };
  const g = { viaField, walk };
  graphs.set(defs, g);
  return g;
}

/** A struct object defined with a positional initializer: `struct consdev sio_consdev = { a, b, ... }`. */
const POSITIONAL = /struct\s+(\w+)\s+[\w#\s]+=\s*\{([^{}.]*)\}/;

/**
 * [field, function] pairs of the initializers that file-scope macro invocations
 * expand to: designated (`.cn_putc = name##_cnputc`, 8.x and later) or
 * positional in the struct's field order (`CONS_DRIVER(sio, ..., siocnputc, ...)`
 * building `{ probe, init, term, getc, checkc, putc, dbctl }`, 5.x-7.x).
 */
function macroFieldInits(files: FileSummary[], order: Map<string, string[]>, texts: SourceTexts): Array<[string, string]> {
  const defs = new Map<string, { params: string[]; body: string }>();
  for (const s of files)
    for (const d of s.macros)
      if (d.params !== null && !defs.has(d.name) && (/\.\s*\w+\s*=/.test(d.body) || POSITIONAL.test(d.body))) defs.set(d.name, { params: d.params, body: d.body });
  const out: Array<[string, string]> = [];
  if (defs.size === 0) return out;
  const seen = new Set<string>();
  for (const s of files)
    for (let i = 0, calls = callsOf(s); i < calls.length; i++) {
      const d = calls.func(i) < 0 ? defs.get(calls.callee[i]) : undefined;
      if (!d) continue;
      const c = calls.at(i);
      const args = argTexts(c, texts(s));
      const key = `${c.callee}(${args.join(',')})`;
      if (seen.has(key)) continue;
      seen.add(key);
      const body = d.body.replace(/\b[A-Za-z_]\w*\b/g, (w) => {
        const i = d.params.indexOf(w);
        return i >= 0 ? (args[i]?.trim() ?? w) : w;
      });
      const pasted = body.replace(/\s*##\s*/g, '');
      for (const m of pasted.matchAll(/\.\s*(\w+)\s*=\s*&?\s*([A-Za-z_]\w*)\s*[,}]/g)) out.push([m[1], m[2]]);
      const pos = POSITIONAL.exec(pasted);
      const fields = pos ? order.get(`struct ${pos[1]}`) : undefined;
      if (pos && fields)
        pos[2].split(',').forEach((v, i) => {
          const fn = v.trim().replace(/^&\s*/, '');
          if (i < fields.length && /^[A-Za-z_]\w*$/.test(fn) && fn !== 'NULL') out.push([fields[i], fn]);
        });
    }
  return out;
}
