// A big scan runs on its own thread (scan-thread.ts, a worker with a larger young
// generation): the same result as in the caller's thread, progress on the way,
// and the library's errors arriving as their own classes with their spans.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { scan } from '../../src/analyze/index.js';
import { scanOnThread } from '../../src/analyze/scan-thread.js';
import { SAMPLE_KERNEL_DIR } from '../../src/cli/paths.js';
import { PROJECT_ROOT } from '../../src/project-root.js';
import { ScanError } from '../../src/errors.js';

const ENTRY = path.join(PROJECT_ROOT, 'dist', 'src', 'analyze', 'scan-thread-entry.js');
const built = existsSync(ENTRY);

describe.skipIf(!built)('a scan on its own thread (needs the compiled dist/ tree: npm run build)', () => {
  const sys = path.join(SAMPLE_KERNEL_DIR, 'sys');

  it('finds what the same scan finds in this thread, and reports progress', async () => {
    const opts = { paths: [path.join(sys, 'i386')], relativeTo: sys, arch: 'i386', cache: false as const, workers: 2 };
    const here = await scan({ ...opts, workers: 0 });
    let last: [number, number] = [0, 0];
    const there = await scanOnThread(ENTRY, { ...opts, onProgress: (done, total) => (last = [done, total]) });
    expect(there.findings.length).toBeGreaterThan(100);
    expect(there.findings).toEqual(here.findings);
    expect(last[0]).toBe(last[1]);
    expect(last[1]).toBeGreaterThan(10);
  });

  it('gives back a user error as the library threw it', async () => {
    const err = await scanOnThread(ENTRY, { paths: [path.join(sys, 'no-such-dir')], cache: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ScanError);
    expect((err as Error).message).toMatch(/no such file or directory: .*no-such-dir/);
  });
});
