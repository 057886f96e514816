// Suspended contexts: a tiny scheduler in IR keeps several threads suspended in
// nested calls (cpu_switch as in sys/i386/i386/swtch.s) and switches among them in an
// arbitrary order; every context's locals and results must survive, including two
// contexts suspended at the same call site, and a context whose stack is reused by
// a new one after it died.
import { describe, expect, it } from 'vitest';
import { runIR } from './helpers.js';
import { SAVE_AT_SITE_LIMIT } from '../../src/emulate/jit.js';

// cpu_switch(old, new): save the return address and esp in *old, load esp from new,
// put new's eip at (%esp) and ret. A pcb is { eip, esp }.
const CPU_SWITCH = `
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
}`;

const NCTX = 5; // context 0 is main, 1..4 are threads
const STACK = 16384;

/**
 * The scheduler: sched() picks the next live context with an LCG (so the order is
 * arbitrary, and sometimes the caller itself) and switches to it. Threads run
 * work(id, depth), which recurses with locals (temps and a promoted slot) live
 * across sched() calls at every level and `spins` more at the leaf; main keeps
 * calling sched() until every thread has finished.
 */
function scheduler(depth: number, spins: number, pad = 0): string {
  // pad > 0: work() gains `pad` more calls of sched(), each after a temp of its own,
  // all summed at the end: calls x locals past jit.ts's SAVE_AT_SITE_LIMIT, so the
  // frame saves itself in the outer catch instead of at each call site.
  const padded = Array.from({ length: pad }, (_, k) => `\t%q${k} =w add %a, ${k} !0:31\n\tcall $sched() !0:31\n`).join('');
  const summed = Array.from({ length: pad }, (_, k) => `\t%u${k + 1} =w add %u${k}, %q${k} !0:37\n`).join('');
  const padOk = pad
    ? `\t%pe =w mul %a2, ${pad} !0:37\n\t%pe =w add %pe, ${(pad * (pad - 1)) / 2} !0:37\n\t%ok4 =w ceqw %u${pad}, %pe !0:37\n\t%ok =w and %ok, %ok4 !0:37\n`
    : '';
  return `
data $pcbs align 4 { z ${8 * NCTX} }
data $cur align 4 { w 0 }
data $seed align 4 { w 12345 }
data $alive align 4 { w ${(1 << NCTX) - 1} }
data $switches align 4 { w 0 }
data $errors align 4 { w 0 }
data $results align 4 { z ${4 * NCTX} }
data $stacks align 16 { z ${STACK * NCTX} }
${CPU_SWITCH}
func $sched() {
@entry
	%old =w loadw $cur !0:10
	%s =w loadw $seed !0:10
	%s =w mul %s, 1103515245 !0:10
	%s =w add %s, 12345 !0:10
	storew %s, $seed !0:10
	%k =w shr %s, 16 !0:11
	%k =w urem %k, ${NCTX} !0:11
	jmp @probe !0:11
@probe
	%bit =w shl 1, %k !0:12
	%al =w loadw $alive !0:12
	%m =w and %al, %bit !0:12
	jnz %m, @go, @inc !0:12
@inc
	%k =w add %k, 1 !0:13
	%wrap =w ceqw %k, ${NCTX} !0:13
	jnz %wrap, @zero, @probe !0:13
@zero
	%k =w copy 0 !0:13
	jmp @probe !0:13
@go
	%same =w ceqw %k, %old !0:14
	jnz %same, @done, @sw !0:14
@sw
	storew %k, $cur !0:15
	%n =w loadw $switches !0:15
	%n =w add %n, 1 !0:15
	storew %n, $switches !0:15
	%op =w mul %old, 8 !0:16
	%op =w add $pcbs, %op !0:16
	%np =w mul %k, 8 !0:16
	%np =w add $pcbs, %np !0:16
	call $cpu_switch(w %op, w %np) !0:16
	jmp @done !0:16
@done
	ret !0:17
}
func $fail() {
@entry
	%e =w loadw $errors !0:20
	%e =w add %e, 1 !0:20
	storew %e, $errors !0:20
	ret !0:20
}
func $work(w %id, w %d) : w {
@entry
	%p =w alloc 4, 4 !0:30
	%a =w mul %id, 1000 !0:30
	%a =w add %a, %d !0:30
	%b =w mul %a, 3 !0:30
	%x =w xor %a, 21845 !0:30
	storew %x, %p !0:30
	call $sched() !0:31
${padded}	%r =w copy 0 !0:32
	%leaf =w ceqw %d, 0 !0:32
	jnz %leaf, @spin0, @rec !0:32
@rec
	%d1 =w sub %d, 1 !0:33
	%r =w call $work(w %id, w %d1) !0:33
	jmp @check !0:33
@spin0
	%i =w copy 0 !0:34
	jmp @spin !0:34
@spin
	call $sched() !0:35
	%i =w add %i, 1 !0:35
	%more =w csltw %i, ${spins} !0:35
	jnz %more, @spin, @check !0:35
@check
	call $sched() !0:36
	%a2 =w mul %id, 1000 !0:37
	%a2 =w add %a2, %d !0:37
	%ok1 =w ceqw %a, %a2 !0:37
	%b2 =w mul %a2, 3 !0:37
	%ok2 =w ceqw %b, %b2 !0:37
	%y =w loadw %p !0:37
	%x2 =w xor %a2, 21845 !0:37
	%ok3 =w ceqw %y, %x2 !0:37
	%ok =w and %ok1, %ok2 !0:37
	%ok =w and %ok, %ok3 !0:37
	%u0 =w copy 0 !0:37
${summed}${padOk}	jnz %ok, @good, @bad !0:37
@bad
	call $fail() !0:38
	jmp @good !0:38
@good
	%t =w add %a, %b !0:39
	%r =w add %r, %t !0:39
	ret %r !0:39
}
func $thread_start() {
@entry
	%id =w loadw $cur !0:40
	%r =w call $work(w %id, w ${depth}) !0:41
	%o =w mul %id, 4 !0:42
	%o =w add $results, %o !0:42
	storew %r, %o !0:42
	%bit =w shl 1, %id !0:43
	%nb =w not %bit !0:43
	%al =w loadw $alive !0:43
	%al =w and %al, %nb !0:43
	storew %al, $alive !0:43
	call $sched() !0:44
	unreachable !0:45
}
func export $main(w %argc, w %argv) : w {
@entry
	%k =w copy 1 !0:50
	jmp @init !0:50
@init
	%o =w mul %k, 8 !0:51
	%o =w add $pcbs, %o !0:51
	storew $thread_start, %o !0:51
	%top =w mul %k, ${STACK} !0:52
	%top =w add %top, ${STACK - 16} !0:52
	%top =w add $stacks, %top !0:52
	%o4 =w add %o, 4 !0:52
	storew %top, %o4 !0:52
	%k =w add %k, 1 !0:53
	%c =w csltw %k, ${NCTX} !0:53
	jnz %c, @init, @loop0 !0:53
@loop0
	%mine =w alloc 4, 4 !0:54
	storew 777, %mine !0:54
	%t =w copy 4242 !0:54
	jmp @loop !0:54
@loop
	call $sched() !0:55
	%al =w loadw $alive !0:56
	%busy =w cnew %al, 1 !0:56
	jnz %busy, @loop, @end !0:56
@end
	%v =w loadw %mine !0:57
	%okv =w ceqw %v, 777 !0:57
	%okt =w ceqw %t, 4242 !0:57
	%ok =w and %okv, %okt !0:57
	jnz %ok, @out, @bad !0:57
@bad
	call $fail() !0:58
	jmp @out !0:58
@out
	%n =w intr sys_write 1, $results, ${4 * NCTX} !0:59
	%s =w intr sys_write 1, $switches, 4 !0:59
	%e =w loadw $errors !0:60
	ret %e !0:60
}`;
}

function words(bytes: Uint8Array): number[] {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return Array.from({ length: bytes.length / 4 }, (_, k) => dv.getInt32(4 * k, true));
}

/** work(id, d) = sum over j = 0..d of 4 * (id * 1000 + j). */
const expected = (id: number, depth: number): number => {
  let r = 0;
  for (let j = 0; j <= depth; j++) r += 4 * (id * 1000 + j);
  return r;
};

describe('suspended contexts', () => {
  it('four threads suspended in nested calls, switched in arbitrary order thousands of times, keep their locals', () => {
    const depth = 6;
    const r = runIR(scheduler(depth, 400), { maxSteps: 5e7 });
    expect(r.fault).toBeUndefined();
    expect(r.outcome).toBe('exit');
    const out = words(r.stdoutBytes);
    const results = out.slice(0, NCTX);
    const switches = out[NCTX]!;
    for (let id = 1; id < NCTX; id++) expect(results[id], `thread ${id}`).toBe(expected(id, depth));
    expect(switches).toBeGreaterThan(1500);
    expect(r.exitCode).toBe(0); // no context saw a wrong local
  });

  it('a deeper recursion with fewer switches agrees too (contexts suspended at every level)', () => {
    const r = runIR(scheduler(40, 3), { maxSteps: 5e7 });
    expect(r.outcome).toBe('exit');
    const out = words(r.stdoutBytes);
    for (let id = 1; id < NCTX; id++) expect(out[id]).toBe(expected(id, 40));
    expect(r.exitCode).toBe(0);
  });

  it('a function with more calls x locals than a catch per call site may list saves its frame from the outer catch, as correctly', () => {
    const pad = 500;
    expect((pad + 3) * (2 * pad + 20)).toBeGreaterThan(SAVE_AT_SITE_LIMIT);
    const r = runIR(scheduler(3, 5, pad), { maxSteps: 5e7 });
    expect(r.fault).toBeUndefined();
    expect(r.outcome).toBe('exit');
    const out = words(r.stdoutBytes);
    for (let id = 1; id < NCTX; id++) expect(out[id], `thread ${id}`).toBe(expected(id, 3));
    expect(out[NCTX]!).toBeGreaterThan(pad);
    expect(r.exitCode).toBe(0);
  });

  // Two threads run the same function and are suspended at the same call site (the
  // same address after the call), on different stacks; each must get its own frame
  // back. Main switches A, B, A, B: A and B each switch back to main.
  const SAME_SITE = `
data $pcb_main align 4 { z 8 }
data $pcb_a align 4 { z 8 }
data $pcb_b align 4 { z 8 }
data $stack_a align 16 { z 4096 }
data $stack_b align 16 { z 4096 }
data $out align 4 { z 16 }
data $who align 4 { w 0 }
${CPU_SWITCH}
func $body(w %pcb, w %v, w %slot) {
@entry
	%x =w mul %v, 7 !0:70
	call $cpu_switch(w %pcb, w $pcb_main) !0:71
	%y =w add %x, %v !0:72
	storew %y, %slot !0:72
	%o =w add %slot, 4 !0:72
	%y2 =w mul %y, 2 !0:73
	call $cpu_switch(w %pcb, w $pcb_main) !0:73
	%z =w add %y2, %v !0:74
	storew %z, %o !0:74
	call $cpu_switch(w %pcb, w $pcb_main) !0:75
	unreachable !0:76
}
func $start_a() {
@entry
	call $body(w $pcb_a, w 10, w $out) !0:80
	unreachable !0:80
}
func $start_b() {
@entry
	%o =w add $out, 8 !0:81
	call $body(w $pcb_b, w 1000, w %o) !0:81
	unreachable !0:81
}
func export $main(w %argc, w %argv) : w {
@entry
	storew $start_a, $pcb_a !0:90
	storew $stack_a+4080, $pcb_a+4 !0:90
	storew $start_b, $pcb_b !0:90
	storew $stack_b+4080, $pcb_b+4 !0:90
	call $cpu_switch(w $pcb_main, w $pcb_a) !0:91
	call $cpu_switch(w $pcb_main, w $pcb_b) !0:92
	call $cpu_switch(w $pcb_main, w $pcb_a) !0:93
	call $cpu_switch(w $pcb_main, w $pcb_b) !0:94
	call $cpu_switch(w $pcb_main, w $pcb_b) !0:95
	call $cpu_switch(w $pcb_main, w $pcb_a) !0:96
	%n =w intr sys_write 1, $out, 16 !0:97
	ret 0 !0:97
}`;

  it('two contexts suspended at the same call site resume their own frames', () => {
    const r = runIR(SAME_SITE);
    expect(r.fault).toBeUndefined();
    expect(r.outcome).toBe('exit');
    // A: y = 70 + 10 = 80, z = 160 + 10 = 170; B: y = 7000 + 1000 = 8000, z = 16000 + 1000 = 17000.
    expect(words(r.stdoutBytes)).toEqual([80, 170, 8000, 17000]);
  });

  // A thread dies while suspended (its saved frames stay behind); a new thread reuses
  // its stack and reaches the same call site at the same slot, then starts a third
  // thread (nested while the second stays on the host stack) which switches back.
  // The second thread's own active frame must continue, not the dead one's.
  const REUSE = `
data $pcb_main align 4 { z 8 }
data $pcb_1 align 4 { z 8 }
data $pcb_3 align 4 { z 8 }
data $stack_1 align 16 { z 4096 }
data $stack_3 align 16 { z 4096 }
data $phase align 4 { w 0 }
data $out align 4 { z 8 }
${CPU_SWITCH}
func $sleeper(w %v) : w {
@entry
	%x =w mul %v, 3 !0:100
	%ph =w loadw $phase !0:101
	%t =w copy $pcb_main !0:101
	jnz %ph, @three, @go !0:101
@three
	%t =w copy $pcb_3 !0:102
	jmp @go !0:102
@go
	call $cpu_switch(w $pcb_1, w %t) !0:103
	ret %x !0:104
}
func $start_1() {
@entry
	%v =w loadw $phase !0:110
	%v =w add %v, 5 !0:110
	%r =w call $sleeper(w %v) !0:111
	storew %r, $out !0:112
	call $cpu_switch(w $pcb_1, w $pcb_main) !0:113
	unreachable !0:113
}
func $start_3() {
@entry
	storew 1, $out+4 !0:120
	call $cpu_switch(w $pcb_3, w $pcb_1) !0:121
	unreachable !0:121
}
func export $main(w %argc, w %argv) : w {
@entry
	storew $start_1, $pcb_1 !0:130
	storew $stack_1+4080, $pcb_1+4 !0:130
	call $cpu_switch(w $pcb_main, w $pcb_1) !0:131
	storew 1, $phase !0:132
	storew $start_1, $pcb_1 !0:133
	storew $stack_1+4080, $pcb_1+4 !0:133
	storew $start_3, $pcb_3 !0:133
	storew $stack_3+4080, $pcb_3+4 !0:133
	call $cpu_switch(w $pcb_main, w $pcb_1) !0:134
	%n =w intr sys_write 1, $out, 8 !0:135
	ret 0 !0:135
}`;

  it('a new context on a dead context\'s stack, at the same call site and slot, continues its own frame', () => {
    const r = runIR(REUSE);
    expect(r.fault).toBeUndefined();
    expect(r.outcome).toBe('exit');
    // The second thread runs with phase 1: v = 6, sleeper returns 18 (the dead one had 15).
    expect(words(r.stdoutBytes)).toEqual([18, 1]);
  });

  it('a return to a slot where no context was suspended is a bad-return fault naming the ret', () => {
    // main forges a pcb whose eip is an address after a call but whose stack never held it.
    const r = runIR(`
data $pcb_main align 4 { z 8 }
data $pcb_x align 4 { z 8 }
data $stack_x align 16 { z 4096 }
${CPU_SWITCH}
func $f() {
@entry
	call $cpu_switch(w $pcb_x, w $pcb_main) !0:140
	ret !0:141
}
func export $main(w %argc, w %argv) : w {
@entry
	storew $f+1, $pcb_x !0:150
	storew $stack_x+4080, $pcb_x+4 !0:150
	call $cpu_switch(w $pcb_main, w $pcb_x) !0:151
	ret 0 !0:152
}`);
    expect(r.outcome).toBe('fault');
    expect(r.fault).toMatchObject({ kind: 'bad-return', function: 'cpu_switch', instruction: 'ret' });
    expect(r.fault!.message).toMatch(/no active or saved frame/);
  });
});
