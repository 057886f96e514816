/*
 * Fix templates: Finding -> Edit. A template is text with $NAME holes filled
 * from the finding's captures, plus $RULE (rule id), $WHERE (original file:line)
 * and $ORIG (the original text of the site). The edit replaces the finding's
 * byte range [startByte, endByte) in the ORIGINAL file.
 *   mode 'hypercall': the rule's action under Xen: hypercall/mask -> hypercall
 *                     template, breakpoint -> breakpoint template, leave -> none.
 *   mode 'breakpoint': seed step 8, every site that is not left alone traps.
 * Assembly sites use the -asm templates (falling back to the breakpoint).
 */
import { RewriteError } from '../errors.js';
import type { Edit, Finding, FixMode, Rule } from './types.js';

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
  return template.replace(/\$([A-Z][A-Z0-9_]*)/g, (_m, name: string) => {
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
 * The edit for one finding, or undefined when the rule leaves the site alone.
 * `source` is the Latin-1 text of the original file (needed for $ORIG).
 */
export function findingToEdit(f: Finding, rule: Rule, mode: FixMode, source?: string): Edit | undefined {
  const t = templateFor(f, rule, mode);
  if (t === undefined) return undefined;
  return { file: f.file, startByte: f.startByte, endByte: f.endByte, replacement: expandTemplate(t, f, source), ruleId: f.ruleId };
}

/**
 * Applies non-overlapping edits to a text (Latin-1 string of the original bytes).
 * Of overlapping edits the one starting first (the longer on ties) wins; the
 * others are returned as skipped.
 */
export function applyEdits(text: string, edits: Edit[]): { text: string; skipped: Edit[] } {
  const sorted = [...edits].sort((a, b) => a.startByte - b.startByte || b.endByte - a.endByte);
  const kept: Edit[] = [];
  const skipped: Edit[] = [];
  let end = -1;
  for (const e of sorted) {
    if (e.startByte < end) skipped.push(e);
    else {
      kept.push(e);
      end = e.endByte;
    }
  }
  let out = text;
  for (const e of kept.reverse()) out = out.slice(0, e.startByte) + e.replacement + out.slice(e.endByte);
  return { text: out, skipped };
}
