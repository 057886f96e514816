/*
 * Seed step 15, the release points of batched page-table updates. XenoLinux 2.4
 * flushes its queue before it drops mm->page_table_lock (mm/memory.c), FreeBSD
 * 5.3-xen at the end of each pmap operation whose result is used next
 * (PT_UPDATES_FLUSH(), PT_SET_VA(..., TRUE) in i386-xen/pmap.c, Xen
 * RELEASE-2.0.6). The sample kernel has no pmap lock: each function that writes
 * page tables is its own critical section, so the queue is flushed wherever
 * such a function returns. Updates inside one function (the loops of
 * pmap_remove, pmap_protect, pmap_qenter, a page directory's zeroing and copy)
 * still go to the hypervisor in one mmu_update.
 *
 * Input: the rewrite stage's edits of one file (the page-table writes it made
 * into xen_pte_set & co.) and the file's original text. A function is a
 * style(9) definition: its body opens with `{` and closes with `}` at column 0.
 * Each `return ...;` of such a function becomes `{ xen_mmu_flush(); return ...; }`
 * (valid wherever a statement is, also as an unbraced if's body), and a flush
 * goes before the closing brace. A return that another edit overlaps is left
 * alone with a note.
 */
import type { Edit } from './types.js';

const WRITERS = /^(xen_pte_set|xen_pte_set_ma|xen_pte_atomic_clear|xen_pt_zero|xen_pt_copy)\(/;

/**
 * The text with comments and string and character literals blanked (newlines
 * kept, offsets unchanged): a `return` in a block comment's middle line, or a
 * `;` in a string, is not code. FreeBSD 9.3's pmap_demote_pde has "... mapping
 * and return" on a comment's second line, and a flush was once wrapped around it.
 */
export function codeOnly(text: string): string {
  const out = text.split('');
  const blank = (a: number, b: number): void => {
    for (let k = a; k < b; k++) if (out[k] !== '\n') out[k] = ' ';
  };
  for (let i = 0; i < text.length; ) {
    const c = text[i];
    if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      blank(i, stop);
      i = stop;
    } else if (c === '/' && text[i + 1] === '/') {
      const end = text.indexOf('\n', i);
      const stop = end < 0 ? text.length : end;
      blank(i, stop);
      i = stop;
    } else if (c === '"' || c === "'") {
      let j = i + 1;
      while (j < text.length && text[j] !== c && text[j] !== '\n') j += text[j] === '\\' ? 2 : 1;
      const stop = Math.min(j + 1, text.length);
      blank(i + 1, stop - 1);
      i = stop;
    } else i++;
  }
  return out.join('');
}

/** The flush-point edits for `to` (the target file) given its original text and the rewrite's edits. */
export function pteFlushEdits(from: string, to: string, text: string, edits: Edit[]): { edits: Edit[]; notes: string[] } {
  const writes = edits.filter((e) => e.file === to && WRITERS.test(e.replacement));
  const out: Edit[] = [];
  const notes: string[] = [];
  if (writes.length === 0) return { edits: out, notes };
  const line = (at: number) => text.slice(0, at).split('\n').length;
  const others = edits.filter((e) => e.file === to);
  const code = codeOnly(text);
  const bodies = [...code.matchAll(/^\{[ \t]*\n/gm)].map((m) => {
    const open = m.index as number;
    const close = code.indexOf('\n}', open);
    return { open, close: close < 0 ? text.length : close + 1 };
  });
  const edit = (at: number, replacement: string): Edit => ({
    file: to,
    startByte: at,
    endByte: at,
    replacement,
    ruleId: 'xenify/pte-flush',
    kind: 'xenify',
    where: `${from}:${line(at)}`,
    message: 'seed step 15: flush the queued page-table updates where the function returns',
  });
  for (const b of bodies) {
    if (!writes.some((w) => w.startByte > b.open && w.startByte < b.close)) continue;
    const body = code.slice(b.open, b.close);
    for (const m of body.matchAll(/\breturn\b[^;]*;/g)) {
      const start = b.open + (m.index as number);
      const end = start + m[0].length;
      if (others.some((e) => e.startByte < end && e.endByte > start && !(e.startByte >= start && e.endByte <= end))) {
        notes.push(`${from}:${line(start)}: a rewrite overlaps this return; no flush added`);
        continue;
      }
      out.push(edit(start, '{ xen_mmu_flush(); '), edit(end, ' }'));
    }
    out.push(edit(b.close, '\txen_mmu_flush();\t/* xenoport step 15: release point */\n'));
  }
  return { edits: out, notes };
}
