// XIR, the IR's binary form: decode(encode(module)) equals the module for hand-written
// IR covering every instruction and for the C library compiled by the front end;
// malformed objects are clear errors; the instruction decoder never throws anything
// but XirDecodeError on arbitrary bytes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeInstr,
  decodeModule,
  encodeFunction,
  encodeModule,
  frameLayout,
  INTRINSICS,
  parseModule,
  printModule,
  verifyModule,
  XirDecodeError,
  type IntrinsicName,
  type IRModule,
} from '../../src/ir/index.js';
import { libcModules } from '../../src/compile/index.js';

const intrinsicCalls = (Object.keys(INTRINSICS) as IntrinsicName[])
  .map((n, k) => {
    const spec = INTRINSICS[n];
    const args = Array.from({ length: spec.args }, (_, j) => (j === 0 ? '3' : j === 1 ? '%a' : String(k + j))).join(', ');
    return `\t${spec.result ? `%i${k} =w ` : ''}intr ${n}${args ? ' ' + args : ''} !1:${100 + k}`;
  })
  .join('\n');

const EVERYTHING = `file 1 "every.c"
file 2 "other.h"
abs export $PTmap = 3217031168
abs $neg = -5
data $msg align 1 { b "hi\\012\\000\\377" }
data $tab export align 4 section ".data" { w $msg, w $msg+1, w $tab-4, z 8, h 65535, l -1, b 255 }
data $zeros align 16 { z 100 }
data $head align 4 section ".text" { w 464367618 }
data $big align 8 { l 18446744073709551615, w 4294967295, w -2147483648 }
func export varargs $f(w %a, l %b) : l {
@entry
	%c =w add %a, 4294967295 !1:1
	%d =l mul %b, -9223372036854775808 !1:2
	%e =l shl %d, %c !1:3
	%f =w csltl %b, %d !1:4
	%g =l extsw %c !1:5
	%h =w trunc %g !2:6
	%p =w alloc 16, 16 !2:7
	%q =w alloc %a, 4 !2:7
	storel %d, %p !1:8
	storeb %h, %q !1:8
	%x =l loadsb %p !1:9
	%y =w loaduh $tab+2 !1:9
	%v =w vastart !1:10
	%r =l call $f(w %a, l %b, w 1, l 2) !1:11
	call %a() !1:11
	%s =w rdreg esp !1:12
	wrreg ecx, %s !1:12
	wrreg ds, 35 !1:12
${intrinsicCalls}
	hypercall !1:13
	trap "rule x.c:3 \\"quoted\\" \\303\\251" !1:14
	jnz %f, @a, @b !1:15
@a
	%c =w udiv %c, 0 !0:0
	jmp @entry !1:16
@b
	ret %d !1:17
}
func $v() {
@entry
	iret !1:20
@x
	unreachable !1:21
@y
	ret !1:22
}
`;

function roundTrip(m: IRModule): void {
  const bytes = encodeModule(m);
  const back = decodeModule(bytes);
  expect(back).toEqual(m);
  expect(printModule(back)).toBe(printModule(m));
}

describe('XIR object form', () => {
  it('round-trips a module with every instruction, operand kind, intrinsic and data item', () => {
    const m = verifyModule(parseModule(EVERYTHING, 'every.xir'));
    roundTrip(m);
    const none = parseModule('func $g() {\n@entry\n\tret !0:0\n}\n', 'g.xir');
    expect(none.absolutes).toBeUndefined();
    roundTrip(none);
  });

  it('round-trips the C library as compiled by the front end', async () => {
    const libc = await libcModules();
    expect(libc.length).toBeGreaterThan(3);
    for (const m of libc) roundTrip(m);
  });

  it('rejects objects that are not XIR or are damaged, naming the problem', () => {
    const m = verifyModule(parseModule(EVERYTHING, 'every.xir'));
    const bytes = encodeModule(m);
    expect(() => decodeModule(new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]))).toThrow(/bad magic/);
    expect(() => decodeModule(bytes.subarray(0, bytes.length - 3))).toThrow(/truncated|code/);
    const bad = bytes.slice();
    bad[4] = 9;
    expect(() => decodeModule(bad)).toThrow(/version 9/);
  });
});

describe('XIR instructions', () => {
  it('lays out temps on the frame: parameters above ebp, the others below in order', () => {
    const m = verifyModule(parseModule(EVERYTHING, 'every.xir'));
    const f = m.funcs[0]!;
    const L = frameLayout(f);
    expect(L.offsets.get('a')).toBe(8);
    expect(L.offsets.get('b')).toBe(12);
    expect(L.paramBytes).toBe(12);
    expect(L.offsets.get('c')).toBe(-4);
    expect(L.offsets.get('d')).toBe(-12); // an l takes 8 bytes, low word at the lower address
    expect(L.size).toBeGreaterThan(40);
  });

  it('encodes lengths independent of addresses, and decodes what it encodes', () => {
    const m = verifyModule(parseModule(EVERYTHING, 'every.xir'));
    const f = m.funcs[0]!;
    const a = encodeFunction(f, { kind: 'linked', addressOf: () => 0 });
    const b = encodeFunction(f, { kind: 'linked', addressOf: (n) => (n === 'tab' ? 0x0804a000 : 0x7fffffff) });
    expect(b.bytes.length).toBe(a.bytes.length);
    expect(b.instrOffsets).toEqual(a.instrOffsets);
    // Every instruction decodes at its offset to its own kind; a call is followed by its CRET.
    const read = (k: number): number => b.bytes[k]!;
    const flat = f.blocks.flatMap((bl) => bl.instrs);
    b.instrOffsets.forEach((off, k) => {
      const { x, length } = decodeInstr(read, off);
      const want = flat[k]!.kind;
      expect(x.op === 'call' ? 'call' : x.op).toBe(want);
      if (x.op === 'call') expect(decodeInstr(read, off + length).x.op).toBe('cret');
    });
    expect(decodeInstr(read, 0).x).toEqual({ op: 'enter', frame: frameLayout(f).size });
  });

  it('decoding arbitrary bytes gives an instruction or an XirDecodeError, nothing else', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 40 }), (bytes) => {
        const read = (k: number): number => {
          if (k >= bytes.length) throw new XirDecodeError('past the end');
          return bytes[k]!;
        };
        try {
          const { length } = decodeInstr(read, 0);
          expect(length).toBeGreaterThan(0);
        } catch (e) {
          expect(e).toBeInstanceOf(XirDecodeError);
        }
      }),
      { numRuns: 3000 },
    );
  });
});
