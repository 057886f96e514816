/*
 * How the CLI shows a failure: a user mistake (XenoportError) gets a title,
 * file:line:col, the source line and a caret; anything else is an internal error
 * and keeps its stack, because then the bug is ours.
 */
import { stderrColors as pc } from './colors.js';
import { XenoportError } from '../errors.js';

/** Prints the error on stderr and returns the exit code to use (always 2). */
export function printError(err: unknown): number {
  if (err instanceof XenoportError) {
    process.stderr.write(`${pc.red('error')}: ${err.where()}\n`);
    if (err.sourceLine !== undefined && err.span) {
      const line = err.sourceLine.replace(/\t/g, ' ');
      process.stderr.write(`  ${line}\n  ${' '.repeat(Math.max(0, err.span.col - 1))}${pc.red('^')}\n`);
    }
    let cause = err.cause;
    while (cause instanceof Error) {
      process.stderr.write(`  caused by: ${cause.message}\n`);
      cause = cause.cause;
    }
    return 2;
  }
  const text = err instanceof Error ? (err.stack ?? err.message) : String(err);
  process.stderr.write(`xenoport: internal error (please report): ${text}\n`);
  return 2;
}
