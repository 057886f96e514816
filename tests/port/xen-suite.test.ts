// The third machine (issue 14): the xenified sample kernel under the bundled
// hypervisor, with the XIR root image as the domain builder's module, runs /sbin/init
// and the whole validation suite, bad programs included, to `validation: 13/13
// passed` and halts; its console equals the golden native console except for the
// lines docs/hypervisor.md lists (read from its table here, so the list and the
// check cannot drift apart); the suite's hypercalls are split per program.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hypercallTotal, suiteModule, type SuiteReport, type SuiteRun } from '../../src/port/index.js';
import { offThread } from '../support/off-thread.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kernel = path.join(root, 'sample-kernel');
const work = mkdtempSync(path.join(tmpdir(), 'xeno-suite-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const HALT = /^The operating system has halted\.$/;

interface Difference {
  native?: RegExp;
  xen?: RegExp;
  why: string;
}

/** The table under `<!-- xen-console-differences` in docs/hypervisor.md. */
function differences(): Difference[] {
  const doc = readFileSync(path.join(root, 'docs/hypervisor.md'), 'utf8');
  const at = doc.indexOf('<!-- xen-console-differences');
  expect(at).toBeGreaterThan(0);
  const rows = doc.slice(at).split('\n').slice(1);
  const out: Difference[] = [];
  for (const row of rows.slice(2)) {
    if (!row.startsWith('|')) break;
    const cells = row.split(' | ').map((c) => c.replace(/^\|\s*|\s*\|$/g, '').trim());
    const re = (c: string): RegExp | undefined => (c === '(none)' ? undefined : new RegExp(`^${/^`(.*)`$/.exec(c)![1]}`));
    out.push({ native: re(cells[0]!), xen: re(cells[1]!), why: cells[2]! });
  }
  return out;
}

function upToHalt(text: string): string[] {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const k = lines.findIndex((l) => HALT.test(l));
  return k < 0 ? lines : lines.slice(0, k + 1);
}

let run: SuiteRun;
let report: SuiteReport;
beforeAll(async () => {
  const { bytes } = await suiteModule(kernel, path.join(work, 'root'));
  // Through the port's caches (the boot is read back when nothing it depends on changed),
  // in a worker thread: the boot is one synchronous stretch (tests/support/off-thread.ts).
  run = await offThread('suiteXenCached', {
    pipelineFile: path.join(root, 'xenoport.pipeline.yaml'),
    configFrom: kernel,
    output: path.join(work, 'xeno/sys'),
    memoryMB: 32,
    maxSteps: 4e9,
    module: bytes,
  });
  report = run.suite!;
}, 900_000);

describe('the xenified kernel runs the validation suite under the hypervisor', () => {
  it('mounts the XIR root image, runs every program to 13/13 and halts cleanly', () => {
    expect(run.errors).toEqual([]);
    expect(run.outcome, run.reportText).toBe('halted');
    expect(run.report).toBeUndefined();
    expect(run.console).toMatch(/^validation: 13\/13 passed$/m);
    // The bad programs were stopped by the kernel, which went on.
    for (const [name, sig] of [['nullderef', 'SIGSEGV'], ['privinsn', 'SIGBUS'], ['divzero', 'SIGFPE'], ['spin', 'SIGKILL']]) {
      expect(run.console).toContain(`PASS ${name}: killed by ${sig}, as expected`);
    }
    // Every page the suite used came back.
    const m = /^memory: (\d+) pages free before init, (\d+) after$/m.exec(run.console);
    expect(m?.[1]).toBe(m?.[2]);
  });

  it('prints the golden native console except for the lines docs/hypervisor.md lists, and those do differ', () => {
    const native = upToHalt(readFileSync(path.join(kernel, 'expected/native-console.txt'), 'latin1'));
    const xen = upToHalt(run.console);
    const restN = new Set(native.keys());
    const restX = new Set(xen.keys());
    const table = differences();
    expect(table.length).toBeGreaterThan(5);
    for (const d of table) {
      const n = d.native ? native.flatMap((l, i) => (d.native!.test(l) ? [i] : [])) : [];
      const x = d.xen ? xen.flatMap((l, i) => (d.xen!.test(l) ? [i] : [])) : [];
      expect(n.length, `native lines matching ${d.native}`).toBe(d.native ? 1 : 0);
      expect(x.length, `Xen lines matching ${d.xen}`).toBe(d.xen ? 1 : 0);
      if (d.native && d.xen) expect(xen[x[0]!], `the row for ${d.native} (${d.why}) no longer differs`).not.toBe(native[n[0]!]);
      for (const i of n) restN.delete(i);
      for (const i of x) restX.delete(i);
    }
    expect([...restX].map((i) => xen[i]).join('\n')).toBe([...restN].map((i) => native[i]).join('\n'));
  });

  it('splits the hypercalls per program at init\'s console lines', () => {
    const names = report.parts.map((p) => p.name);
    expect(names).toEqual(['boot', 'forkstorm', 'cow', 'memory', 'pfstorm', 'pipes', 'execchain', 'files', 'cpu', 'efault', 'nullderef', 'privinsn', 'divzero', 'spin', 'shutdown']);
    expect(report.summary).toBe('validation: 13/13 passed');
    const sum = report.parts.reduce((n, p) => n + hypercallTotal(p.hypercalls), 0);
    expect(sum).toBe(run.hypercalls);
    expect(report.parts.reduce((n, p) => n + p.steps, 0)).toBe(run.steps);
    // A fork storm switches stacks (stack_switch) and rewrites page tables (mmu_update) more than a CPU-bound sort does.
    const part = (n: string) => report.parts.find((p) => p.name === n)!;
    expect(part('forkstorm').hypercalls.mmu_update).toBeGreaterThan(10 * (part('cpu').hypercalls.mmu_update ?? 0));
    expect(part('forkstorm').hypercalls.stack_switch).toBeGreaterThan(400);
  });

  it('is read back from the boot cache when nothing it depends on changed, with the same console and the same split', async () => {
    const again = await offThread('suiteXenCached', {
      pipelineFile: path.join(root, 'xenoport.pipeline.yaml'),
      configFrom: kernel,
      output: path.join(work, 'xeno/sys'),
      memoryMB: 32,
      maxSteps: 4e9,
      module: (await suiteModule(kernel, path.join(work, 'root'))).bytes,
    });
    expect(again.cached).toBe(true);
    expect(again.console).toBe(run.console);
    expect(again.suite!.parts.map((p) => [p.name, p.steps, p.hypercalls])).toEqual(report.parts.map((p) => [p.name, p.steps, p.hypercalls]));
  }, 300_000);
});
