/*
 * Printing a pipeline run (shared by `xenoport pipeline` and `xenoport xenify`):
 * one line per stage on stderr, --explain's reasons under it, the notes, and the
 * outcome for the output tree. The diff, when asked for, goes to stdout.
 */
import { stderrColors as pc } from '../colors.js';
import type { RunReport } from '../../rewrite/index.js';

export function printRun(report: RunReport, opts: { explain?: boolean; dryRun?: boolean; verbose?: boolean }): void {
  const err = (s: string) => process.stderr.write(`${s}\n`);
  for (const s of report.stages) {
    const tag = s.ran ? (opts.dryRun ? pc.yellow('would run') : pc.green('ran')) : pc.dim('cached');
    err(`${s.step ? `step ${String(s.step).padStart(2)} ` : ''}${s.name.padEnd(14)} ${tag}  ${s.summary}${s.ran && !opts.dryRun ? pc.dim(` (${s.ms} ms)`) : ''}`);
    if (opts.explain) for (const r of s.reasons) err(`    why: ${r}`);
    const notes = opts.verbose ? s.notes : s.notes.slice(0, 5);
    for (const n of notes) err(pc.dim(`    note: ${n}`));
    if (notes.length < s.notes.length) err(pc.dim(`    ... ${s.notes.length - notes.length} more notes (--verbose)`));
  }
  if (opts.dryRun) err(`output ${report.output}: ${report.changed ? `would be replaced (${report.reasons.join('; ')})` : 'up to date'}`);
  else if (report.changed) err(`output ${report.output}: written, ${report.files} files, ${report.edits} edits (${report.reasons.join('; ')})`);
  else err(`output ${report.output}: up to date, nothing written`);
  if (report.diff !== undefined) process.stdout.write(Buffer.from(report.diff, 'latin1'));
}
