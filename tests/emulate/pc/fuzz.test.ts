// Random IR programs on BarePC, paging off and on: no host exception, no hang, every
// run ends in exit / step-limit / fault (with a report) / halt. 10,000 programs in
// all, split over two files (fuzz.test.ts: seeds 1-5000, fuzz2.test.ts: 5001-10000) so
// the two test workers share them. The generator and runner live in bench/pc-fuzz.ts;
// XENOPORT_FUZZ_FULL=1 runs 50,000 per file.
import { describe, expect, it } from 'vitest';
import { randomProgram } from '../../../bench/pc-fuzz.js';
import { parseModule, verifyModule } from '../../../src/ir/index.js';
import { fuzzHalf } from './fuzz-helper.js';

describe('random programs on BarePC (seeds 1-5000)', () => {
  it('the generator makes verifier-valid programs', () => {
    for (let s = 1; s <= 200; s++) expect(() => verifyModule(parseModule(randomProgram(s), 'fuzz.xir'))).not.toThrow();
  });
  fuzzHalf(0);
});
