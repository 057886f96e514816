/*
 * The xenify stages (seed steps 2-8 and 10), each a pure function from the
 * source tree (+ findings, + ABI) to copies, new files and edits against ORIGINAL
 * bytes. Paths are relative to the source root (`sys`); the arch tree `i386` is
 * copied to the target `i386-xeno` and edits to arch files are made on the copy.
 *
 * Findings are computed once per run (and cached on disk by source-tree, rule
 * and tool hashes) and split by category: va-hole → step 3, cpu-feature → step 4,
 * console → step 7, everything else → the rewrite (step 8 or 10). Steps 3, 4 and
 * 7 always use the rule's Xen fix; only the rewrite honours the mode.
 *
 * Each stage (or the two of step 2) is its own file (stage-*.ts); the shared types
 * and helpers are stage-common.ts and the findings they read come from stage-findings.ts. This
 * file dispatches to them and keeps the module's exports in one place.
 */
import { copyArch, makefiles } from './stage-arch-tree.js';
import { cpuFeatures } from './stage-cpu-features.js';
import { earlyConsole } from './stage-early-console.js';
import { minimalOs } from './stage-minimal-os.js';
import { rewrite } from './stage-rewrite.js';
import { vaHole } from './stage-va-hole.js';
import { xenTimer } from './stage-xen-timer.js';
import type { StageInput, StageResult } from './stage-common.js';

export { INCLUDE_LINE, type ScanFn, type ScanResult, type ScanRule, type StageInput, type StageResult } from './stage-common.js';
export { clearScanMemo } from './stage-findings.js';
export { pmapLifetimeEdits } from './stage-rewrite.js';
export { xenClockC } from './stage-xen-timer.js';

/** Runs one stage. */
export async function runStage(input: StageInput): Promise<StageResult> {
  switch (input.stage.kind) {
    case 'copy-arch':
      return copyArch(input);
    case 'makefiles':
      return makefiles(input);
    case 'va-hole':
      return vaHole(input);
    case 'cpu-features':
      return cpuFeatures(input);
    case 'minimal-os':
      return minimalOs(input);
    case 'early-console':
      return earlyConsole(input);
    case 'rewrite':
      return rewrite(input);
    case 'xen-timer':
      return xenTimer(input);
  }
}
