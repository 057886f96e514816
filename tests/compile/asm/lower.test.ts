/*
 * The GAS front end's IR output: privileged instructions -> intrinsics, control
 * transfers the IR has no instruction for, data layout, and errors with file:line:col.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { lowerAsm, lowerAsmDetailed, lowerAsmFile } from '../../../src/compile/asm/index.js';
import { CompileError } from '../../../src/errors.js';
import { parseModule, printFunction, printModule, verifyModule } from '../../../src/ir/index.js';

/** The body text of function f (instructions only, locations dropped). */
function body(src: string, f = 'f'): string {
  const m = lowerAsm(`\t.globl ${f}\n${f}:\n${src}\n`, 't.s');
  const fn = m.funcs.find((x) => x.name === f)!;
  return printFunction(fn).replace(/ !\d+:\d+/g, '');
}

describe('privileged and sensitive instructions -> intrinsics', () => {
  const cases: [string, RegExp][] = [
    ['lgdt\tgdtdesc', /intr lgdt \$gdtdesc\n/],
    ['lidt\t(%eax)', /%t\.\d+ =w rdreg eax\n\tintr lidt %t\.\d+/],
    ['sgdt\t4(%ebx)', /%t\.1 =w add 4, %t\.0\n\tintr sgdt %t\.1/],
    ['sidt\tidtdesc', /intr sidt \$idtdesc/],
    ['lldt\t%ax', /intr lldt %t\.1/],
    ['ltr\t%ax', /intr ltr %t\.1/],
    ['sldt\t%ax', /=w intr sldt\n/],
    ['str\t%cx', /=w intr str\n/],
    ['movl\t%cr0,%eax', /=w intr rcr0\n\twrreg eax/],
    ['movl\t%cr2,%eax', /=w intr rcr2\n/],
    ['movl\t%cr3,%ebx', /=w intr rcr3\n\twrreg ebx/],
    ['movl\t%cr4,%eax', /=w intr rcr4\n/],
    ['movl\t%eax,%cr0', /intr lcr0 %t\.0/],
    ['movl\t%edx,%cr3', /%t\.0 =w rdreg edx\n\tintr lcr3 %t\.0/],
    ['movl\t%eax,%cr4', /intr lcr4 %t\.0/],
    ['movl\t%dr7,%eax', /=w intr rddr 7\n/],
    ['movl\t%eax,%dr6', /intr lddr 6, %t\.0/],
    ['cli', /intr cli\n/],
    ['sti', /intr sti\n/],
    ['hlt', /intr hlt\n/],
    ['pushfl', /intr pushf\n/],
    ['popfl', /intr popf\n/],
    ['clts', /intr clts\n/],
    ['invlpg\t(%eax)', /intr invlpg %t\.0/],
    ['wbinvd', /intr wbinvd\n/],
    ['invd', /intr invd\n/],
    ['inb\t%dx,%al', /%t\.\d+ =w and %t\.0, 65535\n\t%t\.\d+ =w intr inb %t\.\d+/],
    ['inb\t$0x60,%al', /=w intr inb 96\n/],
    ['inw\t%dx,%ax', /intr inw/],
    ['inl\t%dx,%eax', /=w intr inl %t\.\d+\n\twrreg eax/],
    ['outb\t%al,%dx', /intr outb %t\.\d+, %t\.\d+/],
    ['outb\t%al,$0x80', /intr outb %t\.\d+, 128/],
    ['outl\t%eax,%dx', /intr outl %t\.0, %t\.\d+/],
    ['int\t$0x80', /intr int 128\n/],
    ['int\t$0x82', /\thypercall\n/],
    ['int3', /intr int3\n/],
    ['cpuid', /intr cpuid\n/],
    ['rdmsr', /intr rdmsr\n/],
    ['wrmsr', /intr wrmsr\n/],
    ['rdtsc', /intr rdtsc\n/],
    ['lmsw\t%ax', /intr lmsw/],
    ['smsw\t%ax', /=w intr smsw/],
    ['movw\t%ax,%ds', /wrreg ds, %t\.1/],
    ['mov\t%ax,%ss', /wrreg ss, %t\.1/],
    ['movl\t%es,%eax', /=w rdreg es\n\twrreg eax/],
    ['pushl\t%fs', /=w rdreg fs\n/],
    ['popl\t%gs', /wrreg gs, /],
    ['iret', /\tiret\n/],
  ];
  test.each(cases)('%s', (insn, re) => {
    const text = body(insn + (insn === 'iret' ? '' : '\n\tret'));
    expect(text).toMatch(re);
  });

  test('ljmp $sel, $label reloads cs and jumps', () => {
    const t = body('ljmp\t$0x08, $1f\n1:\tret');
    expect(t).toMatch(/wrreg cs, 8\n\tjmp @1\.0\n@1\.0\n\tret/);
  });

  test('pushl $sel; pushl $label; lret is a far jump to the label', () => {
    const t = body('pushl\t$0x08\n\tpushl\t$(2f - 0xc0000000)\n\tlret\n2:\tret');
    expect(t).toMatch(/add %t\.\d+, 8\n\twrreg esp, %t\.\d+\n\twrreg cs, 8\n\tjmp @2\.0/);
  });

  test('a plain lret takes cs from 4(%esp) and returns through the moved return address', () => {
    const t = body('movl\t(%esp),%eax\n\tpushl\t%eax\n\tmovl\t$8,4(%esp)\n\tlret');
    expect(t).toMatch(/wrreg cs, %t\.\d+\n\tret\n/);
  });

  test('pushl $label; ret is a jump', () => {
    expect(body('pushl\t$next\n\tret\nnext:\tret')).toMatch(/jmp @next\n@next\n\tret/);
  });

  test('call direct and indirect', () => {
    const t = body('call\tfoo\n\tcall\t*%eax\n\tcall\t*8(%ebx)\n\tret');
    expect(t).toMatch(/call \$foo\(\)\n/);
    expect(t).toMatch(/call %t\.\d+\(\)\n[^]*loadw %t\.\d+\n\tcall %t\.\d+\(\)/);
  });
});

describe('breakpoint stubs and cpp', () => {
  test('XENO_BREAKPOINT_ASM through cpp becomes an IR trap at the original line', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xeno-asm-bp-'));
    try {
      const f = path.join(dir, 'bp.s');
      writeFileSync(
        f,
        [
          '#define XENO_BREAKPOINT_ASM(rule, where) int3 # xenoport-breakpoint #rule #where',
          '#define ENTRY(x) .globl x; x:',
          '/* a comment */',
          'ENTRY(f)',
          '\tXENO_BREAKPOINT_ASM(lgdt, sys/i386/i386/support.s:130)',
          '\tXENO_BREAKPOINT_ASM("cpu-hlt", "sys/i386/i386/locore.s:9")',
          '\tint3',
          '\tret',
          '',
        ].join('\n'),
      );
      const m = await lowerAsmFile(f);
      const text = printModule(m);
      expect(text).toContain(`file 1 "${f}"`);
      expect(text).toContain('trap "lgdt sys/i386/i386/support.s:130" !1:5');
      expect(text).toContain('trap "cpu-hlt sys/i386/i386/locore.s:9" !1:6');
      expect(text).toContain('intr int3 !1:7');
      expect(text).toContain('ret !1:8');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('errors through cpp name the original file and line', () => {
  test('an unknown mnemonic after an #include and a multi-line comment', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'xeno-asm-err-'));
    try {
      writeFileSync(path.join(dir, 'h.h'), '#define\tONE\t1\n#define\tTWO\t2\n');
      const f = path.join(dir, 'e.s');
      writeFileSync(f, ['#include "h.h"', '/*', ' * two lines', ' */', '\t.globl f', 'f:\tmovl $ONE,%eax', '\tbogus\t$TWO', '\tret', ''].join('\n'));
      await expect(lowerAsmFile(f)).rejects.toThrow(CompileError);
      const e = await lowerAsmFile(f).catch((x: CompileError) => x);
      expect((e as CompileError).where()).toBe(`${f}:7:2: unknown or unsupported instruction 'bogus'`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('data', () => {
  test('labels split data; layout padding is explicit; .data stays out of .bss', () => {
    const m = lowerAsm(
      `
	.data
	.globl	a
a:	.byte	1
	.align	4
b:	.long	a+3, 0x10
c:	.space	8
d:	.word	7
	.asciz	"hi\\n"
	.bss
	.align	16
e:	.space	32
f:
	.comm	g, 64, 8
`,
      'd.s',
    );
    const text = printModule(m);
    expect(text).toContain('data $a export align 4 section ".data" { b 1, z 3 }');
    expect(text).toContain('data $b section ".data" { w $a+3, w 16 }');
    expect(text).toContain('data $c section ".data" { z 8 }');
    expect(text).toContain('data $d section ".data" { h 7, b "hi\\012\\000" }');
    expect(text).toContain('data $e align 16 section ".bss" { z 32 }');
    expect(text).toContain('data $f section ".bss" {  }');
    expect(text).toContain('data $g export section ".bss" { z 64 }');
    // The text form parses back to the same module.
    expect(printModule(parseModule(text))).toBe(text);
  });

  test('.set symbols are folded; .globl ones are abs definitions of the module', () => {
    const r = lowerAsmDetailed(
      `
	.globl	PTmap, PTD
	.set	PTmap, (0x3fe << 22)
	.set	PTD, PTmap + (0x3fe * 4096)
	.globl	f
f:	movl	$PTD, %eax
	ret
`,
      's.s',
    );
    expect(r.module.absolutes).toEqual([
      { name: 'PTmap', value: 0xff800000n, export: true },
      { name: 'PTD', value: 0xffbfe000n, export: true },
    ]);
    expect(r.absolutes).toEqual([]);
    const text = printModule(r.module);
    expect(text).toContain(`abs export $PTmap = ${0xff800000}\nabs export $PTD = ${0xffbfe000}\n`);
    expect(text).toContain(`wrreg eax, ${0xffbfe000}`);
    expect(printModule(parseModule(text))).toBe(text);
  });

  test('GAS operator precedence: | binds tighter than +', () => {
    const r = lowerAsmDetailed('\t.data\nx:\t.long 1 + 2 | 4, 2 * 3 + 1, -(1 + 2), ~0 & 0xff\n', 'p.s');
    expect(printModule(r.module)).toContain('{ w 7, w 7, w -3, w 255 }');
  });
});

describe('errors carry file:line:col and the construct', () => {
  const err = (src: string): CompileError => {
    try {
      lowerAsm(src, 'e.s');
    } catch (e) {
      if (e instanceof CompileError) return e;
      throw e;
    }
    throw new Error('no error');
  };
  test('unknown mnemonic', () => {
    const e = err('\t.globl f\nf:\n\tmovl $1,%eax\n\tfrobl %eax\n\tret\n');
    expect(e.where()).toBe("e.s:4:2: unknown or unsupported instruction 'frobl'");
    expect(e.sourceLine).toBe('\tfrobl %eax');
  });
  test('unsupported operand forms', () => {
    expect(err('f:\n\tmovl %eax,%xyz\n').where()).toBe("e.s:2:2: unknown register '%xyz'");
    expect(err('f:\n\tmovl (%eax,%ebx,3),%ecx\n').where()).toBe('e.s:2:2: bad scale factor 3');
    expect(err('f:\n\tmovl %fs:4(%eax),%ecx\n\tret\n').where()).toMatch(/^e\.s:2:2: segment override %fs/);
    expect(err('f:\n\tmovl %eax,%xyz\n').where()).toBe("e.s:2:2: unknown register '%xyz'");
    expect(err('f:\n\tmovl %al,%ecx\n\tret\n').where()).toMatch(/^e\.s:2:2: source: %al is 8-bit, the instruction is 32-bit/);
  });
  test('a jcc whose flags are not known is an error, not a guess', () => {
    expect(err('\t.globl f\nf:\n\tjne 1f\n1:\tret\n').where()).toMatch(/^e\.s:3:2: jne: the condition flags are not known here \(at the entry of function f\)/);
    // Flags read at a label must be known on every edge into it.
    expect(err('\t.globl f\nf:\n\tcmpl $1,%eax\n\tcall g\n1:\tjne 1b\n\tret\n').where()).toMatch(/^e\.s:4:2: falling through to 1\.0: the condition flags are not known here \(after a call\)/);
    expect(err('\t.globl f\nf:\n\tincl %eax\n\tjmp 1f\n1:\tjb 1b\n\tret\n').where()).toMatch(/^e\.s:4:2: jmp \(the flags are read after the jump\): incl leaves the carry flag unchanged/);
    expect(err('f:\n\tincl %eax\n\tjb 1f\n1:\tret\n').where()).toMatch(/jb: incl leaves the carry flag unchanged/);
    expect(err('f:\n\tcall g\n\tje 1f\n1:\tret\n').where()).toMatch(/after a call/);
    expect(err('f:\n\tcmpl $1,%eax\n\tjp 1f\n1:\tret\n').where()).toMatch(/parity/);
  });
  test('jumps the IR cannot express', () => {
    expect(err('\t.globl f\nf:\n\tjmp 0x1000\n').where()).toBe('e.s:3:2: jmp to an absolute address is not supported');
    expect(err('\t.globl f\nf:\n\tjmp d\n\t.data\nd:\t.long 0\n').where()).toBe('e.s:3:2: jmp to data label d');
  });
  test('a jump out of the file or a computed jump is `pushl target; ret`', () => {
    const text = printModule(lowerAsm('\t.globl f\nf:\n\tjmp elsewhere+8\n\t.globl g\ng:\n\tjmp *%eax\n\t.globl h\nh:\n\tjmp *tab(,%ecx,4)\n', 'j.s'));
    expect(text).toContain('@f\n\t%t.0 =w rdreg esp !1:3\n\t%t.1 =w sub %t.0, 4 !1:3\n\tstorew $elsewhere+8, %t.1 !1:3\n\twrreg esp, %t.1 !1:3\n\tret !1:3\n}');
    expect(text).toContain('@g\n\t%t.0 =w rdreg eax !1:6\n\t%t.1 =w rdreg esp !1:6\n\t%t.2 =w sub %t.1, 4 !1:6\n\tstorew %t.0, %t.2 !1:6\n\twrreg esp, %t.2 !1:6\n\tret !1:6\n}');
    expect(text).toContain('\t%t.3 =w loadw %t.2 !1:9\n\t%t.4 =w rdreg esp !1:9\n\t%t.5 =w sub %t.4, 4 !1:9\n\tstorew %t.3, %t.5 !1:9\n\twrreg esp, %t.5 !1:9\n\tret !1:9\n}');
  });
  test('a .globl symbol .set to an address (an alias) is refused', () => {
    expect(err('\t.globl a\n\t.set a, b+4\n\t.data\nb:\t.long 0\n').where()).toBe('e.s:2:2: a is .globl and .set to an address (b): symbol aliases are not supported');
  });
  test('unknown directive and non-zero .bss data', () => {
    expect(err('\t.frob 1\n').where()).toBe('e.s:1:2: unsupported directive .frob');
    expect(err('\t.bss\nx:\t.long 5\n').where()).toBe('e.s:2:4: non-zero data in .bss');
  });
  test('the verifier accepts what the front end emits', () => {
    const m = lowerAsm('\t.globl f\nf:\n\tmovl 4(%esp),%eax\n\tret\n', 'v.s');
    expect(() => verifyModule(m)).not.toThrow();
  });
});
