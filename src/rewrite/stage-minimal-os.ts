/*
 * Seed step 5, the minimal OS: the generated Xen guest API files, the minimal-OS
 * entry and C support, and the jump to it grafted at locore's btext.
 */
import { guestFiles } from '../xen-abi/index.js';
import { MINIMAL_OS_ASM, MINIMAL_OS_C } from './minimal-os.js';
import { frontEnds, xenDriverFiles } from './xen-drivers.js';
import { emptyResult, guestHeaderDir, type StageInput, type StageResult } from './stage-common.js';

/** Step 5: the minimal-OS entry in front of locore, and the generated guest API. */
export function minimalOs(input: StageInput): StageResult {
  const { config, tree } = input;
  const r = emptyResult();
  const dir = `${config.target}/${config.arch}`;
  const headerDir = guestHeaderDir(config, tree);
  for (const [rel, text] of Object.entries(guestFiles())) {
    r.files[`${config.target}/${rel.replace(/^i386\//, `${config.arch}/`).replace(/^include\/xen\//, `include/${headerDir}/`)}`] = text;
  }
  // The kernel's options reach C files only (COPTS, not ASFLAGS, as in FreeBSD's
  // Makefile): the upcall's choice of return path is made here for the assembler.
  const events = config.stages.some((x) => x.kind === 'xen-timer');
  r.files[`${dir}/xen_locore.s`] = events
    ? MINIMAL_OS_ASM.replace('#include <machine/xen/hypervisor.h>\n', '#include <machine/xen/hypervisor.h>\n\n/* The kernel handles its events (xen-timer stage): upcalls return through doreti. */\n#define\tXENOPORT_XEN_EVENTS\t1\n')
    : MINIMAL_OS_ASM;
  r.files[`${dir}/xen_minios.c`] = MINIMAL_OS_C;
  // Step 12: the split-driver front ends (event channels, ctrl_if, xn).
  const fronts = frontEnds(tree);
  r.notes.push(...fronts.notes);
  Object.assign(r.files, xenDriverFiles(config.target, config.arch, headerDir, fronts.paths));
  if (headerDir !== 'xen') for (const k of Object.keys(r.files)) r.files[k] = r.files[k].replaceAll('machine/xen/hypervisor.h', `machine/${headerDir}/hypervisor.h`);
  const locore = [`${config.arch}/${config.arch}/locore.s`, `${config.arch}/${config.arch}/locore.S`].find((f) => tree.has(f));
  if (!locore) {
    r.notes.push(`no ${config.arch}/${config.arch}/locore.s: the entry is not grafted`);
  } else {
    const text = tree.read(locore).toString('latin1');
    const m = /^[ \t]*(?:NON_GPROF_ENTRY|ENTRY)\(btext\)[^\n]*\n|^btext:[^\n]*\n/m.exec(text);
    if (!m) r.notes.push(`${locore}: no btext entry found; the entry is not grafted`);
    else {
      const at = m.index + m[0].length;
      const to = `${config.target}/${locore.slice(config.arch.length + 1)}`;
      r.edits.push({
        file: to,
        startByte: at,
        endByte: at,
        replacement: '\tjmp\txen_start\t\t/* xenoport step 5: enter through the minimal OS (xen_locore.s) */\n',
        ruleId: 'xenify/minimal-os',
        kind: 'xenify',
        where: `${locore}:${text.slice(0, at).split('\n').length}`,
      });
    }
  }
  r.summary = `entry grafted at btext; generated ${Object.keys(r.files).sort().join(', ')}`;
  return r;
}
