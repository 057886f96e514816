/*
 * Csmith against gcc (helpers in csmith.ts): `npm test` runs 50 small programs from
 * fixed seeds; `npm run fuzz` sets XENOPORT_CSMITH_PROGRAMS=2000 and runs that many
 * full-size ones, reduces each miscompile with C-Reduce into
 * tests/compile/programs/csmith_<seed>.c (a regression program for programs.test.ts)
 * and prints the counts. XENOPORT_CSMITH_SEED moves the first seed;
 * XENOPORT_CSMITH_REDUCE=0 leaves out the reductions; XENOPORT_CSMITH_LOG=FILE appends
 * one JSON line per program (a long campaign can be followed, or resumed). Every run must
 * end with no miscompile, no crash and no timeout; compiler errors (constructs
 * xenoport does not take) are listed by cause.
 */
import { appendFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { check, csmithAvailable, CSMITH_SMALL, discard, formatCounts, reduceMiscompile, tally, XenoRunner, type Outcome } from './csmith.js';

const TARGET = Number(process.env.XENOPORT_CSMITH_PROGRAMS ?? 50);
const FULL = process.env.XENOPORT_CSMITH_PROGRAMS !== undefined;
const REDUCE = FULL && process.env.XENOPORT_CSMITH_REDUCE !== '0';
const LOG = process.env.XENOPORT_CSMITH_LOG;
const FIRST = Number(process.env.XENOPORT_CSMITH_SEED ?? 1);
const BATCH = 50;
const LANES = 2;
const available = csmithAvailable();
const dir = mkdtempSync(path.join(tmpdir(), 'xeno-csmith-'));
const programs = path.resolve(__dirname, 'programs');

const outcomes: Outcome[] = [];
const runners = Array.from({ length: LANES }, () => new XenoRunner());
let nextSeed = FIRST;
let running = 0;
const counted = (): number => outcomes.filter((o) => o.kind !== 'skipped').length;

/** Runs seeds on all lanes until `upTo` programs were counted (a lane starts one only if it may count). */
async function runUntil(upTo: number): Promise<void> {
  await Promise.all(runners.map(async (r) => {
    while (counted() + running < upTo) {
      const seed = nextSeed++;
      running++;
      const o = await check(seed, dir, r, FULL ? [] : CSMITH_SMALL);
      running--;
      outcomes.push(o);
      if (LOG) appendFileSync(LOG, `${JSON.stringify({ seed: o.seed, kind: o.kind, cause: o.cause, detail: o.detail })}\n`);
      if (o.kind === 'agree' || o.kind === 'skipped') discard(o);
      else console.log(`seed ${seed}: ${o.kind}${o.cause ? ` (${o.cause})` : ''}${o.detail ? `: ${o.detail.split('\n')[0]}` : ''}`);
    }
  }));
}

describe.skipIf(!available && !process.env.CI)(`Csmith: ${TARGET} programs, gcc -O0 vs xenoport`, () => {
  afterAll(() => {
    for (const r of runners) r.close();
    console.log(`Csmith seeds ${FIRST}-${nextSeed - 1}, ${counted()} programs: ${formatCounts(tally(outcomes))}`);
  });
  it('csmith, libcsmith-dev and creduce are installed', () => {
    expect(available, 'apt-get install csmith libcsmith-dev creduce').toBe(true);
  });
  for (let upTo = BATCH; upTo - BATCH < TARGET; upTo += BATCH) {
    const n = Math.min(upTo, TARGET);
    it(`programs ${upTo - BATCH + 1}-${n}: no miscompile, crash or timeout`, async () => {
      const before = outcomes.length;
      await runUntil(n);
      const bad = outcomes.slice(before).filter((o) => o.kind === 'miscompile' || o.kind === 'crash' || o.kind === 'timeout');
      if (REDUCE) {
        for (const o of bad.filter((x) => x.kind === 'miscompile')) {
          const out = path.join(programs, `csmith_${o.seed}.c`);
          const text = await reduceMiscompile(o.file, out);
          o.detail = `${o.detail}; ${text ? `reduced to ${out}` : 'not reducible (the program has undefined behaviour)'}`;
          console.log(`seed ${o.seed}: ${o.detail}`);
        }
      }
      expect(bad.map((o) => `seed ${o.seed}: ${o.kind} ${o.cause ?? ''} ${o.detail ?? ''}`)).toEqual([]);
      // 50 small programs take 80 s alone and passed 120 s beside the rest of the suite
      // on two cores; the full campaign's timeout comes from the command line.
    }, FULL ? undefined : 600_000);
  }
});
