/*
 * Readable crash reports: what a guest fault was (vector, error code decoded), where
 * (code address, function, IR instruction, original C file:line), and the machine
 * state (registers, control registers, privilege). BarePC prints it when a run ends in
 * a fault; the hypervisor's domain crash report builds on formatFaultReport() and adds
 * its own sections (`extra`).
 */
import type { FaultReport } from '../fault.js';
import { VECTOR_NAMES } from './cpu.js';

export interface ControlState {
  cr0: number;
  cr2: number;
  cr3: number;
  cr4: number;
  cpl: number;
}

const hex = (n: number, w = 8): string => '0x' + (n >>> 0).toString(16).padStart(w, '0');

/** "supervisor write, page not present" for a #PF error code. */
export function describePageFaultCode(code: number): string {
  return `${code & 4 ? 'user' : 'supervisor'} ${code & 0x10 ? 'instruction fetch' : code & 2 ? 'write' : 'read'}, ${code & 1 ? 'protection violation' : 'page not present'}`;
}

/** "selector 0x0010 (GDT)" style text for a selector error code. */
function describeSelectorCode(code: number): string {
  if (code === 0) return 'no selector';
  const table = code & 2 ? 'IDT' : code & 4 ? 'LDT' : 'GDT';
  const idx = table === 'IDT' ? `vector ${code >> 3}` : `selector ${hex(code & ~3, 4)}`;
  return `${idx} (${table}${code & 1 ? ', external event' : ''})`;
}

/** A multi-line report. `title` defaults to "guest fault"; `extra` sections are appended. */
export function formatFaultReport(r: FaultReport, opts: { title?: string; control?: ControlState; extra?: Record<string, string> } = {}): string {
  const lines: string[] = [];
  const vec = r.vector !== undefined ? `${VECTOR_NAMES[r.vector] ?? 'vector ' + r.vector}` : r.kind;
  let head = `${opts.title ?? 'guest fault'}: ${vec}`;
  if (r.vector !== undefined) head += ` (vector ${r.vector}`;
  if (r.errorCode !== undefined) {
    const detail = r.vector === 14 ? describePageFaultCode(r.errorCode) : describeSelectorCode(r.errorCode);
    head += `${r.vector !== undefined ? ', ' : ' ('}error code ${hex(r.errorCode, 4)}: ${detail}`;
  }
  if (r.vector !== undefined || r.errorCode !== undefined) head += ')';
  lines.push(head);
  lines.push(`  ${r.message}`);
  const fn = r.function ? ` in ${r.function}` : '';
  lines.push(`  at ${hex(r.eip)}${fn}${r.instruction ? `: ${r.instruction}` : ''}`);
  if (r.where) lines.push(`  source: ${r.where}`);
  if (r.address !== undefined) lines.push(`  address: ${hex(r.address)}${r.kind === 'page-fault' ? ' (CR2)' : ''}${r.access ? ` (${r.access})` : ''}`);
  const g = r.registers;
  if (g) {
    lines.push('  registers:');
    lines.push(`    eax=${hex(g.eax)} ebx=${hex(g.ebx)} ecx=${hex(g.ecx)} edx=${hex(g.edx)}`);
    lines.push(`    esi=${hex(g.esi)} edi=${hex(g.edi)} ebp=${hex(g.ebp)} esp=${hex(g.esp)}`);
    lines.push(`    eip=${hex(g.eip)} eflags=${hex(g.eflags)} cs=${hex(g.cs, 4)} ss=${hex(g.ss, 4)} ds=${hex(g.ds, 4)} es=${hex(g.es, 4)} fs=${hex(g.fs, 4)} gs=${hex(g.gs, 4)}`);
  }
  const c = opts.control;
  if (c) lines.push(`  control: cr0=${hex(c.cr0)} cr2=${hex(c.cr2)} cr3=${hex(c.cr3)} cr4=${hex(c.cr4)} cpl=${c.cpl}`);
  for (const [k, v] of Object.entries(opts.extra ?? {})) {
    lines.push(`  ${k}:`);
    for (const l of v.split('\n')) lines.push(`    ${l}`);
  }
  return lines.join('\n') + '\n';
}
