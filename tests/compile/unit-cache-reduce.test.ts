// The compile cache's second key (src/compile/unit-reduce.ts): a unit whose text
// changed only in the bodies of inline functions it never reaches is served from the
// cache, and what it serves is exactly what a fresh compile gives; a change a unit
// can reach, a syntax error, or a body reached through another inline function is
// compiled again. Last, the port loop's case on the sample kernel: the sti rule's
// switch (cpufunc.h's enable_intr, included by most of the kernel), and a second build
// that takes every C and assembly unit from its direct entry.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { compileFile, UnitCache } from '../../src/compile/index.js';
import { printModule, type IRModule } from '../../src/ir/index.js';
import { defaultScan, loadPipeline, runPipeline } from '../../src/rewrite/index.js';
import { buildXenoKernel } from '../../src/port/index.js';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../../src/project-root.js';

const work = mkdtempSync(path.join(tmpdir(), 'xeno-unit-reduce-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const sys = path.join(work, 'sys');
mkdirSync(path.join(sys, 'kern'), { recursive: true });
mkdirSync(path.join(sys, 'sys'), { recursive: true });
const header = (used: string, unused: string, helper: string): void =>
  writeFileSync(
    path.join(sys, 'sys', 'wrap.h'),
    `static __inline int\nhelper(int x)\n{\n\treturn (${helper});\n}\n\n` +
      `static __inline int\nused_wrap(int x)\n{\n\treturn (${used});\n}\n\n` +
      `static __inline void\nunused_wrap(void)\n{\n\t${unused};\n}\n`,
  );
writeFileSync(path.join(sys, 'kern', 'a.c'), '#include <sys/wrap.h>\nint\ncaller(int n)\n{\n\treturn (used_wrap(n));\n}\n');
writeFileSync(path.join(sys, 'kern', 'b.c'), '#include <sys/wrap.h>\nint\nplain(int n)\n{\n\treturn (n * 3);\n}\n');
const files = ['kern/a.c', 'kern/b.c'];

async function build(cache: UnitCache): Promise<string[]> {
  const s = await cache.session(sys);
  const mods: IRModule[] = [];
  for (const f of files) mods.push(await s.compile(path.join(sys, f), { includeDirs: [sys] }));
  return mods.map(printModule);
}
const fresh = async (): Promise<string[]> => Promise.all(files.map(async (f) => printModule(await compileFile(path.join(sys, f), { includeDirs: [sys] }))));

describe("the compile cache's key without unreachable inline bodies", () => {
  const cacheDir = path.join(work, 'cache');

  it('serves a unit whose change is only in a body it never reaches, as a fresh compile would', async () => {
    header('x + 1', '(void)0', 'x');
    await build(new UnitCache(cacheDir));
    header('x + 1', '(void)helper(7)', 'x * 2');
    const cache = new UnitCache(cacheDir);
    const mods = await build(cache);
    // unused_wrap now names helper, but nothing lowered names unused_wrap: both units are served.
    expect(cache.stats).toEqual({ direct: 0, preprocessed: 0, reduced: 2, compiled: 0 });
    expect(mods).toEqual(await fresh());
  });

  it('compiles again a unit that calls the changed wrapper, or a function the wrapper calls', async () => {
    header('x + 2', '(void)helper(7)', 'x * 2');
    let cache = new UnitCache(cacheDir);
    let mods = await build(cache);
    expect(cache.stats).toEqual({ direct: 0, preprocessed: 0, reduced: 1, compiled: 1 });
    expect(mods).toEqual(await fresh());
    expect(mods[0]).toContain('2');
    // used_wrap reaches helper only once its body names it.
    header('helper(x) + 2', '(void)helper(7)', 'x * 2');
    await build(new UnitCache(cacheDir));
    header('helper(x) + 2', '(void)helper(7)', 'x * 5');
    cache = new UnitCache(cacheDir);
    mods = await build(cache);
    expect(cache.stats).toEqual({ direct: 0, preprocessed: 0, reduced: 1, compiled: 1 });
    expect(mods).toEqual(await fresh());
    expect(mods[0]).toContain('5');
  });

  it('never serves a text with a syntax error, even in a body nothing reaches', async () => {
    header('helper(x) + 2', '(void)helper(7) +', 'x * 5');
    const cache = new UnitCache(cacheDir);
    await expect(build(cache)).rejects.toThrow(/syntax error/);
    await expect(fresh()).rejects.toThrow(/syntax error/);
  });

  it("gives the sample kernel's modules a fresh compile gives after the sti rule's switch", async () => {
    const tree = async (out: string, hypercall: string[]): Promise<string> => {
      const c = loadPipeline(path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'));
      c.output = out;
      c.cache = path.join(work, 'pipeline-cache');
      for (const s of c.stages) if (s.kind === 'rewrite') s.ruleModes = { ...s.ruleModes, ...Object.fromEntries(hypercall.map((r) => [r, 'hypercall' as const])) };
      await runPipeline(c, { mode: 'breakpoint', scan: defaultScan });
      return out;
    };
    const before = await tree(path.join(work, 'before'), []);
    const after = await tree(path.join(work, 'after'), ['sti']);
    const cache = new UnitCache(path.join(work, 'kernel-cache'));
    await buildXenoKernel(before, SAMPLE_KERNEL_DIR, undefined, undefined, cache);
    const compiled = cache.stats.compiled;
    const cached = await buildXenoKernel(after, SAMPLE_KERNEL_DIR, undefined, undefined, cache);
    // Most of the kernel includes cpufunc.h; few files call enable_intr.
    expect(cache.stats.reduced).toBeGreaterThan(5);
    expect(cache.stats.compiled - compiled).toBeLessThan(5);
    const plain = await buildXenoKernel(after, SAMPLE_KERNEL_DIR);
    expect(cached.errors).toEqual([]);
    expect(cached.modules.map(printModule)).toEqual(plain.modules.map(printModule));
    // Built again, every unit, the assembly files too, comes from its direct entry: no cpp runs.
    const again = new UnitCache(path.join(work, 'kernel-cache'));
    const second = await buildXenoKernel(after, SAMPLE_KERNEL_DIR, undefined, undefined, again);
    expect(again.stats).toEqual({ direct: plain.modules.length, preprocessed: 0, reduced: 0, compiled: 0 });
    expect(second.modules.map(printModule)).toEqual(plain.modules.map(printModule));
  }, 120_000);
});
