import { it } from 'vitest';
import { runHypervisorBench, formatHypervisorBench } from '../../bench/hypervisor.js';
it('scratch', () => { console.log(formatHypervisorBench(runHypervisorBench(5000)).join('\n')); }, 600_000);
