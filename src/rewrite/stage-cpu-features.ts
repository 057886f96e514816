/*
 * Seed step 4, CPU features: PSE, PGE and PAE (and what the stage lists) cleared in
 * the kernel's cpu_feature word and at every test the cpu-feature rules find.
 */
import { categoryStage } from './stage-findings.js';
import { emptyResult, replaceAll, type StageInput, type StageResult } from './stage-common.js';

/**
 * Step 4: clear PSE, PGE, PAE in the CPU feature word the kernel reads. The
 * word is masked where cpuid's result is stored (`cpu_feature = <expr>;`), and
 * the cpu-feature rules' fixes make every test of those bits read 0.
 */
export async function cpuFeatures(input: StageInput): Promise<StageResult> {
  const { config, tree } = input;
  const fixed = (await categoryStage(input, ['cpu-feature'], 'hypercall', 'feature-bit sites masked', false)) ?? {
    ...emptyResult(),
    notes: ['no scanner available: cpu-feature rules not applied'],
    summary: '0 feature-bit sites masked',
  };
  const bits = { PSE: 0x8, MSR: 0x20, PAE: 0x40, APIC: 0x200, PGE: 0x2000 } as const;
  const mask = input.stage.clear.map((b) => `0x${bits[b].toString(16).padStart(8, '0')}`).join(' | ');
  let words = 0;
  for (const f of tree.files) {
    if (!f.startsWith(`${config.arch}/`) || !f.endsWith('.c')) continue;
    const e = replaceAll(
      `${config.target}/${f.slice(config.arch.length + 1)}`,
      tree.read(f),
      /(\bcpu_feature\s*=\s*)([^;=][^;]*);/g,
      (m) => (/^\s*0[xX]?0*\s*$/.test(m[2]) ? m[0] : `${m[1]}(${m[2].trim()}) & ~(${mask}) /* xenoport step 4: no ${input.stage.clear.join(', ')} under Xen */;`),
      'xenify/cpu-features',
    );
    words += e.length;
    fixed.edits.push(...e);
  }
  if (words === 0) fixed.notes.push('no assignment to cpu_feature found; the feature word itself is not masked');
  fixed.summary = `${words} cpu_feature assignment${words === 1 ? '' : 's'} masked (${input.stage.clear.join(', ')} cleared); ${fixed.summary}`;
  return fixed;
}
