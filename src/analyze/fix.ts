/*
 * Fix templates: Finding -> Edit. A template is text with $NAME holes filled
 * from the finding's captures, plus $RULE (rule id), $WHERE (original file:line)
 * and $ORIG (the original text of the site); `$$` is a literal `$` (assembler
 * immediates such as `$$MMUEXT_NEW_BASEPTR`). The edit replaces the finding's
 * byte range [startByte, endByte) in the ORIGINAL file.
 *   mode 'hypercall': the rule's action under Xen: hypercall/mask -> hypercall
 *                     template, breakpoint -> breakpoint template, leave -> none.
 *   mode 'breakpoint': seed step 8, every site that is not left alone traps.
 * Assembly sites use the -asm templates (falling back to the breakpoint).
 */
import { RewriteError } from '../errors.js';
import type { Edit, Finding, FixMode, Rule } from './types.js';
import { applyEditsToText } from './edit-apply.js';

/** The template a finding uses in `mode`, or undefined when the site is left alone. */
export function templateFor(f: Finding, rule: Rule, mode: FixMode): string | undefined {
  const fix = rule.fix;
  if (fix.xen === 'leave') return undefined;
  const asm = f.language === 'asm';
  const breakpoint = asm ? fix.breakpointAsm : fix.breakpoint;
  if (mode === 'breakpoint' || fix.xen === 'breakpoint') return breakpoint;
  const hyper = asm ? fix.hypercallAsm : fix.hypercall;
  return hyper ?? breakpoint;
}

/** Fills a template's holes; throws RewriteError naming a capture the finding lacks. */
export function expandTemplate(template: string, f: Finding, source?: string): string {
  return template.replace(/\$(\$|[A-Z][A-Z0-9_]*)(?:\{([A-Za-z_]\w*)\})?/g, (_m, name: string, reader?: string) => {
    if (name === '$') return '$';
    if (reader !== undefined) return readModifyWrite(f, name, reader);
    if (name === 'RULE') return f.ruleId;
    if (name === 'WHERE') return `${f.file}:${f.line}`;
    if (name === 'ORIG') {
      if (source === undefined) throw new RewriteError(`template of ${f.ruleId} needs $ORIG but no source text was given`);
      return source.slice(f.startByte, f.endByte);
    }
    const c = f.captures[name];
    if (!c) {
      throw new RewriteError(`rule ${f.ruleId}: fix template uses $${name}, which this finding does not capture`, {
        span: { file: f.file, line: f.line, col: f.col },
      });
    }
    return c.text;
  });
}

/**
 * `$VAL{fn}`: the capture with the site's read of the old entry replaced by
 * `fn($PTR)`. In a read-modify-write site (`*p |= X`, `p[i]++`, an atomic
 * set/clear helper) the value written begins with a read of the entry itself
 * (`*p | (X)`, `*(p) & ~(X)`); under Xen a raw read of a page-table entry gives
 * a machine value, while the write translates a pseudo-physical one, so the
 * template reads the entry through its reader (`xen_pte_set($PTR, $VAL{xen_pte_load})`).
 * A plain assignment's value is used as it is.
 */
function readModifyWrite(f: Finding, name: string, reader: string): string {
  const c = f.captures[name];
  const ptr = f.captures.PTR;
  if (!c || !ptr) {
    throw new RewriteError(`rule ${f.ruleId}: fix template uses $${name}{${reader}}, which needs the captures ${name} and PTR`, {
      span: { file: f.file, line: f.line, col: f.col },
    });
  }
  const lhs = f.captures.LHS?.text;
  const reads = [lhs, `*(${ptr.text})`].filter((x): x is string => x !== undefined && x.length > 0);
  const rmw = f.instruction !== undefined && f.instruction !== '=';
  for (const old of rmw ? reads : []) {
    if (c.text.startsWith(old) && c.text.length > old.length && /^\s*[-+|&^<>*/%]/.test(c.text.slice(old.length))) {
      return `${reader}(${ptr.text})${c.text.slice(old.length)}`;
    }
  }
  return c.text;
}

/**
 * The edit for one finding, or undefined when the rule leaves the site alone.
 * `source` is the Latin-1 text of the original file (needed for $ORIG).
 */
export function findingToEdit(f: Finding, rule: Rule, mode: FixMode, source?: string): Edit | undefined {
  const t = templateFor(f, rule, mode);
  if (t === undefined) return undefined;
  return { file: f.file, startByte: f.startByte, endByte: f.endByte, replacement: expandTemplate(t, f, source), ruleId: f.ruleId };
}

/**
 * Applies edits to a text (Latin-1 string of the original bytes) with the one
 * edit engine (edit-apply.ts): nested sites composed, overlaps skipped.
 */
export function applyEdits(text: string, edits: Edit[]): { text: string; skipped: Edit[] } {
  const r = applyEditsToText(text, edits);
  return { text: r.text, skipped: r.skipped.map((s) => s.edit) };
}
