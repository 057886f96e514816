/*
 * The sample kernel's C files through the front end, with the kernel's own
 * configuration (config.sh, the Makefile's include path): every file compiles, the
 * IR verifies, and the privileged wrappers of cpufunc.h become intrinsics whose
 * locations name cpufunc.h.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { compileKernel, kernelConfig } from '../../src/compile/index.js';
import { checkModule, printModule } from '../../src/ir/index.js';
import { compileText } from './helpers.js';

const present = existsSync('sample-kernel/config.sh');

describe.runIf(present)('sample kernel C files', () => {
  it('all compile, verify, and map wrappers to intrinsics', async () => {
    const cfg = await kernelConfig('sample-kernel');
    expect(cfg.cFiles.length).toBeGreaterThan(5);
    const { modules } = await compileKernel(cfg.cFiles, { includeDirs: cfg.includeDirs, defines: cfg.defines, link: false });
    for (const m of modules) expect(checkModule(m), m.name).toEqual([]);
    const text = modules.map((m) => printModule(m)).join('\n');
    expect(text).toMatch(/intr (lcr3|invlpg|cli|outb)/);
    const withIntr = modules.find((m) => m.funcs.some((f) => f.blocks.some((b) => b.instrs.some((i) => i.kind === 'intr'))))!;
    const intr = withIntr.funcs.flatMap((f) => f.blocks.flatMap((b) => b.instrs)).find((i) => i.kind === 'intr')!;
    expect(withIntr.files[intr.loc.file - 1]).toMatch(/include\/\w+\.h$/);
  });

  it('with its assembly (GAS front end) the whole kernel links, entry btext', async () => {
    const cfg = await kernelConfig('sample-kernel');
    const { image } = await compileKernel(cfg.sources, { includeDirs: cfg.includeDirs, defines: cfg.defines });
    expect(image?.entryName).toBe('btext');
  });
  it('every inline wrapper of cpufunc.h and atomic.h lowers', async () => {
    const cfg = await kernelConfig('sample-kernel');
    const names = new Set<string>();
    for (const h of ['cpufunc.h', 'atomic.h']) {
      const p = `sample-kernel/sys/i386/include/${h}`;
      if (!existsSync(p)) continue;
      for (const m of readFileSync(p, 'latin1').matchAll(/^([a-z_0-9]+)\(/gm)) names.add(m[1]);
    }
    const src = `#include <sys/param.h>\n#include <sys/types.h>\n#include <machine/cpufunc.h>\n#include <machine/atomic.h>\n`
      + `void *all_wrappers[] = { ${[...names].map((n) => `(void *)${n}`).join(', ')} };\n`;
    const m = await compileText(src, { includeDirs: cfg.includeDirs, defines: cfg.defines });
    expect(checkModule(m)).toEqual([]);
    expect(m.funcs.map((f) => f.name).sort()).toEqual([...names].sort());
  });
});
