/*
 * The HTML report's data from what the pipeline produced: the scan result, the port
 * loop's iterations and final boot, the stage timings and the native console, mapped
 * onto the report module's shapes (src/report/data.ts). Whatever did not run is
 * marked so in the sixteen steps; nothing here runs a stage.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ScanResult } from '../analyze/index.js';
import { findingRow, PLAN_STEPS, type IterationRow, type ReportData, type StepRow, type StepStatus } from '../report/index.js';
import type { PortResult } from './port-loop.js';
import type { SuiteReport } from './suite.js';

export interface ReportInput {
  title: string;
  tool: string;
  /** The kernel directory whose sys/ the findings and the original lines are relative to. */
  kernelDir: string;
  scan?: ScanResult;
  port?: PortResult;
  timings?: { stage: string; ms: number }[];
  /** The reference console and its name (the emulated PC's native boot, or QEMU's). */
  nativeConsole?: { label: string; text: string };
  /** The validation suite's run and where its root came from. */
  suite?: { report: SuiteReport; root: string };
  /** The later steps (12-15) as the run did them, by step number; the rest stay "later". */
  later?: Record<number, { did: string; status: StepStatus; ms?: number }>;
  /** The text of a finding's file (default: read under kernelDir). */
  source?: (file: string) => string | undefined;
}

function readLines(file: string): string[] | undefined {
  try {
    return readFileSync(file, 'latin1').split('\n');
  } catch {
    return undefined;
  }
}

function lineOf(kernelDir: string, where: string | undefined): string | undefined {
  const m = where && /^(.*):(\d+)$/.exec(where);
  return m ? readLines(path.resolve(kernelDir, m[1]!))?.[Number(m[2]) - 1] : undefined;
}

function steps(input: ReportInput): StepRow[] {
  const ms = (stage: string): number | undefined => input.timings?.find((t) => t.stage === stage)?.ms;
  const port = input.port;
  const sum = (k: 'xenify' | 'build' | 'boot'): number | undefined => port && port.iterations.reduce((n, it) => n + it.ms[k], 0);
  const portStatus: StepStatus = !port ? 'not run' : port.outcome === 'root-mount' ? 'done' : 'failed';
  const xenify: StepStatus = port ? 'done' : 'not run';
  const findings = input.scan?.findings.length;
  return PLAN_STEPS.map((s, i): StepRow => {
    const n = i + 1;
    const row = (did: string, status: StepStatus, t?: number): StepRow => ({ n, plan: s.plan, did, status, ms: t });
    switch (s.by) {
      case 'native':
        return row('gcc -m32 build, QEMU boot (the golden console); xenoport compile and boot on the emulated PC', input.nativeConsole ? 'done' : 'not run', ms('native'));
      case 'xenify':
        return row(n === 2 ? 'xenify: copy-arch and makefiles stages' : n === 3 ? 'scan va-hole rules; xenify va-hole stage' : n === 4 ? 'xenify cpu-features stage' : n === 5 ? 'xenify minimal-os stage' : 'xenify early-console stage', xenify, n === 2 ? sum('xenify') : undefined);
      case 'hypervisor':
        return row('the bundled hypervisor builds the domain and its page tables', port ? 'done' : 'not run');
      case 'scan':
        return row(`scan: ${findings ?? 0} findings; rewrite in breakpoint mode`, input.scan ? 'done' : 'not run', ms('scan'));
      case 'port':
        return row(
          n === 9 ? `${port?.iterations.length ?? 0} boots under the hypervisor, each stopping at a stub` : n === 10 ? `${port?.switched.length ?? 0} rules switched to hypercall mode` : port?.message ?? 'the port loop',
          portStatus,
          n === 9 ? sum('boot') : n === 10 ? sum('build') : undefined,
        );
      default: {
        const l = input.later?.[n];
        return l ? row(l.did, l.status, l.ms) : row('later work', 'later');
      }
    }
  });
}

function iterations(input: ReportInput): IterationRow[] {
  return (input.port?.iterations ?? []).map((it, k, all): IterationRow => {
    const sites = it.switchEdits
      ? it.switchEdits.before.map((b) => ({ file: b.file, where: b.where, before: b.replacement, after: it.switchEdits!.after.find((a) => a.where === b.where && a.file === b.file)?.replacement ?? '(site gone)' }))
      : [];
    const r = it.run?.report;
    return {
      n: it.n,
      line: it.line,
      rule: it.rule,
      original: r?.original ?? it.where,
      originalLine: lineOf(input.kernelDir, r?.original ?? it.where),
      generated: r?.generated,
      generatedLine: it.generatedLine,
      sites,
      ms: it.ms,
      cached: it.run?.cached,
      // The final boot's report only when it stopped short; a clean end has none.
      report: k === all.length - 1 && input.port?.outcome === 'root-mount' && r?.kind === 'guest-crash' ? undefined : r,
    };
  });
}

/** The ReportData of a run. */
export function reportData(input: ReportInput): ReportData {
  const source = input.source ?? ((file: string): string | undefined => {
    try {
      return readFileSync(path.resolve(input.kernelDir, file), 'latin1');
    } catch {
      return undefined;
    }
  });
  const last = input.port?.last;
  const lines = (t: string | undefined): string | undefined => {
    if (t === undefined) return undefined;
    const u = t.replace(/\r\n/g, '\n');
    return u.endsWith('\n') || !u ? u : `${u}\n`;
  };
  return {
    title: input.title,
    generated: new Date().toISOString(),
    tool: input.tool,
    steps: steps(input),
    timings: input.timings,
    scan: input.scan && {
      files: input.scan.files.length,
      categories: [...new Set(input.scan.findings.map((f) => f.category))].sort(),
      findings: input.scan.findings.map((f) => findingRow(f, source)),
    },
    port: input.port && { outcome: input.port.outcome, message: input.port.message, switched: input.port.switched, iterations: iterations(input) },
    suite: input.suite && {
      summary: input.suite.report.summary,
      root: input.suite.root,
      parts: input.suite.report.parts.map((p) => ({ name: p.name, passed: p.passed, steps: p.steps, hypercalls: p.hypercalls })),
    },
    timeline: last && { ...last.events, total: last.steps, counts: last.counts },
    consoles: (input.nativeConsole || last) && { native: lines(input.nativeConsole?.text), nativeLabel: input.nativeConsole?.label, xen: lines(last?.console) },
  };
}
