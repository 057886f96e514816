// The AT&T assembly scanner: comments, cpp lines, statements, prefixes, labels.
import { describe, expect, it } from 'vitest';
import { scanAsm } from '../../src/analyze/index.js';

const cases: Array<{ name: string; src: string; insns: string[] }> = [
  { name: 'hash comment', src: 'cli # sti\n', insns: ['cli'] },
  { name: 'C comment over lines', src: 'nop /* cli\n sti */ hlt\n', insns: ['nop', 'hlt'] },
  { name: 'semicolons and labels', src: '1:\tpushfl; cli ; foo: popl %eax\n', insns: ['pushfl', 'cli', 'popl %eax'] },
  { name: 'prefixes', src: 'rep insl\nlock; orl $1,(%eax)\n', insns: ['insl', 'lock', 'orl $1,(%eax)'] },
  { name: 'cpp lines are not code', src: '#include "assym.s"\n#if 0\n#endif\n\tltr %ax\n', insns: ['ltr %ax'] },
  { name: 'define bodies are scanned', src: '#define PUSHF pushfl ; \\\n\tcli\nPUSHF\n', insns: ['pushfl', 'cli', 'pushf'] },
  { name: 'strings hide # and ;', src: '.asciz "cli; # sti"\nhlt\n', insns: ['hlt'] },
  { name: 'ENTRY labels', src: 'ENTRY(lgdt)\n\tlgdt (%eax)\n', insns: ['lgdt (%eax)'] },
  { name: 'operands with parentheses', src: 'movl 4(%esp,%ecx,4),%cr3\n', insns: ['movl 4(%esp,%ecx,4),%cr3'] },
];

describe('scanAsm', () => {
  for (const c of cases) {
    it(c.name, () => {
      const s = scanAsm(c.src);
      expect(s.insns.map((i) => (i.operands.length ? `${i.mnemonic} ${i.operands.map((o) => o.text).join(',')}` : i.mnemonic))).toEqual(c.insns);
      for (const i of s.insns) expect(c.src.slice(i.start, i.end).toLowerCase()).toContain(i.mnemonic);
    });
  }

  it('finds entry points, .set values and symbols', () => {
    const s = scanAsm('\t.globl\tAPTmap\n\t.set\tAPTmap,APTDPTDI << PDRSHIFT\nENTRY(foo)\n\tmovl $CR4_PSE,%eax\n');
    expect(s.labels.find((l) => l.entry)?.name).toBe('foo');
    expect(s.sets).toHaveLength(1);
    expect(s.sets[0].value).toBe('APTDPTDI << PDRSHIFT');
    expect(s.symbols.map((x) => x.name)).toEqual(['APTDPTDI', 'PDRSHIFT', 'CR4_PSE']);
  });
});
