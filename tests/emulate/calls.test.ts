// Calls in emulated memory (cdecl), indirect and variadic calls, bad returns, and
// non-local control transfers (cpu_switch).
import { describe, expect, it } from 'vitest';
import { runIR } from './helpers.js';

describe('calls', () => {
  it('recursion (fib)', () => {
    const r = runIR(`
func $fib(w %n) : w {
@entry
	%c =w csltw %n, 2 !0:0
	jnz %c, @base, @rec !0:0
@base
	ret %n !0:0
@rec
	%a =w sub %n, 1 !0:0
	%x =w call $fib(w %a) !0:0
	%b =w sub %n, 2 !0:0
	%y =w call $fib(w %b) !0:0
	%s =w add %x, %y !0:0
	ret %s !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%r =w call $fib(w 20) !0:0
	%q =w urem %r, 256 !0:0
	ret %q !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 6765 % 256 });
  });

  it('arguments are pushed right to left and esp is restored', () => {
    const r = runIR(`
func $f(w %a, l %b, w %c) : w {
@entry
	%sp =w rdreg esp !0:0
	%p1 =w add %sp, 4 !0:0
	%x =w loadw %p1 !0:0
	%p3 =w add %sp, 16 !0:0
	%z =w loadw %p3 !0:0
	%bl =w trunc %b !0:0
	%t =w mul %x, 100 !0:0
	%t2 =w add %t, %z !0:0
	%t3 =w mul %t2, 10 !0:0
	%r =w add %t3, %bl !0:0
	ret %r !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%s0 =w rdreg esp !0:0
	%r =w call $f(w 1, l 3, w 2) !0:0
	%s1 =w rdreg esp !0:0
	%d =w sub %s1, %s0 !0:0
	%ok =w ceqw %d, 0 !0:0
	jnz %ok, @good, @bad !0:0
@good
	%q =w urem %r, 256 !0:0
	ret %q !0:0
@bad
	ret 255 !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: (102 * 10 + 3) % 256 });
  });

  it('l return values travel in edx:eax', () => {
    const r = runIR(`
func $big() : l {
@entry
	ret -8589934591 !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%v =l call $big() !0:0
	%hi =l sar %v, 32 !0:0
	%h =w trunc %hi !0:0
	%e =w rdreg edx !0:0
	%same =w ceqw %h, %e !0:0
	%h2 =w neg %h !0:0
	%r =w add %h2, %same !0:0
	ret %r !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 3 });
  });

  it('indirect calls through a function pointer table', () => {
    const r = runIR(`
data $ops align 4 { w $inc, w $dbl }
func $inc(w %x) : w {
@entry
	%r =w add %x, 1 !0:0
	ret %r !0:0
}
func $dbl(w %x) : w {
@entry
	%r =w mul %x, 2 !0:0
	ret %r !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%f =w loadw $ops+4 !0:0
	%a =w call %f(w 20) !0:0
	%g =w loadw $ops !0:0
	%b =w call %g(w %a) !0:0
	ret %b !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 41 });
  });

  it('an indirect call to a non-function address is a bad-call fault', () => {
    const r = runIR(`
func export $main(w %argc, w %argv) : w {
@entry
	%r =w call 1234(w 1) !0:0
	ret %r !0:0
}`);
    expect(r.outcome).toBe('fault');
    expect(r.fault).toMatchObject({ kind: 'bad-call', address: 1234, function: 'main' });
  });

  it('varargs: vastart points at the first variadic argument', () => {
    const r = runIR(`
func varargs $sum(w %n) : w {
@entry
	%ap =w vastart !0:0
	%s =w copy 0 !0:0
	jmp @loop !0:0
@loop
	%c =w csgtw %n, 0 !0:0
	jnz %c, @body, @done !0:0
@body
	%v =w loadw %ap !0:0
	%ap =w add %ap, 4 !0:0
	%s =w add %s, %v !0:0
	%n =w sub %n, 1 !0:0
	jmp @loop !0:0
@done
	ret %s !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%r =w call $sum(w 4, w 10, w 20, w 30, w 40) !0:0
	ret %r !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 100 });
  });

  it('a return address overwritten by the callee is reported as bad-return', () => {
    const r = runIR(`
func $evil() {
@entry
	%sp =w rdreg esp !0:0
	storew 99, %sp !0:0
	ret !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	call $evil() !0:0
	ret 0 !0:0
}`);
    expect(r.outcome).toBe('fault');
    expect(r.fault).toMatchObject({ kind: 'bad-return', address: 99, function: 'evil', instruction: 'ret' });
  });

  it('assembly-style calls: arguments pushed by hand, result set with wrreg eax', () => {
    const r = runIR(`
func varargs $asm_add() {
@entry
	%sp =w rdreg esp !0:0
	%p =w add %sp, 4 !0:0
	%a =w loadw %p !0:0
	%q =w add %sp, 8 !0:0
	%b =w loadw %q !0:0
	%s =w add %a, %b !0:0
	wrreg eax, %s !0:0
	ret !0:0
}
func export $main(w %argc, w %argv) : w {
@entry
	%r =w call $asm_add(w 30, w 12) !0:0
	%sp =w rdreg esp !0:0
	%sp2 =w sub %sp, 8 !0:0
	wrreg esp, %sp2 !0:0
	storew 1, %sp2 !0:0
	%p =w add %sp2, 4 !0:0
	storew 2, %p !0:0
	call $asm_add() !0:0
	%e =w rdreg eax !0:0
	wrreg esp, %sp !0:0
	%t =w add %r, %e !0:0
	ret %t !0:0
}`);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 45 });
  });
});

describe('non-local control transfers', () => {
  // cpu_switch as in sys/i386/i386/swtch.s: save the return address and esp in the old
  // pcb, load the new esp, put the new eip at (%esp) and ret.
  const SWITCH = `
data $p0pcb align 4 { z 8 }
data $t0pcb align 4 { z 8 }
data $stack align 16 { z 4096 }
data $ran align 4 { w 0 }
func varargs $cpu_switch() {
@entry
	%sp =w rdreg esp !0:1
	%pa =w add %sp, 4 !0:1
	%old =w loadw %pa !0:1
	%pb =w add %sp, 8 !0:1
	%new =w loadw %pb !0:1
	%ra =w loadw %sp !0:2
	storew %ra, %old !0:2
	%o4 =w add %old, 4 !0:3
	storew %sp, %o4 !0:3
	%n4 =w add %new, 4 !0:4
	%nsp =w loadw %n4 !0:4
	wrreg esp, %nsp !0:4
	%neip =w loadw %new !0:5
	storew %neip, %nsp !0:5
	ret !0:6
}
func $thread_main() {
@entry
	%r =w loadw $ran !0:10
	%r =w add %r, 1 !0:10
	storew %r, $ran !0:10
	call $cpu_switch(w $t0pcb, w $p0pcb) !0:11
	trap "thread_main: resumed" !0:12
	ret !0:12
}
func export $main(w %argc, w %argv) : w {
@entry
	%slot =w alloc 4, 4 !0:20
	storew 5, %slot !0:20
	storew $thread_main, $t0pcb !0:21
	storew $stack+4088, $t0pcb+4 !0:21
	%s0 =w rdreg esp !0:22
	call $cpu_switch(w $p0pcb, w $t0pcb) !0:22
	%s1 =w rdreg esp !0:23
	%ok =w ceqw %s0, %s1 !0:23
	%r =w loadw $ran !0:24
	%v =w loadw %slot !0:24
	%t =w mul %r, 10 !0:24
	%t =w add %t, %v !0:24
	%t =w mul %t, %ok !0:24
	ret %t !0:25
}`;

  it('cpu_switch to a fresh thread and back resumes the caller with its frame intact', () => {
    const r = runIR(SWITCH);
    expect(r).toMatchObject({ outcome: 'exit', exitCode: 15 });
  });

  it('switching back to a context whose host frames were unwound resumes its saved frame', () => {
    // After the round trip, main switches to the thread again: its frames were unwound
    // (saved); it goes on after its cpu_switch call, where its trap stops the run.
    const again = SWITCH.replace('\tret %t !0:25', '\tcall $cpu_switch(w $p0pcb, w $t0pcb) !0:25\n\tret %t !0:26');
    const r = runIR(again);
    expect(r.outcome).toBe('fault');
    expect(r.fault).toMatchObject({ kind: 'breakpoint-stub', message: 'thread_main: resumed', function: 'thread_main' });
  });
});
