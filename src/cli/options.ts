/*
 * Options every command validates the same way: numbers are whole, finite and in
 * range, or the command stops before doing anything with a message naming the
 * option, the value and what it accepts (a UsageError: exit 2, no stack trace).
 */
import { existsSync, statSync } from 'node:fs';
import { UsageError } from '../errors.js';

/** A yargs option that takes one whole number in [min, max]. */
export function integerOption(opts: { describe: string; min: number; max: number; default?: number }) {
  // Read as a string so that the message can show what the user typed ("abc", not NaN).
  return {
    type: 'string' as const,
    describe: opts.describe,
    default: opts.default,
    requiresArg: true,
    coerce: (v: unknown): number => {
      const raw = Array.isArray(v) ? v[v.length - 1] : v;
      // An option left out (and without a default) stays undefined.
      if (raw === undefined) return raw as unknown as number;
      const n = typeof raw === 'number' ? raw : String(raw).trim() === '' ? NaN : Number(raw);
      if (!Number.isFinite(n) || !Number.isInteger(n)) throw new UsageError(`expected a whole number, got "${String(raw)}" (${opts.describe})`);
      if (n < opts.min || n > opts.max) throw new UsageError(`${n} is out of range: expected ${opts.min} to ${opts.max} (${opts.describe})`);
      return n;
    },
  };
}

/** Throws a UsageError unless `p` exists and is a file (kind 'file') or a directory. */
export function requirePath(p: string, kind: 'file' | 'directory', what: string): void {
  if (!existsSync(p)) throw new UsageError(`${what} ${p} does not exist`);
  const st = statSync(p);
  if (kind === 'file' && !st.isFile()) throw new UsageError(`${what} ${p} is not a file`);
  if (kind === 'directory' && !st.isDirectory()) throw new UsageError(`${what} ${p} is not a directory`);
}

/** The largest step limit: the engine counts steps in a double, exactly up to 2^53. */
export const MAX_STEPS = Number.MAX_SAFE_INTEGER;

/**
 * A yargs option that may be repeated, one value per flag (`--exclude A --exclude B`):
 * an option declared as a yargs array would also swallow the positional arguments
 * after it (`--exclude GLOB mykernel`).
 */
export function listOption(opts: { describe: string; choices?: readonly string[] }) {
  return {
    type: 'string' as const,
    describe: `${opts.describe} (repeat the flag for more)`,
    requiresArg: true,
    ...(opts.choices ? { choices: [...opts.choices] } : {}),
    coerce: (v: unknown): string[] => (v === undefined ? (v as unknown as string[]) : (Array.isArray(v) ? v : [v]).map(String)),
  };
}
