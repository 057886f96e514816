// The compile cache (src/compile/unit-cache.ts): a unit is compiled once per distinct
// preprocessed input; unchanged files skip cpp; a header change, a new file that could
// shadow an include, a damaged entry or a moved tree never give a stale or wrong module.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile, UnitCache } from '../../src/compile/index.js';
import { printModule, type IRModule } from '../../src/ir/index.js';

const work = mkdtempSync(path.join(tmpdir(), 'xeno-unit-cache-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function tree(name: string): string {
  const sys = path.join(work, name, 'sys');
  mkdirSync(path.join(sys, 'kern'), { recursive: true });
  mkdirSync(path.join(sys, 'sys'), { recursive: true });
  writeFileSync(path.join(sys, 'sys', 'param.h'), '#define NBUF 4\nint\tbufcount(int);\n');
  writeFileSync(path.join(sys, 'kern', 'a.c'), '#include <sys/param.h>\nint\nbufcount(int n)\n{\n\treturn (n * NBUF);\n}\n');
  writeFileSync(path.join(sys, 'kern', 'b.c'), 'int\ntwice(int n)\n{\n\treturn (n + n);\n}\n');
  return sys;
}

const text = (m: IRModule): string => printModule(m);

async function build(cache: UnitCache, sys: string): Promise<IRModule[]> {
  const s = await cache.session(sys);
  return Promise.all(['kern/a.c', 'kern/b.c'].map((f) => s.compile(path.join(sys, f), { includeDirs: [sys] })));
}

function entries(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) (statSync(path.join(d, e)).isDirectory() ? walk(path.join(d, e)) : out.push(path.join(d, e)));
  };
  walk(dir);
  return out;
}

describe('the compile cache', () => {
  const cacheDir = path.join(work, 'cache');
  const sys = tree('one');

  it('gives the module a plain compile gives, and compiles each file once', async () => {
    const cache = new UnitCache(cacheDir);
    const mods = await build(cache, sys);
    const plain = await compileFile(path.join(sys, 'kern/a.c'), { includeDirs: [sys] });
    expect(text(mods[0]!)).toBe(text(plain));
    expect(cache.stats).toEqual({ direct: 0, preprocessed: 0, reduced: 0, compiled: 2 });
    // A new process (a fresh object) finds both on disk without running cpp.
    const again = new UnitCache(cacheDir);
    const mods2 = await build(again, sys);
    expect(again.stats).toEqual({ direct: 2, preprocessed: 0, reduced: 0, compiled: 0 });
    expect(mods2.map(text)).toEqual(mods.map(text));
    expect(mods2[0]!.name).toBe(path.join(sys, 'kern/a.c'));
  });

  it('recompiles what a changed header reaches, and only that', async () => {
    writeFileSync(path.join(sys, 'sys', 'param.h'), '#define NBUF 8\nint\tbufcount(int);\n');
    const cache = new UnitCache(cacheDir);
    const mods = await build(cache, sys);
    expect(cache.stats).toEqual({ direct: 1, preprocessed: 0, reduced: 0, compiled: 1 });
    expect(text(mods[0]!)).toBe(text(await compileFile(path.join(sys, 'kern/a.c'), { includeDirs: [sys] })));
    expect(text(mods[0]!)).toContain('8');
  });

  it('runs cpp again when a file appears in the tree (it could shadow an include), and reuses the output', async () => {
    writeFileSync(path.join(sys, 'kern', 'param.h'), '/* not included */\n');
    const cache = new UnitCache(cacheDir);
    await build(cache, sys);
    expect(cache.stats).toEqual({ direct: 0, preprocessed: 2, reduced: 0, compiled: 0 });
  });

  it('serves a tree at another path with that path in the file table', async () => {
    const moved = path.join(work, 'two', 'sys');
    cpSync(sys, moved, { recursive: true });
    const cache = new UnitCache(cacheDir);
    const mods = await build(cache, moved);
    expect(cache.stats.compiled).toBe(0);
    const plain = await compileFile(path.join(moved, 'kern/a.c'), { includeDirs: [moved] });
    expect(text(mods[0]!)).toBe(text(plain));
    expect(mods[0]!.files).toContain(path.join(moved, 'kern/a.c'));
  });

  it('treats a damaged entry as a miss and compiles again', async () => {
    for (const f of entries(cacheDir)) writeFileSync(f, 'xenoport-cache ir-unit 1 0000\n{}');
    const cache = new UnitCache(cacheDir);
    const mods = await build(cache, sys);
    expect(cache.stats.compiled).toBe(2);
    expect(text(mods[1]!)).toBe(text(await compileFile(path.join(sys, 'kern/b.c'), { includeDirs: [sys] })));
  });
});
