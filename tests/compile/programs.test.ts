/*
 * The differential suite: every tests/compile/programs/*.c is compiled natively by
 * gcc (-O0 -w, run with execa) and by xenoport (run on the IR engine); stdout and
 * the exit code must match. One `it` per program; the programs are the data.
 * A program may say `// xenoport-args: ...` on its first line (unused so far).
 */
import { readdirSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { runC } from '../../src/port/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'programs');
const programs = readdirSync(dir).filter((f) => f.endsWith('.c')).sort();
const out = mkdtempSync(join(tmpdir(), 'xeno-diff-'));

async function native(file: string): Promise<{ stdout: string; exitCode: number }> {
  const exe = join(out, file.replace(/\.c$/, ''));
  await execa('gcc', ['-O0', '-w', '-o', exe, join(dir, file)]);
  const r = await execa(exe, [], { reject: false, timeout: 20_000 });
  return { stdout: String(r.stdout), exitCode: r.exitCode ?? -1 };
}

describe('differential: gcc -O0 vs xenoport run', () => {
  it('has at least 60 programs', () => {
    expect(programs.length).toBeGreaterThanOrEqual(60);
  });
  for (const file of programs) {
    it(file, async () => {
      const [want, got] = await Promise.all([native(file), runC([join(dir, file)], { maxSteps: 5e8 })]);
      expect(got.outcome, got.fault ? `${got.fault.kind}: ${got.fault.message} at ${got.fault.where}` : got.outcome).toBe('exit');
      expect(got.stdout.replace(/\n$/, '')).toBe(want.stdout);
      expect(got.exitCode).toBe(want.exitCode);
    });
  }
});
