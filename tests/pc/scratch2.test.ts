import { it } from 'vitest';
import { compileKernel, kernelConfig } from '../../src/compile/index.js';
import { printData } from '../../src/ir/index.js';
it('c', async () => {
  const cfg = await kernelConfig('sample-kernel');
  const f = cfg.cFiles.find((f) => f.endsWith('machdep.c') && !f.includes('vm_'))!;
  const r = await compileKernel([f], { includeDirs: cfg.includeDirs, defines: cfg.defines, link: false });
  for (const d of r.modules[0]!.data) if (/constab|gdt_segs|intrvec/.test(d.name)) console.log(printData(d).slice(0, 300));
}, 60000);
