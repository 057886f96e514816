/*
 * The rewrite stage's face of the edit engine's applying half
 * (src/analyze/edit-apply.ts) on file bytes: overlaps are skipped with a note,
 * never an error; with a guard, changed lines are wrapped in #ifdef GUARD.
 */
import { applyEditsToText, composeNested as composeText, orderEdits } from '../analyze/index.js';
import type { Edit, FileRewrite } from './types.js';

/** Sorts one file's edits and drops exact duplicates and overlaps (see orderEdits). */
export function planEdits(edits: readonly Edit[]): Edit[] {
  return orderEdits(edits).kept;
}

/** Drops or composes edits nested inside another edit (see src/analyze/edit-apply.ts). */
export function composeNested(original: Buffer, edits: readonly Edit[]): { edits: Edit[]; notes: string[] } {
  const r = composeText(original.toString('latin1'), edits);
  return { edits: r.edits, notes: r.folded.map((x) => `${x.edit.where}: ${x.text}`) };
}

/** Whether a file takes cpp guards: C and assembly sources. */
export const isCppSource = (file: string): boolean => /\.(c|h|s|S)$/.test(file);

/** Applies one file's edits to its original bytes. */
export function applyEdits(file: string, before: Buffer, edits: readonly Edit[], guard?: string): FileRewrite {
  const r = applyEditsToText(before.toString('latin1'), edits, { guard, cpp: isCppSource(file) });
  return {
    file,
    before,
    after: Buffer.from(r.text, 'latin1'),
    applied: r.applied,
    alreadyApplied: r.alreadyApplied,
    skipped: r.skipped.map((s) => `${s.edit.where}: ${s.edit.ruleId}: ${s.text}`),
  };
}

/** 1-based line of a byte offset. */
export function lineOf(text: Buffer, byte: number): number {
  let line = 1;
  for (let i = 0; i < byte && i < text.length; i++) if (text[i] === 0x0a) line++;
  return line;
}
