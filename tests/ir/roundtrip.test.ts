import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  BINARY_OPS,
  COMPARE_CONDS,
  DATA_SECTIONS,
  INTRINSICS,
  LOAD_OPS,
  REGISTERS,
  STORE_OPS,
  UNARY_OPS,
  parseModule,
  parseModules,
  printModule,
  printModules,
  type DataItem,
  type Instruction,
  type IntrinsicName,
  type IRModule,
  type Operand,
} from '../../src/ir/index.js';

// Generated modules are syntactically arbitrary (not necessarily verifiable): the
// round trip must hold for anything the types can express.
const name = fc.stringMatching(/^[A-Za-z_.][A-Za-z0-9_.]{0,8}$/);
const typ = fc.constantFrom('w' as const, 'l' as const);
const loc = fc.record({ file: fc.nat(5), line: fc.nat(100000) });
const operand: fc.Arbitrary<Operand> = fc.oneof(
  name.map((n) => ({ kind: 'temp' as const, name: n })),
  fc.bigInt(-(1n << 63n), (1n << 64n) - 1n).map((v) => ({ kind: 'const' as const, value: v })),
  fc.record({ kind: fc.constant('global' as const), name, offset: fc.integer({ min: -100000, max: 100000 }) }),
);
const str = fc.string({ unit: fc.oneof(fc.constantFrom('"', '\\', '\n', '\t', '\0', 'é'), fc.string({ minLength: 1, maxLength: 1, unit: 'grapheme-ascii' })), maxLength: 12 });
const intrName = fc.constantFrom(...(Object.keys(INTRINSICS) as IntrinsicName[]));

const body: fc.Arbitrary<Omit<Instruction, 'loc'>> = fc.oneof(
  fc.record({ kind: fc.constant('binary' as const), op: fc.constantFrom(...BINARY_OPS), dst: name, type: typ, a: operand, b: operand }),
  fc.record({ kind: fc.constant('compare' as const), cond: fc.constantFrom(...COMPARE_CONDS), argType: typ, dst: name, type: fc.constant('w' as const), a: operand, b: operand }),
  fc.record({ kind: fc.constant('unary' as const), op: fc.constantFrom(...UNARY_OPS), dst: name, type: typ, a: operand }),
  fc.record({ kind: fc.constant('load' as const), op: fc.constantFrom(...LOAD_OPS), dst: name, type: typ, addr: operand }),
  fc.record({ kind: fc.constant('store' as const), op: fc.constantFrom(...STORE_OPS), value: operand, addr: operand }),
  fc.record({ kind: fc.constant('alloc' as const), dst: name, type: fc.constant('w' as const), size: operand, align: fc.constantFrom(1, 4, 16, 4096) }),
  fc.record({ kind: fc.constant('vastart' as const), dst: name, type: fc.constant('w' as const) }),
  fc.record({ kind: fc.constant('call' as const), dst: name, type: typ, callee: operand, args: fc.array(fc.record({ type: typ, value: operand }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('call' as const), callee: operand, args: fc.array(fc.record({ type: typ, value: operand }), { maxLength: 4 }) }),
  fc.record({ kind: fc.constant('rdreg' as const), dst: name, type: fc.constant('w' as const), reg: fc.constantFrom(...REGISTERS) }),
  fc.record({ kind: fc.constant('wrreg' as const), reg: fc.constantFrom(...REGISTERS), value: operand }),
  fc.record({ kind: fc.constant('intr' as const), name: intrName, args: fc.array(operand, { maxLength: 3 }) }),
  fc.record({ kind: fc.constant('intr' as const), name: intrName, dst: name, type: fc.constant('w' as const), args: fc.array(operand, { maxLength: 3 }) }),
  fc.constant({ kind: 'hypercall' as const }),
  fc.record({ kind: fc.constant('trap' as const), message: str }),
);
const term: fc.Arbitrary<Omit<Instruction, 'loc'>> = fc.oneof(
  fc.record({ kind: fc.constant('jmp' as const), target: name }),
  fc.record({ kind: fc.constant('jnz' as const), cond: operand, ifTrue: name, ifFalse: name }),
  fc.constant({ kind: 'ret' as const }),
  fc.record({ kind: fc.constant('ret' as const), value: operand }),
  fc.constant({ kind: 'iret' as const }),
  fc.constant({ kind: 'unreachable' as const }),
);
const withLoc = (a: fc.Arbitrary<Omit<Instruction, 'loc'>>): fc.Arbitrary<Instruction> =>
  fc.tuple(a, loc).map(([b, l]) => ({ ...b, loc: l }) as Instruction);
const block = fc.record({ label: name, instrs: fc.tuple(fc.array(withLoc(body), { maxLength: 6 }), withLoc(term)).map(([a, t]) => [...a, t]) });
const func = fc.record({
  name,
  export: fc.boolean(),
  varargs: fc.boolean(),
  params: fc.array(fc.record({ type: typ, name }), { maxLength: 3 }),
  retType: fc.option(typ, { nil: undefined }),
  blocks: fc.array(block, { minLength: 1, maxLength: 4 }),
});
const item: fc.Arbitrary<DataItem> = fc.oneof(
  fc.record({ kind: fc.constant('int' as const), width: fc.constantFrom('b' as const, 'h' as const, 'w' as const, 'l' as const), value: fc.bigInt(-(1n << 63n), (1n << 64n) - 1n) }),
  fc.uint8Array({ maxLength: 10 }).map((bytes) => ({ kind: 'string' as const, bytes })),
  fc.record({ kind: fc.constant('symbol' as const), name, offset: fc.integer({ min: -50, max: 50 }) }),
  fc.record({ kind: fc.constant('zero' as const), size: fc.nat(10000) }),
);
const data = fc.record({
  name,
  export: fc.boolean(),
  align: fc.constantFrom(1, 2, 4, 8, 4096),
  section: fc.option(fc.constantFrom(...DATA_SECTIONS), { nil: undefined }),
  items: fc.array(item, { maxLength: 5 }),
});
const absolute = fc.record({ name, export: fc.boolean(), value: fc.bigInt(-(1n << 63n), (1n << 64n) - 1n) });
const mod: fc.Arbitrary<IRModule> = fc.record({
  name: fc.constant('gen.xir'),
  files: fc.array(str, { maxLength: 3 }),
  // Absent or non-empty: the text form has no way to say "an empty list".
  absolutes: fc.option(fc.array(absolute, { minLength: 1, maxLength: 3 }), { nil: undefined }),
  data: fc.array(data, { maxLength: 3 }),
  funcs: fc.array(func, { maxLength: 3 }),
});

/** Drops undefined-valued keys so toEqual compares what the text can express. */
function norm<T>(x: T): T {
  return JSON.parse(JSON.stringify(x, (_k, v) => (typeof v === 'bigint' ? `${v}n` : v instanceof Uint8Array ? [...v] : v)));
}

describe('printer/parser round trip', () => {
  it('parse(print(m)) equals m and printing again gives the same text', () => {
    fc.assert(
      fc.property(mod, (m) => {
        // File names must survive UTF-8: generated strings are valid UTF-16 here.
        const text = printModule(m);
        const back = parseModule(text, 'gen.xir');
        expect(norm(back)).toEqual(norm(m));
        expect(printModule(back)).toBe(text);
      }),
      { numRuns: 300 },
    );
  });

  it('reads hex, negative numbers, comments and escapes', () => {
    const m = parseModule(`# a comment
file 1 "a\\tb.c"
data $d { b "\\n\\101\\0", w 0x10, w $x-8 }
func $f() {
@start	# label comment
	%a =w add 0xff, -0x1 !1:2
	ret !1:3
}`);
    expect(m.files).toEqual(['a\tb.c']);
    expect(m.data[0]!.items).toEqual([
      { kind: 'string', bytes: Uint8Array.from([10, 65, 0]) },
      { kind: 'int', width: 'w', value: 16n },
      { kind: 'symbol', name: 'x', offset: -8 },
    ]);
    expect(m.funcs[0]!.blocks[0]!.instrs[0]).toMatchObject({ kind: 'binary', a: { value: 255n }, b: { value: -1n }, loc: { file: 1, line: 2 } });
  });

  it('reads absolute symbols and data sections', () => {
    const m = parseModule(`abs export $PTmap = 0xbfc00000
abs $local = -4
data $mb export align 4 section ".text" { w 464367618 }
data $z section ".data" { z 4 }
func $f() {
@e
	%a =w loadw $PTmap+4 !0:0
	ret !0:0
}`);
    expect(m.absolutes).toEqual([
      { name: 'PTmap', export: true, value: 0xbfc00000n },
      { name: 'local', export: false, value: -4n },
    ]);
    expect(m.data.map((d) => d.section)).toEqual(['.text', '.data']);
    const text = printModule(m);
    expect(text).toContain('abs export $PTmap = 3217031168\nabs $local = -4\n');
    expect(text).toContain('data $mb export align 4 section ".text" { w 464367618 }');
    expect(printModule(parseModule(text))).toBe(text);
    // A module without absolutes has no `absolutes` key at all.
    expect('absolutes' in parseModule('data $x { w 1 }')).toBe(false);
  });

  it('several modules as one text: printModules / parseModules', () => {
    const a = parseModule('file 1 "a.c"\nabs export $K = 5\ndata $x export { w $K }', 'a "quoted".c');
    const b = parseModule('file 1 "b.s"\nfunc $f() {\n@e\n\tret !1:2\n}', 'dir/b.s');
    const text = printModules([a, b]);
    expect(text).toBe(`# module "a \\"quoted\\".c"\n${printModule(a)}\n# module "dir/b.s"\n${printModule(b)}`);
    const back = parseModules(text, 'all.xir');
    expect(norm(back)).toEqual(norm([a, b]));
    expect(printModules(back)).toBe(text);
    // Errors name the whole text and its line.
    let err: unknown;
    try {
      parseModules(text.replace('ret !1:2', 'frob !1:2'), 'all.xir');
    } catch (e) {
      err = e;
    }
    expect((err as { where(): string }).where()).toBe("all.xir:13:2: dir/b.s: unknown instruction, found 'frob'");
  });

  const bad: [string, string][] = [
    ['abs $x 5', "x.xir:1:8: expected '=', found '5'"],
    ['abs $x = $y', "x.xir:1:10: expected a number, found '$y'"],
    ['data $d section ".rodata" { w 1 }', 'x.xir:1:17: section must be one of ".text", ".data", ".bss", found \'".rodata"\''],
    ['data $d section text { w 1 }', "x.xir:1:17: expected a section name string, found 'text'"],
    ['func $f() {\n@a\n\t%x =w frob 1, 2 !0:0\n}', "x.xir:3:8: unknown instruction, found 'frob'"],
    ['func $f() {\n@a\n\tret\n}', "x.xir:4:1: expected a value (%temp, number or $symbol), found '}'"],
    ['func $f() {\n@a\n\t%x =w intr nosuch !0:0\n}', "x.xir:3:13: unknown intrinsic, found 'nosuch'"],
    ['func $f() {\n@a\n\t%x =w rdreg r9 !0:0\n}', "x.xir:3:14: unknown register, found 'r9'"],
    ['file 2 "x.c"', "x.xir:1:6: file index must be 1, found '2'"],
    ['data $d { q 1 }', "x.xir:1:11: expected a data item 'b', 'h', 'w', 'l' or 'z', found 'q'"],
    ['data $d align 3 { }', "x.xir:1:15: alignment must be a power of two, found '3'"],
    ['func $f() {\n\tret !0:0\n}', "x.xir:2:2: expected a block label @name, found 'ret'"],
    ['trap "unterminated', 'x.xir:1:6: unterminated string'],
  ];
  for (const [text, msg] of bad)
    it(`syntax error: ${msg}`, () => {
      let err: unknown;
      try {
        parseModule(text, 'x.xir');
      } catch (e) {
        err = e;
      }
      expect(err, 'should throw').toBeDefined();
      expect((err as { where(): string }).where()).toBe(msg);
    });
});
