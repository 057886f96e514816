import { expect, it } from 'vitest';
import { runPcFuzz } from '../../../bench/pc-fuzz.js';

export const PER_FILE = Number(process.env.XENOPORT_PC_FUZZ_COUNT ?? (process.env.XENOPORT_FUZZ_FULL ? 50_000 : 5_000));

/** Runs PER_FILE programs starting at seed 1 + half * PER_FILE, paging off and on. */
export function fuzzHalf(half: number): void {
  it(`${PER_FILE} programs, paging off and on: every run ends with a result, none escapes`, () => {
    const st = runPcFuzz(PER_FILE, 1 + half * PER_FILE);
    const summary = Object.entries(st.outcomes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`pc fuzz: ${st.programs} programs, ${st.runs} runs in ${(st.ms / 1000).toFixed(1)} s — ${summary}`);
    expect(st.failures.slice(0, 3)).toEqual([]);
    expect(st.programs).toBe(PER_FILE);
    expect(st.runs).toBe(2 * PER_FILE);
  }, 900_000);
}
