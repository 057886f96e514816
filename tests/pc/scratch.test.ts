import { it } from 'vitest';
import { randomProgram, fuzzImage, fuzzPC } from '../../bench/pc-fuzz.js';
import { PagedMemory, PhysicalMemory } from '../../src/emulate/pc/index.js';
import { findSymbol } from '../../src/compile/image.js';
it('prof', () => {
  const mem = new PagedMemory(new PhysicalMemory(1 << 20));
  let pcT = 0, runT = 0, clr = 0;
  const slow: string[] = [];
  for (let s = 1; s <= 500; s++) {
    const pc = fuzzPC(fuzzImage(randomProgram(s)), mem); pc.machine.compileAll();
    for (let k = 0; k < 2; k++) {
      let t = performance.now(); pc.phys.clear(); clr += performance.now() - t;
      t = performance.now(); pc.powerCycle(); pcT += performance.now() - t;
      t = performance.now(); const r = pc.run(1000, findSymbol(pc.image, 'main')!.addr); const d = performance.now() - t; runT += d;
      if (d > 3) slow.push(`${s}:${d.toFixed(1)}:${r.outcome}:${r.steps}`);
    }
  }
  console.log('RUNPH clear', clr.toFixed(0), 'powerCycle', pcT.toFixed(0), 'run', runT.toFixed(0), slow.slice(0, 20).join(' '));
});
