/*
 * The edit engine's first half: findings -> edits, from each rule's fix
 * (docs/CONTRACTS.md). `rules test`, `xenoport rewrite` and xenify all plan here
 * and apply with edit-apply.ts, so a rule's `fix:` test checks what xenify does.
 *  - the action under Xen (fix.xen) and the mode (global, or per rule) choose the
 *    template: breakpoint mode stubs every site whose rule does not `leave` it;
 *    hypercall mode uses the hypercall template of `hypercall`/`mask` rules and
 *    keeps a breakpoint stub, with a note, where the rule has no Xen form;
 *  - sites already ported (a call of the guest API, an assembler line marked
 *    `# xenoport:`) and `leave` sites get no edit;
 *  - several instructions of one C asm statement are one site, rewritten as one
 *    unit: `sti; hlt` blocks with events enabled (xen_halt), and the
 *    `pushfl; cli; ...; popfl` critical section saves, masks and restores the
 *    event mask around what is left of the statement; a statement no unit fits is
 *    skipped with a note naming it and its instructions, never an error;
 *  - a site nested in another site's capture (`*a = *b = 0`) is rewritten inside
 *    that capture's text;
 *  - a file that gets an edit gets the guest API's include once.
 * Pure: texts in, edits and notes out.
 */
import { expandTemplate } from './fix.js';
import { RewriteError } from '../errors.js';
import type { Edit, EditKind, Finding, FixSpec } from './types.js';

export type PlanMode = 'breakpoint' | 'hypercall';
/** Per-rule override; 'leave' drops the edit. */
export type RuleMode = PlanMode | 'leave';

export interface PlanOptions {
  mode: PlanMode;
  ruleModes?: Record<string, RuleMode>;
  /** Maps a finding's file (source path) to the path edits apply to; null skips it. */
  mapPath?: (file: string) => string | null;
  /** The line that includes the guest API; false: no include (rule tests). */
  includeLine?: string | false;
}

export interface PlanNote {
  ruleId: string;
  where: string;
  text: string;
}

export interface PlannedEdit extends Edit {
  kind: EditKind;
  where: string;
}

export interface Plan {
  edits: PlannedEdit[];
  notes: PlanNote[];
  /** Findings left native on purpose (leave, or already ported). */
  left: Finding[];
}

export const DEFAULT_INCLUDE = '#include <machine/xen/hypervisor.h>';

/** The comment that ends every multi-instruction assembler template (rules/*.yaml). */
export const ASM_MARKER = /#\s*xenoport:\s*[\w-]+\s*$/;

/** The text of the line holding offset `at` (without its newline). */
function lineAt(text: string, at: number): string {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  let end = text.indexOf('\n', at);
  if (end < 0) end = text.length;
  return text.slice(start, end).replace(/\r$/, '');
}

/**
 * Where to insert the include: after the last #include line that ends before
 * offset `before` (the first edited site); else after a leading include guard;
 * else at the top. Null when the file already includes it.
 */
export function includeAt(s: string, includeLine: string, before = s.length): { at: number; text: string } | null {
  if (s.includes(includeLine)) return null;
  const re = /^[ \t]*#[ \t]*include[^\n]*\n/gm;
  let at = -1;
  for (let m = re.exec(s); m && m.index + m[0].length <= before; m = re.exec(s)) at = m.index + m[0].length;
  if (at < 0) {
    const guard = /^(?:[ \t]*(?:\/\*[\s\S]*?\*\/)?[ \t]*\n)*[ \t]*#[ \t]*ifndef[ \t]+(\w+)[^\n]*\n[ \t]*#[ \t]*define[ \t]+\1\b[^\n]*\n/.exec(s);
    at = guard && guard[0].length <= before ? guard[0].length : 0;
  }
  return { at, text: `${includeLine}\n` };
}

interface Decision {
  f: Finding;
  target: string;
  where: string;
  template: string;
  bpTemplate: string;
  kind: EditKind;
  ruleId: string;
  message?: string;
  replacement?: string;
  absorbedBy?: Decision;
}

/**
 * Units: the instructions of one asm statement that only make sense together.
 * Each gives the statement's replacement from its text and the findings in it.
 */
interface Unit {
  name: string;
  /** Rule ids that must all be present; no other rewritten rule may be. */
  rules: string[];
  replace: (siteText: string, siteStart: number, members: Finding[]) => string;
}

/** The asm statement's text with the given instructions removed (their `;` stays: an empty statement to gas). */
function without(siteText: string, siteStart: number, members: Finding[]): string {
  const cuts = members
    .map((m) => m.captures.INSN)
    .filter((c) => c !== undefined)
    .sort((a, b) => b.startByte - a.startByte);
  let t = siteText;
  for (const c of cuts) t = t.slice(0, c.startByte - siteStart) + t.slice(c.endByte - siteStart);
  return t;
}

const UNITS: Unit[] = [
  // Xen 2.0's SCHEDOP_block clears the upcall mask before blocking: sti;hlt in one.
  { name: 'block', rules: ['sti', 'hlt'], replace: () => 'xen_halt()' },
  {
    name: 'critical-section',
    rules: ['pushf', 'cli', 'popf'],
    replace: (text, start, members) =>
      `({ u_int xeno_ef = xen_read_eflags(); xen_cli(); ${without(text, start, members)}; xen_write_eflags(xeno_ef); })`,
  },
];

/**
 * Plans the edits of a set of findings. `fixOf` gives each rule's fix;
 * `source` the ORIGINAL text (Latin-1) of a finding's file.
 */
export function planEdits(findings: readonly Finding[], fixOf: (ruleId: string) => FixSpec | undefined, source: (file: string) => string, options: PlanOptions): Plan {
  const notes: PlanNote[] = [];
  const left: Finding[] = [];
  const decisions: Decision[] = [];
  for (const f of findings) {
    const where = `${f.file}:${f.line}`;
    const fix = fixOf(f.ruleId);
    if (!fix) {
      notes.push({ ruleId: f.ruleId, where, text: 'no rule with this id is loaded; site left as is' });
      continue;
    }
    const target = options.mapPath ? options.mapPath(f.file) : f.file;
    if (target === null) {
      notes.push({ ruleId: f.ruleId, where, text: 'outside the trees being rewritten; site left as is' });
      continue;
    }
    const mode = options.ruleModes?.[f.ruleId] ?? options.mode;
    const text = source(f.file);
    // A site that already is a call into the guest Xen API (a rewritten tree) is ported.
    if (/^\s*\(?\{?\s*(?:u_int xeno_ef = )?(?:xen_\w+|HYPERVISOR_\w+|XENO_BREAKPOINT(?:_ASM)?)\s*\(/.test(text.slice(f.startByte, f.endByte))) {
      left.push(f);
      continue;
    }
    // An assembler rewrite is several instructions on the site's line, ending in the `# xenoport:` marker.
    if (f.language === 'asm' && ASM_MARKER.test(lineAt(text, f.startByte))) {
      left.push(f);
      continue;
    }
    if (mode === 'leave' || fix.xen === 'leave') {
      left.push(f);
      continue;
    }
    // Every C replacement is an expression of a function body; an asm statement at
    // file scope (7.x acpi_wakeup.c's acpi_restorecpu) has no such place.
    if (f.language === 'c' && atFileScope(text, f)) {
      notes.push({ ruleId: f.ruleId, where, text: `skipped: ${f.message}, in an asm statement at file scope, where a C replacement has no place; left as is` });
      left.push(f);
      continue;
    }
    const asm = f.language === 'asm';
    const bpTemplate = asm ? fix.breakpointAsm : fix.breakpoint;
    const d: Decision = { f, target, where, template: bpTemplate, bpTemplate, kind: 'breakpoint', ruleId: f.ruleId };
    if (mode === 'hypercall') {
      const hc = asm ? fix.hypercallAsm : fix.hypercall;
      if ((fix.xen === 'hypercall' || fix.xen === 'mask') && hc) {
        d.template = hc;
        d.kind = fix.xen;
      } else {
        d.message = fix.xen === 'breakpoint' ? `no Xen equivalent: ${f.message}` : `no ${asm ? 'assembler' : 'C'} hypercall template: ${f.message}`;
        notes.push({ ruleId: f.ruleId, where, text: `keeps a breakpoint stub (${d.message})` });
      }
    }
    decisions.push(d);
  }
  const units = unitsOf(decisions, source, notes);
  const children = absorbNested(units);
  for (const d of [...units].sort((x, y) => x.f.endByte - x.f.startByte - (y.f.endByte - y.f.startByte))) expand(d, children.get(d) ?? [], source(d.f.file), notes);

  const edits: PlannedEdit[] = [];
  const needsInclude = new Map<string, { file: string; first: number }>();
  for (const d of units) {
    if (d.absorbedBy) continue;
    edits.push({ file: d.target, startByte: d.f.startByte, endByte: d.f.endByte, replacement: d.replacement as string, ruleId: d.ruleId, kind: d.kind, where: d.where, message: d.message });
    // A replacement that names nothing of the guest API (SEL_KPL's 1, a masked
    // feature bit's 0) needs no header; a header such as segments.h is also read
    // by assembly, where the guest API's C would not assemble.
    if (!/\b(?:xen_|HYPERVISOR_|XENO_|XEN_)\w*/.test(d.replacement as string)) continue;
    const seen = needsInclude.get(d.target);
    needsInclude.set(d.target, { file: d.f.file, first: Math.min(seen?.first ?? Infinity, d.f.startByte) });
  }
  if (options.includeLine !== false) {
    const includeLine = options.includeLine ?? DEFAULT_INCLUDE;
    for (const [target, { file, first }] of needsInclude) {
      const ins = includeAt(source(file), includeLine, first);
      if (!ins) continue;
      edits.push({ file: target, startByte: ins.at, endByte: ins.at, replacement: ins.text, ruleId: 'xenify/include-hypervisor-h', kind: 'xenify', where: `${file}:1` });
    }
  }
  return { edits, notes, left };
}

/**
 * Decisions that share one site (the instructions of one C asm statement) become
 * one: a breakpoint stub when any of them traps, a unit's template when the
 * instructions form one, otherwise nothing, with a note naming the site.
 */
function unitsOf(decisions: Decision[], source: (file: string) => string, notes: PlanNote[]): Decision[] {
  const bySite = new Map<string, Decision[]>();
  for (const d of decisions) {
    const k = `${d.target}\0${d.f.startByte}\0${d.f.endByte}`;
    const list = bySite.get(k);
    if (list) list.push(d);
    else bySite.set(k, [d]);
  }
  const out: Decision[] = [];
  for (const group of bySite.values()) {
    const ids = [...new Set(group.map((d) => d.ruleId))];
    const first = group[0];
    if (ids.length <= 1) {
      out.push(first);
      continue;
    }
    // Any instruction that traps makes the whole statement one stub.
    const trap = group.find((d) => d.kind === 'breakpoint');
    if (trap) {
      out.push(trap);
      continue;
    }
    const unit = first.f.language === 'c' ? UNITS.find((u) => u.rules.every((r) => ids.includes(r)) && ids.every((r) => u.rules.includes(r))) : undefined;
    if (!unit) {
      notes.push({ ruleId: ids.join('+'), where: first.where, text: `skipped: one asm statement holds ${ids.join(', ')} and no unit template fits them together; left as is` });
      continue;
    }
    const text = source(first.f.file);
    const siteText = text.slice(first.f.startByte, first.f.endByte);
    out.push({ ...first, ruleId: unit.rules.join('+'), kind: 'hypercall', template: unit.replace(siteText, first.f.startByte, group.map((d) => d.f)).replace(/\$/g, '$$$$'), message: `${unit.name}: ${ids.join(', ')} in one asm statement` });
  }
  return out;
}

/** A site that is an asm statement begun at column 1: outside any function body. */
function atFileScope(text: string, f: Finding): boolean {
  if (f.col !== 1 || (f.startByte !== 0 && text[f.startByte - 1] !== '\n')) return false;
  return /^(?:__asm__|__asm|asm)\b/.test(text.slice(f.startByte, f.startByte + 8));
}

/** Marks each decision nested inside a capture of another as rewritten within it; returns each outer's children. */
function absorbNested(decisions: Decision[]): Map<Decision, Decision[]> {
  const inside = (a: { startByte: number; endByte: number }, b: { startByte: number; endByte: number }): boolean =>
    b.startByte <= a.startByte && a.endByte <= b.endByte && (a.startByte !== b.startByte || a.endByte !== b.endByte);
  const byFile = new Map<string, Decision[]>();
  for (const d of decisions) {
    const list = byFile.get(d.target);
    if (list) list.push(d);
    else byFile.set(d.target, [d]);
  }
  const children = new Map<Decision, Decision[]>();
  for (const list of byFile.values()) {
    // By start: the sites that can contain an inner one start at or before it and end after it.
    const byStart = [...list].sort((x, y) => x.f.startByte - y.f.startByte || y.f.endByte - x.f.endByte);
    for (let i = 0; i < byStart.length; i++) {
      const inner = byStart[i];
      // The smallest enclosing site whose captures hold the inner one.
      let best: Decision | undefined;
      for (let j = i - 1; j >= 0 && j >= i - 64; j--) {
        const outer = byStart[j];
        if (!inside(inner.f, outer.f)) continue;
        if (!Object.values(outer.f.captures).some((c) => inside(inner.f, c) || (c.startByte === inner.f.startByte && c.endByte === inner.f.endByte))) continue;
        if (!best || outer.f.endByte - outer.f.startByte < best.f.endByte - best.f.startByte) best = outer;
      }
      for (let j = i + 1; j < byStart.length && byStart[j].f.startByte === inner.f.startByte; j++) {
        const outer = byStart[j];
        if (!inside(inner.f, outer.f)) continue;
        if (!Object.values(outer.f.captures).some((c) => inside(inner.f, c) || (c.startByte === inner.f.startByte && c.endByte === inner.f.endByte))) continue;
        if (!best || outer.f.endByte - outer.f.startByte < best.f.endByte - best.f.startByte) best = outer;
      }
      if (!best) continue;
      inner.absorbedBy = best;
      const list2 = children.get(best);
      if (list2) list2.push(inner);
      else children.set(best, [inner]);
    }
  }
  return children;
}

/** Fills a decision's template (its absorbed children rewritten inside its captures). */
function expand(d: Decision, children: Decision[], text: string, notes: PlanNote[]): void {
  const f = d.f;
  const patched = (from: number, to: number): string => {
    let out = '';
    let pos = from;
    for (const c of [...children].sort((x, y) => x.f.startByte - y.f.startByte)) {
      if (c.f.startByte < from || c.f.endByte > to) continue;
      out += text.slice(pos, c.f.startByte) + (c.replacement as string);
      pos = c.f.endByte;
    }
    return out + text.slice(pos, to);
  };
  let g: Finding = f;
  let template = d.template;
  if (children.length) {
    const captures: Finding['captures'] = {};
    for (const [k, c] of Object.entries(f.captures)) captures[k] = { ...c, text: patched(c.startByte, c.endByte) };
    g = { ...f, captures };
    template = template.replace(/\$ORIG\b/g, () => patched(f.startByte, f.endByte));
  }
  try {
    d.replacement = expandTemplate(template, g, text);
  } catch (err) {
    if (!(err instanceof RewriteError) || d.template === d.bpTemplate) throw err;
    // A hypercall template this site cannot fill: keep the site trapping, and say why.
    d.message = `hypercall template not applicable (${err.message}): ${f.message}`;
    notes.push({ ruleId: f.ruleId, where: d.where, text: `keeps a breakpoint stub (${d.message})` });
    d.kind = 'breakpoint';
    d.replacement = expandTemplate(d.bpTemplate, f, text);
  }
}
