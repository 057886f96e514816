// The batching figures the hypervisor keeps (mmu_update requests per call) and the
// seeded upcall schedule: deterministic per seed, spread over the run.
import { describe, expect, it } from 'vitest';
import { MmuStats, UpcallInjector } from '../../src/hypervisor/index.js';

describe('MmuStats', () => {
  it('counts calls and requests in power-of-two buckets', () => {
    const s = new MmuStats();
    for (const n of [1, 1, 2, 3, 4, 1024, 2048]) s.record(n);
    expect(s.calls).toBe(7);
    expect(s.requests).toBe(3083);
    expect(s.format()).toBe('1: 2, 2-3: 2, 4-7: 1, 1024-2047: 1, 2048-4095: 1');
  });
});

describe('UpcallInjector', () => {
  const schedule = (seed: number) => {
    const u = new UpcallInjector(seed);
    const out: number[] = [];
    for (let steps = 0; steps < 2_000_000; steps += 500) if (u.due(steps)) out.push(steps);
    return out;
  };
  it('gives the same instruction counts for a seed, others for another', () => {
    expect(schedule(3)).toEqual(schedule(3));
    expect(schedule(3)).not.toEqual(schedule(4));
  });
  it('spaces upcalls 1 000 to 50 000 instructions apart', () => {
    const s = schedule(11);
    expect(s.length).toBeGreaterThan(9);
    for (let i = 1; i < s.length; i++) expect(s[i]! - s[i - 1]!).toBeGreaterThanOrEqual(1000);
    for (let i = 1; i < s.length; i++) expect(s[i]! - s[i - 1]!).toBeLessThanOrEqual(50_500);
  });
});
