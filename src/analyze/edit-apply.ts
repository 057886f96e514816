/*
 * The edit engine's second half: edits -> bytes. One function applies the edits
 * of one file for every user (`rules test`, `rewrite`, xenify), against the
 * ORIGINAL bytes, so the order the edits were made in does not matter:
 *  - an edit lying strictly inside another is dropped when the outer one is a
 *    breakpoint stub (the stub replaces the whole site), or composed into the
 *    outer replacement when that still holds the inner site's text once
 *    (`*a = *b = 0` -> `xen_pte_set(a, xen_pte_set(b, 0))`);
 *  - identical duplicates collapse; an edit whose range already reads as its
 *    replacement (or sits inside it) counts as applied, so a rewritten tree
 *    rewrites to itself;
 *  - any other overlap never aborts: the first edit (the longer on a tie) is
 *    kept and each edit that overlaps it is skipped with a note naming both;
 *  - with a guard name, every changed line of a C or assembly file is wrapped
 *    in `#ifdef GUARD` / `#else` / `#endif` (new lines alone in `#ifdef GUARD`),
 *    whole logical lines at a time (a #define and its continuations, a
 *    directive), so one file builds both ways.
 * Bytes outside the edited ranges are copied unchanged (Latin-1 in, Latin-1 out).
 */
import type { Edit } from './types.js';

export interface ApplyOptions {
  /** Wrap changed lines in `#ifdef guard` / `#else` / `#endif` (C and assembly sources only). */
  guard?: string;
  /** The file's language for guarding: guards are written only in C/asm sources. */
  cpp?: boolean;
}

export interface ApplyNote {
  edit: Edit;
  text: string;
}

export interface ApplyResult<E extends Edit> {
  text: string;
  applied: E[];
  alreadyApplied: E[];
  /** Edits left out (overlaps, inside a stub), each with why. */
  skipped: Array<{ edit: E; text: string }>;
  /** Edits folded into another (composed or inside a breakpoint stub). */
  folded: Array<{ edit: E; text: string }>;
}

function where(e: Edit): string {
  return `${e.ruleId} at ${e.where ?? e.file} [${e.startByte},${e.endByte})`;
}

/** Drops or composes edits nested strictly inside another edit of the same text. */
export function composeNested<E extends Edit>(original: string, edits: readonly E[]): { edits: E[]; folded: Array<{ edit: E; text: string }> } {
  const folded: Array<{ edit: E; text: string }> = [];
  const list = edits.map((e) => ({ ...e }));
  const strictlyInside = (a: Edit, b: Edit): boolean =>
    b.startByte <= a.startByte && a.endByte <= b.endByte && (a.startByte !== b.startByte || a.endByte !== b.endByte) && a.startByte !== a.endByte;
  // Innermost first, so that a composed edit can itself be composed outward.
  const order = [...list].sort((x, y) => x.endByte - x.startByte - (y.endByte - y.startByte));
  const dropped = new Set<E>();
  for (const inner of order) {
    const outers = order.filter((o) => o !== inner && !dropped.has(o) && strictlyInside(inner, o));
    const outer = outers[0];
    if (!outer) continue;
    const text = original.slice(inner.startByte, inner.endByte);
    if (outer.kind === 'breakpoint') {
      dropped.add(inner);
      folded.push({ edit: inner, text: `${inner.ruleId} is inside the breakpoint stub of ${outer.ruleId}; the stub replaces it` });
      continue;
    }
    const first = outer.replacement.indexOf(text);
    if (text.length > 0 && first >= 0 && outer.replacement.indexOf(text, first + 1) < 0) {
      outer.replacement = outer.replacement.slice(0, first) + inner.replacement + outer.replacement.slice(first + text.length);
      dropped.add(inner);
      folded.push({ edit: inner, text: `${inner.ruleId} composed inside ${outer.ruleId}` });
    }
  }
  return { edits: list.filter((e) => !dropped.has(e)), folded };
}

/** Sorts edits, drops exact duplicates, and skips (with a reason) each edit overlapping one kept before it. */
export function orderEdits<E extends Edit>(edits: readonly E[]): { kept: E[]; skipped: Array<{ edit: E; text: string }> } {
  // At one offset an insertion goes before a replacement that starts there.
  const ins = (e: Edit): number => (e.startByte === e.endByte ? 0 : 1);
  const sorted = [...edits].sort((a, b) => a.startByte - b.startByte || ins(a) - ins(b) || b.endByte - a.endByte);
  const kept: E[] = [];
  const skipped: Array<{ edit: E; text: string }> = [];
  for (const e of sorted) {
    if (e.startByte < 0 || e.endByte < e.startByte) {
      skipped.push({ edit: e, text: `edit of ${where(e)} has an empty or negative range; left out` });
      continue;
    }
    const prev = kept[kept.length - 1];
    if (prev) {
      if (prev.startByte === e.startByte && prev.endByte === e.endByte && prev.replacement === e.replacement) continue;
      const overlaps = e.startByte < prev.endByte || (e.startByte === prev.startByte && e.startByte === e.endByte && prev.startByte === prev.endByte);
      if (overlaps) {
        skipped.push({ edit: e, text: `overlaps ${where(prev)}; this site is left as it is` });
        continue;
      }
    }
    kept.push(e);
  }
  return { kept, skipped };
}

/**
 * True when the replacement wraps the site's own text (`xen_ma_to_pa($ORIG)`) and
 * the text around the site already is that wrapping: a rewritten tree.
 */
function isWrapped(text: string, start: number, end: number, repl: string): boolean {
  const site = text.slice(start, end);
  if (site.length === 0 || repl.length <= site.length) return false;
  const at = repl.indexOf(site);
  if (at < 0 || repl.indexOf(site, at + 1) >= 0) return false;
  const pre = repl.slice(0, at);
  const post = repl.slice(at + site.length);
  return start >= pre.length && text.slice(start - pre.length, start) === pre && text.slice(end, end + post.length) === post;
}

/** Applies one file's edits to its original text (Latin-1). Never throws for overlaps. */
export function applyEditsToText<E extends Edit>(before: string, edits: readonly E[], options: ApplyOptions = {}): ApplyResult<E> {
  const nested = composeNested(before, edits);
  const { kept, skipped } = orderEdits(nested.edits);
  const applied: E[] = [];
  const alreadyApplied: E[] = [];
  const live: E[] = [];
  for (const e of kept) {
    if (e.endByte > before.length) {
      skipped.push({ edit: e, text: `edit of ${where(e)} runs past the end of the file (${before.length} bytes); left out` });
      continue;
    }
    if (before.slice(e.startByte, e.endByte) === e.replacement || isWrapped(before, e.startByte, e.endByte, e.replacement)) alreadyApplied.push(e);
    else {
      applied.push(e);
      live.push(e);
    }
  }
  const text = options.guard && options.cpp !== false ? guarded(before, live, options.guard) : splice(before, live);
  return { text, applied, alreadyApplied, skipped, folded: nested.folded };
}

/** The text with sorted, disjoint edits applied. */
function splice(text: string, edits: readonly Edit[], from = 0, to = text.length): string {
  let out = '';
  let pos = from;
  for (const e of edits) {
    out += text.slice(pos, e.startByte) + e.replacement;
    pos = e.endByte;
  }
  return out + text.slice(pos, to);
}

/** Start of the logical line holding `at`: back over continued lines. */
function logicalStart(text: string, at: number): number {
  let s = text.lastIndexOf('\n', at - 1) + 1;
  while (s >= 2 && text[s - 2] === '\\') s = text.lastIndexOf('\n', s - 2) + 1;
  while (s >= 3 && text[s - 2] === '\r' && text[s - 3] === '\\') s = text.lastIndexOf('\n', s - 3) + 1;
  return s;
}

/** End (after the newline) of the logical line holding `at`: on over continuations. */
function logicalEnd(text: string, at: number): number {
  let e = text.indexOf('\n', at);
  while (e > 0 && (text[e - 1] === '\\' || (text[e - 1] === '\r' && text[e - 2] === '\\'))) e = text.indexOf('\n', e + 1);
  return e < 0 ? text.length : e + 1;
}

/** Whether offset `s` lies inside a block comment (a span must not start in one). */
function cutsComment(text: string, s: number): boolean {
  const open = text.lastIndexOf('/*', s);
  const close = text.lastIndexOf('*/', s);
  return open > close;
}

/**
 * Wraps the lines each group of edits touches: `#ifdef G` new lines `#else`
 * old lines `#endif`. A pure insertion of whole lines at a line start becomes
 * `#ifdef G` lines `#endif`. Groups whose spans touch are merged.
 */
function guarded(text: string, edits: readonly Edit[], guard: string): string {
  const spans: Array<{ s: number; e: number; edits: Edit[]; insertOnly: boolean }> = [];
  for (const ed of edits) {
    const wholeLines = ed.startByte === ed.endByte && ed.replacement.endsWith('\n') && (ed.startByte === 0 || text[ed.startByte - 1] === '\n');
    let s = wholeLines ? ed.startByte : logicalStart(text, ed.startByte);
    const e = wholeLines ? ed.startByte : logicalEnd(text, Math.max(ed.startByte, ed.endByte - 1));
    // A span starting inside a block comment would leave a directive in it: start at the comment.
    if (!wholeLines && cutsComment(text, s)) s = logicalStart(text, text.lastIndexOf('/*', s));
    const last = spans[spans.length - 1];
    if (last && (s < last.e || (s === last.s && last.insertOnly))) {
      last.s = Math.min(last.s, s);
      last.e = Math.max(last.e, e);
      last.edits.push(ed);
      last.insertOnly &&= wholeLines;
      continue;
    }
    spans.push({ s, e, edits: [ed], insertOnly: wholeLines });
  }
  const nl = (t: string): string => (t.endsWith('\n') || t.length === 0 ? t : `${t}\n`);
  let out = '';
  let pos = 0;
  for (const sp of spans) {
    out += text.slice(pos, sp.s);
    const now = splice(text, sp.edits, sp.s, sp.e);
    const old = text.slice(sp.s, sp.e);
    out += sp.insertOnly ? `#ifdef ${guard}\n${nl(now)}#endif\n` : `#ifdef ${guard}\n${nl(now)}#else\n${nl(old)}#endif\n`;
    pos = sp.e;
  }
  return out + text.slice(pos);
}
