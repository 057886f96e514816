import { test } from 'vitest';
import { writeFileSync } from 'node:fs';
import { lowerAsmFileDetailed } from '../../../src/compile/asm/index.js';
import { printModule } from '../../../src/ir/index.js';
test('dump', async () => {
  for (const f of ['locore', 'support', 'swtch', 'exception']) {
    let out = '';
    try {
      const r = await lowerAsmFileDetailed(`sample-kernel/sys/i386/i386/${f}.s`);
      out = printModule(r.module) + '\n' + JSON.stringify(r.absolutes);
    } catch (e: any) { out = (e.where ? e.where() : String(e.stack)) + '\n' + (e.sourceLine ?? ''); }
    writeFileSync(`/tmp/${f}.xir`, out);
  }
});
