// Fix templates: Finding -> Edit, and applying edits.
import { describe, expect, it } from 'vitest';
import { applyEdits, expandTemplate, findingToEdit, loadRules, scanSources, type Finding } from '../../src/analyze/index.js';
import { RewriteError } from '../../src/errors.js';

const { rules } = loadRules();
const rule = (id: string) => rules.find((r) => r.id === id)!;

describe('fix templates', () => {
  const src = 'void\nf(u_int d)\n{\n\t__asm __volatile("movl %0,%%cr3" : : "r" (d));\n}\n';
  const [f] = scanSources([{ file: 'sys/x.c', text: src, lang: 'c' }], rules).filter((x) => x.ruleId === 'mov-to-cr3');

  it('expands captures, $RULE, $WHERE and $ORIG', () => {
    expect(expandTemplate('$RULE at $WHERE: $ARG0 / $ORIG', f, src)).toBe('mov-to-cr3 at sys/x.c:4: d / __asm __volatile("movl %0,%%cr3" : : "r" (d))');
  });

  it('makes hypercall and breakpoint edits over the original bytes', () => {
    const h = findingToEdit(f, rule('mov-to-cr3'), 'hypercall', src)!;
    expect(h).toEqual({ file: 'sys/x.c', startByte: src.indexOf('__asm'), endByte: src.indexOf(';\n}'), replacement: 'xen_load_cr3(d)', ruleId: 'mov-to-cr3' });
    const b = findingToEdit(f, rule('mov-to-cr3'), 'breakpoint', src)!;
    expect(b.replacement).toBe('XENO_BREAKPOINT("mov-to-cr3", "sys/x.c:4")');
    expect(applyEdits(src, [h]).text).toBe('void\nf(u_int d)\n{\n\txen_load_cr3(d);\n}\n');
  });

  it('leaves sites whose rule says leave', () => {
    const [w] = scanSources([{ file: 'x.c', text: 'void f(void) { __asm("wbinvd"); }', lang: 'c' }], rules).filter((x) => x.ruleId === 'wbinvd');
    expect(findingToEdit(w, rule('wbinvd'), 'hypercall')).toBeUndefined();
  });

  it('uses the asm templates in assembly files', () => {
    const [a] = scanSources([{ file: 'x.s', text: '\tlgdt\t(%eax)\n', lang: 'asm' }], rules);
    expect(findingToEdit(a, rule('lgdt'), 'hypercall')!.replacement).toBe('pushfl; pushal; leal (%eax),%eax; pushl %eax; call xen_lgdt_; addl $4,%esp; popal; popfl # xenoport: lgdt');
    expect(findingToEdit(a, rule('lgdt'), 'breakpoint')!.replacement).toBe('XENO_BREAKPOINT_ASM(lgdt, x.s:1)');
    // No assembler Xen form: the assembler breakpoint.
    const [c] = scanSources([{ file: 'x.s', text: '\tclts\n', lang: 'asm' }], rules);
    expect(findingToEdit(c, rule('clts'), 'hypercall')!.replacement).toBe('XENO_BREAKPOINT_ASM(clts, x.s:1)');
  });

  it('reads $$ as a literal $', () => {
    expect(expandTemplate('pushl $$MMUEXT_NEW_BASEPTR; movl $ARG0,%eax', f)).toBe(`pushl $MMUEXT_NEW_BASEPTR; movl ${f.captures.ARG0.text},%eax`);
  });

  it('composes an edit nested in another whose replacement keeps its text (*a = *b = 0)', () => {
    const e = (s: number, t: number, r: string) => ({ file: 'x', startByte: s, endByte: t, replacement: r, ruleId: 'r' });
    const src = '*a = *b = 0;';
    const { text, skipped } = applyEdits(src, [e(0, 11, 'xen_pte_set(a, *b = 0)'), e(5, 11, 'xen_pte_set(b, 0)')]);
    expect(text).toBe('xen_pte_set(a, xen_pte_set(b, 0));');
    expect(skipped).toEqual([]);
  });

  it('names a capture the finding lacks', () => {
    const bare: Finding = { ...f, captures: {} };
    expect(() => expandTemplate('xen_load_cr3($ARG0)', bare)).toThrow(RewriteError);
  });

  it('skips overlapping edits, keeping the first', () => {
    const e = (s: number, t: number, r: string) => ({ file: 'x', startByte: s, endByte: t, replacement: r, ruleId: 'r' });
    const { text, skipped } = applyEdits('abcdef', [e(1, 3, 'X'), e(2, 4, 'Y'), e(4, 5, 'Z')]);
    expect(text).toBe('aXdZf');
    expect(skipped).toHaveLength(1);
  });

  it('pte-write captures: $PTR and $VAL for compound assignment', () => {
    const code = 'typedef unsigned pt_entry_t;\nvoid f(pt_entry_t *pte) { *pte |= 0x20; }\n';
    const [w] = scanSources([{ file: 'x.c', text: code, lang: 'c' }], rules).filter((x) => x.ruleId === 'pte-write');
    expect(w.captures.PTR.text).toBe('pte');
    expect(w.captures.VAL.text).toBe('*pte | (0x20)');
    // The old entry holds a machine frame under Xen: it is read back through
    // xen_pte_load (pseudo-physical) before xen_pte_set translates the new value.
    expect(findingToEdit(w, rule('pte-write'), 'hypercall')!.replacement).toBe('xen_pte_set(pte, xen_pte_load(pte) | (0x20))');
  });
});
