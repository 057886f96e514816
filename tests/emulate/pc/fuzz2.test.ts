// The second half of the BarePC fuzz run (see fuzz.test.ts).
import { describe } from 'vitest';
import { fuzzHalf } from './fuzz-helper.js';

describe('random programs on BarePC (seeds 5001-10000)', () => {
  fuzzHalf(1);
});
