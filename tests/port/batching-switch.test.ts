// Seed step 15's context switch: the rewrite turns an assembly function that loads
// %cr3 and %tr (cpu_switch) into one multicall per switch, and leaves other shapes
// alone with a note. The edits are built as the rewrite stage builds them (the
// mov-to-cr3 and ltr rules' assembler templates on the original bytes).
import { describe, expect, it } from 'vitest';
import { switchMulticallEdits } from '../../src/rewrite/switch-multicall.js';
import type { Edit } from '../../src/rewrite/types.js';

const CR3 = 'pushfl; pushal; movl %eax,%eax; pushl $MMUEXT_NEW_BASEPTR; pushl %eax; call xen_mmu_queue; addl $8,%esp; call xen_mmu_flush; popal; popfl # xenoport: mov-to-cr3';
const LTR = 'pushfl; pushal; movzwl %ax,%eax; pushl %eax; call xen_ltr_; addl $4,%esp; popal; popfl # xenoport: ltr';

function site(text: string, needle: string, ruleId: string, replacement: string): Edit {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`no ${needle}`);
  return { file: 'i386-xeno/i386/swtch.s', startByte: at, endByte: at + needle.length, replacement, ruleId, kind: 'hypercall', where: `i386/i386/swtch.s:1` } as Edit;
}

/** Applies zero-length and replacing edits to the original text, last first. */
function apply(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.startByte - a.startByte || b.endByte - a.endByte)) out = out.slice(0, e.startByte) + e.replacement + out.slice(e.endByte);
  return out;
}

const SWITCH = [
  'ENTRY(cpu_switch)',
  '\tmovl\tPCB_CR3(%edx),%eax',
  '\tje\t1f',
  '\tmovl\t%eax,%cr3',
  '1:',
  '\tmovl\tPCB_TSSSEL(%edx),%eax',
  '\tje\t2f',
  '\tltr\t%ax',
  '2:',
  '\tmovl\tPCB_EBX(%edx),%ebx',
  '\tmovl\tPCB_ESP(%edx),%esp',
  '\tret',
  'ENTRY(savectx)',
  '\tmovl\t%esp,PCB_ESP(%ecx)',
  '\tret',
  '',
].join('\n');

describe('one multicall per context switch', () => {
  it('queues the base pointer, puts stack_switch in the list and sends both before the new stack is loaded', () => {
    const edits = [site(SWITCH, 'movl\t%eax,%cr3', 'mov-to-cr3', CR3), site(SWITCH, 'ltr\t%ax', 'ltr', LTR)];
    const r = switchMulticallEdits('i386/i386/swtch.s', 'i386-xeno/i386/swtch.s', SWITCH, edits);
    expect(r.notes).toEqual([]);
    expect(r.changed).toBe(1);
    const out = apply(SWITCH, r.edits).split('\n');
    const cr3 = out.find((l) => l.includes('mov-to-cr3'))!;
    expect(cr3).toContain('call xen_mmu_queue;');
    expect(cr3).not.toContain('xen_mmu_flush');
    expect(out.find((l) => l.includes('# xenoport: ltr'))).toContain('call xen_switch_ltr_;');
    // The multicall goes after both branches join and right before %esp changes,
    // so that both the skipped-%cr3 and the no-TSS paths send the queue.
    const commit = out.findIndex((l) => l.includes('call xen_mcl_flush'));
    expect(commit).toBeGreaterThan(out.indexOf('2:'));
    expect(out[commit + 1]).toBe('\tmovl\tPCB_ESP(%edx),%esp');
    expect(out.filter((l) => l.includes('xen_mcl_flush'))).toHaveLength(1);
  });

  it('leaves a function with no stack load after its ltr as the rules rewrote it, with a note', () => {
    const text = SWITCH.replace('\tmovl\tPCB_ESP(%edx),%esp\n', '');
    const edits = [site(text, 'movl\t%eax,%cr3', 'mov-to-cr3', CR3), site(text, 'ltr\t%ax', 'ltr', LTR)];
    const r = switchMulticallEdits('i386/i386/swtch.s', 'i386-xeno/i386/swtch.s', text, edits);
    expect(r.changed).toBe(0);
    expect(r.edits).toEqual(edits);
    expect(r.notes.join('\n')).toMatch(/swtch\.s:1: cpu_switch: no stack-pointer load after its ltr/);
  });

  it('leaves a %cr3 load without an ltr in the same function alone (the plain flush stays)', () => {
    const text = SWITCH.replace('\tltr\t%ax\n', '');
    const edits = [site(text, 'movl\t%eax,%cr3', 'mov-to-cr3', CR3)];
    const r = switchMulticallEdits('i386/i386/swtch.s', 'i386-xeno/i386/swtch.s', text, edits);
    expect(r).toEqual({ edits, notes: [], changed: 0 });
  });
});
