// Safety: >= 100,000 hypercalls with random numbers and arguments from a guest; after
// every call the invariants hold and no host exception escapes. XENOPORT_FUZZ_FULL=1
// runs 1,000,000 (npm run fuzz runs the same driver from bench/).
import { describe, expect, it } from 'vitest';
import { runHypercallFuzz } from '../../src/hypervisor/fuzz.js';

const FULL = process.env.XENOPORT_FUZZ_FULL === '1';
const N = Number(process.env.XENOPORT_FUZZ_CALLS ?? (FULL ? 1_000_000 : 100_000));

describe('hypercall fuzz', () => {
  it(`${N.toLocaleString('en')} random hypercalls keep every invariant`, () => {
    const r = runHypercallFuzz({ calls: N, seed: 0x5eed });
    expect(r.hostError).toBeUndefined();
    expect(r.violations, r.culprit).toEqual([]);
    expect(r.calls).toBe(N);
    // The generator reaches the validator: many accepted and many refused requests.
    expect(r.results.ok).toBeGreaterThan(r.calls / 20);
    expect(r.results['-22']).toBeGreaterThan(r.calls / 20);
    expect(r.byName.mmu_update).toBeGreaterThan(r.calls / 10);
    console.log(`fuzz: ${r.calls} hypercalls in ${r.seconds.toFixed(1)} s, results ${JSON.stringify(r.results)}, ${r.mmuRefusals} validator refusals`);
  }, 300_000);
});
