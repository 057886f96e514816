// Applies byte-range edits to a text (last first), for tests of edit producers.
import type { Edit } from '../../src/rewrite/types.js';

export function applyEditsToText(text: string, edits: Edit[]): string {
  const sorted = [...edits].sort((a, b) => b.startByte - a.startByte || b.endByte - a.endByte);
  let out = text;
  for (const e of sorted) out = out.slice(0, e.startByte) + e.replacement + out.slice(e.endByte);
  return out;
}
