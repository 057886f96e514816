/*
 * The three commands through the real CLI entry: registered, with examples in
 * --help, and a bad pipeline file reported as file:line:col with a caret and
 * exit code 2.
 */
import { describe, expect, it } from 'vitest';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { execa } from 'execa';
import { tempDir } from './helpers.js';

const ROOT = path.resolve(__dirname, '..', '..');
const cli = (args: string[]) =>
  execa(process.execPath, [path.join(ROOT, 'node_modules', 'vite-node', 'vite-node.mjs'), path.join(ROOT, 'src', 'cli', 'main.ts'), ...args], { cwd: ROOT, reject: false });

describe('CLI', () => {
  it('rewrite, xenify and pipeline show --help with examples; bad pipeline files fail with file:line:col', async () => {
    const help = await cli(['xenify', '--help']);
    expect(help.stdout).toMatch(/xenify --mode breakpoint/);
    const dir = tempDir('xeno-cli-');
    const bad = path.join(dir, 'p.yaml');
    writeFileSync(bad, 'version: 1\nsource: a\noutput: b\nstages:\n  - name: x\n    kind: frobnicate\n');
    const r = await cli(['pipeline', '--config', bad]);
    expect(r.exitCode).toBe(2);
    expect(r.stderr).toContain(`${bad}:6:11: /stages/0/kind: must be one of`);
    expect(r.stderr).toMatch(/kind: frobnicate\n\s+\^/);
  }, 60_000);
});
