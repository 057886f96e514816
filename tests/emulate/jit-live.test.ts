// What a frame suspended in a call saves (src/emulate/jit-live.ts): the locals its
// continuation may read, and those live into any block (a non-local re-entry at a
// label reads them); temps that die before the call are left out.
import { describe, expect, it } from 'vitest';
import { parseModule, verifyModule, type Instruction } from '../../src/ir/index.js';
import { savedAtCalls } from '../../src/emulate/jit-live.js';
import { promotedSlots } from '../../src/emulate/jit-slots.js';

function callSets(text: string): Set<string>[] {
  const m = verifyModule(parseModule(text, 'live.xir'));
  const fn = m.funcs.find((f) => f.name === 'f')!;
  const sets = savedAtCalls(fn, promotedSlots(fn));
  return fn.blocks.flatMap((b) => b.instrs.filter((i: Instruction) => i.kind === 'call').map((i) => sets.get(i)!));
}

const PROGRAM = `
func $g(w %x) : w {
@entry
	ret %x !0:0
}
func $f(w %n) : w {
@entry
	%slot =w alloc 4, 4 !0:0
	storew %n, %slot !0:0
	%dead =w add %n, 7 !0:0
	%arg =w mul %dead, 3 !0:0
	%r =w call $g(w %arg) !0:0
	%k =w loadw %slot !0:0
	%s =w add %r, %k !0:0
	jmp @loop !0:0
@loop
	%i =w sub %s, 1 !0:0
	%c =w call $g(w %i) !0:0
	%t =w add %c, 0 !0:0
	jnz %t, @loop2, @out !0:0
@loop2
	%s =w sub %s, 1 !0:0
	jnz %s, @loop, @out !0:0
@out
	ret %s !0:0
}
`;

describe('saved locals at call sites', () => {
  it('keeps what the continuation reads, drops temps dead at the call, never the call result', () => {
    const [first, second] = callSets(PROGRAM);
    // After the first call: the promoted slot is read; %dead and %arg never are again.
    expect(first!.has('@slot')).toBe(true);
    expect(first!.has('dead')).toBe(false);
    expect(first!.has('arg')).toBe(false);
    expect(first!.has('r')).toBe(false);
    // %s is live into @loop and @loop2 (a label a non-local transfer may enter), so every call saves it.
    expect(first!.has('s')).toBe(true);
    expect(second!.has('s')).toBe(true);
    expect(second!.has('c')).toBe(false);
    expect(second!.has('i')).toBe(false);
  });
});
