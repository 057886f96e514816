import { it } from 'vitest';
import { buildXenoKernel, runXenImage, manifestSourceMap, formatCounts } from '../../src/hypervisor/index.js';
it('scratch', async () => {
  const b = await buildXenoKernel('/tmp/xe/hc2/sys', 'sample-kernel');
  console.log(b.errors.slice(0, 5));
  if (!b.image) return;
  const t0 = performance.now();
  const r = runXenImage(b.image, { maxSteps: 5e8, memoryMB: 32, sourceMap: manifestSourceMap('/tmp/xe/hc/sys'), debug: true });
  console.log('outcome', r.outcome, r.steps, ((performance.now() - t0) / 1000).toFixed(1), 's');
  console.log('console:\n' + r.console.slice(-2500));
  console.log('serial:', JSON.stringify(r.serial.slice(-500)));
  console.log(r.reportText);
  console.log(formatCounts(r.counts));
}, 900_000);
