import { describe, expect, it } from 'vitest';
import { evalW, runIR } from './helpers.js';

const I = (s: string): string => s.split(';').map((l) => `\t${l.trim()} !0:0`).join('\n');

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
  for (const [name, body, want] of cases) it(name, () => expect(evalW(I(body))).toBe(want));

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
    const r = runIR(exprProgram2('storew 1, -4'));
    expect(r.fault).toMatchObject({ kind: 'memory', access: 'write', address: 0xfffffffc | 0 });
  });
});

function exprProgram2(body: string): string {
  return `func export $main(w %argc, w %argv) : w {\n@entry\n${I(body)}\n\tret 0 !0:0\n}`;
}

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
    const r = runIR(exprProgram2('%q =w div -2147483648, -1'));
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
      const r = runIR(exprProgram2(ins));
      expect(r.fault?.kind, ins).toBe('general-protection');
    }
  });

  it('cpuid uses the register file as x86 does', () => {
    const r = runIR(exprProgram2('wrreg eax, 0; intr cpuid; %b =w rdreg ebx; %n =w alloc 4, 4; storew %b, %n; %k =w intr sys_write 1, %n, 4'));
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

  it('switching back to a context whose host frames are gone is a clear bad-return fault', () => {
    // After the round trip, main switches to the thread again: its frames were unwound.
    const again = SWITCH.replace('\tret %t !0:25', '\tcall $cpu_switch(w $p0pcb, w $t0pcb) !0:25\n\tret %t !0:26');
    const r = runIR(again);
    expect(r.outcome).toBe('fault');
    expect(r.fault!.kind).toBe('bad-return');
    expect(r.fault!.message).toMatch(/no active frame continues/);
    expect(r.fault!.function).toBe('cpu_switch');
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
