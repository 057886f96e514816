// Real-tree robustness: binaries, unreadable entries, symlink loops, huge files,
// every file accounted for; filters; the cache; worker threads vs in-thread.
import { cpSync, mkdirSync, mkdtempSync, readFileSync, statSync, symlinkSync, utimesSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { loadRules, scan, workerPath } from '../../src/analyze/index.js';
import { WorkersUnavailable, runPool } from '../../src/analyze/scan-pool.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';

const ruleSet = loadRules();
const SYS = path.join(SAMPLE_KERNEL_DIR, 'sys');
const key = (f: { file: string; line: number; col: number; ruleId: string }) => `${f.file}:${f.line}:${f.col} ${f.ruleId}`;

function tree(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'xenoport-scan-'));
  const sys = path.join(root, 'sys');
  mkdirSync(path.join(sys, 'i386'), { recursive: true });
  writeFileSync(path.join(sys, 'i386', 'a.c'), 'void\nf(void)\n{\n\t__asm __volatile("cli");\n}\n');
  writeFileSync(path.join(sys, 'i386', 'b.s'), '\tlgdt\t(%eax)\n');
  writeFileSync(path.join(sys, 'i386', 'blob.c'), Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0, 0, 0, 1, 0x90]));
  writeFileSync(path.join(sys, 'README'), 'not source\n');
  symlinkSync(path.join(sys, 'missing.c'), path.join(sys, 'dangling.c'));
  symlinkSync(sys, path.join(sys, 'i386', 'loop'));
  symlinkSync(path.join(sys, 'self.h'), path.join(sys, 'self.h'));
  // A huge generated file: ~4 MB of functions, one privileged instruction at the end.
  const body = 'int\nfn%(int a)\n{\n\treturn (a + %);\n}\n';
  let huge = '';
  for (let i = 0; i < 60000; i++) huge += body.replace(/%/g, String(i));
  huge += 'void\nlast(void)\n{\n\t__asm __volatile("hlt");\n}\n';
  writeFileSync(path.join(sys, 'huge.c'), huge);
  return sys;
}

describe('scan of a messy tree', () => {
  const sys = tree();

  it('scans what it can and accounts for every file', async () => {
    const r = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 0 });
    const states = Object.fromEntries(r.files.map((f) => [f.file, f.state]));
    expect(states['sys/i386/a.c']).toBe('scanned');
    expect(states['sys/i386/b.s']).toBe('scanned');
    expect(states['sys/huge.c']).toBe('scanned');
    expect(states['sys/i386/blob.c']).toBe('binary');
    expect(states['sys/README']).toBe('not-source');
    expect(states['sys/dangling.c']).toBe('unreadable');
    expect(states['sys/self.h']).toBe('symlink-loop');
    expect(states['sys/i386/loop']).toBe('symlink-loop');
    expect(r.summary.files).toBe(r.files.length);
    expect(r.files).toHaveLength(8);
    expect(r.findings.map(key)).toEqual(['sys/huge.c:300004:2 hlt', 'sys/i386/a.c:4:2 cli', 'sys/i386/b.s:1:2 lgdt']);
  }, 60_000);

  it('skips files above the size limit, and says so', async () => {
    const r = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 0, maxFileBytes: 1024 * 1024 });
    expect(r.files.find((f) => f.file === 'sys/huge.c')?.state).toBe('too-large');
    expect(r.summary.skipped['too-large']).toBe(1);
  });

  it('filters by rule, category and exclude glob', async () => {
    const byRule = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 0, ruleIds: ['lgdt'] });
    expect(byRule.findings.map((f) => f.ruleId)).toEqual(['lgdt']);
    const byCat = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 0, categories: ['privileged-instruction'], exclude: ['**/huge.c', '**/*.s'] });
    expect(byCat.findings.map(key)).toEqual(['sys/i386/a.c:4:2 cli']);
    expect(byCat.summary.skipped.excluded).toBe(2);
  });

  it('rejects an unknown rule id and a missing path', async () => {
    await expect(scan({ paths: [sys], rules: ruleSet, ruleIds: ['nope'] })).rejects.toThrow(/no rule named/);
    await expect(scan({ paths: [path.join(sys, 'nope')], rules: ruleSet })).rejects.toThrow(/no such file/);
  });

  it('re-scans an unchanged tree from the cache with the same findings', async () => {
    const cache = mkdtempSync(path.join(os.tmpdir(), 'xenoport-cache-'));
    const cold = await scan({ paths: [SYS], rules: ruleSet, cache, workers: 0 });
    const warm = await scan({ paths: [SYS], rules: ruleSet, cache, workers: 0 });
    expect(cold.summary.cached).toBe(0);
    expect(warm.summary.scanned).toBe(0);
    expect(warm.summary.cached).toBe(cold.summary.scanned);
    expect(warm.findings).toEqual(cold.findings);
  });
});

describe('cache: an unchanged tree recognised by its stats', () => {
  it('skips reading files whose stats are old enough, and never misses an edit that keeps size and mtime', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xenoport-stat-'));
    const sys = path.join(root, 'sys');
    cpSync(SYS, sys, { recursive: true });
    // A whole-second mtime, so that it can be put back exactly after the edit below.
    const file = path.join(sys, 'kern', 'kern_clock.c');
    const stamp = new Date(Math.floor(Date.now() / 1000) * 1000 - 60_000);
    utimesSync(file, stamp, stamp);
    const cache = mkdtempSync(path.join(os.tmpdir(), 'xenoport-cache-'));
    const first = await scan({ paths: [sys], rules: ruleSet, cache, workers: 0 });
    expect(first.summary.unchanged).toBeUndefined();
    // Just written files are "racy": their stats are not trusted yet, so the contents are read.
    // Touched again here (its ctime is now): the copy above may be seconds old on a loaded machine.
    utimesSync(file, stamp, stamp);
    expect((await scan({ paths: [sys], rules: ruleSet, cache, workers: 0 })).summary.unchanged).toBe('content');
    await new Promise((r) => setTimeout(r, 2100));
    expect((await scan({ paths: [sys], rules: ruleSet, cache, workers: 0 })).summary.unchanged).toBe('content');
    const byStat = await scan({ paths: [sys], rules: ruleSet, cache, workers: 0 });
    expect(byStat.summary.unchanged).toBe('stat');
    expect(byStat.findings).toEqual(first.findings);
    expect(byStat.summary.cached).toBe(first.summary.scanned);

    // Same size, mtime put back: only ctime tells, and that is enough.
    const text = readFileSync(file, 'latin1');
    const edited = text.replace(/\n\}\n/, '\n}\nvoid\nz(void)\n{\n\tcli();\n}\n').slice(0, text.length);
    expect(edited.length).toBe(text.length);
    writeFileSync(file, edited, 'latin1');
    utimesSync(file, stamp, stamp);
    expect(statSync(file).mtimeMs).toBe(stamp.getTime());
    const after = await scan({ paths: [sys], rules: ruleSet, cache, workers: 0 });
    expect(after.summary.unchanged).toBeUndefined();
    expect(after.summary.scanned).toBe(1);
    const fresh = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 0 });
    expect(after.findings).toEqual(fresh.findings);
    expect(after.findings).not.toEqual(first.findings);
  }, 60_000);
});

describe('cache after an edit', () => {
  it('re-parses only the changed file and still resolves tree-wide facts', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xenoport-edit-'));
    const sys = path.join(root, 'sys');
    cpSync(SYS, sys, { recursive: true });
    const cache = mkdtempSync(path.join(os.tmpdir(), 'xenoport-cache-'));
    const first = await scan({ paths: [sys], rules: ruleSet, cache, workers: 0 });
    const extra = path.join(sys, 'kern', 'added.c');
    writeFileSync(extra, 'void\nadded(void)\n{\n\tdisable_intr();\n}\n');
    const second = await scan({ paths: [sys], rules: ruleSet, cache, workers: 0 });
    expect(second.summary.scanned).toBe(1);
    expect(second.summary.cached).toBe(first.summary.scanned);
    const fresh = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 0 });
    expect(second.findings).toEqual(fresh.findings);
    // The wrapper is defined in a cached header; the call in the new file is still found.
    expect(second.findings.filter((f) => f.file === 'sys/kern/added.c').map((f) => f.ruleId)).toEqual(['wrapper-cli']);
  }, 60_000);
});

describe('worker threads', () => {
  it('fall back to this thread when workers cannot start at all, instead of starting one per file', async () => {
    const bad = path.join(mkdtempSync(path.join(os.tmpdir(), 'xenoport-badworker-')), 'bad-worker.mjs');
    writeFileSync(bad, "throw new Error('this worker cannot start');\n");
    const jobs = Array.from({ length: 40 }, (_, i) => ({ index: i, file: `f${i}.c`, abs: '', lang: 'c' as const, size: 6, text: 'int x;' }));
    await expect(runPool(jobs, ruleSet.rules, 2, bad, { progress: () => undefined, load: () => true, accept: () => true }, [], [])).rejects.toBeInstanceOf(WorkersUnavailable);
    const warnings: string[] = [];
    const onWarning = (w: Error): number => warnings.push(w.message);
    process.on('warning', onWarning);
    try {
      const r = await scan({ paths: [SYS], rules: ruleSet, cache: false, workers: 2, workerEntry: bad });
      const inThread = await scan({ paths: [SYS], rules: ruleSet, cache: false, workers: 0 });
      expect(r.summary.workers).toBe(0);
      expect(r.summary.skipped.failed ?? 0).toBe(0);
      expect(r.findings).toEqual(inThread.findings);
      await new Promise((res) => setImmediate(res));
      expect(warnings.some((m) => /workers cannot run/.test(m))).toBe(true);
    } finally {
      process.off('warning', onWarning);
    }
  }, 60_000);

  it.runIf(workerPath())('retry the files of a worker that dies, alone, and report only the file that kills it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'xenoport-dying-'));
    const sys = path.join(dir, 'sys');
    mkdirSync(sys);
    for (let i = 0; i < 12; i++) writeFileSync(path.join(sys, `f${i}.c`), `void\nf${i}(void)\n{\n\t__asm __volatile("cli");\n}\n`);
    writeFileSync(path.join(sys, 'poison.c'), 'int poison;\n');
    // A worker that dies on any batch holding poison.c, and is the real worker otherwise
    // (static imports: its listener is registered first, and before any message comes).
    writeFileSync(
      path.join(dir, 'die-on-poison.mjs'),
      `import { parentPort } from 'node:worker_threads';\n` +
        `parentPort.on('message', (batch) => { if (batch.some((j) => j.file.endsWith('poison.c'))) process.exit(3); });\n`,
    );
    const entry = path.join(dir, 'dying-worker.mjs');
    writeFileSync(entry, `import './die-on-poison.mjs';\nimport ${JSON.stringify(pathToFileURL(workerPath()!).href)};\n`);
    const r = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 1, workerEntry: entry });
    const failed = r.files.filter((f) => f.state === 'failed');
    expect(failed.map((f) => f.file)).toEqual(['sys/poison.c']);
    expect(failed[0].detail).toMatch(/exited with code 3/);
    expect(r.files.filter((f) => f.state === 'scanned')).toHaveLength(12);
    expect(r.findings.filter((f) => f.ruleId === 'cli')).toHaveLength(12);
    // With this thread extracting too (workers: 2), poison.c may be done here; nothing else fails.
    const both = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 2, workerEntry: entry });
    expect(both.files.filter((f) => f.state === 'failed' && f.file !== 'sys/poison.c')).toEqual([]);
    expect(both.findings.filter((f) => f.ruleId === 'cli')).toHaveLength(12);
  }, 60_000);

  it('fall back to in-thread scanning when the compiled worker is missing, with the same findings', async () => {
    const inThread = await scan({ paths: [SYS], rules: ruleSet, cache: false, workers: 0 });
    expect(inThread.summary.workers).toBe(0);
    const pooled = await scan({ paths: [SYS], rules: ruleSet, cache: false, workers: 2 });
    // Under vitest the worker runs from dist/ if `npm test` built it; otherwise in-thread.
    expect(pooled.summary.workers).toBe(workerPath() ? 2 : 0);
    expect(pooled.findings).toEqual(inThread.findings);
  }, 60_000);

  it.skipIf(!existsSync(path.resolve('dist/src/analyze/worker.js')))('use the compiled worker from dist/', async () => {
    const r = await scan({ paths: [SYS], rules: ruleSet, cache: false, workers: 2 });
    expect(r.summary.workers).toBe(2);
  }, 60_000);
});

describe('parse errors', () => {
  it('still finds sites in damaged code, marks them recovered and counts the file', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xenoport-err-'));
    const sys = path.join(root, 'sys');
    mkdirSync(sys);
    writeFileSync(path.join(sys, 'bad.c'), 'void\nf(void)\n{\n\tint (x;\n\t__asm __volatile("cli");\n}\n\nvoid\ng(void)\n{\n\t__asm __volatile("sti");\n}\n');
    const r = await scan({ paths: [sys], rules: ruleSet, cache: false, workers: 0 });
    expect(r.findings.map((f) => [f.ruleId, f.line, f.recovered])).toEqual([
      ['cli', 5, true],
      ['sti', 11, false],
    ]);
    expect(r.summary.filesWithParseErrors).toBe(1);
    expect(r.summary.recovered).toBe(1);
  });
});

describe('names that are Object.prototype members', () => {
  it('do not confuse the fact tables (constructor, toString, __proto__)', async () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'xenoport-proto-'));
    writeFileSync(
      path.join(root, 'p.c'),
      'void\nf(int constructor)\n{\n\tint toString;\n\tconstructor = 1;\n\ttoString = constructor;\n\thasOwnProperty(constructor, 2);\n\t__proto__(1);\n\t__asm __volatile("cli");\n}\n',
    );
    const r = await scan({ paths: [root], rules: ruleSet, cache: false, workers: 0 });
    expect(r.findings.map((f) => f.ruleId)).toEqual(['cli']);
    expect(r.files.every((f) => f.state !== 'failed')).toBe(true);
  });
});
