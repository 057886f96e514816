/*
 * Running a kernel image as a Xen guest: a machine sized for the domain, the
 * domain builder, the ring-1 platform, and one execute() of the guest's entry
 * point with the builder's registers. The result is data (console, why the run
 * ended, the termination report, hypercall counts); only the CLI prints.
 */
import type { LinkedImage } from '../ir/index.js';
import { CS, DS, EFLAGS, EIP, ES, ESI, ESP, FS, GS, Machine, SS } from '../emulate/index.js';
import { buildDomain, type BuildOptions, type BuiltDomain } from './builder.js';
import type { Domain } from './domain.js';
import { PAGE } from './frames.js';
import { XenMemory } from './paging.js';
import { XenPlatform, type XenPlatformOptions } from './platform.js';
import { formatReport, type CrashReport } from './termination-report.js';
import { releaseGrants } from './grant.js';
import { Xen } from './xen.js';

export interface XenRunOptions extends BuildOptions, XenPlatformOptions {
  /** Step limit (default 2e9). */
  maxSteps?: number;
  /**
   * Called once the domain is built, before it runs: domain 0 attaches its
   * controller and back ends here (they register on xen.dom0).
   */
  onBuilt?: (g: { xen: Xen; dom: Domain; platform: XenPlatform }) => void;
}

export type XenOutcome = 'shutdown' | 'terminated' | 'blocked' | 'halted' | 'step-limit';

export interface XenRunResult {
  outcome: XenOutcome;
  /** For 'shutdown': poweroff / reboot / suspend. */
  shutdownReason?: string;
  console: string;
  /** What the guest wrote to the 16550 at 0x3f8 (port I/O after SET_IOPL). */
  serial: string;
  report?: CrashReport;
  /** formatReport(report), for printing. */
  reportText?: string;
  /** Hypercalls by name, and in total. */
  counts: Record<string, number>;
  hypercalls: number;
  steps: number;
  /** Real milliseconds the run took (the guest's execution, without building the domain). */
  wallMs: number;
  trace?: string[];
  domain: Domain;
  xen: Xen;
  built: BuiltDomain;
  platform: XenPlatform;
}

/** Return address the builder leaves under the entry point: in the hole, never code. */
export const ENTRY_RETURN = 0xfffffff0 | 0;

/** Machine frames for a guest of `nrPages` pages plus Xen, dom0 and slack. */
export function machineFramesFor(nrPages: number): number {
  const base = nrPages + 256 + 64 + 16 + 2;
  return base + Math.ceil((base * 4) / PAGE) + 2;
}

/** A fresh hypervisor with the domain for `img` built and ready to run. */
export function createXenGuest(img: LinkedImage, opts: XenRunOptions = {}) {
  const nrPages = Math.floor(((opts.memoryMB ?? 32) << 20) / PAGE);
  const xen = new Xen({ machineFrames: machineFramesFor(nrPages) });
  const built = buildDomain(xen, img, opts);
  const dom = built.domain;
  const mem = new XenMemory(xen, dom);
  const platform = new XenPlatform(xen, dom, mem, opts);
  const machine = new Machine(img, mem, platform);
  platform.attach(machine);
  const R = machine.regs;
  R[ESP] = built.regs.esp;
  R[ESI] = built.regs.esi;
  R[EFLAGS] = built.regs.eflags;
  R[CS] = built.regs.cs;
  R[SS] = R[DS] = R[ES] = R[FS] = R[GS] = built.regs.ds;
  R[EIP] = built.regs.eip;
  return { xen, built, dom, mem, platform, machine };
}

/** Builds a domain for `img` and runs it until it shuts down, is terminated, blocks for good or hits the step limit. */
export function runXenImage(img: LinkedImage, opts: XenRunOptions = {}): XenRunResult {
  const { xen, built, dom, platform, machine: m } = createXenGuest(img, opts);
  opts.onBuilt?.({ xen, dom, platform });
  const t0 = performance.now();
  const stop = m.execute(() => {
    m.call(built.regs.eip, [], ENTRY_RETURN);
    platform.terminate(m, 'entry-returned', "the kernel's entry function returned", m.regs[EIP]!);
  }, opts.maxSteps ?? 2e9);
  const wallMs = performance.now() - t0;
  let outcome: XenOutcome = 'terminated';
  let shutdownReason: string | undefined;
  if (platform.ended?.kind === 'shutdown') {
    outcome = 'shutdown';
    shutdownReason = platform.ended.reason;
  } else if (platform.ended?.kind === 'blocked') outcome = 'blocked';
  else if (platform.ended?.kind === 'halted') outcome = 'halted';
  else if (stop?.outcome === 'step-limit') {
    outcome = 'step-limit';
    platform.crash = platform.buildReport(m, 'step-limit', `step limit reached after ${m.steps} steps (a loop that never ends?)`, m.regs[EIP]!, {});
  } else if (!platform.crash && stop) {
    const f = stop.outcome === 'fault' ? stop.fault : undefined;
    platform.crash = platform.buildReport(m, f?.kind === 'stack-overflow' ? 'engine-limit' : 'guest-fault', f ? `${f.kind}: ${f.message}` : stop.outcome === 'halt' ? stop.message : stop.outcome, f?.eip ?? m.regs[EIP]!, { address: f?.address });
  }
  // The run is the domain's life: at its end every grant mapping it holds, or that
  // others hold of its grants, is released (Xen's gnttab_release_mappings).
  releaseGrants(xen, dom.id);
  const report = platform.crash;
  return {
    outcome,
    shutdownReason,
    console: dom.console.toString(),
    serial: platform.serial.toString(),
    report,
    reportText: report && formatReport(report),
    counts: Object.fromEntries(dom.counts),
    hypercalls: dom.hypercalls,
    steps: m.steps,
    wallMs,
    trace: dom.trace?.entries(),
    domain: dom,
    xen,
    built,
    platform,
  };
}
