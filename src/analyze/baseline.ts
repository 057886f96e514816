/*
 * Fingerprints and baselines: which findings are new since a known state.
 *
 * A finding's fingerprint is the same wherever its lines move: it hashes the rule,
 * the file's path, the matched text and the lines around the site, each with its
 * whitespace collapsed, and not the line number. Findings alike in all of these
 * (the same statement twice in a file) are told apart by their rank among them. The
 * fingerprint is in JSON (`fingerprint`) and in SARIF (partialFingerprints), so a
 * baseline is any earlier `scan --format json` output, or the scan of a git revision
 * (`--baseline-commit`, the tree exported with `git archive` into a temporary
 * directory that is removed afterwards).
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { makeTempDir, removeTempDir } from '../temp-dir.js';
import { ScanError } from '../errors.js';
import type { Finding } from './types.js';

export const FINGERPRINT_KEY = 'xenoportFingerprint/v1';

const squash = (s: string): string => s.replace(/\s+/g, ' ').trim();

/** The text of the line before `line` and of the line after `endLine` (1-based). */
function around(lines: string[] | undefined, line: number, endLine: number): string {
  if (!lines) return '';
  return `${squash(lines[line - 2] ?? '')}\n${squash(lines[endLine] ?? '')}`;
}

/**
 * Sets `fingerprint` on every finding. `source` gives a file's Latin-1 text (the
 * matched text is taken from it); without it, the captured text is used.
 */
export function addFingerprints<F extends Finding>(findings: F[], source: (file: string) => string | undefined): F[] {
  const split = new Map<string, { text?: string; lines?: string[] }>();
  const seen = new Map<string, number>();
  for (const f of findings) {
    let s = split.get(f.file);
    if (!s) {
      const text = source(f.file);
      split.set(f.file, (s = { text, lines: text?.split('\n') }));
    }
    const matched = s.text !== undefined ? s.text.slice(f.startByte, f.endByte) : Object.values(f.captures).map((c) => c.text).join(' ');
    const base = createHash('sha256').update(`${f.ruleId}\0${f.file}\0${squash(matched)}\0${around(s.lines, f.line, f.endLine)}`).digest('hex').slice(0, 32);
    const rank = (seen.get(base) ?? 0) + 1;
    seen.set(base, rank);
    f.fingerprint = `${base}:${rank}`;
  }
  return findings;
}

/** The fingerprints of a baseline file: a `scan --format json` result. */
export function readBaseline(file: string): Set<string> {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new ScanError(`cannot read the baseline ${file}: ${(cause as Error).message} (expected the output of \`xenoport scan --format json\`)`);
  }
  const list = [...((data as { findings?: unknown[] })?.findings ?? []), ...((data as { suppressed?: unknown[] })?.suppressed ?? [])];
  const out = new Set<string>();
  for (const f of list) {
    const fp = (f as { fingerprint?: unknown }).fingerprint;
    if (typeof fp === 'string') out.add(fp);
  }
  if (list.length > 0 && out.size === 0) throw new ScanError(`the baseline ${file} has findings without fingerprints: make it again with this version of \`xenoport scan --format json\``);
  return out;
}

/** Exports the tree of git revision `rev` (of the work tree at `top`) into a new temporary directory. */
export async function exportRevision(top: string, rev: string): Promise<{ dir: string; remove: () => void }> {
  const check = await execa('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: top, reject: false });
  if (check.exitCode !== 0) throw new ScanError(`--baseline-commit: ${rev} is not a commit of the git work tree at ${top}`);
  const dir = makeTempDir('xenoport-baseline-');
  const remove = (): void => removeTempDir(dir);
  try {
    await execa('sh', ['-c', 'git archive --format=tar "$0" | tar -x -C "$1"', check.stdout.trim(), dir], { cwd: top });
  } catch (err) {
    remove();
    throw new ScanError(`--baseline-commit: cannot export ${rev}: ${(err as { stderr?: string }).stderr || (err as Error).message}`);
  }
  return { dir, remove };
}
