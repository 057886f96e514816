import { expect, it } from 'vitest';
import { runPcFuzz } from '../../../bench/pc-fuzz.js';

export const PER_FILE = Number(process.env.XENOPORT_PC_FUZZ_COUNT ?? (process.env.XENOPORT_FUZZ_FULL ? 50_000 : 5_000));
/** Programs per synchronous stretch: the test yields between chunks so that vitest's worker heartbeat is never starved on a busy machine. */
const CHUNK = 500;

/** Runs PER_FILE programs starting at seed 1 + half * PER_FILE, paging off and on. */
export function fuzzHalf(half: number): void {
  it(`${PER_FILE} programs, paging off and on: every run ends with a result, none escapes`, async () => {
    const outcomes: Record<string, number> = {};
    const failures: unknown[] = [];
    let programs = 0;
    let runs = 0;
    let ms = 0;
    for (let at = 0; at < PER_FILE; at += CHUNK) {
      const st = runPcFuzz(Math.min(CHUNK, PER_FILE - at), 1 + half * PER_FILE + at);
      for (const [k, n] of Object.entries(st.outcomes)) outcomes[k] = (outcomes[k] ?? 0) + n;
      failures.push(...st.failures);
      programs += st.programs;
      runs += st.runs;
      ms += st.ms;
      await new Promise((f) => setImmediate(f));
    }
    const summary = Object.entries(outcomes).sort((a, b) => b[1] - a[1]).map(([k, n]) => `${k}: ${n}`).join(', ');
    console.log(`pc fuzz: ${programs} programs, ${runs} runs in ${(ms / 1000).toFixed(1)} s — ${summary}`);
    expect(failures.slice(0, 3)).toEqual([]);
    expect(programs).toBe(PER_FILE);
    expect(runs).toBe(2 * PER_FILE);
  }, 900_000);
}
