/*
 * The test worker's event loop turns between tests (a setup file, vitest.config.ts).
 *
 * Why: vitest's worker sends the runner's task updates as RPCs and fails the whole run
 * with "Timeout calling onTaskUpdate" when a reply waits more than 60 s. The reply is
 * read only when the worker's event loop turns, and a file of synchronous tests never
 * turns it: vitest awaits between them, but on promises only. One such file took 38 s
 * on a quiet machine and 424 s at load 20. With a turn before and after each test, a
 * reply waits at most as long as one test runs; a test that runs long without a turn
 * breathes in its own loops (breath()), or runs its guest off the thread
 * (off-thread.ts).
 */
import { afterEach, beforeEach } from 'vitest';

/** One turn of the event loop: I/O, and so the replies to the worker's RPCs, are read. */
export function breath(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

beforeEach(breath);
afterEach(breath);
