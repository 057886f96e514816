/*
 * Seed step 3, the hypervisor hole: the va-hole rules' fixes, the i386 page-directory
 * slots moved below Xen's top 64 MB in pmap.h, and a build-time check that nothing
 * is placed at or above the limit.
 */
import { vaCheckC } from './minimal-os.js';
import { categoryStage } from './stage-findings.js';
import { emptyResult, replaceAll, type StageInput, type StageResult } from './stage-common.js';

/** Step 3: move what lies in Xen's top 64 MB, and a build-time check. */
export async function vaHole(input: StageInput): Promise<StageResult> {
  const { config } = input;
  const limit = input.stage.limit ?? 0xfc000000;
  const fixed = await categoryStage(input, ['va-hole'], 'hypercall', 'va-hole rule fixes', false);
  const r = fixed ?? { ...emptyResult(), notes: ['no scanner available: va-hole sites not moved'], summary: '0 sites moved' };
  // The i386 page-directory layout (FreeBSD's names): the top slots hold the
  // alternate recursive map and the per-cpu slot, and KVA runs up to them. Move
  // them down by the hole's slots, keeping KERNBASE (KPTDI) where it is.
  const pmapH = `${config.arch}/include/pmap.h`;
  if (input.tree.has(pmapH)) {
    const to = `${config.target}/include/pmap.h`;
    const text = input.tree.read(pmapH);
    const slots = Math.ceil((0x100000000 - limit) / 0x400000);
    const moved: string[] = [];
    const edit = (re: RegExp, fn: (m: RegExpExecArray) => string, name: string) => {
      const e = replaceAll(to, text, re, fn, 'xenify/va-hole');
      if (e.length) moved.push(name);
      r.edits.push(...e);
    };
    const first = r.edits.length;
    edit(/^(#[ \t]*define[ \t]+APTDPTDI[ \t]+)([^\n/]*?)([ \t]*(?:\/\*[^\n]*)?)$/gm, (m) =>
      `${m[1]}(${m[2].trim()} - XEN_HOLE_PDES)${m[3].replace(/0x[0-9a-fA-F]+/, 'below the hypervisor')}`, 'APTDPTDI');
    edit(/^(#[ \t]*define[ \t]+NKPDE[ \t]+)([^\n/]*?)([ \t]*(?:\/\*[^\n]*)?)$/gm, (m) => `${m[1]}(${m[2].trim()} - XEN_HOLE_PDES)${m[3]}`, 'NKPDE');
    // FreeBSD 5.x and later count the kernel's slots down from the top (KPTDI is
    // NPDEPTD - NKPDE): with fewer slots KERNBASE would move up and the top stay in
    // the hole, so KPTDI gives the hole's slots up too, as the FreeBSD 5.3 Xen port
    // does (freebsd-5.3-xen-sparse/i386-xen/include/pmap.h:151-155). With an
    // alternate slot moved down instead (4.x: KPTDI = MPPTDI - NKPDE), it follows.
    if (moved.includes('NKPDE') && !moved.includes('APTDPTDI'))
      edit(/^(#[ \t]*define[ \t]+KPTDI[ \t]+\(\s*)(\w+\s*-\s*NKPDE)(\s*\))/gm, (m) => `${m[1]}${m[2]} - XEN_HOLE_PDES${m[3]}`, 'KPTDI');
    edit(/^(#[ \t]*define[ \t]+LAPIC_VADDR[ \t]+)(0x[fF][c-fC-F][0-9a-fA-F]{6})\b/gm, (m) =>
      `${m[1]}(VADDR(MPPTDI, 0) | (${m[2]} & PDRMASK))\t/* xenoport step 3: was ${m[2]} */`, 'LAPIC_VADDR');
    if (moved.length) {
      // XEN_HOLE_PDES is defined once, on its own line, outside every conditional
      // around the first moved definition (one branch of `#ifdef SMP` would leave
      // the other without it), inside the include guard.
      const at = outsideConditionals(text.toString('latin1'), Math.min(...r.edits.slice(first).map((e) => e.startByte)));
      r.edits.push({ ...r.edits[first], startByte: at, endByte: at, replacement: `#define\tXEN_HOLE_PDES\t${slots}\t/* xenoport step 3: directory slots of Xen's top 64 MB */\n` });
      r.notes.unshift(`${to}: moved ${moved.join(', ')} below 0x${limit.toString(16)} (${slots} directory slots)`);
      r.summary = `moved ${moved.join(', ')} below the hole; ${r.summary}`;
    }
  }
  r.files[`${config.target}/${config.arch}/xen_vacheck.c`] = vaCheckC(limit, config.guard);
  r.summary += `; build-time check ${config.target}/${config.arch}/xen_vacheck.c (nothing at or above 0x${limit.toString(16)})`;
  return r;
}

/**
 * The start of the outermost preprocessor conditional that encloses byte `at`
 * of a header, not counting its include guard (`#ifndef X` + `#define X` as the
 * first conditional); `at` itself when no other conditional encloses it.
 */
export function outsideConditionals(text: string, at: number): number {
  const open: number[] = [];
  let guard = -1;
  const re = /^[ \t]*#[ \t]*(if|ifdef|ifndef|endif)\b[^\n]*/gm;
  for (let m = re.exec(text); m && m.index < at; m = re.exec(text)) {
    if (m[1] === 'endif') open.pop();
    else {
      if (guard < 0 && open.length === 0 && m[1] === 'ifndef') {
        const name = /#[ \t]*ifndef[ \t]+(\w+)/.exec(m[0])?.[1];
        const next = text.slice(m.index + m[0].length).match(/^\s*#[ \t]*define[ \t]+(\w+)/);
        if (name && next && next[1] === name) guard = m.index;
      }
      open.push(m.index);
    }
  }
  const inner = open.filter((o) => o !== guard);
  return inner.length > 0 ? inner[0] : at;
}
