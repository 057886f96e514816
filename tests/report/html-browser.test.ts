// The HTML report in a real browser: a report made from real parts (a scan of a small
// tree, a port loop over the real hypervisor whose kernel is generated so it runs in
// milliseconds, ending at a page-table write with its walk) is written, opened from
// the file system in Debian's headless Chromium through playwright-core, and checked:
// every section renders, nothing is logged as an error, nothing is fetched from the
// network, the timeline has one point per event of the final boot, the walk is drawn
// box by box. A screenshot of the whole page is left in build/test-report/ to look at.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { scan } from '../../src/analyze/index.js';
import { portLoop, type PortStages, type SiteEdit } from '../../src/port/index.js';
import { reportData } from '../../src/port/report.js';
import { writeHtmlReport, type ReportData } from '../../src/report/index.js';
import { kernelOf } from '../hypervisor/xen-helpers.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';
const require = createRequire(import.meta.url);
/** The part of playwright-core's API this test uses (typed here so the build needs no browser package). */
interface Page {
  on(event: 'console', f: (m: { type(): string; text(): string }) => void): void;
  on(event: 'pageerror', f: (e: Error) => void): void;
  on(event: 'request', f: (r: { url(): string }) => void): void;
  goto(url: string): Promise<unknown>;
  waitForSelector(selector: string, opts: { timeout: number }): Promise<unknown>;
  evaluate<T>(f: () => T): Promise<T>;
  screenshot(opts: { path: string; fullPage: boolean }): Promise<unknown>;
}
interface Playwright {
  chromium: {
    launchPersistentContext(dir: string, opts: object): Promise<{ pages(): Page[]; newPage(): Promise<Page>; close(): Promise<void> }>;
  };
}
/** playwright-core, when installed (a devDependency; CommonJS, so NODE_PATH works too). */
function playwright(): Playwright | undefined {
  try {
    return require('playwright-core') as Playwright;
  } catch {
    return undefined;
  }
}
const pw = playwright();
const missing = !pw ? 'playwright-core is not installed (npm ci)' : !existsSync(CHROMIUM) ? `${CHROMIUM} is missing (Debian package chromium)` : undefined;
// CI installs both (.ci/run): there a missing browser is a failure, not a skip.
if (missing && process.env.CI) throw new Error(`the browser test cannot run: ${missing}`);
if (missing) console.warn(`skipping the browser test: ${missing}`);

const work = mkdtempSync(path.join(tmpdir(), 'xeno-report-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A kernel whose `rule` site is a breakpoint stub until switched, then a console write; then a store into its own page directory. */
function stages(): PortStages {
  let switched = false;
  const edit = (): SiteEdit[] => [{ file: 'i386-xeno/i386/machdep.c', where: 'sys/i386/i386/machdep.c:12', replacement: switched ? 'xen_lgdt(&r_gdt)' : 'XENO_BREAKPOINT("wrapper-lgdt", "sys/i386/i386/machdep.c:12")' }];
  return {
    async xenify(h) {
      switched = h.has('wrapper-lgdt');
    },
    async build() {
      const site = switched
        ? '\twrreg eax, 18 !2:12\n\twrreg ebx, 0 !2:12\n\twrreg ecx, 9 !2:12\n\twrreg edx, $m !2:12\n\thypercall !2:12'
        : '\ttrap "wrapper-lgdt sys/i386/i386/machdep.c:12" !2:12';
      const image = kernelOf(`
file 1 "sys/i386/i386/pmap.c"
file 2 "sys/i386-xeno/i386/machdep.c"
data $m { b "lgdt ok\\012" }
func export $btext() {
@entry
${site}
\t%si =w rdreg esi !1:99
\t%a =w add %si, 24 !1:99
\t%pt =w loadw %a !1:99
\t%e =w add %pt, 3072 !1:100
\tstorew 0, %e !1:101
\tret !1:102
}`);
      return { image, errors: [] };
    },
    ruleEdits: () => edit(),
  };
}

let data: ReportData;
let index: string;
beforeAll(async () => {
  const kernel = path.join(work, 'kernel');
  mkdirSync(path.join(kernel, 'sys', 'i386', 'i386'), { recursive: true });
  writeFileSync(
    path.join(kernel, 'sys', 'i386', 'i386', 'machdep.c'),
    '#include <sys/param.h>\n\nvoid\ncpu_idle(void)\n{\n\t__asm __volatile("sti; hlt");\n}\n\nvoid\ninit386(void)\n{\n\t__asm __volatile("cli");\n\tlgdt(&r_gdt);\n}\n',
  );
  const result = await scan({ paths: [path.join(kernel, 'sys')], cache: false });
  const port = await portLoop(stages(), { memoryMB: 8, maxSteps: 1e6 });
  data = reportData({
    title: 'a port in the browser',
    tool: 'test',
    kernelDir: kernel,
    scan: result,
    port,
    timings: [{ stage: 'scan', ms: 10 }, { stage: 'port', ms: 20 }],
    // A suite as init reports it: the boot, a program that passed, one that failed, the shutdown.
    suite: {
      root: 'the module',
      report: {
        summary: 'validation: 1/2 passed',
        parts: [
          { name: 'boot', steps: 5000, ms: 1, hypercalls: { mmu_update: 40, console_io: 3 } },
          { name: 'forkstorm', passed: true, steps: 9000, ms: 1, hypercalls: { mmu_update: 700, stack_switch: 400, set_trap_table: 1 } },
          { name: 'spin', passed: false, steps: 100, ms: 1, hypercalls: { console_io: 1 } },
          { name: 'shutdown', steps: 10, ms: 1, hypercalls: { sched_op: 1 } },
        ],
      },
    },
    later: { 13: { did: 'validation: 1/2 passed', status: 'failed', ms: 1500 } },
    nativeConsole: { label: 'native', text: 'lgdt ok\nnative only\n' },
  });
  // The audit file's statuses, as `scan --html` fills them in.
  data.scan!.findings.forEach((f, i) => (f.audit = i % 2 === 0 ? { status: 'accepted', reason: 'stays native' } : { status: 'open' }));
  data.scan!.audit = { file: 'xenoport-audit.yaml', open: 1, ported: 0, accepted: 1, stale: 0 };
  index = writeHtmlReport(path.join(work, 'report'), data);
}, 60_000);

describe.skipIf(missing !== undefined)('the HTML report in headless Chromium', () => {
  it('renders every section with no console error and no network, the timeline point by point', async () => {
    expect(data.port!.outcome).toBe('unfixable');
    expect(data.scan!.findings.length).toBeGreaterThan(1);
    const profile = mkdtempSync(path.join(tmpdir(), 'xeno-chromium-'));
    const context = await pw!.chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      viewport: { width: 1400, height: 900 },
    });
    try {
      const page = context.pages()[0] ?? (await context.newPage());
      const problems: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('request', (r) => {
        if (!r.url().startsWith('file:')) problems.push(`network request: ${r.url()}`);
      });
      await page.goto(`file://${index}`);
      await page.waitForSelector('#suite[data-rendered="yes"]', { timeout: 20_000 });
      const seen = await page.evaluate(() => {
        const q = (s: string) => document.querySelectorAll(s);
        const t = document.getElementById('timeline')!;
        const canvas = t.querySelector('canvas');
        return {
          sections: [...q('main > section')].map((s) => [s.id, s.getAttribute('data-rendered')]),
          points: Number(t.dataset.points),
          hypercalls: Number(t.dataset.hypercalls),
          canvas: canvas ? [canvas.width, canvas.height] : null,
          steps: q('tr.step-row').length,
          tiles: q('.tile').length,
          iterations: q('details.iteration').length,
          diffLines: [...q('details.iteration pre.diff .add, details.iteration pre.diff .del')].map((e) => e.textContent),
          walkBoxes: q('details.report.last .walk-box').length,
          failBox: document.querySelector('details.report.last .walk-box.fail')?.textContent ?? null,
          bars: q('.bar-row').length,
          consoleMarks: [...q('#consoles .del')].map((e) => e.textContent),
          auditChips: [...q('#findings .finding .chip[class*="audit-"]')].map((e) => e.textContent),
          shownFindings: q('#findings .finding').length,
          auditSummary: document.querySelector('#findings .audit-summary')?.textContent ?? null,
          suiteRows: [...q('#suite tr.suite-row')].map((r) => [...r.querySelectorAll('td')].map((c) => c.textContent)),
          suiteHead: [...q('#suite th')].map((c) => c.textContent),
          suiteSummary: document.querySelector('#suite .suite-summary')?.textContent ?? null,
          step13: [...q('tr.step-row')][12]?.textContent ?? null,
        };
      });
      expect(problems).toEqual([]);
      expect(seen.sections).toEqual(['steps', 'findings', 'iterations', 'reports', 'timeline', 'counts', 'consoles', 'suite'].map((id) => [id, 'yes']));
      const T = data.timeline!;
      expect(seen.points).toBe(T.steps.length);
      expect(seen.hypercalls).toBe(Object.values(T.counts).reduce((n, c) => n + c, 0));
      expect(seen.canvas![0]).toBeGreaterThan(100);
      expect(seen.steps).toBe(16);
      expect(seen.step13).toBe('13a working system and a validation suitevalidation: 1/2 passedfailed1.5 s');
      // The suite: a row per part in init's order, the three busiest kinds as columns, a total per row.
      expect(seen.suiteSummary).toMatch(/^validation: 1\/2 passed \(root: the module\)/);
      expect(seen.suiteHead).toEqual(['program', 'result', 'guest instructions', '', 'mmu_update', 'stack_switch', 'console_io', 'all hypercalls']);
      expect(seen.suiteRows).toEqual([
        ['boot', '', '5000', '', '40', '0', '3', '43'],
        ['forkstorm', 'PASS', '9000', '', '700', '400', '0', '1101'],
        ['spin', 'FAIL', '100', '', '0', '0', '1', '1'],
        ['shutdown', '', '10', '', '0', '0', '0', '1'],
      ]);
      expect(seen.tiles).toBe(new Set(data.scan!.findings.map((f) => f.file)).size);
      expect(seen.iterations).toBe(data.port!.iterations.length);
      expect(seen.diffLines).toEqual(['-XENO_BREAKPOINT("wrapper-lgdt", "sys/i386/i386/machdep.c:12")\n', '+xen_lgdt(&r_gdt)\n']);
      const walk = data.port!.iterations.at(-1)!.report!.walk;
      expect(walk.length).toBeGreaterThan(2);
      expect(seen.walkBoxes).toBe(walk.length);
      expect(seen.bars).toBe(Object.keys(T.counts).length);
      expect(seen.consoleMarks).toEqual(['native only\n']);
      expect(seen.auditSummary).toBe('Audit (xenoport-audit.yaml): 1 open, 0 ported, 1 accepted.');
      expect(seen.shownFindings).toBeGreaterThan(0);
      expect(seen.auditChips.length).toBe(seen.shownFindings);
      expect(seen.auditChips.every((t) => t === 'open' || t === 'accepted: stays native')).toBe(true);
      const shots = path.join(root, 'build', 'test-report');
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: path.join(shots, 'report.png'), fullPage: true });
      console.log(`screenshot of the report: ${path.join(shots, 'report.png')}`);
    } finally {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    }
  }, 120_000);
});
