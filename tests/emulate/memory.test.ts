// Loads and stores of every width, data and bss, faults outside guest memory.
import { describe, expect, it } from 'vitest';
import { evalW, irLines, mainProgram, runIR } from './helpers.js';

describe('memory', () => {
  const cases: [string, string, number][] = [
    ['storeb/loadsb sign-extends', '%p =w alloc 8, 4; storew 0, %p; storeb 200, %p; %r =w loadsb %p', -56],
    ['storeb/loadub zero-extends', '%p =w alloc 8, 4; storeb -1, %p; %r =w loadub %p', 255],
    ['storeh/loadsh', '%p =w alloc 8, 4; storeh 40000, %p; %r =w loadsh %p', 40000 - 65536],
    ['storeh/loaduh', '%p =w alloc 8, 4; storeh -1, %p; %r =w loaduh %p', 65535],
    ['little endian bytes', '%p =w alloc 8, 4; storew 305419896, %p; %q =w add %p, 1; %r =w loadub %q', 0x56],
    ['unaligned word', '%p =w alloc 8, 4; storew 0, %p; %q =w add %p, 4; storew 0, %q; %u =w add %p, 1; storew -1, %u; %r =w loadw %p', -256],
    ['storeb stores only the low byte', '%p =w alloc 8, 4; storew 0, %p; storeb 4660, %p; %r =w loadw %p', 0x34],
    ['alloc is aligned', '%p =w alloc 3, 64; %r =w and %p, 63', 0],
    ['loadl/storel', '%p =w alloc 8, 8; storel -4294967296, %p; %q =w add %p, 4; %r =w loadw %q', -1],
    // Slots whose address never escapes live in JS locals: same results.
    ['local byte slot sign-extends', '%p =w alloc 1, 1; storeb 200, %p; %r =w loadsb %p', -56],
    ['local byte slot zero-extends', '%p =w alloc 1, 1; storeb -1, %p; %r =w loadub %p', 255],
    ['local half slot truncates', '%p =w alloc 2, 2; storeh 98304, %p; %r =w loadsh %p', -32768],
    ['local word slot', '%p =w alloc 4, 4; storew 7, %p; %v =w loadw %p; %v =w add %v, 1; storew %v, %p; %r =w loadw %p', 8],
    ['local l slot', '%p =w alloc 8, 8; storel -1, %p; %v =l loadl %p; %r =w trunc %v', -1],
  ];
  for (const [name, body, want] of cases) it(name, () => expect(evalW(irLines(body))).toBe(want));

  it('data with relocations and strings', () => {
    const r = runIR(`
data $msg { b "hello\\012\\000" }
data $ptr align 4 { w $msg+1, w 7 }
func export $main(w %argc, w %argv) : w {
@entry
	%p =w loadw $ptr !0:0
	%n =w intr sys_write 1, %p, 5 !0:0
	%k =w loadw $ptr+4 !0:0
	ret %k !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 7, stdout: 'ello\n' });
  });

  it('bss is zeroed and writable', () => {
    const r = runIR(`
data $buf align 4 { z 4096 }
func export $main(w %argc, w %argv) : w {
@entry
	%a =w loadw $buf+100 !0:0
	storew 5, $buf+100 !0:0
	%b =w loadw $buf+100 !0:0
	%c =w add %a, %b !0:0
	ret %c !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 5 });
  });

  it('an access outside guest memory ends as a fault result naming the instruction', () => {
    const r = runIR(`
file 1 "null.c"
func export $main(w %argc, w %argv) : w {
@entry
	%x =w loadw 0 !1:12
	ret %x !1:13
}`);
    expect(r.outcome).toBe('fault');
    expect(r.exitCode).toBeNull();
    expect(r.fault).toMatchObject({ kind: 'memory', address: 0, access: 'read', function: 'main', instruction: '%x =w loadw 0', where: 'null.c:12' });
  });

  it('a store past the top of memory is a write fault', () => {
    const r = runIR(mainProgram('storew 1, -4'));
    expect(r.fault).toMatchObject({ kind: 'memory', access: 'write', address: 0xfffffffc | 0 });
  });
});
