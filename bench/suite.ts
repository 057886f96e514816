/*
 * The validation suite per program (`npm run bench -- suite`): the sample kernel with
 * the XIR root image as its boot module, once on the emulated PC (the native kernel
 * compiled by xenoport) and once under the hypervisor (the xenified kernel), each
 * program's IR instructions and wall time, and under Xen its hypercalls by kind.
 * Programs are split at init's PASS/FAIL console lines (src/port/suite.ts), so a
 * program's share includes init's fork and wait4 for it. These are the baseline
 * the batched page-table updates are measured against.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { compileKernelImage } from '../src/compile/index.js';
import { hypercallTotal, runSuitePc, runSuiteXen, suiteModule, unitCacheAt, type SuiteReport } from '../src/port/index.js';
import { PROJECT_ROOT, SAMPLE_KERNEL_DIR } from '../src/project-root.js';

function table(pcR: SuiteReport, xen: SuiteReport): string[] {
  const kinds = [...new Set(xen.parts.flatMap((p) => Object.keys(p.hypercalls)))].sort(
    (a, b) => xen.parts.reduce((n, p) => n + (p.hypercalls[b] ?? 0), 0) - xen.parts.reduce((n, p) => n + (p.hypercalls[a] ?? 0), 0),
  );
  const main = kinds.slice(0, 4);
  const out = [
    `| program | PC IR instr. | PC wall | Xen IR instr. | Xen wall | hypercalls | ${main.join(' | ')} | other |`,
    `| --- | ---: | ---: | ---: | ---: | ---: | ${main.map(() => '---:').join(' | ')} | ---: |`,
  ];
  for (const x of xen.parts) {
    const p = pcR.parts.find((q) => q.name === x.name);
    const total = hypercallTotal(x.hypercalls);
    const other = total - main.reduce((n, k) => n + (x.hypercalls[k] ?? 0), 0);
    const cell = (n?: number): string => (n === undefined ? '-' : n.toLocaleString('en-US'));
    out.push(
      `| ${x.name} | ${cell(p?.steps)} | ${p ? `${(p.ms / 1000).toFixed(2)} s` : '-'} | ${cell(x.steps)} | ${(x.ms / 1000).toFixed(2)} s | ${cell(total)} | ${main.map((k) => cell(x.hypercalls[k] ?? 0)).join(' | ')} | ${cell(other)} |`,
    );
  }
  const sum = (r: SuiteReport, f: (p: SuiteReport['parts'][number]) => number): number => r.parts.reduce((n, p) => n + f(p), 0);
  out.push(
    `| all | ${cell0(sum(pcR, (p) => p.steps))} | ${(sum(pcR, (p) => p.ms) / 1000).toFixed(2)} s | ${cell0(sum(xen, (p) => p.steps))} | ${(sum(xen, (p) => p.ms) / 1000).toFixed(2)} s | ${cell0(sum(xen, (p) => hypercallTotal(p.hypercalls)))} | ${main.map((k) => cell0(sum(xen, (p) => p.hypercalls[k] ?? 0))).join(' | ')} | ${cell0(sum(xen, (p) => hypercallTotal(p.hypercalls) - main.reduce((n, k) => n + (p.hypercalls[k] ?? 0), 0)))} |`,
  );
  return out;
}

const cell0 = (n: number): string => n.toLocaleString('en-US');

export async function benchSuite(): Promise<string[]> {
  const work = mkdtempSync(path.join(os.tmpdir(), 'xeno-bench-suite-'));
  try {
    const cache = path.join(PROJECT_ROOT, '.xenoport-cache');
    const { bytes } = await suiteModule(SAMPLE_KERNEL_DIR, path.join(work, 'root'));
    const build = await compileKernelImage(SAMPLE_KERNEL_DIR, { cache: unitCacheAt(path.join(cache, 'compile')) });
    const onPc = runSuitePc(build.image, bytes, { memoryMB: 32 });
    const xen = await runSuiteXen({
      pipelineFile: path.join(PROJECT_ROOT, 'xenoport.pipeline.yaml'),
      configFrom: SAMPLE_KERNEL_DIR,
      output: path.join(work, 'xeno/sys'),
      memoryMB: 32,
      maxSteps: 4e9,
      module: bytes,
    });
    if (!xen.report) throw new Error(`the xenified kernel did not build: ${xen.boot.summary}`);
    return [
      `emulated PC: ${onPc.result.outcome}, ${onPc.report.summary ?? 'no validation line'}; Xen: ${xen.boot.run!.outcome}, ${xen.report.summary ?? 'no validation line'}`,
      ...table(onPc.report, xen.report),
    ];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
