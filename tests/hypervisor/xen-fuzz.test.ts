// Safety: >= 100,000 hypercalls (ten seeds) with random numbers and arguments from a guest; after
// every call the invariants hold and no host exception escapes. XENOPORT_FUZZ_FULL=1
// runs ten seeds (1,000,000 calls); XENOPORT_FUZZ_CALLS sets the count per seed;
// `node dist/bench/hypervisor.js fuzz N` runs the same driver outside vitest.
import { describe, expect, it } from 'vitest';
import { runHypercallFuzz, type Mm } from '../../src/hypervisor/index.js';

const FULL = process.env.XENOPORT_FUZZ_FULL === '1';
const N = Number(process.env.XENOPORT_FUZZ_CALLS ?? (FULL ? 100_000 : 10_000));
// Runs of N with different seeds, each one synchronous stretch short enough for
// vitest's worker heartbeat on a busy machine: 100,000 hypercalls in npm test,
// 1,000,000 in the full run.
const SEEDS = FULL ? [0x5eed, 1, 2, 3, 4, 5, 6, 7, 8, 9] : [0x5eed, 1, 2, 3, 4, 5, 6, 7, 8, 9];

describe('hypercall fuzz', () => {
  for (const seed of SEEDS) {
    it(`${N.toLocaleString('en')} random hypercalls keep every invariant (seed ${seed})`, () => {
      const r = runHypercallFuzz({ calls: N, seed });
      expect(r.hostError).toBeUndefined();
      expect(r.violations, r.culprit).toEqual([]);
      expect(r.calls).toBe(N);
      // The generator reaches deep into the validator: many accepted and many refused.
      expect(r.results.ok).toBeGreaterThan(N / 10);
      expect(r.results['-22']).toBeGreaterThan(N / 10);
      expect(r.byName.mmu_update).toBeGreaterThan(N / 10);
      console.log(`fuzz: ${r.calls} hypercalls in ${r.seconds.toFixed(1)} s, results ${JSON.stringify(r.results)}, ${r.mmuRefusals} validator refusals`);
    }, 600_000);
  }

  // The fuzz and the checker together catch a validator with a hole in it.
  const broken: [string, (mm: Mm) => void][] = [
    ['forgets the reference a linear map takes', (mm) => {
      const any = mm as unknown as { getLinear: (e: number, self: number) => boolean };
      any.getLinear = (e: number) => !(e & 2);
    }],
    ['lets a page-table frame be mapped writable', (mm) => {
      const orig = mm.getPageType.bind(mm);
      mm.getPageType = (f, t, d) => (t === 4 && mm.mem.typeCount[f]! > 0 ? true : orig(f, t, d));
    }],
    ['accepts L2 entries in the hypervisor hole', (mm) => {
      const orig = mm.modL2Entry.bind(mm);
      mm.modL2Entry = (f, i, e, d) => (i >= 1008 ? (mm.mem.setEntry(f, i, e), true) : orig(f, i, e, d));
    }],
  ];
  for (const [what, breakIt] of broken) {
    it(`finds a validator that ${what}`, () => {
      const r = runHypercallFuzz({ calls: 50_000, seed: 0x5eed, instrument: (xen) => breakIt(xen.mm) });
      expect(r.violations.length).toBeGreaterThan(0);
      expect(r.hostError).toBeUndefined();
    }, 300_000);
  }
});
