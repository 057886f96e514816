/*
 * Applies planned edits to file bytes. Edits are sorted by start; two edits that
 * share any byte (or two insertions at one point with different text) are an
 * error naming both rules and both sites. Bytes outside the edited ranges are
 * copied unchanged, so formatting, comments, Latin-1 bytes and CRLFs survive.
 * An edit whose range already reads as its replacement counts as applied
 * (idempotency on a rewritten tree); identical duplicate edits collapse to one.
 */
import { RewriteError } from '../errors.js';
import type { Edit, FileRewrite } from './types.js';

function describe(e: Edit): string {
  return `${e.ruleId} at ${e.where} [${e.startByte},${e.endByte})`;
}

/** Sorts one file's edits, drops exact duplicates; throws RewriteError on overlap. */
export function planEdits(edits: readonly Edit[]): Edit[] {
  const sorted = [...edits].sort((a, b) => a.startByte - b.startByte || a.endByte - b.endByte);
  const out: Edit[] = [];
  for (const e of sorted) {
    if (e.startByte < 0 || e.endByte < e.startByte) {
      throw new RewriteError(`edit of ${describe(e)} has an empty or negative range`, {
        span: { file: e.file, line: 1, col: 1, startByte: e.startByte, endByte: e.endByte },
      });
    }
    const prev = out[out.length - 1];
    if (prev) {
      const same = prev.startByte === e.startByte && prev.endByte === e.endByte && prev.replacement === e.replacement;
      if (same) continue;
      const overlaps =
        e.startByte < prev.endByte ||
        (e.startByte === prev.startByte && (e.startByte === e.endByte || prev.startByte === prev.endByte));
      if (overlaps) {
        throw new RewriteError(`overlapping edits in ${e.file}: ${describe(prev)} and ${describe(e)}`, {
          span: { file: e.file, line: Number(e.where.split(':').pop()) || 1, col: 1, startByte: e.startByte, endByte: e.endByte },
        });
      }
    }
    out.push(e);
  }
  return out;
}

/**
 * Resolves edits that lie strictly inside another edit of the same file (the
 * stages plan independently, so step 4 may mask `CR4_PGE` inside a call the
 * rewrite turns into a stub):
 *  - inside a breakpoint stub: dropped, since the stub replaces the whole site;
 *  - inside an edit whose replacement still contains the inner site's original
 *    text exactly once: composed into that text;
 * anything else stays for planEdits to report as an overlap naming both rules.
 * `original` is the file's original bytes.
 */
export function composeNested(original: Buffer, edits: readonly Edit[]): { edits: Edit[]; notes: string[] } {
  const notes: string[] = [];
  const list = edits.map((e) => ({ ...e }));
  const strictlyInside = (a: Edit, b: Edit) =>
    b.startByte <= a.startByte && a.endByte <= b.endByte && (a.startByte !== b.startByte || a.endByte !== b.endByte) && a.startByte !== a.endByte;
  // Innermost first, so that a composed edit can itself be composed outward.
  const order = [...list].sort((x, y) => x.endByte - x.startByte - (y.endByte - y.startByte));
  const dropped = new Set<Edit>();
  for (const inner of order) {
    const outer = order.find((o) => o !== inner && !dropped.has(o) && strictlyInside(inner, o));
    if (!outer) continue;
    const text = original.subarray(inner.startByte, inner.endByte).toString('latin1');
    if (outer.kind === 'breakpoint') {
      dropped.add(inner);
      notes.push(`${inner.where}: ${inner.ruleId} is inside the breakpoint stub of ${outer.ruleId}; the stub replaces it`);
      continue;
    }
    const first = outer.replacement.indexOf(text);
    if (text.length > 0 && first >= 0 && outer.replacement.indexOf(text, first + 1) < 0) {
      outer.replacement = outer.replacement.slice(0, first) + inner.replacement + outer.replacement.slice(first + text.length);
      dropped.add(inner);
      notes.push(`${inner.where}: ${inner.ruleId} composed inside ${outer.ruleId}`);
    }
  }
  return { edits: list.filter((e) => !dropped.has(e)), notes };
}

/** Applies one file's edits to its original bytes. */
export function applyEdits(file: string, before: Buffer, edits: readonly Edit[]): FileRewrite {
  const planned = planEdits(composeNested(before, edits).edits);
  const parts: Buffer[] = [];
  const applied: Edit[] = [];
  const alreadyApplied: Edit[] = [];
  let pos = 0;
  for (const e of planned) {
    if (e.endByte > before.length) {
      throw new RewriteError(`edit of ${describe(e)} runs past the end of ${file} (${before.length} bytes)`);
    }
    parts.push(before.subarray(pos, e.startByte));
    const repl = Buffer.from(e.replacement, 'latin1');
    const site = before.subarray(e.startByte, e.endByte);
    if (site.equals(repl) || isWrapped(before, e.startByte, e.endByte, repl)) {
      // Already applied: the site reads as its replacement, or sits inside it.
      alreadyApplied.push(e);
      parts.push(site);
    } else {
      applied.push(e);
      parts.push(repl);
    }
    pos = e.endByte;
  }
  parts.push(before.subarray(pos));
  return { file, before, after: Buffer.concat(parts), applied, alreadyApplied };
}

/**
 * True when the replacement wraps the site's own text (`xen_ma_to_pa($ORIG)`) and
 * the bytes around the site already are that wrapping: a rewritten tree.
 */
function isWrapped(text: Buffer, start: number, end: number, repl: Buffer): boolean {
  const site = text.subarray(start, end);
  if (site.length === 0 || repl.length <= site.length) return false;
  const at = repl.indexOf(site);
  if (at < 0 || repl.indexOf(site, at + 1) >= 0) return false;
  const pre = repl.subarray(0, at);
  const post = repl.subarray(at + site.length);
  return (
    start >= pre.length &&
    text.subarray(start - pre.length, start).equals(pre) &&
    text.subarray(end, end + post.length).equals(post)
  );
}

/** 1-based line of a byte offset. */
export function lineOf(text: Buffer, byte: number): number {
  let line = 1;
  for (let i = 0; i < byte && i < text.length; i++) if (text[i] === 0x0a) line++;
  return line;
}
