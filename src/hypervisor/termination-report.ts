/*
 * The termination report (seed step 9): why the hypervisor killed the domain, in
 * terms a porter can act on — the reason, the faulting IR instruction, the ORIGINAL
 * C file:line (sys/i386) and the generated one (sys/i386-xeno), the rule whose
 * breakpoint stub was hit, registers, the page-table walk of the faulting address,
 * the last 16 hypercalls, and the validator's last refusals.
 *
 * SourceMap: maps a generated "file:line" (what the IR's locations say) to the
 * original "file:line"; the caller supplies it (the rewrite module builds one from
 * an xenify tree's manifest), so the hypervisor knows nothing of manifests.
 */
import type { HypercallRecord } from './domain.js';

export type TerminationKind =
  | 'breakpoint-stub'
  | 'privileged-instruction'
  | 'page-table-write'
  | 'hole-access'
  | 'double-fault'
  | 'page-fault'
  | 'guest-fault'
  | 'guest-crash'
  | 'step-limit'
  | 'engine-limit'
  | 'entry-returned'
  /** sched_op block with no timer and no event: not a fault, but the end of the run. */
  | 'blocked';

export interface CrashReport {
  kind: TerminationKind;
  reason: string;
  /** Rule id and original site from a breakpoint stub's message. */
  rule?: string;
  function?: string;
  instruction?: string;
  /** The file:line the IR carries (the generated file for an xenified tree). */
  generated?: string;
  /** The ORIGINAL file:line (sys/i386), when known. */
  original?: string;
  eip: number;
  address?: number;
  registers: Record<string, number>;
  walk: string[];
  /** Likely callers: return addresses found on the guest stack (a scan, innermost first). */
  backtrace: string[];
  hypercalls: HypercallRecord[];
  mmuLog: string[];
  /** The last exception the hypervisor delivered to the guest, if any. */
  lastException?: string;
  steps: number;
}

export type SourceMap = (where: string) => string | undefined;

const hex = (n: number): string => '0x' + (n >>> 0).toString(16).padStart(8, '0');

export function formatHypercall(r: HypercallRecord): string {
  const args = r.args.map((a) => hex(a)).join(', ');
  const res = r.result < 0 ? `${r.result}` : hex(r.result);
  return `#${r.seq} ${r.name}(${args}) = ${res}${r.detail ? `  [${r.detail}]` : ''}`;
}

export function formatReport(r: CrashReport): string {
  const out: string[] = [];
  out.push(`xen: ${r.kind === 'blocked' ? 'domain stopped' : 'domain terminated'}: ${r.reason}`);
  if (r.rule) out.push(`  rule:        ${r.rule}`);
  if (r.instruction) out.push(`  instruction: ${r.instruction}   (in ${r.function ?? '?'} at ${hex(r.eip)})`);
  else out.push(`  eip:         ${hex(r.eip)}${r.function ? ` (in ${r.function})` : ''}`);
  if (r.original) out.push(`  original:    ${r.original}`);
  if (r.generated) out.push(`  generated:   ${r.generated}`);
  if (r.address !== undefined) out.push(`  address:     ${hex(r.address)}`);
  if (r.lastException) out.push(`  last exception delivered to the guest: ${r.lastException}`);
  const R = r.registers;
  const regLine = (names: string[]): string => names.map((n) => `${n}=${hex(R[n] ?? 0)}`).join(' ');
  out.push(`  registers:   ${regLine(['eax', 'ebx', 'ecx', 'edx', 'esi', 'edi'])}`);
  out.push(`               ${regLine(['ebp', 'esp', 'eflags', 'eip'])} cs=${(R.cs ?? 0).toString(16)} ss=${(R.ss ?? 0).toString(16)}`);
  if (r.backtrace.length) {
    out.push('  called from (stack scan):');
    for (const l of r.backtrace) out.push(`    ${l}`);
  }
  if (r.walk.length) {
    out.push('  page-table walk:');
    for (const l of r.walk) out.push(`    ${l}`);
  }
  out.push(`  last ${r.hypercalls.length} hypercalls:`);
  for (const c of r.hypercalls) out.push(`    ${formatHypercall(c)}`);
  if (r.mmuLog.length) {
    out.push('  hypervisor log (last refusals):');
    for (const l of r.mmuLog) out.push(`    ${l}`);
  }
  out.push(`  after ${r.steps} steps`);
  return out.join('\n');
}
