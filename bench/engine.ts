/*
 * Engine micro-benchmarks: hand-written IR programs run in flat user mode, reported as
 * IR instructions per second (steps / wall time, compile time included but negligible).
 * The programs mirror what C compiled at -O0 looks like: `sieve` keeps every local in
 * an `alloc` slot (a load and a store per use, as gcc -O0 does), `loop` keeps them in
 * temps, `fib` measures cdecl calls through the emulated stack.
 * `npm run bench` calls runEngineBenchmarks(); `node dist/bench/engine.js` runs it alone.
 */
import { link } from '../src/compile/link.js';
import { runProgram } from '../src/emulate/index.js';
import { parseModule, verifyModule } from '../src/ir/index.js';

export interface EngineBenchResult {
  name: string;
  steps: number;
  seconds: number;
  opsPerSecond: number;
  /** What the program printed/returned, to check the work was done. */
  exitCode: number | null;
}

const LOOP = (n: number): string => `
func export $main(w %argc, w %argv) : w {
@entry
	%i =w copy 0 !0:1
	%s =w copy 0 !0:1
	jmp @loop !0:1
@loop
	%t =w mul %i, %i !0:2
	%s =w add %s, %t !0:2
	%s =w xor %s, %i !0:2
	%i =w add %i, 1 !0:3
	%c =w csltw %i, ${n} !0:3
	jnz %c, @loop, @done !0:3
@done
	%r =w and %s, 255 !0:4
	ret %r !0:4
}`;

// for (rep) { for (i = 2; i < N; i++) flags[i] = 1; for (i = 2; i < N; i++) if (flags[i]) { count++; for (k = i + i; k < N; k += i) flags[k] = 0; } }
// with i, k, count in memory slots as gcc -O0 keeps them.
const SIEVE = (n: number, reps: number): string => `
data $flags align 4 { z ${n} }
func export $main(w %argc, w %argv) : w {
@entry
	%ip =w alloc 4, 4 !0:1
	%kp =w alloc 4, 4 !0:1
	%cp =w alloc 4, 4 !0:1
	%rp =w alloc 4, 4 !0:1
	storew 0, %rp !0:1
	jmp @rep !0:1
@rep
	storew 0, %cp !0:2
	storew 2, %ip !0:3
	jmp @fill !0:3
@fill
	%i =w loadw %ip !0:3
	%c =w csltw %i, ${n} !0:3
	jnz %c, @fillb, @scan0 !0:3
@fillb
	%i1 =w loadw %ip !0:4
	%a =w add $flags, %i1 !0:4
	storeb 1, %a !0:4
	%i2 =w loadw %ip !0:3
	%i3 =w add %i2, 1 !0:3
	storew %i3, %ip !0:3
	jmp @fill !0:3
@scan0
	storew 2, %ip !0:5
	jmp @scan !0:5
@scan
	%j =w loadw %ip !0:5
	%c2 =w csltw %j, ${n} !0:5
	jnz %c2, @scanb, @next !0:5
@scanb
	%j1 =w loadw %ip !0:6
	%a2 =w add $flags, %j1 !0:6
	%f =w loadub %a2 !0:6
	jnz %f, @prime, @scinc !0:6
@prime
	%cc =w loadw %cp !0:7
	%cc1 =w add %cc, 1 !0:7
	storew %cc1, %cp !0:7
	%j2 =w loadw %ip !0:8
	%k0 =w add %j2, %j2 !0:8
	storew %k0, %kp !0:8
	jmp @cross !0:8
@cross
	%k =w loadw %kp !0:8
	%c3 =w csltw %k, ${n} !0:8
	jnz %c3, @crossb, @scinc !0:8
@crossb
	%k1 =w loadw %kp !0:9
	%a3 =w add $flags, %k1 !0:9
	storeb 0, %a3 !0:9
	%k2 =w loadw %kp !0:8
	%j3 =w loadw %ip !0:8
	%k3 =w add %k2, %j3 !0:8
	storew %k3, %kp !0:8
	jmp @cross !0:8
@scinc
	%j4 =w loadw %ip !0:5
	%j5 =w add %j4, 1 !0:5
	storew %j5, %ip !0:5
	jmp @scan !0:5
@next
	%r =w loadw %rp !0:10
	%r1 =w add %r, 1 !0:10
	storew %r1, %rp !0:10
	%c4 =w csltw %r1, ${reps} !0:10
	jnz %c4, @rep, @done !0:10
@done
	%cnt =w loadw %cp !0:11
	%o =w and %cnt, 255 !0:11
	ret %o !0:11
}`;

const FIB = (n: number): string => `
func $fib(w %n) : w {
@entry
	%c =w csltw %n, 2 !0:1
	jnz %c, @base, @rec !0:1
@base
	ret %n !0:2
@rec
	%a =w sub %n, 1 !0:3
	%x =w call $fib(w %a) !0:3
	%b =w sub %n, 2 !0:3
	%y =w call $fib(w %b) !0:3
	%s =w add %x, %y !0:3
	ret %s !0:3
}
func export $main(w %argc, w %argv) : w {
@entry
	%r =w call $fib(w ${n}) !0:5
	%o =w and %r, 255 !0:5
	ret %o !0:5
}`;

function bench(name: string, text: string): EngineBenchResult {
  const img = link([verifyModule(parseModule(text, name))], { kind: 'program' });
  const t0 = performance.now();
  const r = runProgram(img, { maxSteps: 1e11 });
  const seconds = (performance.now() - t0) / 1000;
  if (r.outcome !== 'exit') throw new Error(`bench ${name}: ${r.outcome} ${JSON.stringify(r.fault)}`);
  return { name, steps: r.steps, seconds, opsPerSecond: r.steps / seconds, exitCode: r.exitCode };
}

/** The IR loop of `n` iterations (6 IR instructions each): IR instructions per second. */
export function benchEngineLoop(n = 20_000_000): EngineBenchResult {
  return bench('loop', LOOP(n));
}
/** A -O0-style sieve of `n` bytes, `reps` times: memory-heavy IR. */
export function benchEngineSieve(n = 1_000_000, reps = 10): EngineBenchResult {
  return bench('sieve', SIEVE(n, reps));
}
/** Recursive fib(n): cdecl calls through the emulated stack. */
export function benchEngineFib(n = 30): EngineBenchResult {
  return bench('fib', FIB(n));
}

export function runEngineBenchmarks(): EngineBenchResult[] {
  return [benchEngineLoop(), benchEngineSieve(), benchEngineFib()];
}

export function formatEngineBench(rs: EngineBenchResult[]): string {
  return rs
    .map((r) => `engine ${r.name.padEnd(6)} ${(r.opsPerSecond / 1e6).toFixed(1).padStart(7)} M IR ops/s  (${r.steps} steps in ${r.seconds.toFixed(3)} s, exit ${r.exitCode})`)
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(formatEngineBench(runEngineBenchmarks()));
