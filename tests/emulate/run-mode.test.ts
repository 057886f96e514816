// Run mode: step limits and counting, exit/argv/sbrk and the syscalls, faults as
// results (division, trap, privileged intrinsics in user mode).
import { describe, expect, it } from 'vitest';
import { mainProgram, runIR } from './helpers.js';

describe('run mode', () => {
  it('a step limit stops an infinite loop with a result, not an exception', () => {
    const r = runIR(
      `
func export $main(w %argc, w %argv) : w {
@entry
	jmp @loop !0:0
@loop
	jmp @loop !0:0
}`,
      { maxSteps: 100000 },
    );
    expect(r.outcome).toBe('step-limit');
    expect(r.exitCode).toBeNull();
    expect(r.steps).toBeGreaterThan(100000);
    expect(r.steps).toBeLessThan(100010);
  });

  it('infinite recursion ends as a fault, not a host crash', () => {
    const r = runIR(`
func $f(w %x) : w {
@entry
	%r =w call $f(w %x) !0:0
	ret %r !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%r =w call $f(w 1) !0:0
	ret %r !0:0
}`, { maxSteps: 1e9 });
    expect(r.outcome).toBe('fault');
    expect(['stack-overflow', 'memory']).toContain(r.fault!.kind);
  });

  it('exit() ends the program with its code', () => {
    const r = runIR(`
func export $main(w %argc, w %argv) : w {
@entry
	intr sys_exit 300 !0:0
	ret 1 !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 300 & 255 });
  });

  it('argv reaches main', () => {
    const r = runIR(
      `
func export $main(w %argc, w %argv) : w {
@entry
	%p =w add %argv, 8 !0:0
	%s =w loadw %p !0:0
	%n =w intr sys_write 1, %s, 3 !0:0
	%q =w add %argv, 12 !0:0
	%z =w loadw %q !0:0
	%r =w add %argc, %z !0:0
	ret %r !0:0
}`,
      { argv: ['prog', 'x', 'abc'] },
    );
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 3, stdout: 'abc' });
  });

  it('sbrk grows the heap after bss', () => {
    const r = runIR(`
data $b { z 10 }
func export $main(w %argc, w %argv) : w {
@entry
	%a =w intr sys_sbrk 4096 !0:0
	%b =w intr sys_sbrk 0 !0:0
	storew 77, %a !0:0
	%d =w sub %b, %a !0:0
	%ok =w ceqw %d, 4096 !0:0
	%hb =w cugtw %a, $b !0:0
	%r =w add %ok, %hb !0:0
	ret %r !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 2 });
  });

  it('sys_write to stderr and a bad fd', () => {
    const r = runIR(`
data $m { b "err" }
func export $main(w %argc, w %argv) : w {
@entry
	%a =w intr sys_write 2, $m, 3 !0:0
	%b =w intr sys_write 7, $m, 3 !0:0
	%r =w neg %b !0:0
	ret %r !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 9, stderr: 'err', stdout: '' });
  });

  it('division by zero is a divide-error fault with its source line', () => {
    const r = runIR(`
file 1 "div.c"
func export $main(w %argc, w %argv) : w {
@entry
	%z =w sub %argc, 1 !1:4
	%q =w div 10, %z !1:5
	ret %q !1:6
}`);
    expect(r.fault).toMatchObject({ kind: 'divide-error', where: 'div.c:5', instruction: '%q =w div 10, %z' });
  });

  it('INT_MIN / -1 is a divide-error, as idiv', () => {
    const r = runIR(mainProgram('%q =w div -2147483648, -1'));
    expect(r.fault?.kind).toBe('divide-error');
  });

  it('trap is a breakpoint-stub fault carrying its message', () => {
    const r = runIR(`
file 1 "sys/i386/i386/machdep.c"
func export $main(w %argc, w %argv) : w {
@entry
	trap "lidt-direct sys/i386/i386/machdep.c:1234" !1:1234
	ret 0 !1:1235
}`);
    expect(r.fault).toMatchObject({ kind: 'breakpoint-stub', message: 'lidt-direct sys/i386/i386/machdep.c:1234', where: 'sys/i386/i386/machdep.c:1234' });
  });

  it('privileged intrinsics are a general-protection fault in user mode', () => {
    for (const ins of ['intr cli', 'intr lcr3 0', '%x =w intr inb 96', 'hypercall', 'wrreg eax, 1; intr wrmsr']) {
      const r = runIR(mainProgram(ins));
      expect(r.fault?.kind, ins).toBe('general-protection');
    }
  });

  it('cpuid uses the register file as x86 does', () => {
    const r = runIR(mainProgram('wrreg eax, 0; intr cpuid; %b =w rdreg ebx; %n =w alloc 4, 4; storew %b, %n; %k =w intr sys_write 1, %n, 4'));
    expect(r.stdout).toBe('Xeno');
  });

  it('popf cannot change IF in user mode', () => {
    const r = runIR(`
func export $main(w %argc, w %argv) : w {
@entry
	intr pushf !0:0
	%sp =w rdreg esp !0:0
	storew 2, %sp !0:0
	intr popf !0:0
	%f =w rdreg eflags !0:0
	%i =w and %f, 512 !0:0
	%r =w shr %i, 9 !0:0
	ret %r !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 1 });
  });
});

describe('syscalls at the edges', () => {
  it('read from stdin until the end, zero-length write, bad buffer', () => {
    const r = runIR(
      `
func export $main(w %argc, w %argv) : w {
@entry
	%buf =w alloc 16, 4 !0:0
	%n1 =w intr sys_read 0, %buf, 16 !0:0
	%w1 =w intr sys_write 1, %buf, %n1 !0:0
	%n2 =w intr sys_read 0, %buf, 16 !0:0
	%z =w intr sys_write 1, 0, 0 !0:0
	%e =w intr sys_write 1, 16, 4 !0:0
	%t =w add %n2, %z !0:0
	%e2 =w neg %e !0:0
	%t =w add %t, %e2 !0:0
	ret %t !0:0
}`,
      { stdin: 'hello' },
    );
    expect(r).toMatchObject({ outcome: 'exit', stdout: 'hello', exitCode: 14 });
  });
});

describe('step counting', () => {
  it('counts every executed IR instruction exactly, across calls', () => {
    const r = runIR(`
func $id(w %x) : w {
@entry
	ret %x !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%i =w copy 0 !0:0
	%s =w copy 0 !0:0
	jmp @loop !0:0
@loop
	%s =w add %s, %i !0:0
	%s =w call $id(w %s) !0:0
	%i =w add %i, 1 !0:0
	%c =w csltw %i, 10 !0:0
	jnz %c, @loop, @done !0:0
@done
	ret %s !0:0
}`);
    // entry 3 + 10 * (loop 5 + id 1) + done 1
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 45, steps: 3 + 10 * 6 + 1 });
  });
});

