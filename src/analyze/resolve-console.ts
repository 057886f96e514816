/*
 * The console path: the routines printf reaches (through calls and functions
 * stored in struct fields), and the port I/O beneath them.
 */
import type { Capture, Finding, Rule } from './types.js';
import type { FileSummary, FuncInfo } from './summary.js';
import { mkFinding, whereOf } from './extract-common.js';
import { argCaptures } from './resolve-common.js';

export function resolveConsole(
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
    // The routine a call reaches depends on the callee alone: decided once per name.
    const hits = new Map<string, string | undefined>();
    const hitOf = (callee: string): string | undefined => {
      if (!hits.has(callee)) hits.set(callee, targets(callee).find((t) => routines.has(t)));
      return hits.get(callee);
    };
    for (const s of files)
      for (const c of s.calls) {
        const hit = hitOf(c.callee);
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
