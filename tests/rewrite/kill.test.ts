/*
 * Atomic target: the pipeline builds the new tree beside the old one and swaps a
 * symlink with rename(2). A child process running the pipeline in a loop is
 * killed with SIGKILL at random moments; after every kill the output path must
 * name one complete tree whose files all match its manifest. 15 kills here;
 * XENOPORT_KILL_RUNS=200 (npm run fuzz) for a longer campaign.
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readlinkSync } from 'node:fs';
import path from 'node:path';
import { checkTree, readManifest, runPipeline } from '../../src/rewrite/index.js';
import { fakeScan, workspace, writeTree } from './helpers.js';

const RUNS = Number(process.env.XENOPORT_KILL_RUNS ?? 15);
const ROOT = path.resolve(__dirname, '..', '..');
const VITE_NODE = path.join(ROOT, 'node_modules', 'vite-node', 'vite-node.mjs');

/*
 * Whole: the link names a version directory whose manifest carries that
 * version's key, and every file matches the manifest. (The expected keys are
 * not fixed in advance: the tool version hashes the code, which other work may
 * change while the children run; `keys` only logs how many were seen.)
 */
function assertWhole(output: string, keys: Set<string>): void {
  expect(lstatSync(output).isSymbolicLink()).toBe(true);
  const m = readManifest(output);
  expect(m).not.toBeNull();
  // The version of that key, or a fresh name for it (a rebuild of the same key never
  // renames the directory a link may name: src/rewrite/materialize.ts).
  expect(readlinkSync(output)).toMatch(new RegExp(`^\\.${path.basename(output)}\\.${m!.treeKey.slice(0, 16)}(\\.r\\d+-\\d+)?$`));
  keys.add(m!.treeKey);
  const check = checkTree(output, m!);
  expect(check).toEqual({ modified: [], added: [], missing: [] });
}

describe('kill -9 mid-run leaves the previous target whole', () => {
  it(`survives ${RUNS} SIGKILLs at random moments`, async () => {
    const { dir, config, file } = workspace();
    // Enough files that writing the tree takes a while.
    const filler: Record<string, string> = {};
    for (let i = 0; i < 400; i++) filler[`i386/filler/f${i}.c`] = `int f${i};\n`.repeat(200);
    writeTree(path.join(dir, 'src', 'sys'), filler);
    const keys = new Set<string>();
    for (const mode of ['breakpoint', 'hypercall'] as const) {
      const r = await runPipeline(config, { scan: fakeScan, mode });
      keys.add(r.manifest!.treeKey);
    }
    let rng = 12345;
    const rand = () => ((rng = (rng * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    let completed = 0;
    for (let i = 0; i < RUNS; i++) {
      const child = spawn(process.execPath, [VITE_NODE, path.join(__dirname, 'fixtures', 'kill-runner.ts'), file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
      // Wait until the first run has begun, then kill somewhere inside the runs.
      await new Promise<void>((resolve) => {
        const poll = setInterval(() => {
          if (out.includes('start') || child.exitCode !== null) {
            clearInterval(poll);
            resolve();
          }
        }, 5);
      });
      await new Promise((r) => setTimeout(r, Math.floor(rand() * 700)));
      child.kill('SIGKILL');
      await exited;
      completed += (out.match(/done/g) ?? []).length;
      assertWhole(config.output, keys);
    }
    // A clean run afterwards succeeds and clears what the killed runs left behind.
    await runPipeline(config, { scan: fakeScan, mode: 'hypercall', force: false });
    assertWhole(config.output, keys);
    const leftovers = readdirSync(path.dirname(config.output)).filter((n) => n.startsWith('.sys.') && (n.includes('.tmp-') || n.includes('.link-')));
    expect(leftovers).toEqual([]);
    expect(existsSync(config.output)).toBe(true);
    // How many loop iterations finished between kills (for the log; load varies).
    process.stderr.write(`kill test: ${RUNS} kills, ${completed} runs completed in between\n`);
  }, 600_000);

  it('two processes running the same pipeline at once leave a whole tree and no errors', async () => {
    const { dir, config, file } = workspace();
    const filler: Record<string, string> = {};
    for (let i = 0; i < 200; i++) filler[`i386/filler/f${i}.c`] = `int f${i};\n`.repeat(100);
    writeTree(path.join(dir, 'src', 'sys'), filler);
    const keys = new Set<string>();
    for (const mode of ['breakpoint', 'hypercall'] as const) keys.add((await runPipeline(config, { scan: fakeScan, mode })).manifest!.treeKey);
    const children = [0, 1].map(() => spawn(process.execPath, [VITE_NODE, path.join(__dirname, 'fixtures', 'kill-runner.ts'), file], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] }));
    const outs = children.map((c) => {
      const o = { out: '', err: '' };
      c.stdout.on('data', (d) => (o.out += d));
      c.stderr.on('data', (d) => (o.err += d));
      return o;
    });
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline && children.every((c) => c.exitCode === null) && outs.some((o) => (o.out.match(/done/g) ?? []).length < 3)) {
      await new Promise((r) => setTimeout(r, 50));
    }
    for (const c of children) c.kill('SIGKILL');
    await Promise.all(children.map((c) => new Promise((r) => (c.exitCode !== null ? r(null) : c.on('exit', r)))));
    for (const o of outs) {
      expect(o.err.replace(/npm warn.*\n/g, ''), o.err).toBe('');
      expect((o.out.match(/done/g) ?? []).length).toBeGreaterThanOrEqual(3);
    }
    assertWhole(config.output, keys);
  }, 120_000);
});
