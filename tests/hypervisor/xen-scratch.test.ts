import { it } from 'vitest';
import { runHypercallFuzz, checkInvariants } from '../../src/hypervisor/index.js';
it('scratch', () => {
  let xenRef: any;
  const a = runHypercallFuzz({ calls: 20000, seed: 0x5eed, checkEvery: 1e9, instrument: (x) => (xenRef = x) });
  let tables = 0; for (let f = 0; f < xenRef.mem.nframes; f++) if ((xenRef.mem.type[f] === 1 || xenRef.mem.type[f] === 2) && xenRef.mem.typeCount[f] > 0) tables++;
  const t0 = performance.now(); for (let k = 0; k < 100; k++) checkInvariants(xenRef); const per = (performance.now() - t0) / 100;
  console.log('no check', a.seconds.toFixed(1), 's; tables in use', tables, 'check ms', per.toFixed(2));
}, 600_000);
