/*
 * Uses of the hypervisor's hole at the top of the address space: number
 * literals, object-like macros whose value is in it, and function-like macro
 * invocations that evaluate into it.
 */
import type { Finding, Rule } from './types.js';
import { NAME_ASM, NAME_IN_DEFINE, NAME_MASKED, NAME_RECOVERED, type FileSummary, type MacroDef } from './summary.js';
import { evaluateMacro, type MacroTable } from './macro-eval.js';
import { mkFinding, whereOf } from './extract-common.js';

function hex(v: number): string {
  return `0x${v.toString(16).padStart(8, '0')}`;
}

export function resolveVaHole(rule: Rule, files: FileSummary[], out: Finding[]): void {
  const m = rule.match.vaHole!;
  const ignore = m.ignoreNames ? new RegExp(m.ignoreNames) : undefined;
  const table: MacroTable = new Map<string, MacroDef>();
  for (const s of files) for (const d of s.macros) if (!table.has(d.name)) table.set(d.name, d);
  // 0xffffffff is (-1), a sentinel (NODEV) or a mask, never a mapping.
  const inHole = (v: number | undefined): v is number => v !== undefined && v >= m.min && v <= m.max && v !== 0xffffffff;
  // A macro used only as a mask (x & APICBASE_ADDRESS) is not an address.
  const uses = new Map<string, { masked: number; plain: number }>();
  // Name uses are the most numerous fact: tuples read by index (destructuring
  // runs the iterator protocol per tuple until the loop is optimized).
  for (const s of files)
    for (const use of s.names) {
      const flags = use[3];
      if (flags & NAME_IN_DEFINE) continue;
      let u = uses.get(use[0]);
      if (u === undefined) uses.set(use[0], (u = { masked: 0, plain: 0 }));
      if (flags & NAME_MASKED) u.masked++;
      else u.plain++;
    }
  const invocations = new Map<string, number | undefined>();
  const flagged = new Map<string, number>();
  table.forEach((d, name) => {
    if (d.params !== null || (ignore && ignore.test(name)) || /^\s*\(?\s*~/.test(d.body)) return;
    const u = uses.get(name);
    if (u && u.plain === 0 && u.masked > 0) return;
    const v = evaluateMacro(name, table);
    if (inHole(v)) flagged.set(name, v);
  });
  for (const s of files) {
    for (const d of s.macros) {
      const v = flagged.get(d.name);
      if (v === undefined || table.get(d.name) !== d) continue;
      const a = d.bodyStart;
      out.push(
        mkFinding(rule, whereOf(s), d.bodySite, d.lang, { VALUE: { text: hex(v), startByte: a, endByte: a + d.body.length }, NAME: { text: d.name, startByte: a, endByte: a } }, { instruction: `${d.name} = ${hex(v)}` }),
      );
    }
    for (const use of s.names) {
      const flags = use[3];
      if (flags & (NAME_MASKED | NAME_IN_DEFINE)) continue;
      const v = flagged.get(use[0]);
      if (v === undefined) continue;
      const [name, startByte, endByte] = use;
      const site = { startByte, endByte, recovered: (flags & NAME_RECOVERED) !== 0 };
      out.push(mkFinding(rule, whereOf(s), site, flags & NAME_ASM ? 'asm' : 'c', { VALUE: { text: hex(v), startByte, endByte } }, { instruction: `${name} = ${hex(v)}` }));
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
