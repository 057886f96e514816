/*
 * Colour when the reader is a terminal, and as the environment asks: NO_COLOR (set
 * and not empty) turns it off, FORCE_COLOR turns it on (FORCE_COLOR=0 or false: off),
 * as no-color.org and FORCE_COLOR's common meaning say; TERM=dumb is no terminal.
 * picocolors' own default also turns colour on when CI is set, even when the output
 * is a pipe or a file, which breaks machine-readable output.
 */
import pc from 'picocolors';

/** Whether to colour what goes to `stream`. */
export function colorWanted(stream: { isTTY?: boolean }, env: NodeJS.ProcessEnv = process.env): boolean {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return !(force === '0' || force.toLowerCase() === 'false');
  return stream.isTTY === true && env.TERM !== 'dumb';
}

/** Colours for what goes to stderr (diagnostics, progress, stage reports). */
export const stderrColors = pc.createColors(colorWanted(process.stderr));
/** Colours for what goes to stdout. */
export const stdoutColors = pc.createColors(colorWanted(process.stdout));
