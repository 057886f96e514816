import { it } from 'vitest';
import { buildKernelImage } from '../../src/emulate/pc/kernel-image.js';
import { BarePC } from '../../src/emulate/pc/index.js';
it('scratch build', async () => {
  const b = await buildKernelImage('sample-kernel');
  if (!b.image) return;
  const pc = new BarePC(b.image, {});
  const counts = new Map<string, number>();
  const w = pc.ports.write.bind(pc.ports), rd = pc.ports.read.bind(pc.ports);
  pc.ports.write = (p, v, wd) => { const k = 'w' + p.toString(16); counts.set(k, (counts.get(k) ?? 0) + 1); return w(p, v, wd); };
  pc.ports.read = (p, wd) => { const k = 'r' + p.toString(16); counts.set(k, (counts.get(k) ?? 0) + 1); return rd(p, wd); };
  const r = pc.boot(5e8);
  console.log('OUT', r.outcome, r.message, r.steps, [...counts].join(' '));
  console.log(JSON.stringify(r.console));
}, 600000);
