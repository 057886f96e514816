/*
 * Turns findings into edits from each rule's fix (docs/CONTRACTS.md):
 *  - the action under Xen (fix.xen) and the mode (global, or per rule from the
 *    pipeline file) choose the template: breakpoint mode stubs every site whose
 *    rule does not `leave` it; hypercall mode uses the hypercall template for
 *    `hypercall`/`mask` rules and keeps a breakpoint stub, with a note, where the
 *    rule has no Xen equivalent (`breakpoint`, or no template for the language);
 *  - `leave` sites (in/out after SET_IOPL, rdmsr, cpuid...) get no edit; the scan
 *    still reports them;
 *  - templates substitute $RULE, $WHERE (ORIGINAL file:line), $ORIG and captures.
 * A file that receives a C stub or call also gets `#include <xen/hypervisor.h>`
 * once, after its last top-level #include (inserted only if absent).
 */
import { expandTemplate as expandRuleTemplate, type Finding } from '../analyze/index.js';
import type { FixSpec } from '../analyze/index.js';
import { RewriteError } from '../errors.js';
import type { Edit, RewriteMode } from './types.js';

/** Per-rule override from the pipeline file; 'leave' drops the edit. */
export type RuleMode = RewriteMode | 'leave';

export interface PlanOptions {
  mode: RewriteMode;
  ruleModes?: Record<string, RuleMode>;
  /** Maps a finding's file (source path) to the path edits apply to; null skips it. */
  mapPath?: (file: string) => string | null;
  /** How the header is included from C/asm sources of the target tree. */
  includeLine?: string;
}

export interface PlanNote {
  ruleId: string;
  where: string;
  text: string;
}

export interface Plan {
  edits: Edit[];
  notes: PlanNote[];
  /** Findings left native on purpose ('leave'), counted for the report. */
  left: Finding[];
}

export const DEFAULT_INCLUDE = '#include <machine/xen/hypervisor.h>';

/** The comment that ends every multi-instruction assembler template (rules/*.yaml). */
export const ASM_MARKER = /#\s*xenoport:\s*[\w-]+\s*$/;

/** The text of the line holding byte `at` (without its newline). */
function lineAt(text: Buffer, at: number): string {
  const start = text.lastIndexOf(0x0a, at - 1) + 1;
  let end = text.indexOf(0x0a, at);
  if (end < 0) end = text.length;
  return text.subarray(start, end).toString('latin1').replace(/\r$/, '');
}

/**
 * Expands one template (src/analyze's expander: $RULE, $WHERE, $ORIG, captures);
 * throws RewriteError naming a capture the finding lacks.
 */
export function expandTemplate(template: string, f: Finding, sourceLatin1: string): string {
  return expandRuleTemplate(template, f, sourceLatin1);
}

/**
 * Where to insert the include: after the last #include line that ends before
 * byte `before` (the first edited site); else after a leading include guard;
 * else at the top. Null when the file already includes it.
 */
export function includeInsertion(text: Buffer, includeLine: string, before = text.length): { at: number; text: string } | null {
  const s = text.toString('latin1');
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

/**
 * Plans the edits of a set of findings. `fixOf` gives each rule's fix;
 * `source` the ORIGINAL bytes of a finding's file (for $ORIG and the include).
 */
export function planRewrite(
  findings: readonly Finding[],
  fixOf: (ruleId: string) => FixSpec | undefined,
  source: (file: string) => Buffer,
  options: PlanOptions,
): Plan {
  const notes: PlanNote[] = [];
  const left: Finding[] = [];
  interface Decision {
    f: Finding;
    target: string;
    where: string;
    template: string;
    bpTemplate: string;
    kind: Edit['kind'];
    message?: string;
    replacement?: string;
    absorbedBy?: Decision;
  }
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
    // A site that already is a call into the guest Xen API (a rewritten tree)
    // is ported: rewriting never replaces xen_*() / HYPERVISOR_*() calls.
    const siteText = source(f.file).subarray(f.startByte, f.endByte).toString('latin1');
    if (/^\s*(?:xen_\w+|HYPERVISOR_\w+|XENO_BREAKPOINT(?:_ASM)?)\s*\(/.test(siteText)) {
      left.push(f);
      continue;
    }
    // An assembler rewrite is several instructions on the site's line, ending in
    // the `# xenoport: <rule>` marker its template writes; they are the port.
    if (f.language === 'asm' && ASM_MARKER.test(lineAt(source(f.file), f.startByte))) {
      left.push(f);
      continue;
    }
    if (mode === 'leave' || fix.xen === 'leave') {
      left.push(f);
      continue;
    }
    const asm = f.language === 'asm';
    const bpTemplate = asm ? fix.breakpointAsm : fix.breakpoint;
    const d: Decision = { f, target, where, template: bpTemplate, bpTemplate, kind: 'breakpoint' };
    if (mode === 'hypercall') {
      const hc = asm ? fix.hypercallAsm : fix.hypercall;
      if ((fix.xen === 'hypercall' || fix.xen === 'mask') && hc) {
        d.template = hc;
        d.kind = fix.xen;
      } else {
        d.message =
          fix.xen === 'breakpoint'
            ? `no Xen equivalent: ${f.message}`
            : `no ${asm ? 'assembler' : 'C'} hypercall template: ${f.message}`;
        notes.push({ ruleId: f.ruleId, where, text: `keeps a breakpoint stub (${d.message})` });
      }
    }
    decisions.push(d);
  }

  // A site nested inside a capture of another site (`*a = *b = 0`) is rewritten
  // inside that capture's text; anything else that overlaps is left to planEdits.
  const inside = (a: { startByte: number; endByte: number }, b: { startByte: number; endByte: number }) =>
    b.startByte <= a.startByte && a.endByte <= b.endByte && (a.startByte !== b.startByte || a.endByte !== b.endByte);
  const byFile = new Map<string, Decision[]>();
  for (const d of decisions) byFile.set(d.target, [...(byFile.get(d.target) ?? []), d]);
  for (const list of byFile.values()) {
    list.sort((x, y) => x.f.endByte - x.f.startByte - (y.f.endByte - y.f.startByte));
    for (let i = 0; i < list.length; i++) {
      for (let j = i + 1; j < list.length; j++) {
        const inner = list[i];
        const outer = list[j];
        if (!inside(inner.f, outer.f)) continue;
        if (Object.values(outer.f.captures).some((c) => inside(inner.f, c) || (c.startByte === inner.f.startByte && c.endByte === inner.f.endByte))) {
          inner.absorbedBy = outer;
          break;
        }
      }
    }
  }
  const patched = (text: string, from: number, to: number, children: Decision[]): string => {
    let out = '';
    let pos = from;
    for (const c of [...children].sort((x, y) => x.f.startByte - y.f.startByte)) {
      if (c.f.startByte < from || c.f.endByte > to) continue;
      out += text.slice(pos, c.f.startByte) + (c.replacement as string);
      pos = c.f.endByte;
    }
    return out + text.slice(pos, to);
  };
  const ordered = [...decisions].sort((x, y) => x.f.endByte - x.f.startByte - (y.f.endByte - y.f.startByte));
  for (const d of ordered) {
    const f = d.f;
    const text = source(f.file).toString('latin1');
    const children = decisions.filter((c) => c.absorbedBy === d);
    let g: Finding = f;
    let template = d.template;
    if (children.length) {
      const captures: Finding['captures'] = {};
      for (const [k, c] of Object.entries(f.captures)) captures[k] = { ...c, text: patched(text, c.startByte, c.endByte, children) };
      g = { ...f, captures };
      template = template.replace(/\$ORIG\b/g, () => patched(text, f.startByte, f.endByte, children));
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

  const edits: Edit[] = [];
  const needsInclude = new Map<string, { file: string; first: number }>();
  for (const d of decisions) {
    if (d.absorbedBy) continue;
    edits.push({
      file: d.target,
      startByte: d.f.startByte,
      endByte: d.f.endByte,
      replacement: d.replacement as string,
      ruleId: d.f.ruleId,
      kind: d.kind,
      where: d.where,
      message: d.message,
    });
    const seen = needsInclude.get(d.target);
    needsInclude.set(d.target, { file: d.f.file, first: Math.min(seen?.first ?? Infinity, d.f.startByte) });
  }
  const includeLine = options.includeLine ?? DEFAULT_INCLUDE;
  for (const [target, { file, first }] of needsInclude) {
    const ins = includeInsertion(source(file), includeLine, first);
    if (!ins) continue;
    edits.push({
      file: target,
      startByte: ins.at,
      endByte: ins.at,
      replacement: ins.text,
      ruleId: 'xenify/include-hypervisor-h',
      kind: 'xenify',
      where: `${file}:1`,
    });
  }
  return { edits, notes, left };
}
