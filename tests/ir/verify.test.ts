import { describe, expect, it } from 'vitest';
import { IRError } from '../../src/errors.js';
import { checkModule, ModuleBuilder, parseModule, verifyModule, konst, temp } from '../../src/ir/index.js';

const fn = (body: string, head = '$f(w %a) : w'): string => `func ${head} {\n${body}\n}`;

// [what, IR text, exact problems]
const CASES: [string, string, string[]][] = [
  ['undefined temp', fn('@entry\n\t%t =w add %a, %y !0:0\n\tret %t !0:0'), ['$f @entry #0 `%t =w add %a, %y`: undefined temporary %y']],
  ['missing terminator', fn('@entry\n\t%t =w add %a, 1 !0:0'), ['$f @entry #0 `%t =w add %a, 1`: missing terminator at the end of the block']],
  ['terminator in the middle', fn('@entry\n\tret %a !0:0\n\tret %a !0:0'), ['$f @entry #0 `ret %a`: terminator in the middle of a block']],
  ['empty block', fn('@entry\n\tjmp @next !0:0\n@next'), ['$f @next: empty block (missing terminator)']],
  ['unknown label', fn('@entry\n\tjnz %a, @yes, @no !0:0\n@yes\n\tret %a !0:0'), ['$f @entry #0 `jnz %a, @yes, @no`: unknown label @no']],
  ['duplicate label', fn('@entry\n\tjmp @entry !0:0\n@entry\n\tret %a !0:0'), ['$f @entry: duplicate label @entry']],
  ['operand type mismatch', fn('@entry\n\t%x =l extsw %a !0:0\n\t%t =w add %a, %x !0:0\n\tret %t !0:0'), ['$f @entry #1 `%t =w add %a, %x`: operand must be w, %x is l']],
  ['temp redefined with another type', fn('@entry\n\t%x =w copy 1 !0:0\n\t%x =l copy 1 !0:0\n\tret %a !0:0'), ['$f @entry #1 `%x =l copy 1`: temporary %x redefined as l, was w']],
  ['global in an l operation', fn('@entry\n\t%x =l add $g, 1 !0:0\n\tret %a !0:0'), ['$f @entry #0 `%x =l add $g, 1`: operand must be l, $g is w']],
  ['l shift count', fn('@entry\n\t%x =l extsw %a !0:0\n\t%y =w shl %a, %x !0:0\n\tret %y !0:0'), ['$f @entry #1 `%y =w shl %a, %x`: shift count must be w, %x is l']],
  ['store of l with storew', fn('@entry\n\t%x =l extsw %a !0:0\n\tstorew %x, %a !0:0\n\tret %a !0:0'), ['$f @entry #1 `storew %x, %a`: stored value must be w, %x is l']],
  ['loadw into l', fn('@entry\n\t%x =l loadw %a !0:0\n\tret %a !0:0'), ['$f @entry #0 `%x =l loadw %a`: loadw yields w']],
  ['trunc of w', fn('@entry\n\t%x =w trunc %a !0:0\n\tret %x !0:0'), ['$f @entry #0 `%x =w trunc %a`: operand must be l, %a is w']],
  ['intrinsic arity', fn('@entry\n\tintr outb %a !0:0\n\tret %a !0:0'), ['$f @entry #0 `intr outb %a`: intrinsic outb takes 2 operands, given 1']],
  ['intrinsic result missing', fn('@entry\n\tintr inb %a !0:0\n\tret %a !0:0'), ['$f @entry #0 `intr inb %a`: intrinsic inb yields a value']],
  ['intrinsic result extra', fn('@entry\n\t%x =w intr cli !0:0\n\tret %a !0:0'), ['$f @entry #0 `%x =w intr cli`: intrinsic cli yields no value']],
  ['call arity', fn('@entry\n\t%x =w call $f(w 1, w 2) !0:0\n\tret %x !0:0'), ['$f @entry #0 `%x =w call $f(w 1, w 2)`: $f takes 1 argument, given 2']],
  ['call argument type', fn('@entry\n\t%x =w call $f(l 1) !0:0\n\tret %x !0:0'), ['$f @entry #0 `%x =w call $f(l 1)`: argument 1 of $f must be w']],
  ['call argument value type', fn('@entry\n\t%x =l extsw %a !0:0\n\t%y =w call $g(w %x) !0:0\n\tret %y !0:0'), ['$f @entry #1 `%y =w call $g(w %x)`: argument 1 must be w, %x is l']],
  ['vastart outside varargs', fn('@entry\n\t%p =w vastart !0:0\n\tret %p !0:0'), ['$f @entry #0 `%p =w vastart`: vastart in a function that is not varargs']],
  ['ret value in void function', fn('@entry\n\tret 1 !0:0', '$f()'), ['$f @entry #0 `ret 1`: ret with a value in a function without a return type']],
  ['ret value type', fn('@entry\n\t%x =l extsw %a !0:0\n\tret %x !0:0'), ['$f @entry #1 `ret %x`: returned value must be w, %x is l']],
  ['location outside the file table', fn('@entry\n\tret %a !3:1'), ['$f @entry #0 `ret %a`: location file index 3 is not in the file table']],
  [
    'use before any definition on every path',
    fn('@entry\n\tjnz %a, @l, @r !0:0\n@l\n\t%x =w copy 1 !0:0\n\tret %x !0:0\n@r\n\tret %x !0:0'),
    ['$f @r #0 `ret %x`: temporary %x is used before any definition'],
  ],
  ['int vector must be constant', fn('@entry\n\tintr int %a !0:0\n\tret %a !0:0'), ['$f @entry #0 `intr int %a`: the vector of int must be a constant 0..255']],
  ['debug register number', fn('@entry\n\tintr lddr 8, %a !0:0\n\tret %a !0:0'), ['$f @entry #0 `intr lddr 8, %a`: the debug register number of lddr must be a constant 0..7']],
  ['duplicate definition', 'data $f { w 1 }\n' + fn('@entry\n\tret %a !0:0'), ['duplicate definition of $f']],
  ['absolute defined twice', 'abs $x = 1\ndata $x { w 1 }', ['duplicate definition of $x']],
  ['absolute wider than 32 bits', 'abs $x = 0x100000000\nabs $y = -2147483649\nabs $ok = -2147483648', ['abs $x: value 4294967296 does not fit in 32 bits', 'abs $y: value -2147483649 does not fit in 32 bits']],
  ['non-zero data in .bss', 'data $b section ".bss" { z 4, w 1 }\ndata $ok section ".bss" { z 4 }', ['data $b: section ".bss" holds only z items']],
];

describe('verifier rejections', () => {
  for (const [what, text, want] of CASES) it(what, () => expect(checkModule(parseModule(text, 'v.xir'))).toEqual(want));

  it('accepts a temp defined on only some paths (C allows it)', () => {
    const text = fn('@entry\n\tjnz %a, @l, @r !0:0\n@l\n\t%x =w copy 1 !0:0\n\tjmp @r !0:0\n@r\n\tret %x !0:0');
    expect(checkModule(parseModule(text))).toEqual([]);
  });

  it('accepts loops that define a temp before the back edge uses it', () => {
    const text = fn('@entry\n\t%i =w copy 0 !0:0\n\tjmp @loop !0:0\n@loop\n\t%i =w add %i, 1 !0:0\n\t%c =w csltw %i, %a !0:0\n\tjnz %c, @loop, @out !0:0\n@out\n\tret %i !0:0');
    expect(checkModule(parseModule(text))).toEqual([]);
  });

  it('verifyModule throws an IRError naming the module, function, block and instruction', () => {
    expect(() => verifyModule(parseModule(CASES[0]![1], 'v.xir'))).toThrow(IRError);
    expect(() => verifyModule(parseModule(CASES[0]![1], 'v.xir'))).toThrow('v.xir: $f @entry #0 `%t =w add %a, %y`: undefined temporary %y');
  });

  it('builder output verifies and carries locations', () => {
    const mb = new ModuleBuilder('b.c');
    const file = mb.file('b.c');
    const fb = mb.func('twice', [{ type: 'w', name: 'x' }], 'w', { export: true });
    fb.block('entry');
    fb.setLoc(file, 7);
    const t = fb.binary('add', 'w', temp('x'), temp('x'));
    fb.setLoc(file, 8);
    fb.ret(t);
    expect(fb.terminated).toBe(true);
    const m = mb.finish();
    expect(checkModule(m)).toEqual([]);
    expect(m.funcs[0]!.blocks[0]!.instrs.map((i) => i.loc)).toEqual([{ file: 1, line: 7 }, { file: 1, line: 8 }]);
    expect(() => fb.ret(konst(1))).toThrow(/already terminated/);
  });
});
