/*
 * Seed steps 8 and 10, the rewrite: every remaining finding in the chosen mode
 * (hypercall or breakpoint), plus, with page-table writes in hypercall mode, the
 * pmap's page-table pin/unpin points and a read-only alternate linear map.
 */
import { PipelineError } from '../errors.js';
import { categoryStage, findingsFor } from './stage-findings.js';
import type { StageInput, StageResult } from './stage-common.js';
import type { Edit } from './types.js';
import { pteFlushEdits } from './pte-flush.js';
import { switchMulticallEdits } from './switch-multicall.js';

/** The body of the C function around byte `at`: from its `{` line to its closing `}` line. */
function functionAround(text: string, at: number): { start: number; end: number } {
  const start = text.lastIndexOf('\n{\n', at);
  const close = text.indexOf('\n}\n', at);
  return { start: start < 0 ? 0 : start, end: close < 0 ? text.length : close };
}

/**
 * Step 10, the pmap's page-table lifetime (Xen 2.0 validates and pins every
 * page that becomes a page table, and refuses a writable linear map). Keyed on
 * the machine-dependent pmap interface points of `<arch>/<arch>/pmap.c`, not on
 * line numbers:
 *  - a page directory: the statement that installs its recursive self entry
 *    (`X[PTDPTDI] = <nonzero>`) makes X a directory: `xen_pt_pin(X, 2)` after it;
 *    `pmap_kremove((vm_offset_t)X)` unmaps it: `xen_pt_unpin(X)` before it;
 *  - a page-table page: `pmap_zero_page(V)` of a page whose address the same
 *    function then ORs into an entry (`V | PG_...`) makes it a page table:
 *    `xen_pt_pin_pa(V, 1)` after the zeroing, before the entry is hooked in;
 *    `vm_page_free(V)` of a page whose address was last taken from a directory
 *    entry (`V = ...pm_pdir[...] & PG_FRAME`): `xen_pt_unpin_pa(V)` before it;
 *  - the alternate recursive entry (`APTDpde`, get_ptbase()) is written without
 *    PG_RW: a linear map of page tables must be read-only under Xen.
 * Only while rule pte-write is in hypercall mode (otherwise the table writes themselves trap).
 */
export function pmapLifetimeEdits(file: string, to: string, text: string): Edit[] {
  const out: Edit[] = [];
  const line = (at: number) => text.slice(0, at).split('\n').length;
  const add = (at: number, replacement: string) =>
    out.push({ file: to, startByte: at, endByte: at, replacement, ruleId: 'xenify/pmap-pin', kind: 'xenify', where: `${file}:${line(at)}` });
  for (const m of text.matchAll(/^([ \t]*)((?:\w+(?:->|\.))*\w+)\[PTDPTDI\]\s*=(?!\s*0\s*;)[^;]*;/gm)) {
    add((m.index as number) + m[0].length, `\n${m[1]}xen_pt_pin(${m[2]}, 2);\t/* xenoport: the new directory is pinned */`);
  }
  for (const m of text.matchAll(/^([ \t]*)pmap_kremove\s*\(\s*\(vm_offset_t\)\s*((?:\w+(?:->|\.))*\w+)\s*\)\s*;/gm)) {
    const fn = functionAround(text, m.index as number);
    if (!new RegExp(`${m[2].replace(/[.>-]/g, '\\$&')}\\[PTDPTDI\\]`).test(text.slice(fn.start, fn.end))) continue;
    add((m.index as number) + m[1].length, `xen_pt_unpin(${m[2]});\t/* xenoport: unpinned before it is unmapped */\n${m[1]}`);
  }
  for (const m of text.matchAll(/^([ \t]*)pmap_zero_page\s*\(\s*(\w+)\s*\)\s*;/gm)) {
    const at = (m.index as number) + m[0].length;
    const fn = functionAround(text, at);
    if (!new RegExp(`\\b${m[2]}\\s*\\|\\s*PG_`).test(text.slice(at, fn.end))) continue;
    add(at, `\n${m[1]}xen_pt_pin_pa(${m[2]}, 1);\t/* xenoport: a page table from here on */`);
  }
  for (const m of text.matchAll(/^([ \t]*)vm_page_free\s*\(\s*(\w+)\s*\)\s*;/gm)) {
    const fn = functionAround(text, m.index as number);
    const sets = [...text.slice(fn.start, m.index as number).matchAll(new RegExp(`\\b${m[2]}\\s*=\\s*([^;=][^;]*);`, 'g'))];
    const last = sets.pop();
    if (!last || !/pm_pdir\s*\[[^\]]*\]\s*&\s*PG_FRAME/.test(last[1])) continue;
    add((m.index as number) + m[1].length, `xen_pt_unpin_pa(${m[2]});\n${m[1]}`);
  }
  return out;
}

/** Drops PG_RW from the value written into the alternate recursive entry (APTDpde). */
function readOnlyLinearMap(e: Edit): Edit {
  if (!/^xen_pte_set\(&APTDpde,/.test(e.replacement)) return e;
  return { ...e, replacement: e.replacement.replace(/\s*\|\s*PG_RW\b|\bPG_RW\s*\|\s*/, ''), message: 'alternate recursive map read-only under Xen (no PG_RW)' };
}

/** Steps 8 / 10: every other finding, in the chosen mode. */
export async function rewrite(input: StageInput): Promise<StageResult> {
  const mode = input.mode ?? input.stage.mode ?? input.config.mode;
  // Descriptor-table writes too (update_descriptor); SEL_KPL is left to the guest API's
  // lgdt, which raises DPL 0 to 1, and the timer and pin families are notes.
  const categories = ['privileged-instruction', 'sensitive-instruction', 'privileged-wrapper', 'pte-write', 'pte-read', 'descriptor'];
  const r = await categoryStage(input, categories, mode, mode === 'breakpoint' ? 'breakpoint stubs' : 'sites rewritten');
  if (!r) throw new PipelineError('the rewrite stage needs the scanner (src/analyze), which is not available', { span: { file: input.config.file, line: input.stage.line, col: 1 } });
  // With the page-table writes (rule pte-write) in hypercall mode, globally or
  // per rule (`xenoport port` switches rules one by one).
  if ((input.stage.ruleModes?.['pte-write'] ?? mode) === 'hypercall') {
    const { config, tree } = input;
    const pmapC = `${config.arch}/${config.arch}/pmap.c`;
    r.edits = r.edits.map(readOnlyLinearMap);
    if (tree.has(pmapC)) {
      const pins = pmapLifetimeEdits(pmapC, `${config.target}/${pmapC.slice(config.arch.length + 1)}`, tree.read(pmapC).toString('latin1'));
      r.edits.push(...pins);
      if (pins.length) r.summary += `; ${pins.length} page-table pin/unpin points in ${pmapC}`;
    }
    if (config.pteUpdates === 'batched') {
      let n = 0;
      for (const to of new Set(r.edits.map((e) => e.file))) {
        const from = `${config.arch}/${to.slice(config.target.length + 1)}`;
        if (to.startsWith(`${config.target}/`) && /\.s$/i.test(to) && tree.has(from)) {
          const s = switchMulticallEdits(from, to, tree.read(from).toString('latin1'), r.edits);
          r.edits = s.edits;
          r.notes.push(...s.notes);
          if (s.changed) r.summary += `; ${s.changed} context switch(es) as one multicall`;
          continue;
        }
        if (!to.startsWith(`${config.target}/`) || !/\.c$/.test(to) || !tree.has(from)) continue;
        const f = pteFlushEdits(from, to, tree.read(from).toString('latin1'), r.edits);
        r.edits.push(...f.edits);
        r.notes.push(...f.notes);
        n += f.edits.length;
      }
      if (n) r.summary += `; ${n} flush-point edits for batched page-table updates`;
    }
  }
  r.summary = `mode ${mode}: ${r.summary}`;
  // A source the scanner could not read is copied unchanged: say so, loudly.
  const skipped = (await findingsFor(input))?.skipped ?? [];
  for (const s of skipped) r.notes.push(`${s.file}: warning: copied without analysis (${s.why}); its privileged sites, if any, are not rewritten`);
  if (skipped.length) r.summary += `; WARNING: ${skipped.length} source file(s) not analysed`;
  return r;
}
