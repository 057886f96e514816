import { defineConfig } from 'vitest/config';

// Two cores on CI: two forks keep the machine busy without thrashing.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    testTimeout: 120_000,
    hookTimeout: 300_000,
    // The worker's event loop turns between tests (the file says why).
    setupFiles: ['tests/support/event-loop.ts'],
  },
});
