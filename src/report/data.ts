/*
 * The data of the HTML report, as plain JSON the page renders (src/report/assets/app.js):
 * the sixteen steps of the plan with what xenoport did, status and duration; the
 * scan's findings by file and category, each with its code frame; each port-loop
 * iteration; the termination reports; the final boot's events; the consoles; the
 * validation suite's programs with their cost.
 * The shapes here are the report's own: the callers (port, cli) fill them from their
 * results, so this module depends on nothing above it.
 */
import type { Finding } from '../analyze/index.js';
import type { CrashReport } from '../hypervisor/index.js';

export type StepStatus = 'done' | 'failed' | 'skipped' | 'not run' | 'later';

export interface StepRow {
  n: number;
  /** What the plan says (short). */
  plan: string;
  /** What xenoport did for it. */
  did: string;
  status: StepStatus;
  ms?: number;
}

export interface FindingRow {
  file: string;
  line: number;
  col: number;
  rule: string;
  category: string;
  severity: string;
  /** What to use under Xen instead. */
  message: string;
  /** The lines around the site: [first line number, the lines]. */
  frame?: [number, string[]];
  /** With an audit file: what the team decided (open, ported, accepted with a reason). */
  audit?: { status: 'open' | 'ported' | 'accepted'; reason?: string };
}

export interface ScanData {
  files: number;
  categories: string[];
  findings: FindingRow[];
  /** With an audit file: its name (relative to the root), the counts per status and the stale entries. */
  audit?: { file: string; open: number; ported: number; accepted: number; stale: number };
}

/** A rule's site as the tree had it before and after the rule was switched. */
export interface SwitchSite {
  file: string;
  where: string;
  before: string;
  after: string;
}

export interface IterationRow {
  n: number;
  line: string;
  rule?: string;
  original?: string;
  originalLine?: string;
  generated?: string;
  generatedLine?: string;
  sites: SwitchSite[];
  ms: { xenify: number; build: number; boot: number };
  cached?: boolean;
  report?: CrashReport;
}

/** The final boot's events, columnar (as the port's EventLog). */
export interface TimelineData {
  names: string[];
  kinds: string[];
  nameIds: number[];
  steps: number[];
  details: Record<number, string>;
  /** Guest steps of the whole boot. */
  total: number;
  counts: Record<string, number>;
}

export interface ConsoleData {
  /** The reference console (the emulated PC's native boot, or QEMU's) and its name. */
  native?: string;
  nativeLabel?: string;
  xen?: string;
}

/** One program of the validation suite (or the boot before it, the shutdown after). */
export interface SuitePart {
  name: string;
  /** PASS or FAIL; undefined for the boot and the shutdown. */
  passed?: boolean;
  /** Guest IR instructions. */
  steps: number;
  /** Hypercalls by kind. */
  hypercalls: Record<string, number>;
}

export interface SuiteData {
  /** The `validation: N/M passed` line, when init printed it. */
  summary?: string;
  /** Where the root came from (the domain builder's module, NFS, xbd0). */
  root: string;
  parts: SuitePart[];
}

export interface ReportData {
  title: string;
  /** ISO time the report was written. */
  generated: string;
  tool: string;
  steps: StepRow[];
  timings?: { stage: string; ms: number }[];
  scan?: ScanData;
  port?: { outcome: string; message: string; switched: string[]; iterations: IterationRow[] };
  timeline?: TimelineData;
  consoles?: ConsoleData;
  suite?: SuiteData;
}

/** The plan's sixteen steps, short, and which part of xenoport does each. */
export const PLAN_STEPS: readonly { plan: string; by: string }[] = [
  { plan: 'build and boot a standard i386 kernel', by: 'native' },
  { plan: 'copy i386 to i386-xeno, hack the makefiles', by: 'xenify' },
  { plan: 'keep out of the top 64 MB of virtual address space', by: 'xenify' },
  { plan: 'clear PSE, PGE and PAE in the CPU feature word', by: 'xenify' },
  { plan: "graft the minimal OS onto locore", by: 'xenify' },
  { plan: 'the domain builder sets up the initial page tables', by: 'hypervisor' },
  { plan: 'printf through HYPERVISOR_CONSOLE_WRITE', by: 'xenify' },
  { plan: 'grep for privileged instructions, turn them into breakpoints', by: 'scan' },
  { plan: 'boot with the domain builder, see where it explodes', by: 'port' },
  { plan: 'fix each site with the proper Xen call', by: 'port' },
  { plan: 'repeat until "unable to mount root file system"', by: 'port' },
  { plan: 'port the network driver, NFS root', by: 'later' },
  { plan: 'a working system and a validation suite', by: 'later' },
  { plan: 'port the block device driver, boot from it', by: 'later' },
  { plan: 'optimise: remove the flush after every update', by: 'later' },
  { plan: 'dinner', by: 'later' },
];

/** A finding's row, with the code frame read from `source` (two lines either side). */
export function findingRow(f: Finding, source?: (file: string) => string | undefined): FindingRow {
  const text = source?.(f.file);
  let frame: [number, string[]] | undefined;
  if (text !== undefined) {
    const lines = text.split('\n');
    const first = Math.max(1, f.line - 2);
    frame = [first, lines.slice(first - 1, Math.min(lines.length, f.line + 2))];
  }
  return { file: f.file, line: f.line, col: f.col, rule: f.ruleId, category: f.category, severity: f.severity, message: f.message, frame };
}
