// User mode on BarePC: XIR ELF programs, compiled from C by xenoport's front end,
// are read by a small C kernel (user-kernel.ts) from a RAM disk, mapped into their
// own address spaces at 0x08048000 and run in ring 3 by the engine's user-code
// dispatcher: system calls by int $0x80, demand-paged stacks, faults that become
// signals, timer preemption between processes whose code sits at the same virtual
// addresses, fork by copying memory, and execve over pages that held code.
import { describe, expect, it } from 'vitest';
import { readXirElf } from '../../../src/ir/index.js';
import { runKernel, userProgram } from './user-kernel.js';

/** Runs of the mutated-program campaign (XENOPORT_FUZZ_FULL=1: 200). */
const FUZZ_RUNS = process.env.XENOPORT_FUZZ_FULL ? 200 : 6;

describe('user mode on BarePC', () => {
  it('runs a program in ring 3 that makes system calls with int $0x80', async () => {
    const hello = await userProgram('hello', `
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
static int twice(int v) { return 2 * v; }
void _start(void) {
	int (*f)(int) = twice;
	sayn("hello pid ", __syscall(20));
	sayn("fib ", fib(15));
	sayn("twice ", f(21));
	__syscall(1, 3);
}`);
    const r = await runKernel([hello]);
    expect(r.result.outcome, r.console + JSON.stringify(r.result.report ?? '')).toBe('exit');
    expect(r.result.exitCode).toBe(0);
    expect(r.console).toContain('hello pid 1\nfib 610\ntwice 42\n');
    expect(r.statuses.get(1)).toBe(3);
    expect(r.result.events[0x80]).toBeGreaterThanOrEqual(4);
    expect(r.pc.user.compiled).toBeGreaterThan(5);
  });

  it('preempts between two programs at the same virtual addresses in different address spaces', async () => {
    const loop = (tag: string, mul: number): string => `
void _start(void) {
	int i, s = 0;
	for (i = 0; i < 60000; i++) {
		s = s + (i * ${mul}) % 7;
		if (i % 20000 == 0)
			sayn("${tag} at ", i);
	}
	sayn("${tag} sum ", s);
	__syscall(1, ${mul});
}`;
    const a = await userProgram('a', loop('A', 3));
    const b = await userProgram('b', loop('B', 5));
    const r = await runKernel([a, b]);
    expect(r.result.outcome, r.console).toBe('exit');
    const sum = (mul: number): number => {
      let s = 0;
      for (let i = 0; i < 60000; i++) s += (i * mul) % 7;
      return s;
    };
    expect(r.console).toContain(`A sum ${sum(3)}\n`);
    expect(r.console).toContain(`B sum ${sum(5)}\n`);
    expect(r.statuses).toEqual(new Map([[1, 3], [2, 5]]));
    // Interleaved by the timer: B starts before A is done.
    expect(r.console.indexOf('B at 0')).toBeLessThan(r.console.indexOf('A at 40000'));
    expect(r.console.indexOf('A at 0')).toBeLessThan(r.console.indexOf('B at 40000'));
    expect(r.result.events[32]).toBeGreaterThan(100);
  });

  it('grows the stack on page faults and retries the access', async () => {
    const pf = await userProgram('pf', `
void _start(void) {
	char big[40000];
	int i, s = 0;
	for (i = 0; i < 40000; i += 1000)
		big[i] = i / 1000;
	for (i = 0; i < 40000; i += 1000)
		s = s + big[i];
	sayn("pf sum ", s);
	__syscall(1, 0);
}`);
    const r = await runKernel([pf]);
    expect(r.console).toContain('pf sum 780\n');
    expect(r.statuses.get(1)).toBe(0);
    expect(r.result.events[14]).toBeGreaterThanOrEqual(9);
  });

  it('turns a null dereference, a privileged instruction, a division by zero, an undefined instruction and a runaway loop into signals; the system goes on', async () => {
    const progs = await Promise.all([
      userProgram('null', 'void _start(void) { int *p = 0; *p = 1; __syscall(1, 0); }'),
      userProgram('priv', 'void _start(void) { halt_cpu(); __syscall(1, 0); }'),
      userProgram('div', 'void _start(void) { int z = __syscall(20) - 3; sayn("q ", 100 / z); __syscall(1, 0); }'),
      userProgram('ud', 'static char junk[8] = { 1, 2, 3 }; void _start(void) { void (*f)(void) = (void (*)(void))junk; f(); __syscall(1, 0); }'),
      userProgram('spin', 'void _start(void) { volatile int x = 0; for (;;) x++; }'),
      userProgram('kmem', 'void _start(void) { sayn("kernel word ", *(int *)0x100000); __syscall(1, 0); }'),
      userProgram('text', 'void _start(void) { *(char *)_start = 0; __syscall(1, 0); }'),
      userProgram('ok', 'void _start(void) { sayn("still here ", __syscall(20)); __syscall(1, 7); }'),
    ]);
    const r = await runKernel(progs, { maxSteps: 4e8 });
    expect(r.result.outcome, r.console).toBe('exit');
    expect(r.result.exitCode).toBe(0);
    // Reading a supervisor page and writing the read-only text are #PF (U/S, R/W) -> SIGSEGV.
    expect(r.statuses).toEqual(
      new Map([[1, 128 + 11], [2, 128 + 10], [3, 128 + 8], [4, 128 + 4], [5, 128 + 24], [6, 128 + 11], [7, 128 + 11], [8, 7]]),
    );
    expect(r.console).toContain('still here 8\n');
    expect(r.console).not.toContain('kernel word');
    expect(r.console).not.toContain('panic');
  });

  it('survives programs whose code bytes are mutated at random: every process ends, the kernel goes on', async () => {
    const base = await userProgram('base', `
static int fib(int n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }
void _start(void) {
	int i, s = 0;
	char b[100];
	for (i = 0; i < 100; i++)
		b[i] = i;
	for (i = 0; i < 100; i++)
		s += b[i] * fib(i % 10);
	sayn("s ", s);
	__syscall(1, s & 255);
}`);
    const text = readXirElf(base).segments[0]!;
    let seed = 20240601;
    const rnd = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) | 0) >>> 8;
    for (let n = 0; n < FUZZ_RUNS; n++) {
      const progs = Array.from({ length: 4 }, () => {
        const e = base.slice();
        for (let k = 1 + (rnd() % 6); k > 0; k--) {
          const at = text.offset + (rnd() % text.filesz);
          e[at] = rnd() & 1 ? e[at]! ^ (1 << (rnd() % 8)) : rnd() & 255;
        }
        return e;
      });
      const r = await runKernel(progs, { maxSteps: 3e7 });
      expect(r.result.outcome, `run ${n}: ${r.console.slice(-400)}`).toBe('exit');
      expect(r.result.exitCode).toBe(0);
      expect([...r.statuses.keys()].sort(), r.console).toEqual([1, 2, 3, 4]);
      expect(r.console).not.toContain('panic');
    }
  }, 600_000);

  it('fork copies a process by its memory only; both copies go on, and the parent reaps the child', async () => {
    const fork = await userProgram('fork', `
void _start(void) {
	int x = 5, st = 0, pid, y;
	char buf[6000];
	buf[0] = 'a';
	buf[5999] = 'z';
	x = x * 3;
	pid = __syscall(2);
	if (pid == 0) {
		x = x + 1;
		sayn("child x ", x);
		sayn("child buf ", buf[0] + buf[5999]);
		__syscall(1, x);
	}
	y = __syscall(7, pid, &st);
	sayn("parent x ", x);
	sayn("reaped ", y == pid);
	sayn("child status ", st);
	__syscall(1, 0);
}`);
    const r = await runKernel([fork]);
    expect(r.result.outcome, r.console).toBe('exit');
    expect(r.console).toContain(`child x 16\nchild buf ${97 + 122}\n`);
    expect(r.console).toContain('parent x 15\nreaped 1\nchild status 16\n');
    expect(r.statuses.get(1)).toBe(0);
  });

  it('execve over pages that held running code runs the new code (compiled blocks dropped)', async () => {
    const before = await userProgram('before', `
void _start(void) {
	int i, s = 0;
	for (i = 0; i < 100; i++)
		s = s + i;
	sayn("before exec ", s);
	__syscall(59, 1);
	sayn("exec failed", 0);
	__syscall(1, 1);
}`);
    const after = await userProgram('after', `
void _start(void) {
	int i, s = 1;
	for (i = 0; i < 10; i++)
		s = s * 2;
	sayn("after exec ", s);
	__syscall(1, 9);
}`);
    const r = await runKernel([before, after], { run: 1 });
    expect(r.result.outcome, r.console).toBe('exit');
    expect(r.console).toContain('before exec 4950\nafter exec 1024\n');
    expect(r.console).not.toContain('exec failed');
    expect(r.statuses.get(1)).toBe(9);
    expect(r.pc.user.gen).toBeGreaterThan(0);
  });
});
