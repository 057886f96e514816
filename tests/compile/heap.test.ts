/*
 * The long-lived xenoport process of the Csmith campaign compiles and runs program
 * after program; its heap must not keep what earlier runs generated. Csmith seed 1722
 * (functions of thousands of IR instructions, megabytes of generated JavaScript and
 * optimized code) is compiled and run three times in a child process with the
 * worker's Node flags; the heap after gc() may grow by at most 8 MB from the first
 * run to the third (with V8's compilation cache on it grew by 39 MB: 23.1, 57.1,
 * 62.2 MB). A minute on a loaded machine, so it runs with the Csmith campaign
 * (XENOPORT_CSMITH_PROGRAMS set) or XENOPORT_HEAP_TEST=1.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { CSMITH_INCLUDE, csmithAvailable, generate, WORKER_NODE_FLAGS } from './csmith.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const RUNS = 3;
const BOUND = 8e6;

const wanted = process.env.XENOPORT_CSMITH_PROGRAMS !== undefined || process.env.XENOPORT_HEAP_TEST === '1';

describe.skipIf(!wanted || (!csmithAvailable() && !process.env.CI))('the compile worker’s heap', () => {
  it(`compiling and running one large program ${RUNS} times keeps the heap after gc() within ${BOUND / 1e6} MB`, async () => {
    const file = await generate(1722, mkdtempSync(path.join(tmpdir(), 'xeno-heap-')));
    const r = await execa('node', ['--expose-gc', ...WORKER_NODE_FLAGS, path.join(here, 'heap-probe.mjs'), file, String(RUNS), CSMITH_INCLUDE]);
    const { heap, stdout } = JSON.parse(String(r.stdout)) as { heap: number[]; stdout: string };
    expect(stdout).toMatch(/^checksum = [0-9A-F]+/);
    expect(heap).toHaveLength(RUNS);
    expect(heap[RUNS - 1]! - heap[0]!, `heap after each run: ${heap.map((h) => (h / 1e6).toFixed(1)).join(', ')} MB`).toBeLessThan(BOUND);
  }, 300_000);
});
