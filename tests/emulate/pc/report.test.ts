// Guest faults end in a report: vector, error code, IR instruction, C file:line,
// registers, control registers — and the CLI-facing text is readable.
import { describe, expect, it } from 'vitest';
import { testPC } from './helpers.js';
import { describePageFaultCode, formatFaultReport } from '../../../src/emulate/pc/index.js';

describe('fault reports', () => {
  it('an indirect call to a non-function ends the run with a report naming the instruction and line', () => {
    const t = testPC(`
func export $main() : w {
@entry
	wrreg ebx, 0x1234
	%r =w call 0x7777()
	ret %r
}`);
    const r = t.run();
    expect(r.outcome).toBe('fault');
    expect(r.fault?.kind).toBe('bad-call');
    expect(r.fault?.where).toBe('test.xir:5');
    expect(r.report).toContain('at 0x00100001 in main: %r =w call 30583()');
    expect(r.report).toContain('source: test.xir:5');
    expect(r.report).toMatch(/ebx=0x00001234/);
    expect(r.report).toMatch(/control: cr0=0x00000011 .* cpl=0/);
  });

  it('decodes #PF error codes and selector error codes', () => {
    expect(describePageFaultCode(0)).toBe('supervisor read, page not present');
    expect(describePageFaultCode(7)).toBe('user write, protection violation');
    const text = formatFaultReport({
      kind: 'general-protection', eip: 0x100010, vector: 13, errorCode: 0x402, message: 'int $0x80 through a DPL-0 gate',
      registers: { eax: 1, ecx: 2, edx: 3, ebx: 4, esp: 5, ebp: 6, esi: 7, edi: 8, eflags: 0x202, cs: 8, ds: 16, es: 16, fs: 16, gs: 16, ss: 16, eip: 0x100010 },
    });
    expect(text).toContain('#GP general protection (vector 13, error code 0x0402: vector 128 (IDT))');
    expect(text).toContain('eip=0x00100010 eflags=0x00000202');
  });
});
