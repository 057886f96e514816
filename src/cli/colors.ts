/*
 * Colour on a TTY only. picocolors' default also turns colour on when CI is set, even
 * when the output is a pipe or a file, which breaks machine-readable output.
 */
import pc from 'picocolors';

/** Colours for what goes to stderr (diagnostics, progress, stage reports). */
export const stderrColors = pc.createColors(process.stderr.isTTY === true);
