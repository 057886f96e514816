/*
 * How a terminated domain's CrashReport is put together: where it stopped (mapped
 * back to the original source), the page walk of the faulting address, and a
 * backtrace scanned from the guest stack. Split from platform.ts, which decides
 * when a domain terminates; report.ts formats the result.
 */
import { lookupCode } from '../ir/index.js';
import { ESP, hex32, type Machine } from '../emulate/index.js';
import { HYPERVISOR_VIRT_START } from '../xen-abi/index.js';
import { PTE_P, PTE_RW, TYPE_NAMES } from './frames.js';
import { ownerName } from './mm.js';
import { walk, type Walk } from './paging.js';
import type { CrashReport, TerminationKind } from './termination-report.js';
import type { XenPlatform } from './platform.js';

/** The page walk of `va` in the domain's tables, one line a level (w: a walk already done). */
export function describeWalk(p: XenPlatform, va: number, w?: Walk): string[] {
  const d = p.dom;
  const mm = p.xen.mem;
  w ??= walk(p.xen, d, va, false);
  const frame = (mfn: number): string =>
    mm.isFrame(mfn) ? `frame ${hex32(mfn)} (${TYPE_NAMES[mm.type[mfn]!]}, ${mm.typeCount[mfn]} type uses, ${mm.refs[mfn]} refs, ${ownerName(mm.owner[mfn]!)})` : `frame ${hex32(mfn)} (outside machine memory)`;
  const flags = (e: number): string => [e & PTE_P ? 'P' : '-', e & PTE_RW ? 'RW' : 'RO', e & 4 ? 'U' : 'S'].join(' ');
  const out: string[] = [`VA ${hex32(va)}: page directory ${d.baseMfn >= 0 ? frame(d.baseMfn) : '(none)'}`];
  if ((va >>> 0) >= HYPERVISOR_VIRT_START) {
    out.push(`in the hypervisor hole (L2 slot ${va >>> 22} >= ${HYPERVISOR_VIRT_START >>> 22}); m2p table readable up to ${hex32(HYPERVISOR_VIRT_START + p.xen.m2pBytes)}`);
    return out;
  }
  if (w.l2e === undefined) return out;
  out.push(`L2[${w.l2Index}] = ${hex32(w.l2e)} ${flags(w.l2e)}${w.l2e & PTE_P ? ` -> ${frame(w.l2e >>> 12)}` : ''}`);
  if (w.l1e !== undefined) {
    out.push(`L1[${w.l1Index}] = ${hex32(w.l1e)} ${flags(w.l1e)}${w.l1e & PTE_P ? ` -> ${frame(w.l1e >>> 12)}` : ''}`);
    if (w.l1e & PTE_P) {
      const mfn = w.l1e >>> 12;
      const pfn = p.xen.m2p(mfn);
      out.push(`machine address ${hex32((w.l1e & ~0xfff) + (va & 0xfff))}, pseudo-physical frame ${pfn === 0x55555555 ? '(none)' : hex32(pfn)}`);
    }
  }
  if (w.failure) out.push(`=> ${w.failure}`);
  return out;
}

/** The CrashReport of a run that ends now at eip (see XenPlatform.buildReport). */
/** What a crash report may add beyond the machine state: rule, original site, address, page walk. */
export interface CrashDetails {
  rule?: string;
  original?: string;
  address?: number;
  walk?: Walk;
}

export function buildCrashReport(p: XenPlatform, m: Machine, kind: TerminationKind, reason: string, eip: number, x: CrashDetails): CrashReport {
  const at = m.report({ kind: 'general-protection', eip, message: reason });
  const bt = guestBacktrace(p, m, kind === 'guest-crash' && p.lastExceptionRegs ? p.lastExceptionRegs.esp! : m.regs[ESP]!);
  let generated = at.where && at.where !== '?' ? at.where : undefined;
  let original = x.original ?? p.mapWhere(generated);
  // A guest that gave up on its own (xen_fail -> shutdown crash) is best named by
  // the innermost caller in the ported tree.
  if (!original && (kind === 'blocked' || (kind === 'guest-crash' && !p.lastException))) {
    const f = bt.find((b) => b.original);
    if (f) [generated, original] = [f.where, f.original];
  }
  original ??= generated;
  return {
    kind,
    reason,
    rule: x.rule,
    function: at.function,
    instruction: at.instruction,
    generated: generated !== original ? generated : undefined,
    original,
    eip: eip >>> 0,
    address: x.address,
    registers: at.registers,
    walk: x.address !== undefined ? describeWalk(p, x.address, x.walk) : [],
    backtrace: bt.map((f) => f.line),
    hypercalls: p.dom.recentCalls(),
    mmuLog: p.xen.mm.log.slice(-4),
    lastException: p.lastException,
    steps: m.steps,
  };
}

/**
 * Return addresses on the guest stack: words that are the address right after a
 * `call` instruction of the image. A scan, not an unwinder (stale words may show).
 */
export function guestBacktrace(p: XenPlatform, m: Machine, esp: number, words = 512, max = 8): { func: string; where: string; original?: string; line: string }[] {
  const out: { func: string; where: string; original?: string; line: string }[] = [];
  const bytes = p.mem.read(esp >>> 0, words * 4) ?? p.mem.read(esp >>> 0, (4096 - (esp & 0xfff)) & ~3);
  if (!bytes) return out;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  for (let k = 0; k + 4 <= bytes.length && out.length < max; k += 4) {
    const ra = dv.getUint32(k, true);
    const at = lookupCode(m.image, ra - 1);
    if (!at || at.instr.kind !== 'call' || at.func.addr + at.index + 1 !== ra) continue;
    const original = p.mapWhere(at.where);
    out.push({ func: at.func.name, where: at.where, original, line: `${at.func.name} (${original ?? at.where}) [stack ${hex32((esp + k) >>> 0)}]` });
  }
  return out;
}
